import { describe, expect, it } from 'vitest';
import { BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { runMain } from '../cli/run-cli.js';
import { readReport, tmp, variantRuns } from './variant-runs.js';

/**
 * The harness proves itself both ways, in-process through main() (what only a process shows is
 * tested elsewhere): the compliant reference issuer gets zero FAILED, and every broken variant
 * fails with exactly the rule it breaks, and no other (the second half of the variants:
 * reference-variants.test.ts, so two workers share the runs).
 */

const FIRST_HALF = BROKEN_VARIANTS.slice(0, Math.ceil(BROKEN_VARIANTS.length / 2));

describe('d1-conformance run', () => {
  it('certifies the bundled reference issuer: exit 0, zero FAILED, a valid JSON report', { timeout: 180_000 }, async () => {
    const out = tmp();
    const { code, stdout, stderr } = await runMain(['run', '--out', out, '--seed', '1234']);
    expect(stderr).toContain('bundled reference issuer');
    expect(code).toBe(0);
    expect(stdout).toContain('verdict: PASSED');
    const report = readReport(out);
    expect(report.summary.rules.FAILED).toBe(0);
    expect(report.summary.cases.FAILED).toBe(0);
    expect(report.errors).toEqual([]);
    expect(report.seed).toBe(1234);
    expect(report.summary.rules.PASSED).toBeGreaterThan(120);
    expect(report.policies).toMatchObject({ invalidRequestStatus: 'any-4xx', invalidRequestHandling: 'warn' });
    // The strict reference refuses every invalid request: the default policy has nothing to warn about.
    expect(report.summary.rules.WARNING).toBe(0);
    // Every skipped rule says why.
    for (const r of report.rules.filter((x) => x.status === 'SKIPPED' || x.status === 'NOT_APPLICABLE')) expect(r.reason, r.ruleId).toBeTruthy();
  });

  variantRuns(FIRST_HALF);

  it(
    'under the default policy, an issuer accepting a body that lacks a required field gets a WARNING naming the policy, not a failure',
    { timeout: 180_000 },
    async () => {
      const out = tmp();
      const { code } = await runMain(['run', '--variant', 'invalid-body-accepted', '--out', out, '--seed', '1234', '--runs', '4']);
      expect(code).toBe(0);
      const report = readReport(out);
      expect(report.rules.filter((r) => r.status === 'FAILED')).toEqual([]);
      expect(report.rules.filter((r) => r.status === 'WARNING').map((r) => r.ruleId)).toEqual(['OUT-OTP-006']);
      const warnings = report.results.filter((r) => r.status === 'WARNING');
      expect(warnings.length).toBeGreaterThan(0);
      for (const w of warnings) expect(w.message).toContain('(policy invalidRequestHandling=warn)');
    },
  );
});
