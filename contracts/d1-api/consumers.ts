import type { z } from 'zod';
import { group, list, obj, pathParams, request, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule, type RuleRef } from '../../src/core/rulebook/rule.js';
import { ID48, ID64, REASON64 } from '../patterns.js';
import { consumerInfo, DOCUMENTED_CONSUMER_INFO_KEYS, noUndocumentedFields } from '../shared/consumer-info.js';
import { consumerId, issuerIdPath, v2Headers } from './common.js';

/**
 * Consumer API v2, issuer -> D1: Register (PUT), Update (operations:update), Delete
 * (operations:delete), Get card list. Seed 001 (paths, headers, reason, operationId), seed 000
 * (personalInformation), inbound.md §2-§3 and its IN-CON rules.
 */

const SRC = 'seed 001';
const PI = 'personalInformation';

/** inbound.md IN-CON-004 names one rule for every personal field, patterns as in seed 004's consumerInfo. */
const format = rule('IN-CON-004', `${SRC} Register consumer body; seed 004 consumerInfo patterns; inbound.md IN-CON-004`, {
  title: 'personalInformation fields match the consumerInfo types, lengths and patterns',
  confidence: 'I',
});
const present: RuleRef = rule(
  'IN-CON-009',
  `seed 004 consumerInfo required lists, applied to ${PI} (inbound.md §2: the same object); seed 000 "You must provide the mandatory fields in ${PI}"`,
  {
    title: `${PI} has its mandatory fields (firstName, lastName; countryCode and phoneNumber in mobilePhoneNumber; line1, zipCode, countryCode in residencyAddress)`,
    confidence: 'I',
  },
);

const unknownFields = rule('IN-CON-005', 'inbound.md §2 consumerInfo additionalProperties (value NF); IN-CON-005', {
  level: 'POLICY',
  confidence: 'NF',
  title: `Register and Update consumer bodies, ${PI} included, carry no undocumented field (policy: warn by default)`,
  policies: ['requestUnknownFields'],
  tolerance: [
    { policy: 'requestUnknownFields', values: ['allow'], becomes: 'IGNORED' },
    { policy: 'requestUnknownFields', values: ['warn'], becomes: 'WARNING' },
    { policy: 'requestUnknownFields', values: ['reject'], becomes: 'FAILED' },
  ],
});

export const personalInformation = consumerInfo({
  object: rule('IN-CON-010', `seed 000 ${PI}; inbound.md §2`, { title: `${PI}, if present, is a consumerInfo object` }),
  language: format,
  languageCountryCase: rule('IN-CON-011', 'seed 004 consumerInfo.language ("country must be uppercase ideally"), applied inbound', { level: 'SHOULD' }),
  firstName: format,
  middleName: format,
  lastName: format,
  title: format,
  dateOfBirth: format,
  email: format,
  mobilePhoneNumber: format,
  phoneCountryCode: format,
  phoneNumber: format,
  residencyAddress: format,
  line1: format,
  line2: format,
  city: format,
  state: format,
  zipCode: format,
  addressCountryCode: format,
  firstNamePresent: present,
  lastNamePresent: present,
  phoneCountryCodePresent: present,
  phoneNumberPresent: present,
  line1Present: present,
  zipCodePresent: present,
  addressCountryCodePresent: present,
  clickToPayPersonal: rule(
    'IN-CON-003',
    `${SRC} note ("mandatory for Click to Pay" fields such as mobilePhoneNumber or language); seed 004 tags; inbound.md IN-CON-003`,
    {
      profile: 'click-to-pay',
      title: `With the Click to Pay profile, ${PI} has language, firstName and lastName`,
    },
  ),
  clickToPayContact: rule('IN-CON-012', `${SRC} note (mobilePhoneNumber mandatory for Click to Pay); seed 004 email tag; outbound.md OUT-C2P-001 (S36)`, {
    profile: 'click-to-pay',
    title: `With the Click to Pay profile, ${PI} has mobilePhoneNumber and email`,
  }),
  clickToPayAddress: rule('IN-CON-013', 'seed 004 consumerInfo.residencyAddress ("mandatory for Click to Pay"), applied inbound', {
    profile: 'click-to-pay',
    title: `With the Click to Pay profile, ${PI} has residencyAddress`,
  }),
  objectAdvice: [noUndocumentedFields(unknownFields, DOCUMENTED_CONSUMER_INFO_KEYS, { firstName: 'John', lastName: 'Smith', nickname: 'Johnny' })],
});

/** What an issuer sends as personalInformation (the type comes from the contract, never written twice). */
export type PersonalInformation = z.infer<ReturnType<typeof personalInformation.build>>;

const consumerBody = rule('IN-CON-001', `${SRC} Register consumer / Update consumer body (JSON object); inbound.md IN-CON-001`, {
  title: 'Register and Update consumer send a JSON object body ({ personalInformation })',
  policies: ['d1RegisterSuccessStatus'],
  // Whether D1's gateway refuses another media type is NF: a body that parses but is not sent as application/json warns.
  tolerance: [{ deviation: 'non-json-content-type', becomes: 'WARNING' }],
});

const consumerPath = pathParams({ issuerId: issuerIdPath, consumerId });
const headers = group({ fields: v2Headers, required: { authorization: v2Headers.authorization.meta.rule } });

const consumerRequest = (id: string, endpoint: string, title: string, source: string) =>
  defineMessage({
    id,
    title,
    direction: 'issuer-as-client',
    endpoint,
    part: 'request',
    source,
    field: request(
      {
        path: consumerPath,
        headers,
        body: obj({
          rule: consumerBody,
          fields: { personalInformation },
          advice: [
            noUndocumentedFields(unknownFields, ['personalInformation'], {
              personalInformation: { firstName: 'John', lastName: 'Smith' },
              customerSegment: 'gold',
            }),
          ],
        }),
      },
      { body: consumerBody },
    ),
  });

export const registerConsumerRequest = consumerRequest(
  'd1.registerConsumer.request',
  'd1.registerConsumer',
  'Register consumer request (issuer -> D1)',
  `${SRC} Register consumer`,
);
export const updateConsumerRequest = consumerRequest(
  'd1.updateConsumer.request',
  'd1.updateConsumer',
  'Update consumer request (issuer -> D1)',
  `${SRC} Update consumer information`,
);

const reason = rule('IN-CON-007', `${SRC} Delete body.reason (^[a-zA-Z0-9 ]{1,64}$); inbound.md IN-CON-007`);
// Seed 001 marks neither the Delete body nor its reason as required: a call without a body is valid.
const deleteBody = rule('IN-CON-014', `${SRC} Delete body (optional; an object with an optional reason)`, {
  title: 'Delete consumer body, when sent, is a JSON object',
  // Whether D1's gateway refuses another media type is NF: a body that parses but is not sent as application/json warns.
  tolerance: [{ deviation: 'non-json-content-type', becomes: 'WARNING' }],
});

export const deleteConsumerRequest = defineMessage({
  id: 'd1.deleteConsumer.request',
  title: 'Delete consumer request (issuer -> D1)',
  direction: 'issuer-as-client',
  endpoint: 'd1.deleteConsumer',
  part: 'request',
  source: `${SRC} Delete`,
  field: request(
    { path: consumerPath, headers, body: obj({ rule: deleteBody, fields: { reason: text({ rule: reason, min: 1, max: 64, pattern: REASON64 }) } }) },
    {},
    ['body'],
  ),
});

const operation = rule('IN-CON-015', `${SRC} Update / Delete response 200 operationId (1..64, ^[A-Za-z0-9_-]{1,64}$)`, {
  level: 'POLICY',
  title: 'The simulator answers Update and Delete with 200 {operationId}',
  judges: 'simulator',
  outcome: { class: 'informational', reason: "the simulator checks its own Update / Delete answers; the issuer's client cannot break it" },
});

/** Update and Delete answer the same 200 body (seed 001; operationId itself is optional there). */
const operationAnswer = (endpoint: 'd1.updateConsumer' | 'd1.deleteConsumer', what: string) =>
  defineMessage({
    id: `${endpoint}.response.200`,
    title: `${what} consumer response 200 (the simulator)`,
    direction: 'issuer-as-client',
    endpoint,
    part: 'response',
    status: 200,
    source: `${SRC} ${what === 'Update' ? 'Update consumer information' : 'Delete'} responses.200`,
    field: obj({ rule: operation, fields: { operationId: text({ rule: operation, min: 1, max: 64, pattern: ID64 }) } }),
  });

export const updateOperationResponse = operationAnswer('d1.updateConsumer', 'Update');
export const deleteOperationResponse = operationAnswer('d1.deleteConsumer', 'Delete');

export const getCardListRequest = defineMessage({
  id: 'd1.getCardList.request',
  title: 'Get card list request (issuer -> D1)',
  direction: 'issuer-as-client',
  endpoint: 'd1.getCardList',
  part: 'request',
  source: `${SRC} Get Card List`,
  field: request({ path: consumerPath, headers }),
});

const cardList = rule('IN-CARD-007', `${SRC} Get Card List 200 (schema NF: inbound.md §8); IN-CARD-007`, {
  level: 'POLICY',
  confidence: 'NF',
  title: 'The simulator answers Get card list with 200 {cards: [{cardId, cardProductId, state}]} (shape NF, a policy)',
  policies: ['cardListShape'],
  judges: 'simulator',
  outcome: { class: 'informational', reason: "the simulator checks its own Get card list answer; the issuer's client cannot break it" },
});

export const getCardListResponse = defineMessage({
  id: 'd1.getCardList.response.200',
  title: 'Get card list response 200 (the simulator; shape is a policy)',
  direction: 'issuer-as-client',
  endpoint: 'd1.getCardList',
  part: 'response',
  status: 200,
  source: `${SRC} Get Card List responses.200`,
  field: obj({
    rule: cardList,
    fields: {
      cards: list({
        rule: cardList,
        item: obj({
          rule: cardList,
          fields: {
            cardId: text({ rule: cardList, min: 1, max: 48, pattern: ID48 }),
            cardProductId: text({ rule: cardList, min: 1, max: 48, pattern: ID48 }),
            state: text({ rule: cardList, examples: ['ACTIVE', 'INACTIVE', 'DELETED'] }),
          },
          required: { cardId: cardList },
        }),
      }),
    },
    required: { cards: cardList },
  }),
});
