import { readFileSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/**
 * The harness proves itself both ways, in-process through main() (what only a process shows is
 * tested elsewhere): the compliant reference issuer gets zero FAILED, and every broken variant
 * fails with exactly the rule it breaks, and no other.
 */

function readReport(dir: string): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-run-'));

/**
 * Variants whose rule only a stricter policy than the default makes a MUST: accepting an invalid
 * body is a finding only under invalidRequestHandling=reject (D1's change policy advises against
 * strict validation, so the default does not demand a refusal).
 */
const VARIANT_POLICIES: Readonly<Record<string, Record<string, unknown>>> = {
  'invalid-body-accepted': { invalidRequestHandling: 'reject' },
};

function policyArgs(variantId: string): string[] {
  const policies = VARIANT_POLICIES[variantId];
  if (!policies) return [];
  const file = join(tmp(), 'd1.json');
  writeFileSync(file, JSON.stringify({ policies }));
  return ['--config', file];
}

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

  it.each(BROKEN_VARIANTS.map((v) => [v.id, v] as const))(
    'fails the broken variant %s on its rule and no other',
    { timeout: 180_000 },
    async (_id, variant) => {
      const out = tmp();
      const { code, stdout } = await runMain(['run', '--variant', variant.id, ...policyArgs(variant.id), '--out', out, '--seed', '1234', '--runs', '4']);
      expect(code).toBe(1);
      expect(stdout).toContain(variant.ruleId);
      const report = readReport(out);
      expect(report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual([variant.ruleId]);
      const finding = report.results.find((r) => r.ruleId === variant.ruleId && r.status === 'FAILED');
      expect(finding?.message).toBeTruthy();
      expect(report.errors).toEqual([]);
      if (variant.deadEndpoint !== undefined) {
        // One dead route is one finding: the refusal checks on it are not passes, and say why.
        const linked = report.rules.filter((r) => r.rootCause === variant.ruleId);
        expect(linked.length).toBeGreaterThan(5);
        for (const r of linked) expect([r.ruleId, r.status]).toEqual([r.ruleId, 'SKIPPED']);
        expect(linked.every((r) => r.reason?.includes(`never answered a valid request successfully (see ${variant.ruleId})`))).toBe(true);
      }
    },
  );

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
