import { describe, expect, it } from 'vitest';
import { getConsumerInfoResponse } from '../../contracts/issuer-api/consumer-info.js';
import { checkMessage } from '../../src/core/rulebook/check.js';
import { checkBody } from '../../src/server-side/harness/body-check.js';

/**
 * A response body's contract check is remembered by its text (body-check.ts): an identical body
 * gets the identical result, and anything that changes the check (the text, the message, the
 * profiles) is part of what it is remembered by.
 */

const text = JSON.stringify({ language: 'en-GB', firstName: 'Ada', lastName: 'Lovelace' });
const value: unknown = JSON.parse(text);

describe('the remembered body check', () => {
  it('gives what checkMessage gives, and the same result again for the same text', () => {
    const first = checkBody(getConsumerInfoResponse, text, value, []);
    expect(first).toEqual(checkMessage(getConsumerInfoResponse, value));
    expect(checkBody(getConsumerInfoResponse, text, JSON.parse(text), [])).toBe(first);
  });

  it('checks again under other profiles: the Click to Pay profile makes mobilePhoneNumber mandatory', () => {
    const plain = checkBody(getConsumerInfoResponse, text, value, []);
    const c2p = checkBody(getConsumerInfoResponse, text, value, ['click-to-pay']);
    expect(plain.ok).toBe(true);
    expect(c2p.ok).toBe(false);
    expect(c2p).toEqual(checkMessage(getConsumerInfoResponse, value, { profiles: ['click-to-pay'] }));
  });

  it('checks another text again, even one that parses to an equal value elsewhere', () => {
    const spaced = JSON.stringify(value, null, 2);
    const other = JSON.stringify({ language: 'english', firstName: 'Ada', lastName: 'Lovelace' });
    expect(checkBody(getConsumerInfoResponse, spaced, value, [])).toEqual(checkBody(getConsumerInfoResponse, text, value, []));
    const broken = checkBody(getConsumerInfoResponse, other, JSON.parse(other), []);
    expect(broken.ok).toBe(false);
    expect(broken.violations.map((v) => v.ruleId)).toContain('OUT-CI-009');
  });
});
