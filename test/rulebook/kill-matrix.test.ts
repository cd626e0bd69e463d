import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MESSAGES, RULES } from '../../contracts/index.js';
import { BROKEN_CLIENTS } from '../../fixtures/broken-clients/index.js';
import { BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { KILL_MATRIX, KNOWN_GAPS } from '../../fixtures/kill-matrix.js';
import { invalidCases } from '../../src/core/rulebook/mutate.js';
import { renderRuleOutcomes } from '../../src/core/verdict/outcomes.js';

/**
 * Every rule either can be made to fail (a broken variant declaring it, a test asserting its
 * failure, or, for field rules, a just-invalid generator the contract check refuses naming it),
 * or says why it cannot (warning-only, informational, a simulator self-check), or is a known gap.
 */

const root = new URL('../../', import.meta.url);
const FIELD_KINDS = new Set(['schema', 'presence', 'profile', 'advice']);
const generated = new Set(MESSAGES.flatMap((m) => invalidCases(m).map((c) => c.ruleId)));

function issuerDeclares(variantId: string): readonly string[] {
  const v = BROKEN_VARIANTS.find((x) => x.id === variantId);
  return v ? [v.ruleId] : [];
}

function clientDeclares(variantId: string): readonly string[] {
  const v = BROKEN_CLIENTS.find((x) => x.id === variantId);
  return v ? [v.ruleId, ...(v.alsoGraded?.failed ?? [])] : [];
}

describe('the kill matrix', () => {
  it('names only broken variants that exist and declare the rule, and test files that exist and name it', () => {
    for (const [id, proof] of Object.entries(KILL_MATRIX)) {
      expect(RULES.some((r) => r.id === id), `${id} is in the rulebook`).toBe(true);
      expect((proof.issuers?.length ?? 0) + (proof.clients?.length ?? 0) + (proof.tests?.length ?? 0), `${id} has a proof`).toBeGreaterThan(0);
      for (const v of proof.issuers ?? []) expect(issuerDeclares(v), `broken issuer ${v} declares ${id}`).toContain(id);
      for (const v of proof.clients ?? []) expect(clientDeclares(v), `broken client ${v} declares ${id}`).toContain(id);
      for (const file of proof.tests ?? []) {
        const url = new URL(file, root);
        expect(existsSync(url), `${file} exists`).toBe(true);
        expect(readFileSync(url, 'utf8'), `${file} names ${id}`).toContain(id);
      }
    }
  });

  it('covers every rule: a failing proof, an outcome that cannot fail (with its reason), or a known gap', () => {
    const unaccounted: string[] = [];
    for (const r of RULES) {
      const cannotFail = r.judges === 'simulator' || r.outcome.class !== 'can-fail';
      if (cannotFail) {
        expect(r.outcome.reason, `${r.id} says why it cannot fail`).toBeTruthy();
        continue;
      }
      const byVariant = [...BROKEN_VARIANTS.map((v) => v.id).filter((v) => issuerDeclares(v).includes(r.id)), ...BROKEN_CLIENTS.map((v) => v.id).filter((v) => clientDeclares(v).includes(r.id))];
      const byGenerator = FIELD_KINDS.has(r.kind) && generated.has(r.id);
      const proven = KILL_MATRIX[r.id] !== undefined || byVariant.length > 0 || byGenerator;
      if (proven) expect(KNOWN_GAPS[r.id], `${r.id} is proven: drop it from KNOWN_GAPS`).toBeUndefined();
      else if (KNOWN_GAPS[r.id] === undefined) unaccounted.push(r.id);
    }
    expect(unaccounted).toEqual([]);
  });

  it('lists known gaps only for rules that can fail', () => {
    for (const id of Object.keys(KNOWN_GAPS)) {
      const r = RULES.find((x) => x.id === id);
      expect(r, `${id} is in the rulebook`).toBeDefined();
      expect(r?.outcome.class, id).toBe('can-fail');
    }
  });

  it('docs/rule-outcomes.md is the table generated from the rulebook', () => {
    const url = new URL('docs/rule-outcomes.md', root);
    const expected = renderRuleOutcomes();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(url, expected);
    expect(readFileSync(url, 'utf8'), 'stale: UPDATE_DOCS=1 npx vitest run test/rulebook/kill-matrix.test.ts').toBe(expected);
  });
});
