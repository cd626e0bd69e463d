import type { z } from 'zod';
import type { getConsumerInfoResponse } from '../issuer-api/index.js';

/** The consumerInfo object exactly as the contract types it (seed 004 consumerInfo). */
export type ConsumerInfo = z.infer<typeof getConsumerInfoResponse.schema>;

/** An example consumer of the issuer: what the reference issuer serves and the pact's examples show. */
export interface TestConsumer {
  consumerId: string;
  info: ConsumerInfo;
  cardIds: string[];
  /** INVALID: Get Consumer Information answers 403 "Forbidden (Invalid state)" (seed 004). */
  state?: 'ACTIVE' | 'INVALID';
  /** The card scheme of the consumer's cards (Click to Pay requires email for Mastercard only, seed 004). */
  scheme?: string;
}

/** Seed 004's own words for the 404 of an unknown consumer (Get Consumer Information). */
export const CONSUMER_NOT_FOUND = 'End user (consumer) was not found';

/** Shared example data must not drift under a suite's feet: any mutation throws (ESM is strict). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/**
 * Example consumers of an issuer (the reference issuer serves them, the pacts show them): one per situation a suite needs (every field, the bare
 * minimum, both consumerId length boundaries, non-Latin scripts, an invalid state). Ids are
 * opaque on purpose (seed 000: a consumerId carries no personal data; seed 002: a cardId is not
 * the PAN nor derived from it). Names, emails and phone numbers are fictitious (example.com
 * domains, Ofcom drama range 07700 900xxx).
 */

const full: TestConsumer = {
  consumerId: 'cons-7f3a9c01',
  scheme: 'MASTERCARD',
  info: {
    language: 'en-US',
    title: 'Dr.',
    firstName: 'Amelia',
    middleName: 'Rose',
    lastName: 'Hartley',
    dateOfBirth: '1987-04-12',
    email: 'amelia.hartley@example.com',
    mobilePhoneNumber: { countryCode: '+44', phoneNumber: '7700900123' },
    residencyAddress: {
      line1: '221B Baker Street',
      line2: 'Flat 2',
      city: 'London',
      state: 'Greater London',
      zipCode: 'NW1 6XE',
      countryCode: 'GB',
    },
  },
  cardIds: ['crd_h2otddwm5uwujlye3qyxmjkpha', 'crd_k7pzq3vxtnbrwe6yh4mjdsla'],
};

/** Only what seed 004 requires (firstName, lastName): it lacks the Click to Pay fields on purpose. */
const minimal: TestConsumer = {
  consumerId: 'cons-2b6e1d44',
  scheme: 'VISA',
  info: { firstName: 'Noah', lastName: 'Fischer' },
  cardIds: ['crd_m3xwbqnvtz5kfy7phrdgcje'],
};

/** consumerId at its maximum length, 64 characters (OUT-CI-006 upper boundary). */
const longestId: TestConsumer = {
  consumerId: 'cons-b64e0c7a-f24d-4e8b-9c6a-0f9d1e2b4c7a_ref-issuer-bound-xq7wz',
  scheme: 'MASTERCARD',
  info: {
    language: 'en-GB',
    firstName: 'Oliver',
    lastName: 'Grant',
    email: 'oliver.grant@example.com',
    mobilePhoneNumber: { countryCode: '+44', phoneNumber: '7700900456' },
    residencyAddress: { line1: '10 Market Street', city: 'Leeds', zipCode: 'LS1 6DT', countryCode: 'GB' },
  },
  cardIds: ['crd_b9fqxkwzt4nvemyhrpdla'],
};

/** Arabic first name, Cyrillic middle name, CJK last name: the name pattern's \p{L} and Arabic block. */
const nonLatin: TestConsumer = {
  consumerId: 'cons-5e9a0b3d',
  scheme: 'VISA',
  info: {
    language: 'ar-MA',
    firstName: 'ليلى',
    middleName: 'Анна',
    lastName: '王',
    email: 'l.wang@example.org',
    mobilePhoneNumber: { countryCode: '+212', phoneNumber: '600000123' },
    residencyAddress: {
      line1: '12 شارع الحسن الثاني',
      city: 'الرباط',
      zipCode: '10000',
      countryCode: 'MA',
    },
  },
  cardIds: ['crd_t6wnkbzqxvpfy5rhmjdcse'],
};

/** consumerId at its minimum length, 1 character (OUT-CI-006 lower boundary). */
const shortestId: TestConsumer = {
  consumerId: 'q',
  scheme: 'MASTERCARD',
  info: {
    language: 'fr-FR',
    firstName: 'Sofia',
    lastName: 'Moreau',
    email: 'sofia.moreau@example.fr',
    mobilePhoneNumber: { countryCode: '+33', phoneNumber: '612345678' },
    residencyAddress: { line1: '8 rue des Lilas', city: 'Lyon', zipCode: '69003', countryCode: 'FR' },
  },
  cardIds: ['crd_y4hkvbqzxtnwfe6mrpdja'],
};

/** A consumer in an invalid state: Get Consumer Information answers 403 (OUT-CI-004). */
const invalidState: TestConsumer = {
  consumerId: 'cons-d41c08e9',
  scheme: 'MASTERCARD',
  info: {
    language: 'de-DE',
    firstName: 'Lucas',
    lastName: 'Brandt',
    email: 'lucas.brandt@example.de',
    mobilePhoneNumber: { countryCode: '+49', phoneNumber: '15550001234' },
    residencyAddress: { line1: 'Hauptstrasse 5', city: 'Berlin', zipCode: '10115', countryCode: 'DE' },
  },
  cardIds: ['crd_w2ncfbxqkvtzhyejmpsra'],
  state: 'INVALID',
};

// Frozen: every suite and every variant compares against the same baseline; a mutation throws.
export const DEFAULT_CONSUMERS: readonly TestConsumer[] = deepFreeze([full, minimal, longestId, nonLatin, shortestId, invalidState]);
