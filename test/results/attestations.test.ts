import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAttestations, loadAttestations } from '../../src/core/results/attestations.js';
import { ConfigurationError } from '../../src/core/errors/index.js';
import type { RuleResult } from '../../src/core/results/model.js';

/** Issue 15 point 3: what no check can establish, the operator attests, with evidence; reported ATTESTED, never PASSED. */

const dir = mkdtempSync(join(tmpdir(), 'd1c-attest-'));
const evidence = join(dir, 'thales-ca-issuance.pdf');
writeFileSync(evidence, 'the certificate issuance record\n');
const sha = createHash('sha256').update('the certificate issuance record\n').digest('hex');

function file(text: string): string {
  const path = join(dir, `a-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

const rule = (ruleId: string, status: RuleResult['status']): RuleResult => ({
  ruleId,
  title: ruleId,
  level: 'MUST',
  kind: 'behaviour',
  endpoints: ['issuer.token'],
  source: 'test',
  status,
  ...(status === 'SKIPPED' ? { reason: 'mTLS not configured', needs: 'a client certificate' } : {}),
  checks: status === 'PASSED' ? 1 : 0,
  failures: 0,
});

describe('attestations', () => {
  it('load: the evidence hashed (path from the file), and an untested rule becomes ATTESTED with who, when, what; a judged rule keeps its verdict', async () => {
    const list = await loadAttestations(
      file(
        'attestations:\n  - {ruleId: OUT-GEN-001, by: "J. Doe, network security", on: 2026-12-01, statement: "mTLS enforced at the edge", evidence: thales-ca-issuance.pdf}\n  - {ruleId: OUT-GEN-005, by: "J. Doe", on: 2026-12-01, statement: "x", evidence: thales-ca-issuance.pdf}\n',
      ),
    );
    expect(list[0]?.evidence).toEqual({ file: 'thales-ca-issuance.pdf', sha256: sha });
    const { rules, unused } = applyAttestations([rule('OUT-GEN-001', 'SKIPPED'), rule('OUT-GEN-005', 'PASSED')], list);
    expect(rules[0]).toMatchObject({ status: 'ATTESTED', attestation: { by: 'J. Doe, network security', on: '2026-12-01', evidence: { sha256: sha } } });
    expect(rules[0]).not.toHaveProperty('needs');
    expect(rules[1]?.status).toBe('PASSED');
    expect(unused).toEqual(["OUT-GEN-005 (by J. Doe): not applied, the rule was PASSED by the run's own checks"]);
  });

  it.each([
    ['a rule the rulebook does not have', '- {ruleId: OUT-XX-999, by: a, on: 2026-12-01, statement: s, evidence: thales-ca-issuance.pdf}\n', /attestation 1 names rule OUT-XX-999, which is not in rulebook/],
    ['an evidence file that is not there', '- {ruleId: OUT-GEN-001, by: a, on: 2026-12-01, statement: s, evidence: missing.pdf}\n', /attestation 1: its evidence file missing\.pdf cannot be read$/],
    ['no evidence', '- {ruleId: OUT-GEN-001, by: a, on: 2026-12-01, statement: s}\n', /attestation 1: evidence is missing; each attestation needs ruleId, by, on, statement and evidence$/],
  ])('refuses %s, in one line', async (_name, text, expected) => {
    const error = await loadAttestations(file(text)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(expected);
  });
});
