import { group, num, obj, oneOf, request, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { COMPACT_JWS, ID64 } from '../patterns.js';

/**
 * D1's OAuth token: an RFC 7523 JWT-bearer grant whose assertion is an ES256 compact JWS
 * (inbound.md §1). The assertion's header and claims are messages of their own, so the
 * simulator checks them with the same machinery as any body.
 */

const SRC = 'inbound.md §1';

const R = {
  body: rule('IN-AUTH-002', `${SRC}a request content types (form or JSON, schema auth2Request); IN-AUTH-002`, {
    title: 'The token request body is application/x-www-form-urlencoded or application/json',
  }),
  grantType: rule('IN-AUTH-003', `${SRC}a grant_type (required; urn:ietf:params:oauth:grant-type:jwt-bearer); IN-AUTH-003`, {
    title: 'grant_type is present and equals urn:ietf:params:oauth:grant-type:jwt-bearer',
  }),
  assertion: rule('IN-AUTH-004', `${SRC}a assertion (required, "the entire JWT value"); §1b compact JWS; IN-AUTH-004`, {
    title: 'assertion is present and is a compact JWS (three base64url parts)',
  }),
  tokenCorrelationId: rule('IN-AUTH-014', `${SRC}a header x-correlation-id (^[A-Za-z0-9_-]{1,64}$); IN-AUTH-014`),
  jwsHeader: rule('IN-AUTH-018', `${SRC}b JWS header (alg, kid)`, { title: 'The assertion header is a JSON object' }),
  alg: rule('IN-AUTH-005', `${SRC}b alg: only ES256; IN-AUTH-005`, { title: 'The assertion is signed with alg ES256 (RS256, HS*, none, ES384 are refused)' }),
  kid: rule('IN-AUTH-006', `${SRC}b kid (required); IN-AUTH-006`, { title: 'The assertion header has a kid naming a public key registered for this issuer' }),
  optionalClaims: rule('IN-AUTH-013', `${SRC}b typ, iat, jti: not documented (NF); IN-AUTH-013`, {
    level: 'POLICY',
    confidence: 'NF',
    title: 'typ, iat and jti are not required (NF); when sent they have the usual JWT types',
  }),
  claims: rule('IN-AUTH-019', `${SRC}b JWT claims`, { title: 'The assertion payload is a JSON object of claims' }),
  iss: rule('IN-AUTH-008', `${SRC}b iss (required string: the issuerId); IN-AUTH-008`, { title: 'iss is present and equals the onboarded issuerId' }),
  sub: rule('IN-AUTH-009', `${SRC}b sub (required string: the issuerId); IN-AUTH-009`, { title: 'sub is present and equals the issuerId' }),
  exp: rule('IN-AUTH-010', `${SRC}b exp (required integer, UTC epoch seconds); IN-AUTH-010`, {
    title: 'exp is present, integer epoch seconds, in the future',
    policies: ['assertionClockSkewSeconds'],
  }),
  aud: rule('IN-AUTH-012', `${SRC}b aud (optional; expected value NF); IN-AUTH-012`, {
    level: 'POLICY',
    confidence: 'NF',
    title: 'aud is optional; when an audience is configured it must match',
    policies: ['assertionAudience'],
    applies: ['assertionAudience'],
  }),
  response: rule('IN-AUTH-017', `${SRC}c 200 (access_token, expires_in number 900, token_type Bearer, scope); IN-AUTH-017`, {
    level: 'POLICY',
    title: 'The simulator answers access_token, expires_in 900 (a number), token_type Bearer and scope',
    judges: 'simulator',
    outcome: { class: 'informational', reason: "the simulator checks its own token answer; the issuer's client cannot break it" },
  }),
} as const;

export const d1TokenRequest = defineMessage({
  id: 'd1.token.request',
  title: 'D1 OAuth token request (issuer -> D1)',
  direction: 'issuer-as-client',
  endpoint: 'd1.token',
  part: 'request',
  source: `${SRC}a`,
  field: request(
    {
      headers: group({ fields: { 'x-correlation-id': text({ rule: R.tokenCorrelationId, min: 1, max: 64, pattern: ID64 }) } }),
      body: obj({
        rule: R.body,
        fields: {
          grant_type: oneOf({ rule: R.grantType, values: ['urn:ietf:params:oauth:grant-type:jwt-bearer'] }),
          assertion: text({ rule: R.assertion, pattern: COMPACT_JWS, hint: 'jws' }),
        },
        required: { grant_type: R.grantType, assertion: R.assertion },
      }),
    },
    { body: R.body },
  ),
});

export const assertionHeader = defineMessage({
  id: 'd1.token.assertion.header',
  title: 'JWT assertion protected header',
  direction: 'issuer-as-client',
  endpoint: 'd1.token',
  part: 'request',
  source: `${SRC}b`,
  field: obj({
    rule: R.jwsHeader,
    fields: {
      alg: oneOf({ rule: R.alg, values: ['ES256'] }),
      kid: text({ rule: R.kid, min: 1, hint: 'alnum' }),
      typ: text({ rule: R.optionalClaims, min: 1, examples: ['JWT'] }),
    },
    required: { alg: R.alg, kid: R.kid },
  }),
});

export const assertionClaims = defineMessage({
  id: 'd1.token.assertion.claims',
  title: 'JWT assertion claims',
  direction: 'issuer-as-client',
  endpoint: 'd1.token',
  part: 'request',
  source: `${SRC}b`,
  field: obj({
    rule: R.claims,
    fields: {
      iss: text({ rule: R.iss, min: 1, hint: 'alnum' }),
      sub: text({ rule: R.sub, min: 1, hint: 'alnum' }),
      exp: num({ rule: R.exp, int: true, min: 0, max: 4_102_444_800 }),
      aud: text({ rule: R.aud, min: 1, examples: ['https://api.d1.thalescloud.io'] }),
      iat: num({ rule: R.optionalClaims, int: true, min: 0, max: 4_102_444_800 }),
      jti: text({ rule: R.optionalClaims, min: 1, hint: 'uuid' }),
    },
    required: { iss: R.iss, sub: R.sub, exp: R.exp },
  }),
});

export const d1TokenResponse = defineMessage({
  id: 'd1.token.response.200',
  title: 'D1 OAuth token response 200 (the simulator)',
  direction: 'issuer-as-client',
  endpoint: 'd1.token',
  part: 'response',
  status: 200,
  source: `${SRC}c`,
  field: obj({
    rule: R.response,
    fields: {
      access_token: text({ rule: R.response, min: 1, hint: 'jws' }),
      expires_in: num({ rule: R.response, int: true, min: 1, max: 86_400 }),
      token_type: oneOf({ rule: R.response, values: ['Bearer'] }),
      scope: text({ rule: R.response, hint: 'words' }),
    },
  }),
});
