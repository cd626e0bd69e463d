#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript sources run as they are, with no build step.
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { register } from 'tsx/esm/api';

register();
/** How often the bin checks that the npm process that started it is still there (below). */
const PARENT_POLL_MS = 250;
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
// Started through npm (npx, npm exec, npm run), the signal CI or a user sends to npm never reaches
// this process: npm hands it to the `sh -c` it ran us with, which ignores SIGINT and dies of
// SIGTERM, leaving us orphaned to finish and write a report nobody asked for (docs/ci.md). The
// process that started us going away is then the interruption: exit 129, as on a hangup. Only
// under npm: run directly, a deliberate `d1-conformance simulate &` may outlive its shell.
if (process.env.npm_command !== undefined && process.ppid > 1) {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid === parent) return;
    process.stderr.write('d1-conformance: interrupted (the npm process that started it ended)\n');
    process.exit(129);
  }, PARENT_POLL_MS).unref();
}
const { main } = await import('../src/cli/main.ts');
// The process's own start: --max-time counts from it, the start-up of Node and tsx included.
process.exitCode = await main(process.argv.slice(2), undefined, undefined, performance.timeOrigin);
