import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../contracts/index.js';
import { PolicySettings } from '../../contracts/policies.js';
import { verificationBroker } from '../../src/server-side/pact/broker.js';
import { originOf, REDIRECT_REFUSED_STATUS, type Redirect } from '../../src/server-side/pact/forward.js';
import { D1_TO_ISSUER, type InteractionSpec } from '../../src/core/pact/interactions.js';
import { mapVerification, type VerifierJson } from '../../src/server-side/pact/results.js';
import { filterRequest, verifierOptions, type ChildRequest } from '../../src/server-side/pact/verifier-options.js';
import { loadFailures } from '../../src/server-side/pact/verify.js';
import { pactEnvironment, publishFailureOf } from '../../src/server-side/pact/verifier-process.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { parseConfig } from '../../src/core/config/load-config.js';
import type { HttpClient } from '../../src/core/http/client.js';
import { stateHandlers, StateUnavailable } from '../../src/server-side/pact/provider-states.js';
import { pactMayRunAlongside } from '../../src/server-side/pact/verify-step.js';

/** The pieces around the verifier that need no verifier: result mapping, request filter, broker settings. */

const byDescription = (d: string) => D1_TO_ISSUER.interactions.find((i) => i.description === d) as InteractionSpec;
const MISSING_TOKEN = byDescription('a request for consumer information without an access token');
const UNKNOWN = byDescription('a request for the information of an unknown consumer');
const TOKEN = byDescription('a token request with valid client credentials');

function mapOne(
  interaction: InteractionSpec,
  errors: VerifierJson['errors'],
  policies: PolicySettings = PolicySettings.parse(DEFAULT_POLICIES),
  skipped = new Map<string, string>(),
) {
  const json: VerifierJson = {
    interactionResults: [{ description: interaction.description, result: errors && errors.length > 0 ? 'Error' : 'OK' }],
    errors: errors ?? [],
  };
  return mapVerification(json, { interactions: [interaction], policies, redactor: new Redactor(), skipped });
}

const mismatch = (interaction: InteractionSpec, ...mismatches: Record<string, unknown>[]) => [
  { interaction: `Verifying a pact between D1 and issuer-backend - ${interaction.description}`, mismatch: { type: 'mismatches', mismatches } },
];

describe('mapVerification', () => {
  it('turns a 403 for a missing token into a warning under unauthorizedStatus=401-or-403, a failure under 401', () => {
    const errors = mismatch(MISSING_TOKEN, { type: 'StatusMismatch', expected: 401, actual: 403 });
    expect(mapOne(MISSING_TOKEN, errors).map((r) => [r.ruleId, r.status])).toEqual([['OUT-GEN-003', 'WARNING']]);
    const strict = PolicySettings.parse({ unauthorizedStatus: '401' });
    expect(mapOne(MISSING_TOKEN, errors, strict).map((r) => [r.ruleId, r.status])).toEqual([['OUT-GEN-003', 'FAILED']]);
  });

  it('names OUT-GEN-010 for a content type, OUT-GEN-008 for a non-JSON error body', () => {
    const header = mapOne(
      UNKNOWN,
      mismatch(UNKNOWN, { type: 'HeaderMismatch', key: 'Content-Type', expected: 'application/json', actual: 'text/html', mismatch: 'x' }),
    );
    expect(header.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['OUT-GEN-010']);
    const body = mapOne(UNKNOWN, mismatch(UNKNOWN, { type: 'BodyTypeMismatch', expected: 'application/json', actual: 'text/plain', mismatch: 'x' }));
    expect(body.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['OUT-GEN-008']);
    expect(body.filter((r) => r.status === 'PASSED').map((r) => r.ruleId)).toEqual(['OUT-CI-003']);
  });

  it('masks a token a body mismatch shows', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkMSJ9.c2lnbmF0dXJlc2lnbmF0dXJl';
    const results = mapOne(
      TOKEN,
      mismatch(TOKEN, {
        type: 'BodyMismatch',
        path: '$.token_type',
        expected: '"Bearer"',
        actual: JSON.stringify(jwt),
        mismatch: `Expected '${jwt}' to match`,
      }),
    );
    expect(results.find((r) => r.status === 'FAILED')?.ruleId).toBe('OUT-AUTH-003');
    expect(JSON.stringify(results)).not.toContain(jwt);
  });

  it('reports a verifier error on the status rule, and skips (saying why) what was skipped or not run', () => {
    const failed = mapOne(UNKNOWN, [
      { interaction: `x - ${UNKNOWN.description}`, mismatch: { type: 'error', message: 'Request to provider failed: connection refused' } },
    ]);
    expect(failed.map((r) => [r.ruleId, r.status])).toEqual([['OUT-CI-003', 'FAILED']]);
    expect(failed[0]?.message).toContain('connection refused');
    const dropped = mapOne(UNKNOWN, [
      { interaction: `x - ${UNKNOWN.description}`, mismatch: { type: 'error', message: 'error sending request for url (http://127.0.0.1:1/x)' } },
    ]);
    expect(dropped[0]?.message).toBe('the target gave no usable answer (connection dropped or reset, no answer within the timeout, or a body over 64 KiB)');
    const skipped = mapOne(TOKEN, [], PolicySettings.parse({}), new Map([[TOKEN.description, 'outbound OAuth is off']]));
    expect(new Set(skipped.map((r) => r.status))).toEqual(new Set(['SKIPPED']));
    const notRun = mapVerification(
      { interactionResults: [] },
      { interactions: [TOKEN], policies: PolicySettings.parse({}), redactor: new Redactor(), skipped: new Map() },
    );
    expect(notRun.every((r) => r.status === 'SKIPPED' && (r.message ?? '').includes('not verified'))).toBe(true);
  });
});

describe('a redirect the forwarder refused', () => {
  const json = (interaction: InteractionSpec): VerifierJson => ({
    interactionResults: [{ description: interaction.description, result: 'Error' }],
    errors: mismatch(interaction, { type: 'StatusMismatch', expected: 404, actual: REDIRECT_REFUSED_STATUS }),
  });
  const ctx = (redirects: Redirect[]) => ({ interactions: [UNKNOWN], policies: PolicySettings.parse({}), redactor: new Redactor(), skipped: new Map<string, string>(), redirects });

  it("fails the interaction's status rule naming the redirect (origin only), for a redirect on its endpoint", () => {
    const redirects: Redirect[] = [
      { method: 'GET', path: '/banking/d1/v1/issuers/ISSUER0001/consumers/cons-x', status: 302, origin: 'http://127.0.0.1:9' },
      { method: 'POST', path: '/banking/d1/v1/issuers/ISSUER0001/consumers/cons-x/otp', status: 307, origin: 'http://127.0.0.1:8' },
    ];
    const results = mapVerification(json(UNKNOWN), ctx(redirects));
    expect(results.map((r) => [r.ruleId, r.status, r.message])).toEqual([['OUT-CI-003', 'FAILED', 'the target answered 302 redirect to http://127.0.0.1:9; redirects are not followed']]);
  });

  it('is a plain status mismatch when no redirect was recorded on that endpoint', () => {
    const elsewhere: Redirect[] = [{ method: 'POST', path: '/authz/d1/v1/oauth2/token', status: 301, origin: 'http://127.0.0.1:9' }];
    expect(mapVerification(json(UNKNOWN), ctx(elsewhere))[0]?.message).toBe(`expected status 404, got ${String(REDIRECT_REFUSED_STATUS)}`);
  });

  it("keeps only a Location's origin, resolving relative ones against the target", () => {
    expect(originOf('https://evil.example:8443/steal?otp=123456', 'http://127.0.0.1:1')).toBe('https://evil.example:8443');
    expect(originOf('/elsewhere?otp=1', 'http://127.0.0.1:1/base')).toBe('http://127.0.0.1:1');
    expect(originOf('javascript:alert(1)', 'http://127.0.0.1:1')).toBe('a non-http location');
    expect(originOf('http://[bad', 'http://127.0.0.1:1')).toBe('an unreadable location');
  });
});

describe('what the verifier says of the broker', () => {
  it('finds a failed publish in its log line, without colours; nothing in other lines', () => {
    const line = `2026-12-03T15:46:17Z \u001b[31mERROR\u001b[0m ThreadId(03) pact_verifier: Publishing of verification results failed with an error: IO Error - Request to pact broker path '/x' failed: 500 Internal Server Error.`;
    expect(publishFailureOf(line)).toBe("IO Error - Request to pact broker path '/x' failed: 500 Internal Server Error.");
    expect(publishFailureOf('  a notification of a FAILED consumer operation (41ms loading)')).toBeUndefined();
  });

  it('treats "Failed to load pact" and, from a broker, no interaction run as pacts not loaded', () => {
    const unloaded = { errors: [{ interaction: 'Failed to load pact', mismatch: { type: 'error', message: 'No pacts found\n  IO Error' } }], interactionResults: [] };
    expect(loadFailures(unloaded, true)).toEqual(['No pacts found IO Error']);
    expect(loadFailures(unloaded, false)).toEqual(['No pacts found IO Error']);
    expect(loadFailures({ errors: [], interactionResults: [] }, true)).toEqual(['the broker gave no pact to verify']);
    expect(loadFailures({ errors: [], interactionResults: [{ description: 'x', result: 'OK' }] }, true)).toEqual([]);
  });
});

describe('the request filter', () => {
  it('puts the real bearer token, the real Basic credentials and the target token path on the replayed requests', () => {
    const api = { url: '/x', headers: { authorization: 'Bearer example' } as Record<string, string | string[] | undefined> };
    filterRequest(api, { bearer: 'real-token', basic: 'Basic cmVhbA==', stripAuthorization: false });
    expect(api.headers.authorization).toBe('Bearer real-token');
    const token = {
      url: '/authz/d1/v1/oauth2/token',
      headers: { authorization: 'Basic ZXhhbXBsZQ==', 'content-type': 'application/x-www-form-urlencoded' } as Record<string, string | string[] | undefined>,
      body: { grant_type: 'client_credentials' } as unknown,
    };
    filterRequest(token, { bearer: 'real-token', basic: 'Basic cmVhbA==', tokenPath: '/oauth/token', stripAuthorization: false });
    expect(token).toMatchObject({ url: '/oauth/token', headers: { authorization: 'Basic cmVhbA==', 'content-length': '29' } });
    expect(Buffer.isBuffer(token.body) && token.body.toString()).toBe('grant_type=client_credentials');
    const none = { url: '/x', headers: { authorization: 'Bearer example' } as Record<string, string | string[] | undefined> };
    filterRequest(none, { stripAuthorization: true });
    expect(none.headers).toEqual({});
    const missing = { url: '/x', headers: {} as Record<string, string | string[] | undefined> };
    filterRequest(missing, { bearer: 'real-token', stripAuthorization: false });
    expect(missing.headers.authorization).toBeUndefined();
  });
});

describe('broker settings (no broker is ever called here)', () => {
  const base: ChildRequest = {
    provider: 'issuer-backend',
    providerBaseUrl: 'http://127.0.0.1:1',
    pactUrls: ['/p.json'],
    providerStatesSetupUrl: 'http://127.0.0.1:2/',
    timeoutMs: 5000,
    filter: { stripAuthorization: false },
  };

  it('verifies the local pact file and publishes nothing without a broker', () => {
    const options = verifierOptions(base);
    expect(options).toMatchObject({ pactUrls: ['/p.json'], logLevel: 'error', provider: 'issuer-backend' });
    expect(options).not.toHaveProperty('publishVerificationResult');
    expect(options).not.toHaveProperty('pactBrokerUrl');
  });

  it('takes the pacts from the broker and publishes the results with the provider version when one is configured', () => {
    const broker = verificationBroker(
      { 'broker-url': 'https://broker.example/', 'provider-version': 'abc123', 'provider-branch': 'main' },
      { PACT_BROKER_TOKEN: 'tok-123' },
    );
    expect(broker).toEqual({ url: 'https://broker.example', token: 'tok-123', providerVersion: 'abc123', branch: 'main' });
    const options = verifierOptions({ ...base, ...(broker ? { broker } : {}) });
    expect(options).toMatchObject({
      pactBrokerUrl: 'https://broker.example',
      pactBrokerToken: 'tok-123',
      publishVerificationResult: true,
      providerVersion: 'abc123',
      providerVersionBranch: 'main',
      consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }],
    });
    expect(options).not.toHaveProperty('pactUrls');
    expect(options).not.toHaveProperty('enablePending');
    expect(options).not.toHaveProperty('pactBrokerUsername');
  });

  it('refuses incomplete broker flags', () => {
    expect(verificationBroker({}, {})).toBeUndefined();
    expect(() => verificationBroker({ 'broker-url': 'ftp://x' }, { PACT_BROKER_TOKEN: 't' })).toThrow('--broker-url must be an http(s) URL');
    expect(() => verificationBroker({ 'broker-url': 'https://b.example' }, { PACT_BROKER_TOKEN: 't' })).toThrow('--provider-version');
    expect(() => verificationBroker({ 'broker-url': 'https://b.example', 'provider-version': '1' }, {})).toThrow('PACT_BROKER_TOKEN');
    expect(() => verificationBroker({ 'provider-version': '1' }, {})).toThrow('--provider-version needs --broker-url');
  });
});

describe('provider states on an endpoint the run stopped calling', () => {
  const config = parseConfig({
    target: { baseUrl: 'http://127.0.0.1:9', issuerId: 'ISSUER0001' },
    auth: { mode: 'none' },
    testData: { consumers: [{ consumerId: 'cons-1' }] },
  });
  it('are not set up by calling it again: the state is unavailable, naming the stop', async () => {
    let calls = 0;
    const client: HttpClient = {
      send: (req) => {
        calls++;
        return Promise.resolve({ request: req, transportError: 'no response within 500 ms', durationMs: 500 });
      },
      close: () => Promise.resolve(),
    };
    const stopped = new Map([['issuer.authenticate', 'no response within 500 ms, 2 times in a row']]);
    for (const state of ['authentication {authenticationId} is pending', 'authentication {authenticationId} is final']) {
      const handler = stateHandlers({ config, client, token: undefined, stopped })[state];
      await expect(handler?.()).rejects.toThrow(/not set up: the run stopped calling issuer.authenticate \(no response within 500 ms, 2 times in a row\)/);
    }
    expect(calls).toBe(0);
    // Not stopped: the state calls Authenticate (here a dead one, so it is unavailable for that reason).
    await expect(stateHandlers({ config, client, token: undefined })['authentication {authenticationId} is pending']?.()).rejects.toThrow(StateUnavailable);
    expect(calls).toBeGreaterThan(0);
  });
});

describe('when the pact step may run alongside the suites', () => {
  const config = parseConfig({
    target: { baseUrl: 'http://127.0.0.1:9', issuerId: 'ISSUER0001' },
    auth: { mode: 'none' },
    testData: { consumers: [{ consumerId: 'cons-1' }] },
  });
  it('by default: its result is kept when no endpoint stopped (run-command.ts)', () => {
    expect(pactMayRunAlongside(config, {})).toBe(true);
  });
  it('never with a broker: published results cannot be taken back', () => {
    expect(pactMayRunAlongside(config, { broker: { url: 'http://127.0.0.1:9', token: 't', providerVersion: '1' } })).toBe(false);
  });
  it('never under --rate-limit: the verifier is not paced, and would add to the suites rate', () => {
    expect(pactMayRunAlongside({ ...config, limits: { ...config.limits, ratePerSecond: 5 } }, {})).toBe(false);
  });
});

describe("Pact's usage tracking", () => {
  it('is off in this process once Pact is driven, and in the verifier process whatever the environment says', async () => {
    await import('../../src/core/pact/pact-builder.js');
    expect(process.env.PACT_DO_NOT_TRACK).toBe('true');
    expect(pactEnvironment({ PACT_DO_NOT_TRACK: 'false', PACT_BROKER_TOKEN: 't', PATH: '/bin' })).toEqual({ PACT_DO_NOT_TRACK: 'true', PATH: '/bin' });
  });
});
