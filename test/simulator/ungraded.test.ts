import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWE_KEY_PATH, NOT_SIMULATED, type RunningSimulator } from '../../src/client-side/simulator/index.js';
import { accessToken, call, consumerPath, ISSUER_ID, issuerKeys, json, PAN, PERSONAL, simulatorFor, type IssuerKeys } from './helpers.js';

/** Issue 11: a call the simulator cannot grade is answered as before and listed, never dropped. */

let keys: IssuerKeys;
let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  keys = await issuerKeys();
  sim = await simulatorFor(keys);
  token = await accessToken(sim, keys);
});
afterAll(async () => {
  await sim.close();
});

const V1 = `/banking/v1/issuers/${ISSUER_ID}`;
const entry = (path: string, method?: string) => sim.ungraded().find((u) => u.path === path && (method === undefined || u.method === method));

describe('calls the simulator does not simulate', () => {
  it('lists the v1 consumer cards registration by path shape, with the D1 API it most likely is, counted; answers 404 in D1 shape', async () => {
    for (const consumerId of ['cust-1001', 'cust-1002']) {
      const answer = await call(sim, 'PUT', `${V1}/consumers/${consumerId}/cards`, { token, body: { personalInformation: PERSONAL, cards: [{ pan: PAN }] } });
      expect(answer.status).toBe(404);
      expect(json(answer)).toEqual({ error: 'Resource not found' });
    }
    expect(entry('/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards')).toEqual({
      method: 'PUT',
      path: '/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards',
      likelyApi: 'Register consumer with cards v1 (I8)',
      reason: NOT_SIMULATED,
      count: 2,
    });
    const text = JSON.stringify(sim.ungraded());
    for (const value of ['cust-1001', ISSUER_ID, PAN, PERSONAL.lastName]) expect(text).not.toContain(value);
    // Nothing was graded on them: they are not results.
    expect(JSON.stringify(sim.results())).not.toContain('/banking/v1/');
  });

  it.each([
    ['POST', `${V1}/cards/card-77/operations:suspend`, '/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:suspend', 'Card suspend / resume / delete / renew v1 (I12)'],
    ['POST', `${V1}/cards/card-77/operations:clickToPayEnrolment`, '/banking/v1/issuers/{issuerId}/cards/{cardId}/operations:clickToPayEnrolment', 'Click to Pay enrol v1 (I18)'],
    ['GET', `${V1}/consumers/c-9/clickToPayProfiles`, '/banking/v1/issuers/{issuerId}/consumers/{consumerId}/clickToPayProfiles', 'Click to Pay get consumer profiles v1 (I21, path cut off)'],
    ['POST', `/banking/v2/issuers/${ISSUER_ID}/cards`, '/banking/v2/issuers/{issuerId}/cards', 'Create card v2 (I10)'],
    ['POST', `/banking/v2/issuers/${ISSUER_ID}/cards/c-1/operations:replace`, '/banking/v2/issuers/{issuerId}/cards/{cardId}/operations:replace', 'Renew / Replace card v2 (I11)'],
    ['GET', `/d1/issuers/${ISSUER_ID}/physicalCards/c-1/productionStatus`, '/d1/issuers/{issuerId}/physicalCards/{cardId}/productionStatus', 'Get card order status (I24, base NF)'],
    ['GET', `${V1}/cards/card-77`, '/banking/v1/issuers/{issuerId}/cards/{cardId}', 'Get card details v1 (I15)'],
    ['DELETE', `${V1}/cards/card-77`, '/banking/v1/issuers/{issuerId}/cards/{cardId}', 'Get card details v1 (I15), which is GET'],
    ['GET', `/banking/v9/things/${PAN}/x?offset=3&email=jo%40example.com`, '/banking/v9/things/{id}/x?offset&email', 'unknown'],
  ] as const)('%s %s is listed as %s', async (method, path, shape, api) => {
    expect((await call(sim, method, path, { token })).status).toBe(404);
    expect(entry(shape, method)?.likelyApi).toBe(api);
  });

  it('lists a method no rule judges on a simulated path (405), but grades the ones a rule does', async () => {
    const get = await call(sim, 'GET', consumerPath('cons-0001'), { token });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('PUT');
    expect(entry('/banking/v2/issuers/{issuerId}/consumers/{consumerId}', 'GET')).toMatchObject({ method: 'GET', likelyApi: 'Get consumer v2 (I5, path NF)', count: 1 });
    expect((await call(sim, 'POST', consumerPath('cons-0001', '/cards'), { token })).status).toBe(405);
    expect(entry('/banking/v2/issuers/{issuerId}/consumers/{consumerId}/cards', 'POST')?.likelyApi).toBe('Get card list v2 (I6), which is GET');
    const before = sim.ungraded().length;
    expect((await call(sim, 'GET', '/authz/v1/oauth2/token')).status).toBe(405);
    expect(sim.results().some((r) => r.ruleId === 'IN-AUTH-001' && r.status === 'FAILED')).toBe(true);
    expect(sim.ungraded()).toHaveLength(before);
  });

  it('lists a body too large to read, a path it cannot decode, and a call whose grading failed (deep nesting, answered 500)', async () => {
    const huge = JSON.stringify({ personalInformation: { firstName: 'x'.repeat(2 * 1024 * 1024) } });
    expect((await call(sim, 'PUT', consumerPath('cons-huge'), { token, body: huge, headers: { 'content-type': 'application/json' } })).status).toBe(413);
    expect((await call(sim, 'PUT', `/banking/v2/issuers/${ISSUER_ID}/consumers/%E0%A4%A`, { token, body: {} })).status).toBe(400);
    const deep = `{"personalInformation":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const crashed = await call(sim, 'PUT', consumerPath('cons-deep'), { token, body: deep, headers: { 'content-type': 'application/json' } });
    const reasons = sim.ungraded().map((u) => u.reason);
    expect(reasons).toContain('body too large for the simulator to read, not graded');
    expect(reasons).toContain('path not decodable (bad percent-encoding), not graded');
    // Whether the deep body crashes grading is the simulator's business; if it answered 500, the call is listed.
    if (crashed.status === 500) expect(reasons).toContain('the simulator failed while grading it (answered 500), not graded');
    else expect(crashed.status).toBeLessThan(500);
  });

  it("does not list the simulator's own JWE key endpoint", async () => {
    const before = sim.ungraded().length;
    expect((await call(sim, 'GET', JWE_KEY_PATH)).status).toBe(200);
    expect(sim.ungraded()).toHaveLength(before);
  });

  it('stays bounded: past 200 path shapes, the rest are counted under one entry', async () => {
    const extra = await simulatorFor(keys);
    try {
      const word = (i: number) => `p${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
      for (let i = 0; i < 250; i++) await call(extra, 'GET', `/unknown/${word(i)}`);
      const list = extra.ungraded();
      expect(list.length).toBeLessThanOrEqual(200);
      expect(list.reduce((n, u) => n + u.count, 0)).toBe(250);
      expect(list.at(-1)).toMatchObject({ method: '*', likelyApi: 'various', count: 51 });
    } finally {
      await extra.close();
    }
  });
});
