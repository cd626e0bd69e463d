import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { IssuerVariant } from '../../fixtures/reference-issuer/index.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/**
 * A whole run per broken variant, in-process through main(): it fails with exactly the rule the
 * variant breaks, and no other. Split over two files (reference-run, reference-variants) so the
 * two vitest workers share the runs.
 */

export function readReport(dir: string): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

export const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-run-'));

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

export function variantRuns(variants: readonly IssuerVariant[]): void {
  it.each(variants.map((v) => [v.id, v] as const))('fails the broken variant %s on its rule and no other', { timeout: 180_000 }, async (_id, variant) => {
    const out = tmp();
    const { code, stdout } = await runMain(['run', '--variant', variant.id, ...policyArgs(variant.id), '--out', out, '--seed', '1234', '--runs', '2']);
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
  });
}
