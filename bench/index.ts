/** `npm run bench`: every figure the project tracks, printed, never asserted. */
console.log('# rulebook');
await import('./rulebook.js');
console.log('\n# rule outcomes (how each rule can end; docs/rule-outcomes.md)');
const { renderRuleOutcomes } = await import('../src/verdict/outcomes.js');
console.log(renderRuleOutcomes().split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| OUT-') && !l.startsWith('| IN-') && !l.startsWith('| rule')).join('\n'));
console.log('\n# issuer-as-server run');
await import('./harness.js');
console.log('\n# D1 simulator (issuer-as-client)');
await import('./simulator.js');
