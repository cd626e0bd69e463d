import { obj, oneOf, text } from '../../src/core/rulebook/fields.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { BEARER, ID15, ID48, ID64 } from '../patterns.js';

/** What every issuer -> D1 API shares (seed 001 parameters; inbound.md §6 and IN-PATH/IN-HDR rules). */

export const R = {
  issuerId: rule('IN-PATH-001', 'seed 001 path issuerId (min 10, max 10); inbound.md IN-PATH-001', {
    title: 'issuerId path segment is exactly 10 characters and is the issuer the bearer token was issued to',
  }),
  consumerId: rule('IN-PATH-002', 'seed 001 path consumerId (1..64, ^[A-Za-z0-9_-]{1,64}$); inbound.md IN-PATH-002'),
  cardId: rule('IN-PATH-003', 'inbound.md §4a cardId (1..48, ^[A-Za-z0-9_-]{1,48}$); IN-PATH-003'),
  correlationId: rule('IN-HDR-001', 'seed 001 header x-correlation-id (^[A-Za-z0-9_-]{1,64}$); inbound.md IN-HDR-001'),
  userId: rule('IN-HDR-005', 'seed 001 header x-user-id (^[A-Za-z0-9_-]{1,15}$); inbound.md IN-HDR-005'),
  authorization: rule('IN-AUTH-016', 'seed 001 Authorization (required; JWT from Get Authorization Token); inbound.md IN-AUTH-016', {
    title: 'Every call but the token call has Authorization: Bearer <token>, a token the simulator issued, unexpired, for the path issuerId',
  }),
  error: rule('IN-ERR-001', 'inbound.md §2 error table (errorCode, error); IN-ERR-001', {
    level: 'POLICY',
    confidence: 'I',
    title: "D1's refusals are {errorCode, error}: FIELD_INVALID_FORMAT / FIELD_INVALID_VALUE (400), AUTHORIZER_UNAUTHORIZED (401)",
  }),
} as const;

export const issuerIdPath = text({ rule: R.issuerId, min: 10, max: 10, hint: 'alnum' });
export const consumerId = text({ rule: R.consumerId, min: 1, max: 64, pattern: ID64 });
export const cardIdPath = text({ rule: R.cardId, min: 1, max: 48, pattern: ID48 });
export const correlationIdHeader = text({ rule: R.correlationId, min: 1, max: 64, pattern: ID64 });
export const userIdHeader = text({ rule: R.userId, min: 1, max: 15, pattern: ID15 });
export const authorizationHeader = text({ rule: R.authorization, pattern: BEARER });

/** The headers of every authenticated v2 call. */
export const v2Headers = {
  authorization: authorizationHeader,
  'x-correlation-id': correlationIdHeader,
  'x-user-id': userIdHeader,
} as const;

export const d1ErrorBody = obj({
  rule: R.error,
  fields: {
    errorCode: oneOf({ rule: R.error, values: ['FIELD_INVALID_FORMAT', 'FIELD_INVALID_VALUE', 'AUTHORIZER_UNAUTHORIZED'] }),
    error: text({ rule: R.error }),
  },
  required: { error: R.error },
});
