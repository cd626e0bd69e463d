#!/usr/bin/env node
// Thin launcher: registers tsx so the TypeScript sources run as they are, with no build step.
import { register } from 'tsx/esm/api';

register();
// `d1-conformance rules | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
// Ctrl-C: exit 130 at once, as documented; reports are only written whole, so nothing is left half-written.
process.once('SIGINT', () => {
  process.stderr.write('d1-conformance: interrupted\n');
  process.exit(130);
});
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
