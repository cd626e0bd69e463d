import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * The launcher (bin/d1-conformance.js) as a user starts it: the build in dist/ (scripts/build.mjs, made
 * fresh when the sources are newer: test/cli/build.test.ts), main()'s
 * result as the process's exit code, output on the real stdout. Exit 1 (a verdict) is shown by
 * simulate's Ctrl-C test, 2 by out-dir.e2e (a closed pipe), 129/130/143 by the signal tests.
 */
describe('the launcher', () => {
  it('exits 0 with the help on stdout and nothing on stderr', async () => {
    const help = await runCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Exit codes: 0 success, 1 a finding fails the gate, 2 the tool could not do its job');
    expect(help.stderr).toBe('');
  });
});
