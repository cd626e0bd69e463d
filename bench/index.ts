/** `npm run bench`: every figure the project tracks, printed, never asserted. */
console.log('# rulebook');
await import('./rulebook.js');
console.log('\n# rule outcomes (how each rule can end; docs/rule-outcomes.md)');
const { renderRuleOutcomes } = await import('../src/core/verdict/outcomes.js');
const outcomeLines = renderRuleOutcomes().split('\n');
const from = outcomeLines.findIndex((l) => l.startsWith('| outcome'));
console.log(outcomeLines.slice(from, outcomeLines.findIndex((l, i) => i > from && l.startsWith('| all')) + 1).join('\n'));
console.log('\n# issuer-as-server run');
await import('./harness.js');
console.log('\n# D1 simulator (issuer-as-client)');
await import('./simulator.js');
console.log('\n# client-check with a command printing very long lines (peak RSS)');
await import('./client-check-output.js');
console.log('\n# hostile targets: every mode as a real run (wall time vs --max-time, peak RSS vs the reference run, canaries)');
await import('./hostile.js');
console.log('\n# big hostile files (peak RSS)');
await import('./big-inputs.js');
