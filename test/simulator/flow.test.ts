import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSimulator } from '../../src/client-side/simulator/index.js';
import {
  accessToken,
  call,
  cardPath,
  consumerPath,
  encryptCard,
  ISSUER_ID,
  issuerKeys,
  json,
  makeAssertion,
  PAN,
  PERSONAL,
  ruleIds,
  simulatorFor,
  tokenCall,
  type IssuerKeys,
  JOURNEY_RULES,
} from './helpers.js';

let keys: IssuerKeys;
beforeAll(async () => {
  keys = await issuerKeys();
});

describe('a compliant issuer client', () => {
  let sim: RunningSimulator;
  const seen: string[] = [];
  beforeAll(async () => {
    sim = await simulatorFor(keys);
  });
  afterAll(() => sim.close());

  it('goes through token, register, card, update, list and delete with no finding', async () => {
    const assertion = await makeAssertion(keys);
    seen.push(assertion);
    const tokenAnswer = await tokenCall(sim, assertion, { headers: { 'x-correlation-id': 'corr-0001' } });
    expect(tokenAnswer.status).toBe(200);
    const grant = json(tokenAnswer);
    expect(grant).toMatchObject({ expires_in: 900, token_type: 'Bearer' });
    expect(typeof grant.scope).toBe('string');
    const token = grant.access_token as string;
    seen.push(token);
    const headers = { 'x-correlation-id': 'a1b2c3-0001', 'x-user-id': 'agent-007' };

    const register = await call(sim, 'PUT', consumerPath('cons-0001'), { token, headers, body: { personalInformation: PERSONAL } });
    expect(register.status).toBe(204);
    expect(register.text).toBe('');

    // The recipient key as the issuer fetches it.
    const published = json(await call(sim, 'GET', '/.well-known/d1-jwe-key.json'));
    expect(published).toMatchObject({ kty: 'EC', crv: 'P-256', kid: sim.jweKid, alg: 'ECDH-ES' });
    expect(published).not.toHaveProperty('d');
    const encryptedData = await encryptCard(sim, { pan: PAN, exp: '1230' });
    seen.push(encryptedData);
    const card = await call(sim, 'PUT', cardPath('card-7f3a9c'), {
      token,
      headers,
      body: { consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedData },
    });
    expect(card.status).toBe(204);

    const update = await call(sim, 'POST', consumerPath('cons-0001', '/operations:update'), {
      token,
      headers,
      body: { personalInformation: { ...PERSONAL, lastName: 'Smithfield-Jones' } },
    });
    expect(update.status).toBe(200);
    expect(json(update).operationId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);

    const list = await call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token, headers });
    expect(list.status).toBe(200);
    expect(json(list)).toEqual({ cards: [{ cardId: 'card-7f3a9c', cardProductId: 'prod-classic-01', state: 'ACTIVE' }] });

    const del = await call(sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token, headers, body: { reason: 'customer closed the account' } });
    expect(del.status).toBe(200);
    expect(json(del)).toHaveProperty('operationId');
    // The operations are kept, under the ids the issuer was given.
    expect(sim.state.operations()).toEqual([
      { operationId: json(update).operationId, type: 'update', consumerId: 'cons-0001' },
      { operationId: json(del).operationId, type: 'delete', consumerId: 'cons-0001' },
    ]);
    expect((await call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token })).status).toBe(404);
    expect(sim.state.cards()).toEqual([
      { cardId: 'card-7f3a9c', consumerId: 'cons-0001', cardProductId: 'prod-classic-01', state: 'DELETED', panLast4: '1111' },
    ]);
    expect(sim.state.consumers()).toEqual([{ consumerId: 'cons-0001', state: 'DELETED', implicit: false, hasPersonalInformation: false, cardIds: [] }]);

    const results = sim.results();
    expect(ruleIds(results, 'FAILED')).toEqual([]);
    expect(ruleIds(results, 'WARNING')).toEqual([]);
    expect(results.every((r) => r.status === 'PASSED')).toBe(true);
    const exercised = sim.exercisedRules();
    for (const id of JOURNEY_RULES) {
      expect(exercised, id).toContain(id);
    }
    // Passes are counted, not listed: one entry per rule, endpoint and case.
    const bearer = results.filter((r) => r.ruleId === 'IN-AUTH-016' && r.case.startsWith('Authorization'));
    expect(bearer.map((r) => r.endpoint).sort()).toEqual([
      'd1.deleteConsumer',
      'd1.getCardList',
      'd1.registerCard',
      'd1.registerConsumer',
      'd1.updateConsumer',
    ]);
    expect(bearer.reduce((n, r) => n + r.count, 0)).toBe(6);
  });

  it('registers a card for an unknown consumer implicitly (IN-CARD-004) and accepts a JSON token body', async () => {
    const answer = await tokenCall(sim, await makeAssertion(keys), { json: true });
    expect(answer.status).toBe(200);
    const token = json(answer).access_token as string;
    const encryptedData = await encryptCard(sim, { pan: '5555555555554444', exp: '0129' });
    const card = await call(sim, 'PUT', cardPath('card-implicit-1'), {
      token,
      body: { consumerId: 'cons-implicit', cardProductId: 'prod-classic-01', encryptedData },
    });
    expect(card.status).toBe(204);
    expect(sim.state.consumers().find((c) => c.consumerId === 'cons-implicit')).toMatchObject({
      state: 'ACTIVE',
      implicit: true,
      cardIds: ['card-implicit-1'],
    });
    expect(sim.exercisedRules()).toContain('IN-CARD-004');
    expect(sim.results().find((r) => r.ruleId === 'IN-CARD-004')?.status).toBe('PASSED');
  });
});

describe('robustness', () => {
  let sim: RunningSimulator;
  let token: string;
  beforeAll(async () => {
    sim = await simulatorFor(keys);
    token = await accessToken(sim, keys);
  });
  afterAll(() => sim.close());

  it('refuses malformed JSON with 400 FIELD_INVALID_FORMAT and grades the body rule', async () => {
    const answer = await call(sim, 'PUT', consumerPath('cons-bad-json'), {
      token,
      headers: { 'content-type': 'application/json' },
      body: '{"personalInformation": {"firstName": "Jo',
    });
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'body' });
    const tokenAnswer = await call(sim, 'POST', '/authz/v1/oauth2/token', { headers: { 'content-type': 'application/json' }, body: '{"grant_type":' });
    expect(tokenAnswer.status).toBe(400);
    const failed = sim.results().filter((r) => r.status === 'FAILED');
    expect(failed.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['IN-CON-001', 'IN-AUTH-002']));
  });

  it('refuses a huge body with 413 and keeps serving', async () => {
    const huge = JSON.stringify({ personalInformation: { firstName: 'x'.repeat(2 * 1024 * 1024) } });
    const answer = await call(sim, 'PUT', consumerPath('cons-huge'), { token, body: huge, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(413);
    const after = await call(sim, 'PUT', consumerPath('cons-after-huge'), { token, body: { personalInformation: PERSONAL } });
    expect(after.status).toBe(204);
  });

  it('answers unknown routes 404, wrong methods 405 (graded), and never a 5xx for odd input', async () => {
    expect((await call(sim, 'GET', '/nowhere')).status).toBe(404);
    const get = await call(sim, 'GET', '/authz/v1/oauth2/token');
    expect(get.status).toBe(405);
    expect(sim.results().some((r) => r.ruleId === 'IN-AUTH-001' && r.status === 'FAILED')).toBe(true);
    const odd: ['GET' | 'PUT' | 'POST', string, unknown][] = [
      ['PUT', consumerPath('cons-1'), '[]'],
      ['PUT', consumerPath('cons-1'), 'null'],
      ['PUT', consumerPath('cons-1'), '"text"'],
      ['PUT', consumerPath('cons-1'), Buffer.from([0xff, 0xfe, 0x00])],
      ['PUT', consumerPath('cons-1'), { personalInformation: [] }],
      ['PUT', consumerPath('cons-1'), { personalInformation: { firstName: 42, mobilePhoneNumber: 'x', residencyAddress: [] } }],
      ['PUT', `/banking/v2/issuers/${ISSUER_ID}/consumers/%E0%A4%A`, {}],
      ['PUT', cardPath('c1'), { consumerId: 7, cardProductId: null, encryptedData: 'a.b.c.d.e' }],
      ['PUT', cardPath('c1'), { consumerId: 'c', cardProductId: 'prod-classic-01', encryptedData: 'eyJhbGciOiJFQ0RILUVTIn0..a.b.c' }],
      ['PUT', cardPath('c1'), { consumerId: 'c', cardProductId: 'prod-classic-01', encryptedData: 'bm90IGpzb24.x.y.z.w' }],
      ['POST', consumerPath('cons-1', '/operations:delete'), { reason: { nested: true } }],
      ['POST', consumerPath('cons-1', '/operations:delete'), ''],
      ['GET', consumerPath('x'.repeat(300), '/cards'), undefined],
    ];
    for (const [method, path, body] of odd) {
      const answer = await call(sim, method, path, {
        token,
        body,
        headers: typeof body === 'string' || Buffer.isBuffer(body) ? { 'content-type': 'application/json' } : {},
      });
      expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${method} ${path}`).toBeLessThan(500);
      expect(json(answer)).toHaveProperty('error');
    }
    const tokenOdd = [
      '',
      'grant_type=x',
      'assertion=a.b.c',
      `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=${'a'.repeat(40)}.${'b'.repeat(40)}.c`,
      'grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=eyJ9.eyJ9.c2ln',
    ];
    for (const form of tokenOdd) {
      const answer = await call(sim, 'POST', '/authz/v1/oauth2/token', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
      expect(answer.status, form).toBeGreaterThanOrEqual(400);
      expect(answer.status, form).toBeLessThan(500);
    }
  });

  it('registers 50 consumers in parallel and reads them all back', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `cons-par-${String(i).padStart(2, '0')}`);
    const answers = await Promise.all(ids.map((id) => call(sim, 'PUT', consumerPath(id), { token, body: { personalInformation: PERSONAL } })));
    expect(answers.map((a) => a.status)).toEqual(ids.map(() => 204));
    const lists = await Promise.all(ids.map((id) => call(sim, 'GET', consumerPath(id, '/cards'), { token })));
    expect(lists.map((a) => a.status)).toEqual(ids.map(() => 200));
    const stored = new Set(
      sim.state
        .consumers()
        .filter((c) => c.state === 'ACTIVE')
        .map((c) => c.consumerId),
    );
    for (const id of ids) expect(stored.has(id), id).toBe(true);
  });
});

describe('evidence', () => {
  it('never shows the PAN, a token, an assertion or a PAN hash in clear', async () => {
    const sim = await simulatorFor(keys);
    try {
      const secrets: string[] = [];
      const assertion = await makeAssertion(keys);
      secrets.push(assertion);
      const token = json(await tokenCall(sim, assertion)).access_token as string;
      secrets.push(token);
      // A second token while the first is fresh: a warning whose evidence holds the assertion.
      const second = await makeAssertion(keys);
      secrets.push(second);
      secrets.push(json(await tokenCall(sim, second)).access_token as string);
      const bad = await makeAssertion(keys, { expIn: 3600 });
      secrets.push(bad);
      await tokenCall(sim, bad);

      const jwe = await encryptCard(sim, { pan: PAN, exp: '1230' });
      const hash = createHash('sha256').update(PAN).digest('hex');
      await call(sim, 'PUT', cardPath(PAN), { token, body: { consumerId: 'cons-ev-1', cardProductId: 'prod-classic-01', encryptedData: jwe } });
      await call(sim, 'PUT', cardPath(hash), {
        token,
        body: { consumerId: 'cons-ev-2', cardProductId: 'prod-classic-01', encryptedData: await encryptCard(sim, { pan: PAN, exp: '1230' }) },
      });
      await call(sim, 'PUT', cardPath('card-ev-3'), {
        token,
        headers: { 'x-correlation-id': PAN },
        body: { consumerId: 'cons-ev-3', cardProductId: 'prod-classic-01', pan: PAN, encryptedData: jwe },
      });
      await call(sim, 'PUT', consumerPath(PERSONAL.email), { token, body: { personalInformation: PERSONAL } });
      await call(sim, 'GET', consumerPath('cons-ev-1', '/cards'), { token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' });

      const findings = sim.results().filter((r) => r.status !== 'PASSED');
      expect(ruleIds(findings)).toEqual(expect.arrayContaining(['IN-AUTH-011', 'IN-ID-001', 'IN-ID-002', 'IN-JWE-008', 'IN-AUTH-016']));
      expect(ruleIds(findings, 'WARNING')).toEqual(expect.arrayContaining(['IN-AUTH-015', 'IN-HDR-003']));
      expect(findings.every((f) => f.evidence !== undefined && f.evidence.response !== undefined)).toBe(true);
      const text = JSON.stringify(findings);
      for (const s of [PAN, hash, ...secrets]) expect(text.includes(s), s.slice(0, 8)).toBe(false);
      expect(text).not.toContain(PERSONAL.email);
      expect(text).toContain('411111******1111');
    } finally {
      await sim.close();
    }
  });
});
