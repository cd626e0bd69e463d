import { setTimeout as sleep } from 'node:timers/promises';
import { STREAK_WINDOW_MS } from '../../src/client-side/simulator/retries.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  COMPAT_CARD_ID,
  COMPAT_CARD_STATE,
  DEFAULT_FAULT_PLAN,
  FaultPlan,
  startSimulator,
  type FaultPlanInput,
  type RunningSimulator,
  type SimulatorOptions,
} from '../../src/client-side/simulator/index.js';
import {
  accessToken,
  call,
  cardPath,
  consumerPath,
  encryptCard,
  FakeClock,
  faultBody,
  issuerKeys,
  json,
  makeAssertion,
  OTHER_PANS,
  PAN,
  PERSONAL,
  ruleIds,
  simulatorFor,
  tokenCall,
  type Answer,
  type IssuerKeys,
} from './helpers.js';

/** Fault injection and how the client copes: each IN-RES rule and IN-COMPAT-001, a good client and a bad one. */

let keys: IssuerKeys;
let sim: RunningSimulator;
let clock: FakeClock;

beforeAll(async () => {
  keys = await issuerKeys();
});
const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function open(options: SimulatorOptions): Promise<void> {
  sim = await simulatorFor(keys, options);
  running.push(sim);
}

/** A simulator on a fake clock (tests move time instead of waiting). */
async function start(faults: FaultPlanInput | undefined, options: SimulatorOptions = {}): Promise<void> {
  clock = new FakeClock();
  await open({ now: clock.now, ...(faults === undefined ? {} : { faults }), ...options });
}

const token = () => accessToken(sim, keys, { nowMs: clock.ms });
const failed = () => ruleIds(sim.results(), 'FAILED');
const warned = () => ruleIds(sim.results(), 'WARNING');
const graded = (ruleId: string) => sim.results().filter((r) => r.ruleId === ruleId);
const statuses = (ruleId: string) => graded(ruleId).map((r) => r.status);
const served = () => sim.faultsServed().filter((f) => f.kind !== 'compat');

const registerConsumer = (t: string, consumerId: string, personalInformation: object = PERSONAL) =>
  call(sim, 'PUT', consumerPath(consumerId), { token: t, body: { personalInformation } });
const listCards = (t: string, consumerId = 'cons-0001') => call(sim, 'GET', consumerPath(consumerId, '/cards'), { token: t });
async function registerCard(t: string, cardId: string, o: { pan?: string; consumerId?: string } = {}): Promise<Answer> {
  const encryptedData = await encryptCard(sim, { pan: o.pan ?? PAN, exp: '1230' });
  return call(sim, 'PUT', cardPath(cardId), { token: t, body: { consumerId: o.consumerId ?? 'cons-0001', cardProductId: 'prod-classic-01', encryptedData } });
}

describe('the fault plan', () => {
  it.each([
    ['an unknown endpoint', { faults: [{ endpoint: 'd1.getConsumer', nth: 1, kind: 'unavailable' }] }, 'faults.0.endpoint'],
    ['nth 0', { faults: [{ endpoint: 'd1.token', nth: 0, kind: 'unavailable' }] }, 'faults.0.nth'],
    ['an unknown kind', { faults: [{ endpoint: 'd1.token', nth: 1, kind: 'timeout' }] }, 'faults.0.kind'],
    ['a field of another kind', { faults: [{ endpoint: 'd1.token', nth: 1, kind: 'rate-limit', delayMs: 5 }] }, 'faults.0: Unrecognized key: "delayMs"'],
    [
      'commit-then-error on a read',
      { faults: [{ endpoint: 'd1.getCardList', nth: 1, kind: 'commit-then-error' }] },
      'faults.0.kind: commit-then-error needs a write endpoint',
    ],
    [
      'two faults on one call',
      {
        faults: [
          { endpoint: 'd1.token', nth: 1, times: 2, kind: 'unavailable' },
          { endpoint: 'd1.token', nth: 2, kind: 'server-error' },
        ],
      },
      'faults.1: overlaps faults.0 on d1.token',
    ],
    ['an unknown key', { fault: [] }, '(root): Unrecognized key'],
    ['not an object', true, '(root): Invalid input'],
  ])('refuses %s at start, in one line', async (_what, plan, where) => {
    const refusal = startSimulator({ faults: plan as unknown as FaultPlanInput });
    await expect(refusal).rejects.toThrow(/^simulator: invalid fault plan \(.+\)$/);
    const message = await refusal.catch((e: unknown) => (e as Error).message);
    expect(message).not.toContain('\n');
    expect(message).toContain(where);
  });

  it('fills defaults; DEFAULT_FAULT_PLAN is a valid plan of every kind but server-error, with compat', () => {
    expect(FaultPlan.parse({})).toEqual({ faults: [], compat: false });
    expect(FaultPlan.parse({ faults: [{ endpoint: 'd1.token', nth: 2, kind: 'rate-limit' }] }).faults).toEqual([
      { endpoint: 'd1.token', nth: 2, times: 1, kind: 'rate-limit', retryAfterSeconds: 1 },
    ]);
    expect(FaultPlan.parse(DEFAULT_FAULT_PLAN)).toEqual(DEFAULT_FAULT_PLAN);
    expect(DEFAULT_FAULT_PLAN.faults.map((f) => `${f.endpoint} ${f.kind}`)).toEqual([
      'd1.token unavailable',
      'd1.registerConsumer rate-limit',
      'd1.registerCard commit-then-error',
      'd1.getCardList delay',
    ]);
    expect(DEFAULT_FAULT_PLAN.compat).toBe(true);
  });

  it('with no plan, never injects a fault nor compat extras', async () => {
    await start(undefined);
    const codes: number[] = [];
    for (const [round, pan] of [PAN, ...OTHER_PANS.slice(0, 2)].entries()) {
      const grant = await tokenCall(sim, await makeAssertion(keys, { nowMs: clock.ms }));
      expect(Object.keys(json(grant)).sort()).toEqual(['access_token', 'expires_in', 'scope', 'token_type']);
      const t = json(grant).access_token as string;
      const consumerId = `cons-000${round}`;
      codes.push((await registerConsumer(t, consumerId)).status, (await registerCard(t, `card-000${round}`, { consumerId, pan })).status);
      const list = await listCards(t, consumerId);
      expect(json(list)).toEqual({ cards: [{ cardId: `card-000${round}`, cardProductId: 'prod-classic-01', state: 'ACTIVE' }] });
      const update = await call(sim, 'POST', consumerPath(consumerId, '/operations:update'), { token: t, body: { personalInformation: PERSONAL } });
      expect(Object.keys(json(update))).toEqual(['operationId']);
      codes.push(list.status, update.status, (await call(sim, 'POST', consumerPath(consumerId, '/operations:delete'), { token: t })).status);
    }
    expect(codes.filter((s) => s >= 300)).toEqual([]);
    expect(sim.faultsServed()).toEqual([]);
    expect(failed()).toEqual([]);
  });
});

describe('429 with Retry-After (IN-RES-002)', () => {
  it('passes a client that waits Retry-After (less the tolerance); the request was not processed', async () => {
    await start({ faults: [{ endpoint: 'd1.registerConsumer', nth: 1, kind: 'rate-limit', retryAfterSeconds: 2 }] });
    const t = await token();
    const limited = await registerConsumer(t, 'cons-0001');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(faultBody(limited)).toBe('Too many requests');
    expect(sim.state.consumers()).toEqual([]);
    clock.advance(1900);
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect(statuses('IN-RES-002')).toEqual(['PASSED']);
    expect(failed()).toEqual([]);
    expect(served()).toEqual([{ endpoint: 'd1.registerConsumer', kind: 'rate-limit', call: 1, status: 429 }]);
  });

  it('fails a client that retries the request before Retry-After', async () => {
    await start({ faults: [{ endpoint: 'd1.registerConsumer', nth: 1, times: 2, kind: 'rate-limit', retryAfterSeconds: 2 }] });
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(429);
    clock.advance(300);
    const early = await registerConsumer(t, 'cons-0001');
    expect(early.status).toBe(429);
    expect(failed()).toEqual(['IN-RES-002']);
    const finding = graded('IN-RES-002').find((r) => r.status === 'FAILED');
    expect(finding?.message).toBe('called again 300 ms after a 429 with Retry-After: 2; at least 1900 ms expected (retryAfterToleranceMs 100)');
    // The evidence is the early call and the fault it was answered with.
    expect(finding?.evidence?.response).toMatchObject({ status: 429, body: '{"error":"Too many requests"}' });
    // The request was never processed, yet its personal data is masked in the evidence.
    for (const value of [PERSONAL.firstName, PERSONAL.lastName, PERSONAL.residencyAddress.city]) expect(JSON.stringify(finding)).not.toContain(value);
  });
});

describe('500 and 503 (IN-RES-003)', () => {
  it('passes a client that backs off; a token retry may carry a new assertion', async () => {
    await start({
      faults: [
        { endpoint: 'd1.token', nth: 1, kind: 'unavailable' },
        { endpoint: 'd1.getCardList', nth: 1, times: 2, kind: 'server-error' },
      ],
    });
    const down = await tokenCall(sim, await makeAssertion(keys, { nowMs: clock.ms }));
    expect(down.status).toBe(503);
    expect(faultBody(down)).toBe('Service unavailable');
    clock.advance(150);
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect((await listCards(t)).status).toBe(500);
    clock.advance(200);
    expect((await listCards(t)).status).toBe(500);
    clock.advance(400);
    expect((await listCards(t)).status).toBe(200);
    expect(failed()).toEqual([]);
    expect(warned()).toEqual([]);
    expect(graded('IN-RES-003').map((r) => [r.endpoint, r.case, r.status, r.count])).toEqual([
      ['d1.token', 'backs off after a 5xx before retrying', 'PASSED', 1],
      ['d1.token', 'gives up after retryMaxAttempts attempts', 'PASSED', 1],
      ['d1.getCardList', 'backs off after a 5xx before retrying', 'PASSED', 2],
      ['d1.getCardList', 'gives up after retryMaxAttempts attempts', 'PASSED', 2],
    ]);
    expect(served().map((f) => [f.endpoint, f.kind, f.call, f.status])).toEqual([
      ['d1.token', 'unavailable', 1, 503],
      ['d1.getCardList', 'server-error', 1, 500],
      ['d1.getCardList', 'server-error', 2, 500],
    ]);
  });

  it('fails a client that retries at once after a 503', async () => {
    await start({ faults: [{ endpoint: 'd1.getCardList', nth: 1, kind: 'unavailable' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    expect((await listCards(t)).status).toBe(503);
    expect((await listCards(t)).status).toBe(200);
    expect(failed()).toEqual(['IN-RES-003']);
    expect(graded('IN-RES-003').find((r) => r.status === 'FAILED')?.message).toBe(
      'retried 0 ms after a 503 answer; at least 100 ms expected (retryMinBackoffMs)',
    );
  });

  it('fails a client that tries one request more than retryMaxAttempts times, once per streak', async () => {
    await start({ faults: [{ endpoint: 'd1.getCardList', nth: 1, times: 5, kind: 'unavailable' }] }, { policies: { retryMaxAttempts: 3 } });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      answers.push((await listCards(t)).status);
      clock.advance(200);
    }
    expect(answers).toEqual([503, 503, 503, 503, 503, 200]);
    const findings = graded('IN-RES-003').filter((r) => r.status === 'FAILED');
    expect(findings.map((r) => r.message)).toEqual(['attempt 4 of one request after 5xx answers; at most 3 attempts expected (retryMaxAttempts)']);
  });
});

describe('a delayed token answer', () => {
  it('excuses the next token request: the client may have timed out before the answer came (no IN-AUTH-015)', async () => {
    await start({ faults: [{ endpoint: 'd1.token', nth: 1, kind: 'delay', delayMs: 50 }] });
    await token();
    await token();
    expect(graded('IN-AUTH-015').map((r) => r.status)).toEqual(['PASSED']);
    await token();
    expect(graded('IN-AUTH-015').map((r) => r.status)).toEqual(['PASSED', 'WARNING']);
  });
});

describe('a client that gives up after 5xx answers and calls again later (IN-RES-003)', () => {
  it('starts a new request, not attempt number 4, more than 30 s after the last 5xx', async () => {
    await start({ faults: [{ endpoint: 'd1.getCardList', nth: 1, times: 4, kind: 'unavailable' }] }, { policies: { retryMaxAttempts: 3 } });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    for (let i = 0; i < 3; i++) {
      expect((await listCards(t)).status).toBe(503);
      clock.advance(500);
    }
    clock.advance(STREAK_WINDOW_MS);
    expect((await listCards(t)).status).toBe(503);
    expect(graded('IN-RES-003').filter((r) => r.status === 'FAILED')).toEqual([]);
  });
});

describe('a registration answered 500 after it was done (IN-RES-004)', () => {
  it('passes a card registration retried under the same cardId', async () => {
    await start({ faults: [{ endpoint: 'd1.registerCard', nth: 1, kind: 'commit-then-error' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    const first = await registerCard(t, 'card-0001');
    expect(first.status).toBe(500);
    expect(faultBody(first)).toBe('Internal server error');
    expect(sim.state.cards().map((c) => [c.cardId, c.state])).toEqual([['card-0001', 'ACTIVE']]);
    clock.advance(200);
    expect((await registerCard(t, 'card-0001')).status).toBe(204);
    expect(statuses('IN-RES-004')).toEqual(['PASSED']);
    expect(failed()).toEqual([]);
    expect(sim.state.cards()).toHaveLength(1);
  });

  it('fails a card registration retried under a new cardId (a duplicate card), with no PAN in the evidence', async () => {
    await start({ faults: [{ endpoint: 'd1.registerCard', nth: 1, kind: 'commit-then-error' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    expect((await registerCard(t, 'card-0001')).status).toBe(500);
    clock.advance(200);
    expect((await registerCard(t, 'card-0002')).status).toBe(204);
    expect(failed()).toEqual(['IN-RES-004']);
    expect(graded('IN-RES-004').find((r) => r.status === 'FAILED')?.message).toMatch(/registered again under another cardId while that card is ACTIVE/);
    expect(sim.state.cards().map((c) => [c.cardId, c.state, c.panLast4])).toEqual([
      ['card-0001', 'ACTIVE', '1111'],
      ['card-0002', 'ACTIVE', '1111'],
    ]);
    expect(JSON.stringify(sim.results())).not.toContain(PAN);
  });

  it('passes a consumer registration retried under the same consumerId; fails the same person under a new one', async () => {
    await start({ faults: [{ endpoint: 'd1.registerConsumer', nth: 1, times: 2, kind: 'commit-then-error' }] });
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(500);
    expect(sim.state.consumers().map((c) => [c.consumerId, c.state])).toEqual([['cons-0001', 'ACTIVE']]);
    clock.advance(200);
    // Call 2 is faulted too: the retry under the same id is still a retry.
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(500);
    expect(statuses('IN-RES-004')).toEqual(['PASSED']);
    clock.advance(400);
    // Another person under another id is no duplicate.
    expect((await registerConsumer(t, 'cons-0002', { ...PERSONAL, email: 'ana.lee@example.com', firstName: 'Ana', lastName: 'Lee' })).status).toBe(204);
    expect(failed()).toEqual([]);
    // The same person (email in another case) under a new id is.
    expect((await registerConsumer(t, 'cons-0003', { ...PERSONAL, email: PERSONAL.email.toUpperCase() })).status).toBe(204);
    expect(failed()).toEqual(['IN-RES-004']);
    const finding = graded('IN-RES-004').find((r) => r.status === 'FAILED');
    expect(finding?.message).toMatch(/registered again under another consumerId while the first is ACTIVE/);
    expect(JSON.stringify(finding)).not.toContain(PERSONAL.lastName);
  });
});

describe('a refused request repeated unchanged (IN-RES-001, always on)', () => {
  const bad = { ...PERSONAL, language: 'EN_us' };

  it('warns when a 400 request is sent again unchanged', async () => {
    await start(undefined);
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001', bad)).status).toBe(400);
    // A new correlation id does not make it another request.
    expect(
      (await call(sim, 'PUT', consumerPath('cons-0001'), { token: t, headers: { 'x-correlation-id': 'retry-2' }, body: { personalInformation: bad } })).status,
    ).toBe(400);
    expect(warned()).toEqual(['IN-RES-001']);
    const finding = graded('IN-RES-001').find((r) => r.status === 'WARNING');
    expect(finding?.message).toBe(
      'the request refused with 400 was sent again unchanged (same method, target, body and Authorization); D1 marks 400 and 401 not retryable',
    );
    expect(finding?.evidence?.response?.status).toBe(400);
    for (const value of [PERSONAL.email, PERSONAL.lastName]) expect(JSON.stringify(finding)).not.toContain(value);
    expect(sim.faultsServed()).toEqual([]);
  });

  it('passes a client that fixes its body, or fetches a new token after a 401', async () => {
    await start(undefined);
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001', bad)).status).toBe(400);
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect((await listCards('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl')).status).toBe(401);
    expect((await listCards(t)).status).toBe(200);
    expect(graded('IN-RES-001').map((r) => [r.endpoint, r.status])).toEqual([
      ['d1.registerConsumer', 'PASSED'],
      ['d1.getCardList', 'PASSED'],
    ]);
    expect(warned()).toEqual([]);
  });
});

describe('compat answers (IN-COMPAT-001)', () => {
  it("carry unknown fields and a card in a new state, and still pass the simulator's own answer contracts", async () => {
    await start({ compat: true });
    const grant = json(await tokenCall(sim, await makeAssertion(keys, { nowMs: clock.ms })));
    expect(grant).toHaveProperty('compatExtension');
    const t = grant.access_token as string;
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect((await registerCard(t, 'card-0001')).status).toBe(204);
    const update = json(await call(sim, 'POST', consumerPath('cons-0001', '/operations:update'), { token: t, body: { personalInformation: PERSONAL } }));
    expect(Object.keys(update)).toEqual(['operationId', 'compatExtension']);
    const list = json(await listCards(t));
    expect(list).toHaveProperty('compatExtension');
    const cards = list.cards as Record<string, unknown>[];
    expect(cards.map((c) => [c.cardId, c.state])).toEqual([
      ['card-0001', 'ACTIVE'],
      [COMPAT_CARD_ID, COMPAT_CARD_STATE],
    ]);
    for (const card of cards) expect(card).toHaveProperty('compatExtension');
    // The extra card is in the answer only, never in D1's state.
    expect(sim.state.cards().map((c) => c.cardId)).toEqual(['card-0001']);
    expect(json(await call(sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: t }))).toHaveProperty('compatExtension');

    expect(failed()).toEqual([]);
    expect(warned()).toEqual([]);
    for (const id of ['IN-AUTH-017', 'IN-CON-015', 'IN-CARD-007']) expect(new Set(statuses(id)), id).toEqual(new Set(['PASSED']));
    // Every compat answer the client went on after; the delete answer was the last one.
    expect(graded('IN-COMPAT-001').map((r) => [r.endpoint, r.status])).toEqual([
      ['d1.token', 'PASSED'],
      ['d1.updateConsumer', 'PASSED'],
      ['d1.getCardList', 'PASSED'],
    ]);
    expect(sim.faultsServed().map((f) => [f.endpoint, f.kind, f.status])).toEqual([
      ['d1.token', 'compat', 200],
      ['d1.updateConsumer', 'compat', 200],
      ['d1.getCardList', 'compat', 200],
      ['d1.deleteConsumer', 'compat', 200],
    ]);
  });

  it('add a field to a register answer with a body; a refused call does not count as going on', async () => {
    await start({ compat: true }, { policies: { d1RegisterSuccessStatus: 200 } });
    const t = await token();
    expect(json(await registerConsumer(t, 'cons-0001'))).toEqual({ compatExtension: expect.any(Object) as unknown });
    expect((await registerConsumer(t, 'cons-0002', { ...PERSONAL, language: 'EN_us' })).status).toBe(400);
    expect(graded('IN-COMPAT-001').map((r) => r.endpoint)).toEqual(['d1.token']);
    expect((await listCards(t)).status).toBe(200);
    expect(graded('IN-COMPAT-001').map((r) => r.endpoint)).toEqual(['d1.token', 'd1.registerConsumer']);
  });
});

describe('DEFAULT_FAULT_PLAN, on the real clock', () => {
  /** A client as it should be: honours Retry-After, backs off 150 ms after a 5xx, retries the same request, gives up after 4 attempts. */
  async function resilient(send: () => Promise<Answer>): Promise<Answer> {
    for (let attempt = 1; ; attempt++) {
      const answer = await send();
      if (attempt === 4 || (answer.status !== 429 && answer.status < 500)) return answer;
      await sleep(answer.status === 429 ? Number(answer.headers['retry-after']) * 1000 : 150);
    }
  }

  it('is survived by a well-behaved client in a couple of seconds, with no finding', async () => {
    await open({ faults: DEFAULT_FAULT_PLAN });
    const grant = await resilient(async () => tokenCall(sim, await makeAssertion(keys)));
    const t = json(grant).access_token as string;
    expect((await resilient(() => registerConsumer(t, 'cons-0001'))).status).toBe(204);
    // The same JWE on every attempt: the retry is the same request.
    const encryptedData = await encryptCard(sim, { pan: PAN, exp: '1230' });
    const card = await resilient(() =>
      call(sim, 'PUT', cardPath('card-0001'), { token: t, body: { consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedData } }),
    );
    expect(card.status).toBe(204);
    const before = performance.now();
    const list = await resilient(() => listCards(t));
    expect(performance.now() - before).toBeGreaterThanOrEqual(290);
    expect((json(list).cards as unknown[]).length).toBe(2);
    expect((await resilient(() => call(sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: t }))).status).toBe(200);

    expect(failed()).toEqual([]);
    expect(warned()).toEqual([]);
    for (const id of ['IN-RES-002', 'IN-RES-003', 'IN-RES-004', 'IN-COMPAT-001']) expect(statuses(id).length, id).toBeGreaterThan(0);
    expect(served().map((f) => [f.endpoint, f.kind, f.status])).toEqual([
      ['d1.token', 'unavailable', 503],
      ['d1.registerConsumer', 'rate-limit', 429],
      ['d1.registerCard', 'commit-then-error', 500],
      ['d1.getCardList', 'delay', 200],
    ]);
  });

  it('cuts a pending delay short when the simulator closes', async () => {
    await open({ faults: { faults: [{ endpoint: 'd1.getCardList', nth: 1, kind: 'delay', delayMs: 10_000 }] } });
    const t = await accessToken(sim, keys);
    const pending = listCards(t).catch(() => undefined);
    await sleep(50);
    const before = performance.now();
    await sim.close();
    await pending;
    expect(performance.now() - before).toBeLessThan(1000);
  });
});

describe('retry identity: only the same request is a retry (issue 11)', () => {
  const ANA = { ...PERSONAL, firstName: 'Ana', lastName: 'Lee', email: 'ana.lee@example.com', mobilePhoneNumber: { countryCode: '+33', phoneNumber: '698765432' } };

  it('two customers registered back to back, one right after a 503: no IN-RES finding; its real retry is graded', async () => {
    await start({ faults: [{ endpoint: 'd1.registerConsumer', nth: 1, kind: 'unavailable' }] });
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(503);
    // Another customer at once (0 ms): an independent call, not a retry without backoff.
    expect((await registerConsumer(t, 'cons-0002', ANA)).status).toBe(204);
    expect(graded('IN-RES-003')).toEqual([]);
    clock.advance(200);
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect(failed()).toEqual([]);
    expect(graded('IN-RES-003').map((r) => [r.case, r.status, r.count])).toEqual([
      ['backs off after a 5xx before retrying', 'PASSED', 1],
      ['gives up after retryMaxAttempts attempts', 'PASSED', 1],
    ]);
  });

  it('a card registration re-encrypted (new JWE ciphertext) and sent at once is still a retry: IN-RES-003 FAILED; another card is not', async () => {
    await start({ faults: [{ endpoint: 'd1.registerCard', nth: 1, kind: 'unavailable' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    expect((await registerCard(t, 'card-0001')).status).toBe(503);
    expect((await registerCard(t, 'card-0002', { pan: OTHER_PANS[0] })).status).toBe(204);
    expect(graded('IN-RES-003')).toEqual([]);
    // encryptCard makes a new ephemeral key and IV each time: the bytes differ, the content does not.
    expect((await registerCard(t, 'card-0001')).status).toBe(204);
    expect(failed()).toEqual(['IN-RES-003']);
    expect(graded('IN-RES-003').find((r) => r.status === 'FAILED')?.message).toBe('retried 0 ms after a 503 answer; at least 100 ms expected (retryMinBackoffMs)');
  });

  it('different x-correlation-ids on both calls make them independent; the same one makes a retry, whatever the body', async () => {
    await start({ faults: [{ endpoint: 'd1.getCardList', nth: 1, kind: 'unavailable' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    const list = (cid: string) => call(sim, 'GET', consumerPath('cons-0001', '/cards'), { token: t, headers: { 'x-correlation-id': cid } });
    expect((await list('journey-a')).status).toBe(503);
    expect((await list('journey-b')).status).toBe(200);
    expect(graded('IN-RES-003')).toEqual([]);
    // The answer to journey-b did not end journey-a's streak: its retry is still judged.
    expect((await list('journey-a')).status).toBe(200);
    expect(failed()).toEqual(['IN-RES-003']);
  });

  it('a near-equal body (a per-attempt timestamp aside) is the same request; another body on the same path is not', async () => {
    await start({ faults: [{ endpoint: 'd1.updateConsumer', nth: 1, kind: 'unavailable' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    const update = (personalInformation: object, requestTimestamp: number) =>
      call(sim, 'POST', consumerPath('cons-0001', '/operations:update'), { token: t, body: { personalInformation, requestTimestamp } });
    expect((await update(PERSONAL, 1)).status).toBe(503);
    expect((await update({ ...PERSONAL, lastName: 'Smithfield-Lee' }, 2)).status).toBe(200);
    expect(graded('IN-RES-003')).toEqual([]);
    expect((await update(PERSONAL, 3)).status).toBe(200);
    expect(failed()).toEqual(['IN-RES-003']);
  });

  it('a token call re-signed at once after a 503 is a retry (the assertion claims minus iat/exp/jti are compared)', async () => {
    await start({ faults: [{ endpoint: 'd1.token', nth: 1, kind: 'unavailable' }] });
    expect((await tokenCall(sim, await makeAssertion(keys, { nowMs: clock.ms }))).status).toBe(503);
    expect((await tokenCall(sim, await makeAssertion(keys, { nowMs: clock.ms + 1000 }))).status).toBe(200);
    expect(failed()).toEqual(['IN-RES-003']);
  });

  it('an independent call inside Retry-After is not judged against the 429 (IN-RES-002)', async () => {
    await start({ faults: [{ endpoint: 'd1.registerConsumer', nth: 1, kind: 'rate-limit', retryAfterSeconds: 2 }] });
    const t = await token();
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(429);
    clock.advance(300);
    expect((await registerConsumer(t, 'cons-0002', ANA)).status).toBe(204);
    expect(graded('IN-RES-002')).toEqual([]);
    clock.advance(1700);
    expect((await registerConsumer(t, 'cons-0001')).status).toBe(204);
    expect(statuses('IN-RES-002')).toEqual(['PASSED']);
    expect(failed()).toEqual([]);
  });

  it('IN-RES-004: another card registered after a commit-then-error is no duplicate; the re-encrypted retry passes', async () => {
    await start({ faults: [{ endpoint: 'd1.registerCard', nth: 1, kind: 'commit-then-error' }] });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    expect((await registerCard(t, 'card-0001')).status).toBe(500);
    clock.advance(200);
    expect((await registerCard(t, 'card-0002', { pan: OTHER_PANS[1] })).status).toBe(204);
    expect(graded('IN-RES-004')).toEqual([]);
    expect((await registerCard(t, 'card-0001')).status).toBe(204);
    expect(statuses('IN-RES-004')).toEqual(['PASSED']);
    expect(failed()).toEqual([]);
  });

  it('IN-COMPAT-001: the same request sent again is not going on after the compat answer; another call is', async () => {
    await start({ compat: true });
    const t = await token();
    await registerConsumer(t, 'cons-0001');
    expect((await listCards(t)).status).toBe(200);
    expect((await listCards(t)).status).toBe(200);
    expect(graded('IN-COMPAT-001').map((r) => r.endpoint)).not.toContain('d1.getCardList');
    await registerConsumer(t, 'cons-0002', ANA);
    expect(graded('IN-COMPAT-001').map((r) => r.endpoint)).toContain('d1.getCardList');
    expect(failed()).toEqual([]);
  });
});
