import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGES, RULES } from '../../contracts/index.js';
import { checkMessage } from '../../src/core/rulebook/check.js';
import { messageArb, type GenerateOptions } from '../../src/core/rulebook/generate.js';
import { invalidCases } from '../../src/core/rulebook/mutate.js';

/**
 * The rulebook proves itself both ways: every generated valid message passes its contract with
 * no finding at all, and every just-invalid generator is refused naming exactly its own rule.
 */

const SEED = 20261123;
const RUNS = 30;

describe.each(MESSAGES.map((m) => [m.id, m] as const))('%s', (_id, msg) => {
  it.each<[string, GenerateOptions]>([
    ['random optional fields', { optional: 'random' }],
    ['every optional field', { optional: 'all' }],
    ['only required fields', { optional: 'none' }],
    ['click-to-pay profile', { profiles: ['click-to-pay'] }],
  ])('accepts every generated valid message (%s)', (_name, options) => {
    const profiles = options.profiles ?? [];
    fc.assert(
      fc.property(messageArb(msg, options), (value) => {
        const result = checkMessage(msg, value, { profiles });
        expect(result.violations).toEqual([]);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  const cases = invalidCases(msg);
  it.each(cases.map((c) => [`${c.ruleId} ${c.path} ${c.mutation}`, c] as const))('refuses %s naming that rule only', (_name, c) => {
    fc.assert(
      fc.property(c.arb, (value) => {
        const result = checkMessage(msg, value, { profiles: c.profiles });
        expect([...new Set(result.violations.map((v) => v.ruleId))]).toEqual([c.ruleId]);
        if (c.mutation !== 'advice-breach') expect(result.ok).toBe(false);
      }),
      { seed: SEED, numRuns: 15 },
    );
  });
});

describe('coverage of the generators', () => {
  it('every schema, presence, profile and advice rule has at least one just-invalid generator', () => {
    const covered = new Set(MESSAGES.flatMap((m) => invalidCases(m).map((c) => c.ruleId)));
    const fieldRules = RULES.filter((r) => ['schema', 'presence', 'profile', 'advice'].includes(r.kind));
    expect(fieldRules.length).toBeGreaterThan(100);
    expect(fieldRules.filter((r) => !covered.has(r.id)).map((r) => r.id)).toEqual([]);
  });

  it('generates every enum value and both presence and absence of each optional field', () => {
    for (const msg of MESSAGES) {
      const samples = fc.sample(messageArb(msg), { seed: SEED, numRuns: 300 });
      const json = samples.map((s) => JSON.stringify(s));
      // Deliver OTP: each deliveryChannel value occurs; Authenticate: details present and absent.
      if (msg.id === 'issuer.deliverOtp.request') {
        for (const v of ['SMS', 'EMAIL']) expect(json.some((j) => j.includes(`"deliveryChannel":"${v}"`))).toBe(true);
        expect(json.some((j) => j.includes('"digitalCardRequestor"'))).toBe(true);
        expect(json.some((j) => !j.includes('"digitalCardRequestor"'))).toBe(true);
      }
      if (msg.id === 'issuer.getAuthenticationResult.response.200') {
        for (const v of ['AUTHENTICATED', 'PENDING', 'AUTHENTICATION_FAILED', 'TECHNICAL_ERROR']) expect(json.some((j) => j.includes(v))).toBe(true);
      }
    }
  });

  it('name fields reach both length boundaries and every character class, Arabic included', () => {
    const msg = MESSAGES.find((m) => m.id === 'issuer.getConsumerInfo.response.200');
    if (!msg) throw new Error('missing message');
    const names = fc.sample(messageArb(msg), { seed: SEED, numRuns: 500 }).map((v) => (v as { firstName: string }).firstName);
    const lengths = names.map((n) => [...n].length);
    expect(lengths).toContain(1);
    expect(lengths).toContain(128);
    const all = names.join('');
    for (const probe of [/\p{Script=Arabic}/u, /\p{Script=Cyrillic}/u, /\p{Script=Han}/u, /[A-Za-z]/, /[0-9]/, /[ ,.'_#;:/-]/]) expect(all).toMatch(probe);
  });
});
