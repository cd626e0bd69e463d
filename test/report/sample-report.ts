import { PolicySettings } from '../../contracts/policies.js';
import { clientReport } from '../../src/client-side/client-check/client-report.js';
import { RULES } from '../../contracts/index.js';
import type { Waiver } from '../../src/core/results/waivers.js';
import { buildReport } from '../../src/core/results/build-report.js';
import { Report, type CaseResult } from '../../src/core/results/model.js';

/**
 * A realistic report without running the CLI: the real rulebook and `buildReport`, over
 * hand-written case results covering every status. Passed cases for every rule of the 3DS profile,
 * then: OUT-CI-009 FAILED with evidence and a repro; OUT-GEN-008 FAILED on one endpoint only, by a
 * shrunk property counterexample (seed and path) whose message carries hostile markup;
 * OUT-CI-010 WARNING; OUT-NCO-001 WAIVED by a waiver; OUT-ID-003 SKIPPED with its reason;
 * OUT-AUTHN-021 never exercised (an untested MUST); the Click to Pay rules NOT_APPLICABLE; a stale
 * and an expired waiver; timings with a response above the last histogram bound.
 */

/** A message a hostile target could make the harness repeat: markup, quotes, an ampersand, a BEL. */
export const HOSTILE_MESSAGE = 'error body is not {"error": string}: got <script>alert("pwned")</script> & \u0007bell';

export const BASE_URL = 'https://issuer.example.test:8443';

const FAILED_EVIDENCE = (consumerId: string, body: string): CaseResult['evidence'] => ({
  request: {
    method: 'GET',
    url: `${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/${consumerId}`,
    headers: { accept: 'application/json', authorization: 'Bearer <redacted>', 'x-correlation-id': 'corr-0001' },
  },
  response: {
    status: 200,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    body,
    durationMs: 12.4,
  },
});

const REPRO = (consumerId: string) =>
  `curl -sS -i -X GET '${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/${consumerId}' -H 'accept: application/json' -H "authorization: Bearer $D1_ACCESS_TOKEN"`;

/** Deterministic pseudo-random response times (a small LCG), with a tail. */
function samples(n: number, seed: number, scale: number): number[] {
  let x = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const u = x / 2147483648;
    out.push(Math.round(scale * (0.5 + u * u * 4) * 10) / 10);
  }
  return out;
}

const SPECIAL = new Set(['OUT-CI-009', 'OUT-GEN-008', 'OUT-CI-010', 'OUT-NCO-001', 'OUT-ID-003', 'OUT-AUTHN-021', 'OUT-GEN-001', 'OUT-GEN-002']);

function caseResults(): CaseResult[] {
  const results: CaseResult[] = [];
  for (const rule of RULES) {
    if (rule.direction !== 'issuer-as-server' || rule.profile !== undefined || SPECIAL.has(rule.id)) continue;
    rule.endpoints.forEach((endpoint, i) => {
      results.push({ ruleId: rule.id, endpoint, case: 'every response', status: 'PASSED', count: 3 + i, durationMs: 4 + i });
    });
  }
  results.push(
    { ruleId: 'OUT-CI-009', endpoint: 'issuer.getConsumerInfo', case: 'known consumer (5-char id)', status: 'PASSED', count: 1, durationMs: 8.1 },
    {
      ruleId: 'OUT-CI-009',
      endpoint: 'issuer.getConsumerInfo',
      case: 'known consumer (13-char id)',
      status: 'FAILED',
      message: 'language: [OUT-CI-009] must be a string, 5..5 chars, matches LANGUAGE /^[a-z]{2}-[a-zA-Z]{2}$/',
      expected: 'must be a string, 5..5 chars, matches LANGUAGE /^[a-z]{2}-[a-zA-Z]{2}$/',
      actual: '"english"',
      evidence: FAILED_EVIDENCE('cons-7f3a9c01', '{"language":"english","firstName":"<pii>","lastName":"<pii>"}'),
      repro: REPRO('cons-7f3a9c01'),
      count: 1,
      durationMs: 12.4,
    },
    {
      ruleId: 'OUT-CI-009',
      endpoint: 'issuer.getConsumerInfo',
      case: 'known consumer with cardId query',
      status: 'FAILED',
      message: 'language: [OUT-CI-009] must be a string, 5..5 chars, matches LANGUAGE /^[a-z]{2}-[a-zA-Z]{2}$/',
      expected: 'must be a string, 5..5 chars, matches LANGUAGE /^[a-z]{2}-[a-zA-Z]{2}$/',
      actual: '"english"',
      evidence: FAILED_EVIDENCE('cons-2b6e1d44', '{"firstName":"<pii>","lastName":"<pii>","language":"english"}'),
      repro: REPRO('cons-2b6e1d44'),
      count: 1,
      durationMs: 9.7,
    },
    ...['issuer.token', 'issuer.getConsumerInfo', 'issuer.authenticate', 'issuer.getAuthenticationResult', 'issuer.notifyConsumerOperation'].map(
      (endpoint): CaseResult => ({ ruleId: 'OUT-GEN-008', endpoint, case: 'every error response', status: 'PASSED', count: 4, durationMs: 3 }),
    ),
    {
      ruleId: 'OUT-GEN-008',
      endpoint: 'issuer.deliverOtp',
      case: 'just-invalid body: body.otp.value too-long',
      status: 'FAILED',
      message: HOSTILE_MESSAGE,
      expected: '{"error": string} with Content-Type application/json',
      actual: 'text/html body',
      evidence: {
        request: {
          method: 'POST',
          url: `${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01/otp`,
          headers: { 'content-type': 'application/json', authorization: 'Bearer <redacted>' },
          body: '{"otp":{"value":"<otp>","expirationDate":"2026-11-23T12:00:00Z","reason":"TOKENIZATION"},"panSuffix":"1234"}',
        },
        response: { status: 400, headers: { 'content-type': 'text/html' }, body: '<html><body>Bad & "wrong" request</body></html>', durationMs: 6.2 },
      },
      repro: `curl -sS -i -X POST '${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01/otp' -H 'content-type: application/json' -H "authorization: Bearer $D1_ACCESS_TOKEN" --data-binary @body.json`,
      seed: 1234567,
      counterexamplePath: '3:1:0',
      count: 1,
      durationMs: 6.2,
    },
    {
      ruleId: 'OUT-CI-010',
      endpoint: 'issuer.getConsumerInfo',
      case: 'known consumer (13-char id)',
      status: 'WARNING',
      message: 'language: country part should be upper case (e.g. en-US)',
      expected: 'en-US',
      actual: 'en-us',
      repro: REPRO('cons-7f3a9c01'),
      count: 2,
    },
    {
      ruleId: 'OUT-NCO-001',
      endpoint: 'issuer.notifyConsumerOperation',
      case: 'valid notification',
      status: 'FAILED',
      message: 'expected 204, got 200',
      expected: '204',
      actual: '200',
      evidence: {
        request: {
          method: 'POST',
          url: `${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01/notifications`,
          headers: { 'content-type': 'application/json', authorization: 'Bearer <redacted>' },
          body: '{"operationId":"op-1","operation":"ENROLMENT","status":"SUCCESS"}',
        },
        response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{}', durationMs: 3.3 },
      },
      repro: `curl -sS -i -X POST '${BASE_URL}/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01/notifications' -H "authorization: Bearer $D1_ACCESS_TOKEN"`,
      count: 1,
      durationMs: 3.3,
    },
    ...['issuer.getConsumerInfo', 'issuer.authenticate'].map((endpoint): CaseResult => ({
      ruleId: 'OUT-ID-003',
      endpoint,
      case: 'configured cardId',
      status: 'SKIPPED',
      message: 'no test PAN configured for this consumer (testData.consumers[].pans)',
      count: 1,
    })),
    ...RULES.filter((r) => r.id === 'OUT-GEN-001' || r.id === 'OUT-GEN-002').flatMap((r) =>
      r.endpoints.map((endpoint): CaseResult => ({
        ruleId: r.id,
        endpoint,
        case: 'mTLS handshake',
        status: 'SKIPPED',
        message: 'mTLS is not configured for this run',
        count: 1,
      })),
    ),
  );
  return results;
}

const WAIVERS: Waiver[] = [
  { ruleId: 'OUT-NCO-001', reason: 'Fix scheduled in release 4.2 (PAY-1234): the gateway answers 200', owner: 'payments-team', expires: '2099-12-31' },
  { ruleId: 'OUT-OTP-003', reason: 'Unknown consumers used to get 400', owner: 'otp-team', expires: '2099-12-31' },
  { ruleId: 'OUT-AUTH-015', reason: 'Old token gateway', owner: 'iam-team', expires: '2020-01-31' },
];

export function sampleReport(): Report {
  const timings = new Map<string, number[]>([
    ['issuer.token', samples(20, 1, 3)],
    ['issuer.getConsumerInfo', samples(58, 2, 2)],
    ['issuer.authenticate', samples(81, 3, 4)],
    ['issuer.getAuthenticationResult', samples(40, 4, 2)],
    ['issuer.notifyConsumerOperation', samples(30, 5, 1)],
    ['issuer.deliverOtp', [...samples(44, 6, 30), 740, 2600, 6100]],
  ]);
  const report = buildReport({
    target: { baseUrl: BASE_URL, issuerId: 'ISSUER0001', reference: false },
    startedAt: new Date('2026-11-23T12:34:25.481Z'),
    finishedAt: new Date('2026-11-23T12:34:28.664Z'),
    seed: 130931233,
    profiles: ['3ds'],
    policies: {
      invalidRequestStatus: 'any-4xx',
      unauthorizedStatus: '401-or-403',
      responseTimeoutMs: 5000,
      assertionAudience: null,
      unknownResponseFields: 'warn',
    },
    configuration: { target: { baseUrl: BASE_URL, issuerId: 'ISSUER0001' }, auth: { mode: 'oauth', clientId: 'd1-client', clientSecret: '<removed>' } },
    results: caseResults(),
    timings: { samples: timings },
    errors: [],
    waivers: WAIVERS,
    failOn: 'must',
  });
  return Report.parse(report);
}

/** An issuer-as-client report as client-check builds it: a few graded calls, one failure, the rest NOT TESTED. */
export function clientSampleReport(): Report {
  return clientReport({
    baseUrl: 'http://127.0.0.1:41234',
    issuerId: 'ISSUER0001',
    reference: false,
    command: 'mvn (+2 arguments)',
    startedAt: new Date('2026-11-23T12:00:00.000Z'),
    finishedAt: new Date('2026-11-23T12:00:04.500Z'),
    profiles: [],
    policies: PolicySettings.parse({}),
    faults: false,
    configuration: { issuerId: 'ISSUER0001' },
    results: [
      { ruleId: 'IN-AUTH-005', endpoint: 'd1.token', case: 'assertion.header.alg', status: 'PASSED', count: 3 },
      {
        ruleId: 'IN-JWE-003',
        endpoint: 'd1.registerCard',
        case: 'encryptedData.header.enc',
        status: 'FAILED',
        message: '[IN-JWE-003] must be one of A256GCM',
        count: 1,
      },
    ],
    errors: [],
    waivers: [],
    failOn: 'must',
  });
}
