import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTolerantIssuer, tolerantRunConfig, type TolerantIssuer } from '../../fixtures/tolerant-issuer/index.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/**
 * The suites demand no more strictness than D1's sources state: an issuer written independently
 * from seed 004, which reads only what it needs and accepts unknown and malformed optional input,
 * gets zero FAILED from the default run. Its only warnings are the documented
 * invalidRequestHandling ones (a 2xx to a request missing a required field it does not need).
 * With invalidRequestHandling=reject the same issuer fails: the policy, not the suites, decides.
 */

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

let issuer: TolerantIssuer;
beforeAll(async () => {
  issuer = await startTolerantIssuer();
});
afterAll(async () => {
  await issuer.close();
});

/** The run configuration on disk, with the client secret passed through the environment (never in the file). */
function configFile(policies: Record<string, unknown> = {}): string {
  const config = tolerantRunConfig(issuer) as { auth: Record<string, unknown> };
  const file = join(tmp('d1c-tol-cfg-'), 'd1.json');
  writeFileSync(file, JSON.stringify({ ...config, auth: { ...config.auth, clientSecret: '${env:D1C_TOLERANT_SECRET}' }, policies }));
  return file;
}

async function run(policies: Record<string, unknown>, runs: string): Promise<{ code: number; stdout: string; stderr: string; report: Report; raw: string }> {
  const out = tmp('d1c-tol-out-');
  const result = await runMain(['run', '--config', configFile(policies), '--out', out, '--seed', '1234', '--runs', runs], {
    env: { D1C_TOLERANT_SECRET: issuer.clientSecret },
  });
  const raw = readFileSync(join(out, 'report.json'), 'utf8');
  return { ...result, report: Report.parse(JSON.parse(raw)), raw };
}

describe('an independent tolerant issuer (fixtures/tolerant-issuer)', () => {
  it('passes the default run: exit 0, zero FAILED, only invalidRequestHandling warnings', { timeout: 180_000 }, async () => {
    const { code, stdout, stderr, report, raw } = await run({}, '4');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(code).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.summary.rules.FAILED).toBe(0);
    expect(report.summary.cases.FAILED).toBe(0);
    expect(report.target.reference).toBe(false);
    expect(report.policies).toMatchObject({ invalidRequestHandling: 'warn' });
    // Tolerance was exercised: the probes of D1's change policy ran and passed.
    const tolerant = report.results.filter((r) => r.ruleId === 'OUT-GEN-022' && r.status === 'PASSED').map((r) => r.case);
    expect(tolerant).toEqual(
      expect.arrayContaining(['unknown JSON field in every nested object', 'new enum value (FUTURE_VALUE) in every enum field', 'unknown query parameter']),
    );
    // It accepts bodies missing fields it does not need: the default policy warns, and says so.
    const warnings = report.results.filter((r) => r.status === 'WARNING');
    expect(warnings.length).toBeGreaterThan(0);
    for (const w of warnings) {
      expect(w.message, `${w.ruleId} ${w.case}`).toContain('(policy invalidRequestHandling=warn)');
      expect(w.case, w.ruleId).toMatch(/ missing$/);
    }
    expect(stdout + raw).not.toContain(issuer.clientSecret);
  });

  it('fails under invalidRequestHandling=reject, only on rules of the invalid requests it accepts', { timeout: 180_000 }, async () => {
    const { code, report } = await run({ invalidRequestHandling: 'reject' }, '2');
    expect(code).toBe(1);
    const failed = report.results.filter((r) => r.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    for (const f of failed) expect(f.message, `${f.ruleId} ${f.case}`).toContain('invalidRequestHandling=reject');
    // The tolerant-reader rule stays green: refusing nothing D1 may add is right under every policy.
    expect(report.rules.find((r) => r.ruleId === 'OUT-GEN-022')?.status).toBe('PASSED');
  });
});
