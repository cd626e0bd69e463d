import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FINDINGS_PER_CASE } from '../../src/client-side/simulator/grade.js';
import type { RunningSimulator } from '../../src/client-side/simulator/index.js';
import { call, cardPath, consumerPath, encryptCard, issuerKeys, makeAssertion, PAN, PERSONAL, simulatorFor, simulatorPerTest, tokenCall } from './helpers.js';

/** A client that repeats one mistake for a long time: findings stay bounded, the count stays true. */
describe('a long session', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulatorFor(await issuerKeys());
  });
  afterAll(() => sim.close());

  it(`keeps the first ${MAX_FINDINGS_PER_CASE} findings of a case with evidence, then only counts`, async () => {
    const calls = MAX_FINDINGS_PER_CASE + 15;
    for (let i = 0; i < calls; i++) expect((await call(sim, 'GET', consumerPath('cons-0001', '/cards'))).status).toBe(401);
    const findings = sim.results().filter((r) => r.ruleId === 'IN-AUTH-016' && r.status === 'FAILED');
    expect(findings).toHaveLength(MAX_FINDINGS_PER_CASE);
    expect(findings.reduce((n, r) => n + r.count, 0)).toBe(calls);
    expect(findings.every((r) => r.evidence !== undefined)).toBe(true);
    expect(findings.at(-1)?.count).toBe(16);
  });
});

describe('a slow client', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulatorFor(await issuerKeys());
  });
  afterAll(() => sim.close());

  it('that stalls mid-request does not hold up other calls', async () => {
    const { port } = new URL(sim.baseUrl);
    const stalled = connect({ host: '127.0.0.1', port: Number(port) });
    await new Promise<void>((resolve) => stalled.once('connect', resolve));
    // Headers promise 1000 bytes; one arrives, then nothing.
    stalled.write(`PUT ${consumerPath('cons-slow')} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    // Were the stalled request holding the server, these would never be answered (the test would time out).
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(sim, 'GET', consumerPath('cons-0001', '/cards'))));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(stalled.destroyed).toBe(false);
    stalled.destroy();
  });
});

describe('real-world ids and headers a compliant client sends (no false FAILED)', () => {
  const s = simulatorPerTest();

  it('a W3C traceparent and Datadog trace ids that happen to hold a Luhn-valid run are not PANs', async () => {
    // 4111111111111111 inside the trace id: Luhn-valid, in a tracing header.
    const headers = { traceparent: '00-00000000000000004111111111111111-00f067aa0ba902b7-01', 'x-datadog-trace-id': '4111111111111111' };
    expect((await call(s.sim, 'PUT', consumerPath('cons-0001'), { token: s.token, headers, body: { personalInformation: PERSONAL } })).status).toBe(204);
    expect(s.failed()).toEqual([]);
    expect(s.warned()).toEqual([]);
  });

  it('a numeric (snowflake) consumerId that is Luhn-valid by chance is a warning, a decrypted PAN as consumerId a failure', async () => {
    expect((await call(s.sim, 'PUT', consumerPath('6011111111111117'), { token: s.token, body: { personalInformation: PERSONAL } })).status).toBe(204);
    expect(s.failed()).toEqual([]);
    expect(s.warned()).toEqual(['IN-ID-002', 'IN-JWE-008']);
  });

  it('DELETE on the consumer path (a REST habit) is graded as the wrong method, IN-CON-001', async () => {
    const answer = await call(s.sim, 'DELETE', consumerPath('cons-0001'), { token: s.token });
    expect(answer.status).toBe(405);
    expect(s.failed()).toEqual(['IN-CON-001']);
  });

  it('an identical retry of an ACTIVE card is accepted even when its PAN is also on a deleted card (IN-ID-005 not misapplied)', async () => {
    const card = async (cardId: string, consumerId: string) =>
      call(s.sim, 'PUT', cardPath(cardId), {
        token: s.token,
        body: { consumerId, cardProductId: 'prod-classic-01', encryptedData: await encryptCard(s.sim, { pan: PAN, exp: '1230' }) },
      });
    expect((await card('card-1', 'cons-0009')).status).toBe(204);
    expect((await card('card-2', 'cons-0010')).status).toBe(204);
    expect((await call(s.sim, 'POST', consumerPath('cons-0009', '/operations:delete'), { token: s.token })).status).toBe(200);
    expect((await card('card-2', 'cons-0010')).status).toBe(204);
    expect(s.failed()).toEqual([]);
    // A new card with that PAN is refused: it was deleted.
    expect((await card('card-3', 'cons-0011')).status).toBe(400);
    expect(s.failed()).toEqual(['IN-ID-005']);
  });

  it('the bearer scheme in any case (RFC 9110 §11.1)', async () => {
    expect((await call(s.sim, 'GET', consumerPath('cons-0001', '/cards'), { headers: { authorization: `bearer ${s.token}` } })).status).toBe(404);
    expect(s.failed()).toEqual([]);
  });

  it('an assertion exp a few seconds past, within the clock-skew policy, is accepted; beyond it, IN-AUTH-010 fails', async () => {
    expect((await tokenCall(s.sim, await makeAssertion(s.keys, { expIn: -10 }))).status).toBe(200);
    expect(s.failed()).toEqual([]);
    expect((await tokenCall(s.sim, await makeAssertion(s.keys, { expIn: -60 }))).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-010']);
  });

  it('a name counts only as a word of the id: "customer-000123" does not name Tom, "tom-000123" does', async () => {
    const tom = { ...PERSONAL, firstName: 'Tom' };
    expect((await call(s.sim, 'PUT', consumerPath('customer-000123'), { token: s.token, body: { personalInformation: tom } })).status).toBe(204);
    expect(s.failed()).toEqual([]);
    // Graded, not refused: D1 cannot see it either, the harm is the issuer's.
    expect((await call(s.sim, 'PUT', consumerPath('tom-000123'), { token: s.token, body: { personalInformation: tom } })).status).toBe(204);
    expect(s.failed()).toEqual(['IN-ID-002']);
  });
});
