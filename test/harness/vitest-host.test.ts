import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { tokenTypeLowercase } from '../../fixtures/broken-issuers/token-type-lowercase.js';
import { startReferenceIssuer, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { CONFIG_FILE_ENV } from '../../src/server-side/harness/run-input.js';

/**
 * A bank team hosts the suites in its own vitest (README, "Run the suites from your own vitest"):
 * src/server-side/harness/vitest-host.ts in setupFiles, the configuration file named by D1_CONFORMANCE_CONFIG. Proved once both
 * ways on the token suite: the reference issuer passes, a broken variant fails naming its rule.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const issuers: RunningIssuer[] = [];
afterAll(async () => {
  for (const i of issuers) await i.close();
});

async function hostedRun(issuer: RunningIssuer): Promise<{ passed: number; failures: string[] }> {
  const file = join(mkdtempSync(join(tmpdir(), 'd1c-host-')), 'd1.json');
  writeFileSync(
    file,
    JSON.stringify({
      target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
      auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
      testData: { consumers: issuer.consumers.filter((c) => c.state !== 'INVALID').map((c) => ({ consumerId: c.consumerId, cardIds: [...c.cardIds] })) },
      cases: { propertyRuns: 2 },
    }),
  );
  process.env[CONFIG_FILE_ENV] = file;
  try {
    const vitest = await startVitest(
      'test',
      [],
      {
        root: ROOT,
        config: false,
        watch: false,
        include: ['suites/issuer-api/token.suite.ts'],
        setupFiles: ['src/server-side/harness/vitest-host.ts'],
        // Listen to nothing: the outcome is read from the state below.
        reporters: [{}],
        pool: 'threads',
        maxWorkers: 1,
      },
      { logLevel: 'silent' },
    );
    const tests = vitest.state.getFiles().flatMap((f) => f.tasks.flatMap((t) => ('tasks' in t ? t.tasks : [t])));
    await vitest.close();
    return {
      passed: tests.filter((t) => t.result?.state === 'pass').length,
      failures: tests.flatMap((t) => (t.result?.state === 'fail' ? (t.result.errors ?? []).map((e) => e.message) : [])),
    };
  } finally {
    Reflect.deleteProperty(process.env, CONFIG_FILE_ENV);
  }
}

describe('the suites hosted by vitest', { timeout: 120_000 }, () => {
  it('the reference issuer passes every token test; a lower-case token_type fails naming OUT-AUTH-003', async () => {
    const reference = await startReferenceIssuer();
    issuers.push(reference);
    const good = await hostedRun(reference);
    expect(good.failures).toEqual([]);
    expect(good.passed).toBeGreaterThan(3);

    const broken = await startReferenceIssuer({ variant: tokenTypeLowercase });
    issuers.push(broken);
    const bad = await hostedRun(broken);
    expect(bad.failures.join('\n')).toContain('OUT-AUTH-003');
  });
});
