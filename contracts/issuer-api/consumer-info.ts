import { group, request } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { consumerInfo, DOCUMENTED_CONSUMER_INFO_KEYS, noUndocumentedFields } from '../shared/consumer-info.js';
import { cardId, consumerPath, errorBody, issuerHeaders } from './common.js';

/** E2: Get Consumer Information. Seed 004 is the exact source; rule ids from outbound.md OUT-CI-*. */

const SRC = 'seed 004 Get Consumer Information';
const S = (field: string) => `${SRC}, consumerInfo.${field}`;

const unknownFields = rule('OUT-CI-020', 'outbound.md OUT-CI-020 (tolerant-reader policy)', {
  level: 'POLICY',
  title: 'The consumerInfo response has no undocumented top-level fields (warning only)',
  policies: ['unknownResponseFields'],
  tolerance: [
    { policy: 'unknownResponseFields', values: ['ignore'], becomes: 'IGNORED' },
    { policy: 'unknownResponseFields', values: ['warn'], becomes: 'WARNING' },
    { policy: 'unknownResponseFields', values: ['fail'], becomes: 'FAILED' },
  ],
});

export const consumerInfoResponseField = consumerInfo({
  object: rule('OUT-CI-023', `${SRC} 200 application/json consumerInfo`, { title: '200 body is a consumerInfo JSON object' }),
  language: rule('OUT-CI-009', `${S('language')} (minLength 5, maxLength 5, pattern); outbound.md OUT-CI-009`),
  languageCountryCase: rule('OUT-CI-010', `${S('language')} description ("the country must be uppercase ideally"); outbound.md OUT-CI-010`, {
    level: 'SHOULD',
  }),
  firstName: rule('OUT-CI-011', `${S('firstName')}; outbound.md OUT-CI-011`),
  middleName: rule('OUT-CI-012', `${S('middleName')}; outbound.md OUT-CI-012`),
  lastName: rule('OUT-CI-013', `${S('lastName')}; outbound.md OUT-CI-013`),
  title: rule('OUT-CI-014', `${S('title')}; outbound.md OUT-CI-014`),
  dateOfBirth: rule('OUT-CI-015', `${S('dateOfBirth')}; outbound.md OUT-CI-015`),
  email: rule('OUT-CI-016', `${S('email')} pattern; outbound.md OUT-CI-016`),
  mobilePhoneNumber: rule('OUT-CI-026', S('mobilePhoneNumber'), { title: 'mobilePhoneNumber, if present, is an object' }),
  phoneCountryCode: rule('OUT-CI-027', S('mobilePhoneNumber.countryCode')),
  phoneNumber: rule('OUT-CI-028', S('mobilePhoneNumber.phoneNumber')),
  residencyAddress: rule('OUT-CI-031', S('residencyAddress'), { title: 'residencyAddress, if present, is an object' }),
  line1: rule('OUT-CI-032', S('residencyAddress.line1')),
  line2: rule('OUT-CI-033', S('residencyAddress.line2')),
  city: rule('OUT-CI-034', S('residencyAddress.city')),
  state: rule('OUT-CI-035', S('residencyAddress.state')),
  zipCode: rule('OUT-CI-036', S('residencyAddress.zipCode')),
  addressCountryCode: rule('OUT-CI-037', S('residencyAddress.countryCode')),
  firstNamePresent: rule('OUT-CI-024', `${SRC}, consumerInfo required ["firstName","lastName"]`, { title: 'consumerInfo has firstName' }),
  lastNamePresent: rule('OUT-CI-025', `${SRC}, consumerInfo required ["firstName","lastName"]`, { title: 'consumerInfo has lastName' }),
  phoneCountryCodePresent: rule('OUT-CI-029', `${S('mobilePhoneNumber')} required ["countryCode","phoneNumber"]`, {
    title: 'mobilePhoneNumber has countryCode',
  }),
  phoneNumberPresent: rule('OUT-CI-030', `${S('mobilePhoneNumber')} required ["countryCode","phoneNumber"]`, {
    title: 'mobilePhoneNumber has phoneNumber',
  }),
  line1Present: rule('OUT-CI-038', `${S('residencyAddress')} required ["line1","zipCode","countryCode"]`, { title: 'residencyAddress has line1' }),
  zipCodePresent: rule('OUT-CI-039', `${S('residencyAddress')} required ["line1","zipCode","countryCode"]`, { title: 'residencyAddress has zipCode' }),
  addressCountryCodePresent: rule('OUT-CI-040', `${S('residencyAddress')} required ["line1","zipCode","countryCode"]`, {
    title: 'residencyAddress has countryCode',
  }),
  clickToPayPersonal: rule('OUT-CI-017', `${SRC}: language, firstName, lastName "mandatory for Click to Pay"; outbound.md OUT-CI-017`, {
    profile: 'click-to-pay',
    title: 'With the Click to Pay profile, consumerInfo has language, firstName and lastName',
  }),
  clickToPayContact: rule('OUT-CI-018', `${SRC}: mobilePhoneNumber "mandatory for Click to Pay"; outbound.md OUT-CI-018, OUT-C2P-001 (S36)`, {
    profile: 'click-to-pay',
    title: 'With the Click to Pay profile, consumerInfo has mobilePhoneNumber',
    note: 'Email is OUT-CI-042: seed 004 tags it mandatory for Click to Pay (Mastercard) only, and a seed beats the concepts page (S36) that asks it of every Click to Pay profile.',
  }),
  emailBySchemeOnly: true,
  clickToPayAddress: rule('OUT-CI-041', `${SRC}: residencyAddress "mandatory for Click to Pay"`, {
    profile: 'click-to-pay',
    title: 'With the Click to Pay profile, consumerInfo has residencyAddress',
  }),
  objectAdvice: [noUndocumentedFields(unknownFields, DOCUMENTED_CONSUMER_INFO_KEYS, { firstName: 'John', lastName: 'Smith', nickname: 'Johnny' })],
});

export const getConsumerInfoRequest = defineMessage({
  id: 'issuer.getConsumerInfo.request',
  title: 'Get Consumer Information request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getConsumerInfo',
  part: 'request',
  source: SRC,
  field: request({
    path: consumerPath,
    query: group({ fields: { cardId } }),
    headers: issuerHeaders,
  }),
});

export const getConsumerInfoResponse = defineMessage({
  id: 'issuer.getConsumerInfo.response.200',
  title: 'Get Consumer Information response 200',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getConsumerInfo',
  part: 'response',
  status: 200,
  source: `${SRC} responses.200`,
  field: consumerInfoResponseField,
});

export const getConsumerInfoNotFound = defineMessage({
  id: 'issuer.getConsumerInfo.response.404',
  title: 'Get Consumer Information 404 (end user not found)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getConsumerInfo',
  part: 'response',
  status: 404,
  source: `${SRC} responses.404 (error schema)`,
  field: errorBody,
});
