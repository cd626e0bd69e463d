import { describe, expect, it } from 'vitest';
import { getConsumerInfoResponse } from '../../contracts/issuer-api/consumer-info.js';
import { personalInformation } from '../../contracts/d1-api/consumers.js';
import { clickToPayEmailRequired } from '../../contracts/profiles.js';
import { ruleById } from '../../contracts/index.js';
import { RunConfig } from '../../src/core/config/run-config.js';
import { checkMessage } from '../../src/core/rulebook/check.js';

/**
 * Seed 004 tags email "mandatory for Click to Pay (Mastercard)": the Click to Pay profile asks the
 * phone number of everyone (OUT-CI-018) and email of Mastercard consumers only (OUT-CI-042), by the
 * consumer's configured scheme; no or an unknown scheme does not apply it, and says why.
 */

const C2P = { profiles: ['click-to-pay'] };
const INFO = {
  language: 'en-US',
  firstName: 'Amelia',
  lastName: 'Hartley',
  email: 'amelia.hartley@example.com',
  mobilePhoneNumber: { countryCode: '+44', phoneNumber: '7700900123' },
  residencyAddress: { line1: '1 Main Street', zipCode: 'NW1 6XE', countryCode: 'GB' },
};
const without = (key: string) => Object.fromEntries(Object.entries(INFO).filter(([k]) => k !== key));
const ruleIds = (value: unknown) => checkMessage(getConsumerInfoResponse, value, C2P).violations.map((v) => v.ruleId);

describe('Click to Pay email: Mastercard only (seed 004)', () => {
  it('consumerInfo without email is no profile breach by itself; without the phone number it is OUT-CI-018', () => {
    expect(ruleIds(INFO)).toEqual([]);
    expect(ruleIds(without('email'))).toEqual([]);
    expect(ruleIds(without('mobilePhoneNumber'))).toEqual(['OUT-CI-018']);
  });

  it('the inbound personalInformation (another direction, its own sources) is unchanged', () => {
    const meta = personalInformation.meta;
    const keys = meta.kind === 'object' ? meta.profileRequired.find((p) => p.rule.id === 'IN-CON-012')?.keys : undefined;
    expect(keys).toEqual(['mobilePhoneNumber', 'email']);
  });

  it('applies the email requirement by scheme, and says why when it does not', () => {
    expect(clickToPayEmailRequired('MASTERCARD').required).toBe(true);
    expect(clickToPayEmailRequired('mastercard').required).toBe(true);
    expect(clickToPayEmailRequired('VISA')).toEqual({ required: false, reason: expect.stringContaining('Mastercard only') as unknown });
    expect(clickToPayEmailRequired(undefined).reason).toContain('no card scheme configured');
    expect(clickToPayEmailRequired('MYSTERYPAY').reason).toContain('not one the run knows');
  });

  it('OUT-CI-042 is a Click to Pay rule citing seed 004; the scheme is an optional consumer setting', () => {
    expect(ruleById('OUT-CI-042')).toMatchObject({ level: 'MUST', profile: 'click-to-pay' });
    expect(ruleById('OUT-CI-042')?.source).toContain('seed 004');
    const base = { target: { baseUrl: 'http://127.0.0.1:1', issuerId: 'ISSUER0001' }, auth: { mode: 'none' } };
    expect(RunConfig.parse({ ...base, testData: { consumers: [{ consumerId: 'c1', scheme: 'VISA' }, { consumerId: 'c2' }] } }).testData.consumers[0]?.scheme).toBe('VISA');
  });
});
