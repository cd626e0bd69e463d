import { group, obj, pathParams, request, text, type Field, type TextHint } from '../../src/core/rulebook/fields.js';
import { rule, type RuleRef } from '../../src/core/rulebook/rule.js';
import { ID48, ID64 } from '../patterns.js';

/**
 * What every D1 -> issuer API shares: path parameters, the x-correlation-id header and the
 * `{"error": string}` error body (seed 004 components; outbound.md §2 and OUT-GEN-*).
 */

export const R = {
  issuerId: rule('OUT-GEN-011', 'seed 004 components.schemas.issuerId (minLength 10, maxLength 10); outbound.md OUT-GEN-011', {
    title: 'issuerId path segment is exactly 10 characters; any other length is refused with a 4xx, never 2xx/5xx',
    policies: ['invalidRequestStatus'],
  }),
  consumerId: rule('OUT-GEN-014', 'seed 004 components.schemas.consumerId; outbound.md E2 path consumerId', {
    title: 'consumerId path parameter is 1..64 of [A-Za-z0-9_-]; one outside it is refused with a 4xx, never 2xx/5xx',
    policies: ['invalidRequestStatus'],
  }),
  cardId: rule('OUT-GEN-015', 'seed 004 components.schemas.cardId; outbound.md E2 query cardId', {
    title: 'cardId is 1..48 of [A-Za-z0-9_-]; one outside it is refused with a 4xx, never 2xx/5xx',
    policies: ['invalidRequestStatus'],
  }),
  authenticationId: rule('OUT-GEN-016', 'seed 004 Get Authentication Result path {authenticationId} (no schema given)', {
    title: 'authenticationId path parameter is a non-empty string (no pattern in seed 004)',
    confidence: 'I',
  }),
  correlationId: rule('OUT-GEN-006', 'outbound.md E2 header x-correlation-id; OUT-GEN-006', {
    title: 'x-correlation-id, when sent, is 1..64 of [A-Za-z0-9_-] and is accepted at both boundaries',
  }),
  errorBody: rule('OUT-GEN-008', 'seed 004 components.schemas.error (type object, error: string, no required list); outbound.md OUT-GEN-008 (S21 error500)', {
    title:
      'Error bodies seed 004 documents as JSON follow its error schema: a JSON object, error (if present) a string; no error text is a warning (the schema requires nothing)',
    // Where seed 004 documents no JSON error body (the token endpoint, statuses it does not list) the shape is advice only.
    tolerance: [
      { deviation: 'undocumented-error-status', becomes: 'WARNING' },
      { deviation: 'no-error-text', becomes: 'WARNING' },
    ],
  }),
} as const;

export const issuerIdPath = text({ rule: R.issuerId, min: 10, max: 10, hint: 'alnum' });
export const consumerIdPath = text({ rule: R.consumerId, min: 1, max: 64, pattern: ID64 });
export const cardId = text({ rule: R.cardId, min: 1, max: 48, pattern: ID48 });
export const authenticationIdPath = text({ rule: R.authenticationId, min: 1, hint: 'uuid' });
export const correlationIdHeader = text({ rule: R.correlationId, min: 1, max: 64, pattern: ID64 });

// Seed 004's error schema lists no required property: a body without `error` breaks nothing here
// (the oracle advises an error text on every error response, as a warning).
export const errorBody = obj({
  rule: R.errorBody,
  fields: { error: text({ rule: R.errorBody }) },
});

export const consumerPath = pathParams({ issuerId: issuerIdPath, consumerId: consumerIdPath });
export const issuerHeaders = group({ fields: { 'x-correlation-id': correlationIdHeader } });

/** A D1 -> issuer call under `/consumers/{consumerId}` that carries a JSON body. */
export function consumerApiRequest<B extends Field>(body: B, bodyRule: RuleRef) {
  return request({ path: consumerPath, headers: issuerHeaders, body }, { body: bodyRule });
}

/** The 3DS purchase details object; Authenticate and Deliver OTP differ only in the currency code format. */
export function purchase(r: { object: RuleRef; merchantName: RuleRef; amount: RuleRef; currencyCode: RuleRef }, currency: TextHint) {
  return obj({
    rule: r.object,
    fields: {
      merchantName: text({ rule: r.merchantName, hint: 'words' }),
      amount: text({ rule: r.amount, hint: 'digits' }),
      currencyCode: text({ rule: r.currencyCode, hint: currency }),
    },
  });
}
