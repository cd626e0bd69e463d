import { z } from 'zod';

/**
 * Where D1's documents are silent or disagree, the harness does not guess: each such decision is
 * a named policy with a documented default, settable in the run configuration and printed in
 * every report. `PolicySettings` is the zod schema (defaults included); `POLICY_DOCS` explains
 * each one. Rules name their policies (one direction only): `rulesDecidedBy` in contracts/index.ts
 * derives a policy's rules from RULES.
 */
export const PolicySettings = z.strictObject({
  invalidRequestStatus: z.enum(['400', 'any-4xx']).default('any-4xx'),
  invalidRequestHandling: z.enum(['tolerate', 'warn', 'reject']).default('warn'),
  unauthorizedStatus: z.enum(['401', '401-or-403']).default('401-or-403'),
  tokenMissingAuthStatus: z.enum(['400', '400-or-401']).default('400-or-401'),
  issuerTokenGrantType: z.string().min(1).default('client_credentials'),
  expiresInType: z.enum(['string', 'string-or-number']).default('string-or-number'),
  unknownResponseFields: z.enum(['ignore', 'warn', 'fail']).default('warn'),
  unknownAuthenticationIdStatus: z.enum(['404', 'any-4xx']).default('404'),
  notificationSuccessStatus: z.enum(['204', 'any-2xx']).default('204'),
  responseTimeoutMs: z.number().int().positive().max(120_000).default(5_000),
  authenticationPollAttempts: z.number().int().positive().max(100).default(10),
  authenticationPollIntervalMs: z.number().int().nonnegative().max(60_000).default(200),
  requestUnknownFields: z.enum(['allow', 'warn', 'reject']).default('warn'),
  deletedConsumerIdReuse: z.enum(['allow', 'reject']).default('reject'),
  assertionClockSkewSeconds: z.number().int().nonnegative().max(600).default(30),
  assertionAudience: z.string().min(1).nullable().default(null),
  tokenReuseMinRemainingSeconds: z.number().int().nonnegative().max(900).default(60),
  clientCertCommonName: z.enum(['issuer-and-environment', 'issuer', 'any']).default('issuer-and-environment'),
  selfSignedServerCertMaxDays: z.number().int().positive().max(36_500).nullable().default(null),
  registerCardJweField: z.string().min(1).default('encryptedData'),
  cardListShape: z.enum(['cards-array']).default('cards-array'),
  d1RegisterSuccessStatus: z.union([z.literal(200), z.literal(201), z.literal(204)]).default(204),
  retryAfterToleranceMs: z.number().int().nonnegative().max(10_000).default(100),
  retryMinBackoffMs: z.number().int().nonnegative().max(60_000).default(100),
  retryMaxAttempts: z.number().int().positive().max(100).default(5),
});
export type PolicySettings = z.infer<typeof PolicySettings>;
export type PolicyName = keyof PolicySettings;

export interface PolicyDoc {
  readonly title: string;
  /** Why a policy: what the spec says, and where. */
  readonly why: string;
}

export const POLICY_DOCS: { readonly [K in PolicyName]: PolicyDoc } = {
  invalidRequestStatus: {
    title: 'Status a refused just-invalid D1 request must get: exactly 400, or any 4xx',
    why: 'Seed 004 lists 400 only for Notify Consumer Operation and Deliver OTP; for ids out of pattern outbound.md infers "400 or 404" (OUT-CI-007/008, OUT-GEN-011/012). Whether a refusal is demanded at all is invalidRequestHandling (only reject demands it); never 5xx, whatever the policy.',
  },
  invalidRequestHandling: {
    title:
      'Whether an issuer must refuse an invalid D1 request: tolerate, warn (a 2xx to a request missing a required field is a warning) or reject (every just-invalid request must get a 4xx)',
    why: "d1-spec README, D1's API change policy: issuers must tolerate new optional parameters, new enum values and any order, and D1 advises against strict validation; no D1 source says an issuer must refuse a malformed request. Whatever the policy, an invalid request never gets a 5xx, a crash or an echo of sensitive input, and unknown ids still get 404. tolerate: any non-5xx answer passes. warn (default): a 2xx to a request missing a required field is a WARNING, any other answer passes. reject: a 2xx to any just-invalid request FAILS and the refusal status follows invalidRequestStatus.",
  },
  unauthorizedStatus: {
    title: 'Status a call without a valid bearer token must get: 401, or 401 with 403 as a warning',
    why: 'outbound.md OUT-GEN-003/004 expect 401 and tolerate 403 (inferred); seed 004 documents 401 "Authorization missing or invalid".',
  },
  tokenMissingAuthStatus: {
    title: 'Status of a token request without Authorization: 400, or 400/401',
    why: 'outbound.md E1 documents 400 only; RFC 6749 §5.2 allows 401 invalid_client (OUT-AUTH-007).',
  },
  issuerTokenGrantType: {
    title: 'grant_type D1 sends to the issuer token endpoint',
    why: 'The grant_type enum values are NF (outbound.md E1); the legacy spec says client credentials (RFC 6749 §4.4.2).',
  },
  expiresInType: {
    title: 'Accepted JSON type of expires_in in the issuer token response',
    why: 'The spec types expires_in as string (example 900); implementations often send a number (OUT-AUTH-004). string-or-number reports a number as a warning.',
  },
  unknownResponseFields: {
    title: 'Undocumented fields in issuer responses: ignore, warn or fail',
    why: 'No rule forbids them; D1 is a tolerant reader (API change policy). OUT-CI-020 is a policy.',
  },
  unknownAuthenticationIdStatus: {
    title: 'Status of Get Authentication Result for an unknown authenticationId: 404, or any 4xx',
    why: 'Seed 004 documents 404 "End user (consumer) was not found" for this API; an unknown authenticationId is inferred to be 404 (OUT-AUTHN-003).',
  },
  notificationSuccessStatus: {
    title: 'Success status of Notify Consumer Operation and Deliver OTP: 204 only, or any 2xx (others as warnings)',
    why: 'Seed 004 documents 204 for both; outbound.md OUT-NOTIF-002 tolerates 200/202 as a warning for notifications in general.',
  },
  responseTimeoutMs: {
    title: 'How long the harness waits for a target response',
    why: "D1's own timeout is NF; OOB authentication should answer within seconds (OUT-GEN-013, OUT-AUTHN-004).",
  },
  authenticationPollAttempts: {
    title: 'How many times Get Authentication Result is polled for a final status',
    why: 'D1 polls until a final status; its polling budget is NF (OUT-AUTHN-002).',
  },
  authenticationPollIntervalMs: {
    title: 'Interval between two Get Authentication Result polls',
    why: "D1's polling interval is NF (OUT-AUTHN-002).",
  },
  requestUnknownFields: {
    title: 'Undocumented fields in request bodies sent to D1 (Register / Update consumer and their personalInformation, Register card): allow, warn or reject',
    why: 'consumerInfo declares additionalProperties but its value is NF (inbound.md §2, IN-CON-005); the v2 Register card body is NF (inbound.md §8). D1 may ignore such fields or refuse them.',
  },
  deletedConsumerIdReuse: {
    title: 'May an issuer register again a consumerId it deleted?',
    why: 'Seed 001 (v2 Delete consumer) says a returning end user needs "a new end user registration with a new consumerId"; a fact table (N12) says reuse is allowed since May 2024. A seed beats a fact table: default reject (IN-ID-006).',
  },
  assertionClockSkewSeconds: {
    title: 'Clock skew tolerated on the JWT assertion exp (now + 15 min + skew)',
    why: 'D1 caps exp at now + 15 minutes; its tolerance for clock drift is NF (IN-AUTH-011).',
  },
  assertionAudience: {
    title: 'Expected aud of the JWT assertion (null: aud not checked)',
    why: 'aud is optional and its expected value is NF (the text is cut at "D1 "); third-party code sends https://api.d1.thalescloud.io (IN-AUTH-012).',
  },
  tokenReuseMinRemainingSeconds: {
    title: 'A new D1 token requested while one has more than this many seconds left is flagged (token reuse)',
    why: 'D1 says reuse the 15-minute token rather than fetching one per call; the threshold is inferred (IN-AUTH-015).',
  },
  selfSignedServerCertMaxDays: {
    title: 'The longest validity (days) of a self-signed issuer server certificate D1 accepts (null: not judged)',
    why: "The D1 sources publish no requirement for the issuer's server certificate (outbound.md §2 mTLS details D1 -> issuer: NF); a two-year limit for self-signed ones was reported in onboarding, not in the sources, so it is judged only when set, e.g. 730 (OUT-TLS-007).",
  },
  clientCertCommonName: {
    title:
      "What the CN of the issuer's TLS client certificate must carry: issuer-and-environment (the issuerId and PPR or PRD), issuer (the issuerId), any (not checked)",
    why: 'The CN "includes the issuerId and an env value (PPR PreProd, PRD Production)", its full pattern is NF and enforced by Thales (inbound.md §6 Client cert CN, N26; the eCom RSA example starts CN=TLSMA-RSA/...): the simulator checks what is known, as whole tokens of the CN (IN-TLS-003).',
  },
  registerCardJweField: {
    title: 'JSON name of the JWE field in Register card',
    why: 'The v2 body field names are NF; the v1 API and third-party code use encryptedData (IN-CARD-002).',
  },
  cardListShape: {
    title: 'Shape of the simulated Get card list response',
    why: 'The Get card list response schema is NF (inbound.md §8); the simulator answers {cards: [{cardId, cardProductId, state}]} (IN-CARD-007).',
  },
  d1RegisterSuccessStatus: {
    title: 'Status the simulator answers a successful Register consumer / Register card with',
    why: 'The v2 success status numbers are NF (inbound.md §2, §4a); v1 Register consumer answers 204.',
  },
  retryAfterToleranceMs: {
    title: 'How much earlier than a Retry-After delay a client may call again before IN-RES-002 flags it (clock and scheduling slack)',
    why: 'D1 documents no rate limits or 429 (inbound.md §6, NF); honouring Retry-After is RFC 9110 §10.2.3. Only graded with --faults.',
  },
  retryMinBackoffMs: {
    title: 'The shortest pause after a 5xx before the client calls D1 again',
    why: 'Retry guidance for 5xx is NF (inbound.md §6, §8); an immediate retry loop is what a backoff avoids. Only graded with --faults.',
  },
  retryMaxAttempts: {
    title: 'The most attempts (first call included) a client may make for one request after 5xx answers',
    why: 'Retry guidance for 5xx is NF (inbound.md §6, §8); an unbounded retry loop is a defect whatever D1 says. Only graded with --faults.',
  },
};

export const DEFAULT_POLICIES: PolicySettings = PolicySettings.parse({});
