import { obj, text, type Advice } from '../../src/core/rulebook/fields.js';
import type { RuleRef } from '../../src/core/rulebook/rule.js';
import { ADDRESS256, COUNTRY_ALPHA2, DATE_OF_BIRTH, EMAIL, LANGUAGE, NAME128, NAME40, PHONE_COUNTRY_CODE, PHONE_NUMBER, ZIP } from '../patterns.js';

/**
 * The end user's personal information. Seed 004 gives it exactly as `consumerInfo` (the Get
 * Consumer Information response); inbound.md §2 says Register consumer's `personalInformation`
 * is the same object. One definition serves both directions; each direction names its own rules.
 */
export interface ConsumerInfoRules {
  readonly object: RuleRef;
  readonly language: RuleRef;
  /** SHOULD: the country part upper case (`en-US`); the pattern accepts either case. */
  readonly languageCountryCase: RuleRef;
  readonly firstName: RuleRef;
  readonly middleName: RuleRef;
  readonly lastName: RuleRef;
  readonly title: RuleRef;
  readonly dateOfBirth: RuleRef;
  readonly email: RuleRef;
  readonly mobilePhoneNumber: RuleRef;
  readonly phoneCountryCode: RuleRef;
  readonly phoneNumber: RuleRef;
  readonly residencyAddress: RuleRef;
  readonly line1: RuleRef;
  readonly line2: RuleRef;
  readonly city: RuleRef;
  readonly state: RuleRef;
  readonly zipCode: RuleRef;
  readonly addressCountryCode: RuleRef;
  readonly firstNamePresent: RuleRef;
  readonly lastNamePresent: RuleRef;
  readonly phoneCountryCodePresent: RuleRef;
  readonly phoneNumberPresent: RuleRef;
  readonly line1Present: RuleRef;
  readonly zipCodePresent: RuleRef;
  readonly addressCountryCodePresent: RuleRef;
  /** Click to Pay: the personal fields the profile makes mandatory. */
  readonly clickToPayPersonal: RuleRef;
  /** Click to Pay: contact fields (phone, and email unless `emailBySchemeOnly`). */
  readonly clickToPayContact: RuleRef;
  /**
   * Seed 004 tags email "mandatory for Click to Pay (Mastercard)": when set, email is left out of
   * the profile's contact keys and checked per consumer against its card scheme (see contracts/profiles.ts).
   */
  readonly emailBySchemeOnly?: boolean;
  /** Click to Pay: residency address. */
  readonly clickToPayAddress: RuleRef;
  /** Extra advice on the whole object (unknown fields, recommended data). */
  readonly objectAdvice?: readonly Advice[];
}

const CLICK_TO_PAY = 'click-to-pay';

export const DOCUMENTED_CONSUMER_INFO_KEYS = [
  'language',
  'firstName',
  'middleName',
  'lastName',
  'dateOfBirth',
  'title',
  'email',
  'mobilePhoneNumber',
  'residencyAddress',
] as const;

export function consumerInfo(r: ConsumerInfoRules) {
  return obj({
    rule: r.object,
    description: 'consumerInfo object',
    fields: {
      language: text({
        rule: r.language,
        min: 5,
        max: 5,
        pattern: LANGUAGE,
        advice: [
          {
            rule: r.languageCountryCase,
            text: 'language country part should be upper case (e.g. en-US)',
            holds: (v) => typeof v !== 'string' || v.slice(3) === v.slice(3).toUpperCase(),
            counterexample: 'en-us',
          },
        ],
      }),
      firstName: text({ rule: r.firstName, min: 1, max: 128, pattern: NAME128 }),
      middleName: text({ rule: r.middleName, min: 1, max: 128, pattern: NAME128 }),
      lastName: text({ rule: r.lastName, min: 1, max: 128, pattern: NAME128 }),
      dateOfBirth: text({ rule: r.dateOfBirth, pattern: DATE_OF_BIRTH }),
      title: text({ rule: r.title, min: 1, max: 40, pattern: NAME40 }),
      email: text({ rule: r.email, pattern: EMAIL }),
      mobilePhoneNumber: obj({
        rule: r.mobilePhoneNumber,
        fields: {
          countryCode: text({ rule: r.phoneCountryCode, min: 1, max: 10, pattern: PHONE_COUNTRY_CODE }),
          phoneNumber: text({ rule: r.phoneNumber, min: 1, max: 14, pattern: PHONE_NUMBER }),
        },
        required: { countryCode: r.phoneCountryCodePresent, phoneNumber: r.phoneNumberPresent },
      }),
      residencyAddress: obj({
        rule: r.residencyAddress,
        fields: {
          line1: text({ rule: r.line1, min: 1, max: 256, pattern: ADDRESS256 }),
          line2: text({ rule: r.line2, min: 1, max: 256, pattern: ADDRESS256 }),
          city: text({ rule: r.city, min: 1, max: 128, pattern: NAME128 }),
          state: text({ rule: r.state, min: 1, max: 128, pattern: NAME128 }),
          zipCode: text({ rule: r.zipCode, min: 1, max: 10, pattern: ZIP }),
          countryCode: text({ rule: r.addressCountryCode, min: 2, max: 2, pattern: COUNTRY_ALPHA2 }),
        },
        required: { line1: r.line1Present, zipCode: r.zipCodePresent, countryCode: r.addressCountryCodePresent },
      }),
    },
    required: { firstName: r.firstNamePresent, lastName: r.lastNamePresent },
    profileRequired: [
      { profile: CLICK_TO_PAY, rule: r.clickToPayPersonal, keys: ['language', 'firstName', 'lastName'] },
      { profile: CLICK_TO_PAY, rule: r.clickToPayContact, keys: r.emailBySchemeOnly ? ['mobilePhoneNumber'] : ['mobilePhoneNumber', 'email'] },
      { profile: CLICK_TO_PAY, rule: r.clickToPayAddress, keys: ['residencyAddress'] },
    ],
    ...(r.objectAdvice ? { advice: r.objectAdvice } : {}),
  });
}

export type ConsumerInfoField = ReturnType<typeof consumerInfo>;

/** Advice factory: the object carries no field beyond the documented ones (tolerant-reader policy). */
export function noUndocumentedFields(rule: RuleRef, documented: readonly string[], counterexample: unknown): Advice {
  return {
    rule,
    text: `carries no field beyond the documented ones (${documented.join(', ')})`,
    holds: (v) => typeof v !== 'object' || v === null || Object.keys(v).every((k) => documented.includes(k)),
    counterexample,
  };
}

