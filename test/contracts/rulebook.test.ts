import { describe, expect, it } from 'vitest';
import { ENDPOINTS, MESSAGES, POLICY_DOCS, PROFILES, RULES, PolicySettings, DEFAULT_POLICIES, rulesDecidedBy } from '../../contracts/index.js';
import { RULE_ID } from '../../src/core/rulebook/rule.js';

describe('the rulebook', () => {
  const ids = RULES.map((r) => r.id);
  const endpointIds = new Set<string>(ENDPOINTS.map((e) => e.id));

  it('has unique, well-formed rule ids', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(RULE_ID);
  });

  it('names a source, a level, a direction and known endpoints for every rule', () => {
    for (const r of RULES) {
      expect(r.source.length, r.id).toBeGreaterThan(5);
      for (const e of r.endpoints) expect(endpointIds.has(e), `${r.id} endpoint ${e}`).toBe(true);
      const expected = r.id.startsWith('OUT-') ? 'issuer-as-server' : 'issuer-as-client';
      expect(r.direction, r.id).toBe(expected);
    }
  });

  it('covers every endpoint in scope from both directions', () => {
    for (const e of ENDPOINTS)
      expect(
        RULES.some((r) => r.endpoints.includes(e.id)),
        e.id,
      ).toBe(true);
    expect(MESSAGES.some((m) => m.direction === 'issuer-as-server')).toBe(true);
    expect(MESSAGES.some((m) => m.direction === 'issuer-as-client')).toBe(true);
  });

  it('links rules to policies in one direction: every named policy exists and decides at least one rule', () => {
    const policyNames = new Set(Object.keys(POLICY_DOCS));
    for (const r of RULES) for (const p of r.policies ?? []) expect(policyNames.has(p), `${r.id} policy ${p}`).toBe(true);
    for (const name of policyNames) expect(rulesDecidedBy(name).length, `${name} decides no rule`).toBeGreaterThan(0);
    for (const doc of Object.values(POLICY_DOCS)) expect(Object.keys(doc).sort()).toEqual(['title', 'why']);
    // A tolerance names a policy the rule names too.
    for (const r of RULES) for (const t of r.tolerance ?? []) if ('policy' in t) expect(r.policies ?? [], `${r.id} tolerance ${t.policy}`).toContain(t.policy);
    expect(Object.keys(PolicySettings.shape).sort()).toEqual([...policyNames].sort());
  });

  it('gives every policy a default and refuses an unknown policy name', () => {
    expect(DEFAULT_POLICIES.invalidRequestStatus).toBe('any-4xx');
    expect(PolicySettings.safeParse({ invalidRequestStatus: '418' }).success).toBe(false);
    expect(PolicySettings.safeParse({ noSuchPolicy: true }).success).toBe(false);
  });

  it('tags profile rules with a declared profile, and every profile names known endpoints', () => {
    const profileIds = new Set<string>(PROFILES.map((p) => p.id));
    for (const r of RULES) if (r.profile !== undefined) expect(profileIds.has(r.profile), r.id).toBe(true);
    for (const p of PROFILES) for (const e of Object.keys(p.endpoints)) expect(endpointIds.has(e), `${p.id} ${e}`).toBe(true);
    expect(RULES.filter((r) => r.profile === 'click-to-pay').length).toBeGreaterThanOrEqual(6);
  });

  it('keeps the candidate ids of the fact tables for the fields they describe', () => {
    const byId = new Map(RULES.map((r) => [r.id, r]));
    expect(byId.get('OUT-CI-009')?.fields).toEqual(['body.language']);
    expect(byId.get('OUT-CI-011')?.fields).toEqual(['body.firstName']);
    expect(byId.get('IN-CON-007')?.fields).toEqual(['body.reason']);
    expect(byId.get('IN-HDR-005')?.fields).toEqual(['headers.x-user-id']);
    expect(byId.get('OUT-GEN-011')?.endpoints.length).toBe(5);
  });
});
