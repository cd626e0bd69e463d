import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from '../cli/run-cli.js';

/** Bad input gets one clear line and exit 2: no stack trace, no secret, nothing lost. */

const SECRET = 'canary-secret-7f3a9c-do-not-print';

function configFile(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-cfg-'));
  const file = join(dir, 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const base = {
  target: { baseUrl: 'http://127.0.0.1:9', issuerId: 'ISSUER0001' },
  auth: { mode: 'oauth', clientId: 'd1', clientSecret: SECRET },
  testData: { consumers: [{ consumerId: 'cons-0001' }] },
};

function expectOneLine(result: { code: number; stdout: string; stderr: string }, fragment: string): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(fragment);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stdout + result.stderr).not.toContain(SECRET);
}

describe('d1-conformance run with bad input', () => {
  it('a missing config file', async () => {
    expectOneLine(await runMain(['run', '--config', '/nonexistent/d1.json']), 'cannot read config file');
  });

  it('a config file that is not JSON', async () => {
    expectOneLine(await runMain(['run', '--config', configFile('{ not json')]), 'is not valid JSON');
  });

  it('an unknown key, named', async () => {
    expectOneLine(await runMain(['run', '--config', configFile({ ...base, targte: {} })]), 'config key targte');
  });

  it('a bad value, named without echoing it', async () => {
    expectOneLine(
      await runMain(['run', '--config', configFile({ ...base, target: { ...base.target, issuerId: 'SHORT' } })]),
      'config key target.issuerId: must be exactly 10 characters',
    );
  });

  it('a bad policy value', async () => {
    expectOneLine(
      await runMain(['run', '--config', configFile({ ...base, policies: { invalidRequestStatus: '418' } })]),
      'config key policies.invalidRequestStatus',
    );
  });

  it('a secret taken from an unset environment variable', async () => {
    const env = { D1C_UNSET_FOR_TEST: undefined };
    expectOneLine(
      await runMain(['run', '--config', configFile({ ...base, auth: { ...base.auth, clientSecret: '${env:D1C_UNSET_FOR_TEST}' } })], { env }),
      'environment variable D1C_UNSET_FOR_TEST is not set',
    );
  });

  it('a dead target: exit 2 with the reason, the secret from the environment never printed', async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-out-'));
    const file = configFile({ ...base, auth: { ...base.auth, clientSecret: '${env:D1C_SECRET_FOR_TEST}' } });
    const result = await runMain(['run', '--config', file, '--out', out], { env: { D1C_SECRET_FOR_TEST: SECRET } });
    expectOneLine(result, 'connection refused');
    expect(readdirSync(out)).toEqual([]);
  });

  it('a bad flag value', async () => {
    expectOneLine(await runMain(['run', '--seed', 'abc']), '--seed must be a whole number');
    expectOneLine(await runMain(['run', '--variant', 'nope']), '--variant must be one of');
  });
});
