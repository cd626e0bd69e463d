import { generateKeyPair } from 'jose';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RunningSimulator, SimulatorOptions } from '../../src/client-side/simulator/index.js';
import {
  accessToken,
  call,
  consumerPath,
  issuerKeys,
  json,
  makeAssertion,
  PERSONAL,
  ruleIds,
  simulatorFor,
  tokenCall,
  type AssertionOptions,
  type IssuerKeys,
} from './helpers.js';

/** The token endpoint and bearer-token enforcement: each bad client is refused and named by its rule. */

let keys: IssuerKeys;
let sim: RunningSimulator;
let clock: number;

beforeAll(async () => {
  keys = await issuerKeys();
});

async function start(options: SimulatorOptions = {}): Promise<void> {
  await sim.close();
  sim = await simulatorFor(keys, { now: () => clock, ...options });
}

beforeEach(async () => {
  clock = Date.UTC(2026, 10, 22, 12, 0, 0);
  sim = await simulatorFor(keys, { now: () => clock });
});
afterEach(() => sim.close());

const assertion = (o: AssertionOptions = {}) => makeAssertion(keys, { nowMs: clock, ...o });
const failed = () => ruleIds(sim.results(), 'FAILED');
const warned = () => ruleIds(sim.results(), 'WARNING');

describe('the token call', () => {
  it('grants a token to an ES256 assertion, by form or JSON body', async () => {
    const form = await tokenCall(sim, await assertion());
    expect(form.status).toBe(200);
    expect(form.headers['cache-control']).toBe('no-store');
    const grant = json(form);
    expect(grant).toMatchObject({ expires_in: 900, token_type: 'Bearer' });
    expect(typeof grant.access_token).toBe('string');
    clock += 890_000;
    expect((await tokenCall(sim, await assertion(), { json: true })).status).toBe(200);
    expect(failed()).toEqual([]);
    expect(warned()).toEqual([]);
  });

  it.each([
    ['HS256', async () => assertion({ alg: 'HS256', key: new TextEncoder().encode('a-shared-secret-of-32-bytes-long!') })],
    ['RS256', async () => assertion({ alg: 'RS256', key: (await generateKeyPair('RS256')).privateKey })],
    ['ES384', async () => assertion({ alg: 'ES384', key: (await generateKeyPair('ES384')).privateKey })],
  ])('refuses a %s assertion (IN-AUTH-005)', async (_alg, make) => {
    const answer = await tokenCall(sim, await make());
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'assertion' });
    expect(failed()).toEqual(['IN-AUTH-005']);
  });

  it('refuses an assertion without kid (IN-AUTH-006, 400) or with an unknown kid (IN-AUTH-006, 401)', async () => {
    const noKid = await tokenCall(sim, await assertion({ kid: null }));
    expect(noKid.status).toBe(400);
    expect(json(noKid)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'assertion' });
    expect(failed()).toEqual(['IN-AUTH-006']);
    const unknown = await tokenCall(sim, await assertion({ kid: 'some-other-key' }));
    expect(unknown.status).toBe(401);
    expect(json(unknown)).toEqual({ error: 'Unauthorized message' });
  });

  it('refuses an assertion signed with another key under the registered kid (IN-AUTH-007, 401)', async () => {
    const other = await issuerKeys(keys.kid);
    const answer = await tokenCall(sim, await makeAssertion(other, { nowMs: clock }));
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual({ error: 'Unauthorized message' });
    expect(failed()).toEqual(['IN-AUTH-007']);
  });

  it('refuses exp an hour ahead (IN-AUTH-011), tolerates the configured skew', async () => {
    const hour = await tokenCall(sim, await assertion({ expIn: 3600 }));
    expect(hour.status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-011']);
    await start();
    expect((await tokenCall(sim, await assertion({ expIn: 930 }))).status).toBe(200);
    expect((await tokenCall(sim, await assertion({ expIn: 931 }))).status).toBe(400);
    await start({ policies: { assertionClockSkewSeconds: 0 } });
    expect((await tokenCall(sim, await assertion({ expIn: 901 }))).status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-011']);
  });

  it('refuses an assertion expired beyond the clock-skew policy (IN-AUTH-010)', async () => {
    expect((await tokenCall(sim, await assertion({ expIn: -120 }))).status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-010']);
  });

  it('refuses iss (IN-AUTH-008) or sub (IN-AUTH-009) other than the issuerId', async () => {
    expect((await tokenCall(sim, await assertion({ iss: 'ISSUER0002' }))).status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-008']);
    await start();
    expect((await tokenCall(sim, await assertion({ sub: 'someone' }))).status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-009']);
  });

  it('checks aud only when the assertionAudience policy names one (IN-AUTH-012)', async () => {
    expect((await tokenCall(sim, await assertion({ aud: 'anything' }))).status).toBe(200);
    // Only its type is checked (the contract); its value is not compared to anything.
    expect(
      sim
        .results()
        .filter((r) => r.ruleId === 'IN-AUTH-012')
        .map((r) => [r.case, r.status]),
    ).toEqual([['assertion.claims.aud', 'PASSED']]);
    await start({ policies: { assertionAudience: 'https://api.d1.thalescloud.io' } });
    expect((await tokenCall(sim, await assertion())).status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-012']);
    expect((await tokenCall(sim, await assertion({ aud: 'https://api.d1.thalescloud.io' }))).status).toBe(200);
  });

  it('refuses another grant_type (IN-AUTH-003) and another content type (IN-AUTH-002)', async () => {
    const grant = await tokenCall(sim, await assertion(), { grantType: 'client_credentials' });
    expect(grant.status).toBe(400);
    expect(json(grant)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'grant_type' });
    expect(failed()).toEqual(['IN-AUTH-003']);
    await start();
    const text = await call(sim, 'POST', '/authz/v1/oauth2/token', { headers: { 'content-type': 'text/plain' }, body: 'grant_type=x' });
    expect(text.status).toBe(400);
    expect(failed()).toEqual(['IN-AUTH-002']);
  });

  it('warns when a new token is fetched while the last one is fresh (IN-AUTH-015), not when it nearly expired', async () => {
    for (let i = 0; i < 3; i++) {
      const token = await accessToken(sim, keys, { nowMs: clock });
      expect((await call(sim, 'PUT', consumerPath(`cons-${i}`), { token, body: { personalInformation: PERSONAL } })).status).toBe(204);
    }
    expect(failed()).toEqual([]);
    expect(warned()).toEqual(['IN-AUTH-015']);
    expect(sim.results().filter((r) => r.ruleId === 'IN-AUTH-015' && r.status === 'WARNING')).toHaveLength(2);

    await start();
    await accessToken(sim, keys, { nowMs: clock });
    clock += 850_000;
    await accessToken(sim, keys, { nowMs: clock });
    expect(warned()).toEqual([]);
    expect(sim.results().find((r) => r.ruleId === 'IN-AUTH-015')).toMatchObject({ status: 'PASSED', count: 2 });
  });
});

describe('bearer tokens on the banking APIs', () => {
  const unauthorized = { errorCode: 'AUTHORIZER_UNAUTHORIZED', error: 'Unauthorized message' };

  it('refuses a call without a token, with another scheme, or with a garbage token (IN-AUTH-016)', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Basic aXNzdWVyOnNlY3JldA==' }, { authorization: 'Bearer not-a-token' }];
    for (const headers of attempts) {
      const answer = await call(sim, 'PUT', consumerPath('cons-0001'), { headers, body: { personalInformation: PERSONAL } });
      expect(answer.status).toBe(401);
      expect(json(answer)).toEqual(unauthorized);
    }
    expect(failed()).toEqual(['IN-AUTH-016']);
    expect(sim.state.consumers()).toEqual([]);
  });

  it('refuses an expired token (IN-AUTH-016)', async () => {
    const token = await accessToken(sim, keys, { nowMs: clock });
    expect((await call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token })).status).toBe(404);
    clock += 901_000;
    const answer = await call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token });
    expect(answer.status).toBe(401);
    expect(json(answer)).toEqual(unauthorized);
    expect(failed()).toEqual(['IN-AUTH-016']);
    expect(sim.results().find((r) => r.status === 'FAILED')?.message).toBe('the access token has expired');
  });

  it('refuses a token issued by another D1 simulator (IN-AUTH-016)', async () => {
    const other = await simulatorFor(keys, { now: () => clock });
    try {
      const foreign = await accessToken(other, keys, { nowMs: clock });
      const answer = await call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token: foreign });
      expect(answer.status).toBe(401);
      expect(failed()).toEqual(['IN-AUTH-016']);
      expect(sim.results().find((r) => r.status === 'FAILED')?.message).toBe('the access token was not issued by this simulator');
    } finally {
      await other.close();
    }
  });

  it('refuses a path issuerId of 9 characters, or of another issuer (IN-PATH-001)', async () => {
    const token = await accessToken(sim, keys, { nowMs: clock });
    for (const issuerId of ['ISSUER001', 'ISSUER0002']) {
      const answer = await call(sim, 'PUT', consumerPath('cons-0001', '', issuerId), { token, body: { personalInformation: PERSONAL } });
      expect(answer.status).toBe(401);
      expect(json(answer)).toEqual(unauthorized);
    }
    expect(failed()).toEqual(['IN-PATH-001']);
    expect(sim.results().filter((r) => r.ruleId === 'IN-PATH-001' && r.status === 'FAILED')[0]?.count).toBe(1);
  });
});
