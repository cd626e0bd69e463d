#!/usr/bin/env node
// Thin launcher: runs the build in dist/ (plain JavaScript: no TypeScript loader to start, about
// 0.5 s of every run). In a checkout the sources are the truth: a dist/ older than them is
// rebuilt first (scripts/build.mjs, well under a second), and where it cannot be, the sources run
// through tsx.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { URL } from 'node:url';

const BUILT_MAIN = new URL('../dist/src/cli/main.js', import.meta.url);
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
/** The main module to run: the build, made fresh when the sources beside it are newer; else the sources. */
async function mainModule() {
  if (existsSync(new URL('../src/', import.meta.url)) && existsSync(new URL('../scripts/build.mjs', import.meta.url))) {
    try {
      const { isStale, build } = await import('../scripts/build.mjs');
      if (isStale()) await build();
    } catch {
      // No esbuild, or a read-only checkout: run the sources as they are.
      return sources();
    }
  }
  return existsSync(BUILT_MAIN) ? BUILT_MAIN.href : sources();
}

async function sources() {
  const { register } = await import('tsx/esm/api');
  register();
  return new URL('../src/cli/main.ts', import.meta.url).href;
}

const { main } = await import(await mainModule());
// The process's own start: --max-time counts from it, the start-up of Node and tsx included.
process.exitCode = await main(process.argv.slice(2), undefined, undefined, performance.timeOrigin);
