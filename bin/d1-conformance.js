#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript sources run as they are, with no build step.
import { register } from 'tsx/esm/api';

register();
// `d1-conformance run | head` closes the pipe early: that is not an error, and not a reason to
// stop: the run goes on, writes its reports and exits with its verdict (never a silent 0).
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') return;
  throw e;
});
// Ctrl-C (and a CI job's SIGTERM or a closed terminal's SIGHUP): exit at once with 128 + the
// signal's number, as documented; reports are only written whole, so nothing is left half-written,
// and the 'exit' handlers stop child processes and remove temporary keys.
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
  process.once(signal, () => {
    process.stderr.write(`d1-conformance: interrupted (${signal})\n`);
    process.exit(code);
  });
}
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
