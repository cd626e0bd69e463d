import { group, obj, oneOf, request, text, textOrNumber } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { BASIC_AUTH } from '../patterns.js';
import { errorBody } from './common.js';

/** E1: the issuer's OAuth token endpoint, called by D1 with Basic client credentials (outbound.md E1). */

const SRC = 'outbound.md E1 (S1 OpenAPI JSON)';

const R = {
  authorization: rule('OUT-AUTH-007', `${SRC} header authorization (required); OUT-AUTH-007`, {
    title: 'A token request without an Authorization header is refused (400 per spec; 401 tolerated by policy)',
    policies: ['tokenMissingAuthStatus'],
    tolerance: [{ policy: 'tokenMissingAuthStatus', values: ['400-or-401'], deviation: '401', becomes: 'IGNORED' }],
  }),
  authorizationFormat: rule('OUT-AUTH-016', `${SRC} header authorization: Basic base64(clientId:secret)`, {
    title: 'D1 sends Authorization as `Basic <base64 clientId:secret>`; anything else is refused',
    // RFC 6749 §5.2: a client authentication failure may be 401 invalid_client instead of 400.
    tolerance: [{ deviation: '401', becomes: 'IGNORED' }],
  }),
  body: rule('OUT-AUTH-012', `${SRC} request content application/x-www-form-urlencoded (auth2Request)`, {
    title: 'The token request body is a form (application/x-www-form-urlencoded), the only documented type',
    // RFC 6749 §5.2: a client authentication failure may be 401 invalid_client instead of 400.
    tolerance: [{ deviation: '401', becomes: 'IGNORED' }],
  }),
  grantTypePresent: rule('OUT-AUTH-009', `${SRC} body grant_type required; OUT-AUTH-009`, {
    title: 'A token request without grant_type is refused with 400',
  }),
  grantType: rule('OUT-AUTH-010', `${SRC} body grant_type enum (values NF; RFC 6749 §4.4.2 client_credentials per the legacy spec)`, {
    level: 'POLICY',
    confidence: 'I',
    title: 'grant_type is the configured value (default client_credentials); an unsupported grant_type is refused with 400',
    policies: ['issuerTokenGrantType'],
  }),
  scope: rule('OUT-AUTH-011', `${SRC} body scope (optional string)`, {
    title: 'An optional scope form parameter is accepted when sent',
    role: 'robustness',
    // RFC 6749 §5.2: a client authentication failure may be 401 invalid_client instead of 400.
    tolerance: [{ deviation: '401', becomes: 'IGNORED' }],
  }),
  response: rule('OUT-AUTH-001', `${SRC} 200 application/json object`, {
    title: 'Valid Basic credentials and grant_type give 200 with a JSON object',
    role: 'positive',
  }),
  accessToken: rule('OUT-AUTH-002', `${SRC} 200 access_token (required string)`, { title: '200 body has access_token, a non-empty string' }),
  tokenType: rule('OUT-AUTH-003', `${SRC} 200 token_type enum ["Bearer"] (required)`, { title: '200 body has token_type equal to Bearer' }),
  expiresIn: rule('OUT-AUTH-004', `${SRC} 200 expires_in (type string, example 900)`, {
    level: 'POLICY',
    title: 'expires_in, if present, is seconds to expiry; the spec types it string, a number is accepted with a warning',
    policies: ['expiresInType'],
    // The advice flags a number where the spec types a string: a warning unless the policy says string only.
    tolerance: [{ policy: 'expiresInType', values: ['string'], deviation: 'advice', becomes: 'FAILED' }],
  }),
  expiresAt: rule('OUT-AUTH-005', `${SRC} 200 expires_at (example 2023-06-06T05:05:59.711Z)`, {
    title: 'expires_at, if present, is an ISO 8601 timestamp',
  }),
  expiresAtFormat: rule('OUT-AUTH-017', `${SRC} 200 expires_at example 2023-06-06T05:05:59.711Z; OUT-AUTH-005`, {
    level: 'SHOULD',
    confidence: 'I',
    title: 'expires_at should parse as an ISO 8601 timestamp',
  }),
  scopeOut: rule('OUT-AUTH-006', `${SRC} 200 scope (string)`, { title: 'scope, if present in the 200 body, is a string' }),
} as const;

const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export const tokenRequest = defineMessage({
  id: 'issuer.token.request',
  title: 'Issuer OAuth token request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.token',
  part: 'request',
  source: SRC,
  field: request(
    {
      headers: group({
        fields: { authorization: text({ rule: R.authorizationFormat, pattern: BASIC_AUTH }) },
        required: { authorization: R.authorization },
      }),
      body: obj({
        rule: R.body,
        fields: {
          grant_type: oneOf({ rule: R.grantType, values: ['client_credentials'] }),
          scope: text({ rule: R.scope, hint: 'alnum' }),
        },
        required: { grant_type: R.grantTypePresent },
      }),
    },
    { body: R.body },
  ),
});

export const tokenResponse = defineMessage({
  id: 'issuer.token.response.200',
  title: 'Issuer OAuth token response 200',
  direction: 'issuer-as-server',
  endpoint: 'issuer.token',
  part: 'response',
  status: 200,
  source: SRC,
  field: obj({
    rule: R.response,
    fields: {
      access_token: text({ rule: R.accessToken, min: 1, hint: 'jws' }),
      token_type: oneOf({ rule: R.tokenType, values: ['Bearer'] }),
      expires_in: textOrNumber({
        rule: R.expiresIn,
        advice: [
          {
            rule: R.expiresIn,
            text: 'expires_in is a number; the spec types it string (e.g. "900")',
            holds: (v) => typeof v !== 'number',
            counterexample: 900,
          },
        ],
      }),
      expires_at: text({
        rule: R.expiresAt,
        hint: 'iso-datetime',
        advice: [
          {
            rule: R.expiresAtFormat,
            text: 'expires_at should be an ISO 8601 timestamp such as 2023-06-06T05:05:59.711Z',
            holds: (v) => typeof v !== 'string' || (ISO_8601.test(v) && !Number.isNaN(Date.parse(v))),
            counterexample: 'tomorrow',
          },
        ],
      }),
      scope: text({ rule: R.scopeOut, hint: 'alnum' }),
    },
    required: { access_token: R.accessToken, token_type: R.tokenType },
  }),
});

export const tokenError = defineMessage({
  id: 'issuer.token.response.400',
  title: 'Issuer OAuth token refusal 400',
  direction: 'issuer-as-server',
  endpoint: 'issuer.token',
  part: 'response',
  status: 400,
  source: `${SRC} 400 Bad request (no body schema seen); outbound.md OUT-GEN-008`,
  field: errorBody,
});
