import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../contracts/index.js';
import { checkIdentifier, IDENTIFIER_RULES } from '../../src/core/hygiene/index.js';

const PAN = '4111111111111111';
const context = { pans: [PAN], names: ['Amélie', 'Dupont'], emails: ['amelie.dupont@example.com'], phones: ['+33612345678'] };
const ids = (findings: { ruleId: string }[]) => [...new Set(findings.map((f) => f.ruleId))];

describe('identifier hygiene rules', () => {
  it('names rules that exist in the rulebook', () => {
    const known = new Set(RULES.map((r) => r.id));
    for (const pair of Object.values(IDENTIFIER_RULES)) {
      expect(known.has(pair.server)).toBe(true);
      expect(known.has(pair.client)).toBe(true);
    }
  });

  it.each([
    ['an email', 'amelie.dupont@example.com'],
    ['a phone number', 'u-33612345678'],
    ['a name of the consumer', 'dupont_amelie_01'],
    ['a PAN', `c${PAN}`],
  ])('flags a consumerId that carries %s', (_what, value) => {
    expect(ids(checkIdentifier('consumerId', value, 'server', context))).toEqual(['OUT-ID-001']);
    expect(ids(checkIdentifier('consumerId', value, 'client', context))).toEqual(['IN-ID-002']);
  });

  it.each([
    ['the PAN', PAN],
    ['the SHA-256 of the PAN', createHash('sha256').update(PAN).digest('hex')],
    ['BIN + last 4', 'card-4111111111'],
  ])('flags a cardId that is %s', (_what, value) => {
    expect(ids(checkIdentifier('cardId', value, 'client', context))).toEqual(['IN-ID-001']);
  });

  it.each(['card_7f3a9c', 'crd_h2otddwm5uwujlye3qyxmjkpha', 'cons-0001', '0012345678'])('passes the opaque id %s', (value) => {
    expect(checkIdentifier('consumerId', value, 'server', context)).toEqual([]);
    expect(checkIdentifier('cardId', value, 'server', context)).toEqual([]);
    expect(checkIdentifier('correlationId', value, 'client', context)).toEqual([]);
  });

  it('does not hold a cardId to the consumerId rules: a name in a cardId is not a PAN finding', () => {
    expect(checkIdentifier('cardId', 'card-dupont', 'server', context)).toEqual([]);
    expect(ids(checkIdentifier('correlationId', 'req-dupont-1', 'server', context))).toEqual(['OUT-ID-004']);
  });

  it('never repeats the value in the finding', () => {
    for (const f of checkIdentifier('consumerId', `x${PAN}`, 'server', context)) expect(f.detail).not.toContain('1111');
  });
});
