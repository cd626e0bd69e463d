import { compactVerify, decodeProtectedHeader, type CryptoKey } from 'jose';
import { assertionClaims, assertionHeader, d1TokenRequest, d1TokenResponse } from '../../../contracts/d1-api/oauth.js';
import type { Redactor } from '../../core/redact/redactor.js';
import { checkMessage } from '../../core/rulebook/check.js';
import { withUnknownField } from './compat.js';
import { gradeContract, requestField } from './contract.js';
import { assertionUnauthorized, fieldInvalid, type FieldErrorCode } from './errors.js';
import type { Grading } from './grade.js';
import { gradeCorrelationId, personalContext } from './hygiene.js';
import { decodeUtf8, mediaType, parseJson, type Reply } from './http.js';
import type { SimulatorConfig } from './options.js';
import type { SimulatorState } from './state.js';
import { TOKEN_SCOPE, TOKEN_TTL_SECONDS, type AccessTokens } from './token.js';
import { isRecord } from '../../core/util/json.js';

/**
 * POST /authz/v1/oauth2/token (inbound.md §1): an RFC 7523 JWT-bearer grant. The request and the
 * assertion's header and claims are graded by their contracts; then what no schema can say: the
 * kid is registered (IN-AUTH-006), the ES256 signature verifies (IN-AUTH-007), iss and sub are
 * the issuerId (IN-AUTH-008/009), exp is ahead but at most 15 minutes (+ skew) ahead
 * (IN-AUTH-010/011), aud per policy (IN-AUTH-012), and the client reuses tokens (IN-AUTH-015).
 */

export interface TokenEndpointDeps {
  readonly config: SimulatorConfig;
  readonly state: SimulatorState;
  readonly tokens: AccessTokens;
  readonly issuerKeys: ReadonlyMap<string, CryptoKey>;
  readonly redactor: Redactor;
}

export interface TokenRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

const FORMAT = 'FIELD_INVALID_FORMAT';
const VALUE = 'FIELD_INVALID_VALUE';

export async function tokenEndpoint(g: Grading, request: TokenRequest, deps: TokenEndpointDeps): Promise<Reply> {
  const { headers } = request;
  gradeCorrelationId(g, headers['x-correlation-id'], personalContext([], deps.state.pans()), deps.redactor);

  const body = readTokenBody(g, request);
  if (body === 'refused') return fieldInvalid(FORMAT, 'body');
  // Learnt before anything is recorded: the assertion is a credential.
  if (isRecord(body) && typeof body.assertion === 'string') deps.redactor.addSecret(body.assertion);

  const [requestError] = gradeContract(g, deps.config.overlay.get(d1TokenRequest.id) ?? d1TokenRequest, { headers, body }, { profiles: deps.config.profiles });
  if (requestError) return fieldInvalid(requestError.code, requestField(requestError.path));
  const assertion = (body as { assertion: string }).assertion;

  const issuerKey = checkHeader(g, assertion, deps);
  if (typeof issuerKey === 'string') return fieldInvalid(issuerKey, 'assertion');
  if (issuerKey === undefined) return assertionUnauthorized();

  let payload: Uint8Array;
  try {
    ({ payload } = await compactVerify(assertion, issuerKey, { algorithms: ['ES256'] }));
    g.pass('IN-AUTH-007', 'assertion signature verifies with the registered key');
  } catch {
    g.finding(
      'IN-AUTH-007',
      'assertion signature verifies with the registered key',
      "the signature does not verify with the issuer's registered key for that kid",
    );
    return assertionUnauthorized();
  }

  const claimsError = checkClaims(g, payload, deps.config);
  if (claimsError !== undefined) return fieldInvalid(claimsError, 'assertion');

  // IN-AUTH-015: check and record the new token in one synchronous step (issue() records before it awaits).
  const { issuerId, policies, now } = deps.config;
  const remainingMs = deps.state.longestRemainingMs(issuerId, now());
  const afterRefusal = deps.state.takeTokenExcuse();
  g.check(
    afterRefusal || remainingMs <= policies.tokenReuseMinRemainingSeconds * 1000,
    'IN-AUTH-015',
    'token reused until it nearly expires',
    () =>
      `a new token was requested while one issued earlier still had ${Math.floor(remainingMs / 1000)} s left (threshold ${policies.tokenReuseMinRemainingSeconds} s)`,
  );
  const accessToken = await deps.tokens.issue(issuerId);
  deps.redactor.addSecret(accessToken);
  const answer = withUnknownField(deps.config.faults.compat, {
    access_token: accessToken,
    expires_in: TOKEN_TTL_SECONDS,
    token_type: 'Bearer',
    scope: TOKEN_SCOPE,
  });
  g.check(
    checkMessage(d1TokenResponse, answer).ok,
    'IN-AUTH-017',
    'the simulator answers its token response contract',
    'the simulated token response breaks its contract',
  );
  // RFC 6749 §5.1: token responses must not be cached.
  return { status: 200, headers: { pragma: 'no-cache' }, body: answer };
}

/** The form or JSON body as a value for the contract, or 'refused' when it is neither (IN-AUTH-002). */
function readTokenBody(g: Grading, request: TokenRequest): unknown {
  const type = mediaType(request.headers['content-type']);
  const form = type === 'application/x-www-form-urlencoded';
  const json = type === 'application/json';
  if (!g.check(form || json, 'IN-AUTH-002', 'body Content-Type', 'Content-Type is neither application/x-www-form-urlencoded nor application/json'))
    return 'refused';
  const text = decodeUtf8(request.body);
  const parsed = text === undefined ? { ok: false as const } : form ? { ok: true as const, value: formRecord(text) } : parseJson(text);
  if (!g.check(parsed.ok, 'IN-AUTH-002', 'body is well-formed', `the body is not well-formed ${form ? 'UTF-8 form data' : 'UTF-8 JSON'}`)) return 'refused';
  return parsed.ok ? parsed.value : undefined;
}

/** First value of each form field; RFC 6749 §3.2 forbids repeats, the contract checks the values. */
function formRecord(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(text)) if (!(k in out)) out[k] = v;
  return out;
}

/** The registered key the header names; undefined for an unknown kid (401), an error code for a bad header (400). */
function checkHeader(g: Grading, assertion: string, deps: TokenEndpointDeps): CryptoKey | undefined | FieldErrorCode {
  let header: unknown;
  try {
    header = decodeProtectedHeader(assertion);
  } catch {
    g.finding('IN-AUTH-018', 'assertion.header', 'the assertion header is not a base64url JSON object');
    return FORMAT;
  }
  const [headerError] = gradeContract(g, assertionHeader, header, { profiles: [], label: 'assertion.header' });
  if (headerError) return headerError.code;
  const kid = (header as { kid: string }).kid;
  const key = deps.issuerKeys.get(kid);
  g.check(key !== undefined, 'IN-AUTH-006', 'assertion.header.kid names a registered key', 'kid names no key registered for this issuer');
  return key;
}

/** Claims by contract, then by value against the issuer, the clock and the policies; the refusal's code, if any. */
function checkClaims(g: Grading, payload: Uint8Array, config: SimulatorConfig): FieldErrorCode | undefined {
  const text = decodeUtf8(Buffer.from(payload));
  const parsed = text === undefined ? undefined : parseJson(text);
  if (parsed?.ok !== true) {
    g.finding('IN-AUTH-019', 'assertion.claims', 'the assertion payload is not UTF-8 JSON');
    return FORMAT;
  }
  const [contractError] = gradeContract(g, assertionClaims, parsed.value, { profiles: [], label: 'assertion.claims' });
  if (!isRecord(parsed.value)) return contractError?.code ?? FORMAT;
  let ok = true;
  const { iss, sub, exp, aud } = parsed.value;
  const { issuerId, policies } = config;
  if (typeof iss === 'string') ok = g.check(iss === issuerId, 'IN-AUTH-008', 'assertion.claims.iss is the issuerId', 'iss is not the onboarded issuerId') && ok;
  if (typeof sub === 'string') ok = g.check(sub === issuerId, 'IN-AUTH-009', 'assertion.claims.sub is the issuerId', 'sub is not the issuerId') && ok;
  if (typeof exp === 'number' && Number.isInteger(exp)) {
    const nowSeconds = Math.floor(config.now() / 1000);
    // The skew policy forgives a client clock slightly behind, both ways (policies.ts: assertionClockSkewSeconds).
    ok =
      g.check(
        exp > nowSeconds - policies.assertionClockSkewSeconds,
        'IN-AUTH-010',
        'assertion.claims.exp is in the future',
        () => `exp is ${nowSeconds - exp} s in the past (skew ${policies.assertionClockSkewSeconds} s)`,
      ) && ok;
    const limit = nowSeconds + 900 + policies.assertionClockSkewSeconds;
    ok =
      g.check(
        exp <= limit,
        'IN-AUTH-011',
        'assertion.claims.exp is at most 15 minutes ahead',
        () => `exp is ${exp - nowSeconds} s ahead; at most 900 s (+ ${policies.assertionClockSkewSeconds} s skew) is allowed`,
      ) && ok;
  }
  // aud is optional and its value NF: checked only when the policy names an audience.
  if (policies.assertionAudience !== null) {
    ok =
      g.check(
        aud === policies.assertionAudience,
        'IN-AUTH-012',
        'assertion.claims.aud is the configured audience',
        'aud is absent or not the configured audience',
      ) && ok;
  }
  return contractError?.code ?? (ok ? undefined : VALUE);
}
