/** `npm run bench`: every figure the project tracks, printed, never asserted. */
console.log('# rulebook');
await import('./rulebook.js');
console.log('\n# issuer-as-server run');
await import('./harness.js');
console.log('\n# D1 simulator (issuer-as-client)');
await import('./simulator.js');
