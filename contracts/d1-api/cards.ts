import { obj, oneOf, pathParams, group, request, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { luhnValid } from '../../src/core/hygiene/luhn.js';
import { COMPACT_JWE, EXPIRY_MMYY, ID48, PAN_DIGITS } from '../patterns.js';
import { noUndocumentedFields } from '../shared/consumer-info.js';
import { cardIdPath, consumerId, issuerIdPath, v2Headers } from './common.js';

/**
 * Register card v2 (PUT /banking/v2/issuers/{issuerId}/cards/{cardId}): consumerId,
 * cardProductId and the PAN + expiry as a compact JWE (ECDH-ES, A256GCM, P-256). Seed 002,
 * inbound.md §4a and §4c. The JWE's protected header and plaintext are messages of their own.
 */

const SRC = 'seed 002; inbound.md §4a';
const JWE = 'inbound.md §4c';

const R = {
  body: rule(
    'IN-CARD-002',
    `${SRC} body: cardId, cardProductId, consumerId, PAN and expiry encrypted with JWE (JSON names NF; X2 uses encryptedData); IN-CARD-002`,
    {
      title: 'Register card sends consumerId, cardProductId and the encrypted PAN and expiry (field name per policy, default encryptedData)',
      policies: ['registerCardJweField', 'd1RegisterSuccessStatus'],
      // Whether D1's gateway refuses another media type is NF: a body that parses but is not sent as application/json warns.
      tolerance: [{ deviation: 'non-json-content-type', becomes: 'WARNING' }],
    },
  ),
  cardProductId: rule('IN-CARD-003', 'inbound.md §4b cardProductId (1..48, ^[A-Za-z0-9_-]{1,48}$), known to the tenant; IN-CARD-003', {
    title: 'cardProductId is 1..48 of [A-Za-z0-9_-] and is a product configured for the tenant',
  }),
  jwe: rule('IN-JWE-001', `${JWE} compact serialization (5 base64url parts); IN-JWE-001`, { title: 'encryptedData is a compact JWE (five base64url parts)' }),
  jweHeader: rule('IN-JWE-009', `${JWE} protected header`, { title: 'The JWE protected header is a JSON object' }),
  alg: rule('IN-JWE-002', `${JWE} alg ECDH-ES; IN-JWE-002`, { title: 'JWE alg is ECDH-ES' }),
  enc: rule('IN-JWE-003', `${JWE} enc A256GCM; IN-JWE-003`, { title: 'JWE enc is A256GCM' }),
  kid: rule('IN-JWE-004', `${JWE} kid (key identifier of the recipient public key); IN-JWE-004`, {
    title: "JWE kid is present and equals D1's recipient key id for this issuer",
  }),
  epk: rule('IN-JWE-005', `${JWE} curve P-256; IN-JWE-005`, { title: 'The JWE ephemeral key (epk) is an EC key on P-256' }),
  plaintext: rule('IN-JWE-006', `${JWE} plaintext JSON: pan (M, up to 19), exp (M, MMYY, length 4); IN-JWE-006`, {
    title: 'The JWE plaintext is JSON with pan (digits, up to 19) and exp (4 digits, MMYY)',
  }),
  plausible: rule('IN-JWE-007', 'inbound.md IN-JWE-007 (inferred)', {
    level: 'SHOULD',
    confidence: 'I',
    title: 'The plaintext pan is Luhn-valid with at least 12 digits, and exp has a month 01-12',
  }),
  unknownFields: rule('IN-CARD-008', 'inbound.md §8 (v2 Register card body NF): a policy', {
    level: 'POLICY',
    confidence: 'NF',
    title: 'The Register card body carries no undocumented field (policy: warn by default)',
    policies: ['requestUnknownFields'],
    tolerance: [
      { policy: 'requestUnknownFields', values: ['allow'], becomes: 'IGNORED' },
      { policy: 'requestUnknownFields', values: ['warn'], becomes: 'WARNING' },
      { policy: 'requestUnknownFields', values: ['reject'], becomes: 'FAILED' },
    ],
  }),
} as const;

export const registerCardRequest = defineMessage({
  id: 'd1.registerCard.request',
  title: 'Register card request (issuer -> D1)',
  direction: 'issuer-as-client',
  endpoint: 'd1.registerCard',
  part: 'request',
  source: SRC,
  field: request(
    {
      path: pathParams({ issuerId: issuerIdPath, cardId: cardIdPath }),
      headers: group({ fields: v2Headers, required: { authorization: v2Headers.authorization.meta.rule } }),
      body: obj({
        rule: R.body,
        fields: {
          consumerId,
          cardProductId: text({ rule: R.cardProductId, min: 1, max: 48, pattern: ID48 }),
          encryptedData: text({ rule: R.jwe, pattern: COMPACT_JWE, hint: 'jwe' }),
        },
        required: { consumerId: R.body, cardProductId: R.body, encryptedData: R.body },
        advice: [
          noUndocumentedFields(R.unknownFields, ['consumerId', 'cardProductId', 'encryptedData'], {
            consumerId: 'c-1',
            cardProductId: 'p-1',
            encryptedData: 'a.b.c.d.e',
            nickname: 'my card',
          }),
        ],
      }),
    },
    { body: R.body },
  ),
});

export const jweHeader = defineMessage({
  id: 'd1.registerCard.jwe.header',
  title: 'Card data JWE protected header',
  direction: 'issuer-as-client',
  endpoint: 'd1.registerCard',
  part: 'request',
  source: JWE,
  field: obj({
    rule: R.jweHeader,
    fields: {
      alg: oneOf({ rule: R.alg, values: ['ECDH-ES'] }),
      enc: oneOf({ rule: R.enc, values: ['A256GCM'] }),
      kid: text({ rule: R.kid, min: 1, hint: 'alnum' }),
      epk: obj({
        rule: R.epk,
        fields: {
          kty: oneOf({ rule: R.epk, values: ['EC'] }),
          crv: oneOf({ rule: R.epk, values: ['P-256'] }),
          x: text({ rule: R.epk, min: 43, max: 43, hint: 'alnum' }),
          y: text({ rule: R.epk, min: 43, max: 43, hint: 'alnum' }),
        },
        required: { kty: R.epk, crv: R.epk, x: R.epk, y: R.epk },
      }),
    },
    required: { alg: R.alg, enc: R.enc, kid: R.kid, epk: R.epk },
  }),
});

/** Test PANs (network test ranges), so generated plaintexts are Luhn-valid. */
const TEST_PANS = ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4000056655665556'];

export const jwePlaintext = defineMessage({
  id: 'd1.registerCard.jwe.plaintext',
  title: 'Card data JWE plaintext',
  direction: 'issuer-as-client',
  endpoint: 'd1.registerCard',
  part: 'request',
  source: JWE,
  field: obj({
    rule: R.plaintext,
    fields: {
      pan: text({
        rule: R.plaintext,
        min: 1,
        max: 19,
        pattern: PAN_DIGITS,
        examples: TEST_PANS,
        advice: [
          {
            rule: R.plausible,
            text: 'pan should be a Luhn-valid number of 12 to 19 digits',
            holds: (v) => typeof v !== 'string' || (v.length >= 12 && luhnValid(v)),
            counterexample: '4111111111111112',
          },
        ],
      }),
      exp: text({
        rule: R.plaintext,
        min: 4,
        max: 4,
        pattern: EXPIRY_MMYY,
        advice: [
          {
            rule: R.plausible,
            text: 'exp should be MMYY with a month 01-12',
            holds: (v) => typeof v !== 'string' || /^(0[1-9]|1[0-2])\d{2}$/.test(v),
            counterexample: '1399',
          },
        ],
      }),
    },
    required: { pan: R.plaintext, exp: R.plaintext },
  }),
});
