import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  D1Client,
  personalInformation,
  runJourney,
  type ClientEnv,
  type ClientOptions,
  type RetryEvent,
  type StepName,
} from '../../fixtures/reference-client/index.js';
import { envForStub, ISSUER_ID, issuerKeyPair, stubD1, type IssuerKeyPair, type Seen, type Stub, type StubHandler, type StubReply } from './helpers.js';

/**
 * The client's retry behaviour against a stub D1 (a real HTTP server on 127.0.0.1 that answers
 * what each test scripts): backoff on 5xx and lost connections, Retry-After on 429, no retry on
 * 4xx, one token refresh on 401, the same request every time, and lenient reading of answers.
 */

const PATH = `/banking/v2/issuers/${ISSUER_ID}/consumers/c-resilience-01`;
const BODY = { personalInformation: personalInformation() };

let keys: IssuerKeyPair;
beforeAll(async () => {
  keys = await issuerKeyPair();
});

let stub: Stub | undefined;
let client: D1Client | undefined;
afterEach(async () => {
  await client?.close();
  await stub?.close();
  client = undefined;
  stub = undefined;
});

/** Answers `script` in order, then the last entry forever. */
function scripted(...script: (StubReply | 'destroy')[]): StubHandler {
  return (_req, i) => script[Math.min(i, script.length - 1)] ?? { status: 500 };
}

interface Harness {
  readonly stub: Stub;
  readonly client: D1Client;
  readonly env: ClientEnv;
  readonly retries: RetryEvent[];
  /** Delays the client asked to sleep (only when sleep is faked). */
  readonly slept: number[];
}

/** A stub and a client on it; `fakeSleep` makes waits instant (the asked delays are recorded). */
async function harness(handler: StubHandler, o: { fakeSleep?: boolean; options?: ClientOptions } = {}): Promise<Harness> {
  stub = await stubD1(handler);
  const env = await envForStub(stub, keys);
  const retries: RetryEvent[] = [];
  const slept: number[] = [];
  client = new D1Client(
    env,
    {},
    {
      onRetry: (_step: StepName, e) => retries.push(e),
      ...(o.fakeSleep === true
        ? {
            sleep: (ms) => {
              slept.push(ms);
              return Promise.resolve();
            },
          }
        : {}),
      ...o.options,
    },
  );
  return { stub, client, env, retries, slept };
}

/** What makes two requests "the same request": method, target, body, correlation id. */
const identity = (s: Seen) => ({ method: s.method, url: s.url, body: s.body, correlationId: s.headers['x-correlation-id'] });

describe('retries', () => {
  it('retries a 503 with exponential backoff from 200 ms, re-sending the same request', async () => {
    const h = await harness(scripted({ status: 503 }, { status: 503 }, { status: 204 }));
    const answer = await h.client.call('registerConsumer', 'PUT', PATH, BODY);
    expect(answer.status).toBe(204);
    expect(h.stub.calls).toHaveLength(3);
    const [first, second, third] = h.stub.calls as [Seen, Seen, Seen];
    expect(identity(second)).toEqual(identity(first));
    expect(identity(third)).toEqual(identity(first));
    expect(JSON.parse(first.body)).toEqual(BODY);
    expect(h.retries.map((r) => r.cause)).toEqual([503, 503]);
    const [d1 = 0, d2 = 0] = h.retries.map((r) => r.delayMs);
    expect(d1).toBeGreaterThanOrEqual(200);
    expect(d1).toBeLessThanOrEqual(220);
    expect(d2).toBeGreaterThanOrEqual(400);
    expect(d2).toBeLessThanOrEqual(440);
    // And it really waited.
    expect(second.at - first.at).toBeGreaterThanOrEqual(195);
    expect(third.at - second.at).toBeGreaterThanOrEqual(395);
  });

  it('honours Retry-After on a 429 (about 1 s) before calling again', async () => {
    const h = await harness(scripted({ status: 429, headers: { 'retry-after': '1' } }, { status: 204 }));
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(h.stub.calls).toHaveLength(2);
    const [first, second] = h.stub.calls as [Seen, Seen];
    expect(second.at - first.at).toBeGreaterThanOrEqual(990);
    expect(identity(second)).toEqual(identity(first));
    expect(h.retries).toEqual([{ retry: 1, cause: 429, delayMs: 1000 }]);
  });

  it('does not retry a 429 whose Retry-After is beyond the 10 s cap (calling earlier would break it)', async () => {
    const h = await harness(scripted({ status: 429, headers: { 'retry-after': '120' } }, { status: 204 }), { fakeSleep: true });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(429);
    expect(h.stub.calls).toHaveLength(1);
    expect(h.slept).toEqual([]);
  });

  it('backs off on a 429 without a usable Retry-After', async () => {
    const h = await harness(scripted({ status: 429, headers: { 'retry-after': 'Wed, 21 Oct 2015 07:28:00 GMT' } }, { status: 429 }, { status: 204 }), {
      fakeSleep: true,
    });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(h.slept).toHaveLength(2);
    expect(h.slept[0]).toBeGreaterThanOrEqual(200);
    expect(h.slept[1]).toBeGreaterThanOrEqual(400);
  });

  it.each([500, 502, 504])('retries a %i', async (status) => {
    const h = await harness(scripted({ status }, { status: 204 }), { fakeSleep: true });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(h.stub.calls).toHaveLength(2);
  });

  it('gives up after 3 retries and returns the last answer', async () => {
    const h = await harness(scripted({ status: 503 }), { fakeSleep: true });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(503);
    expect(h.stub.calls).toHaveLength(4);
    expect(h.slept).toHaveLength(3);
    const [a = 0, b = 0, c = 0] = h.slept;
    expect(b).toBeGreaterThan(a);
    expect(c).toBeGreaterThan(b);
    expect(c).toBeGreaterThanOrEqual(800);
  });

  it('retries a dropped connection with the same request', async () => {
    const h = await harness(scripted('destroy', 'destroy', { status: 204 }), { fakeSleep: true });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(h.stub.calls).toHaveLength(3);
    expect(h.retries.map((r) => r.cause)).toEqual(['connection', 'connection']);
    expect(new Set(h.stub.calls.map((c) => JSON.stringify(identity(c)))).size).toBe(1);
  });

  it('reports a connection that never answers as "no answer" in the journey, after its retries', async () => {
    const h = await harness(scripted('destroy'), { fakeSleep: true });
    await h.client.close();
    const summary = await runJourney(h.env, undefined, { client: { sleep: () => Promise.resolve() } });
    expect(summary.completed).toBe(false);
    expect(summary.steps.at(-1)).toEqual({ step: 'registerConsumer', status: null, ok: false, note: 'no answer from D1' });
    expect(h.stub.calls).toHaveLength(4);
  });

  it('retries the token call on a 503 with the same assertion, and refuses nothing on the way', async () => {
    stub = await stubD1(scripted({ status: 204 }), { token: (i) => (i === 0 ? { status: 503 } : undefined) });
    const slept: number[] = [];
    client = new D1Client(
      await envForStub(stub, keys),
      {},
      {
        sleep: (ms) => {
          slept.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect((await client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(stub.tokenCalls).toHaveLength(2);
    expect(stub.tokenCalls[1]?.body).toBe(stub.tokenCalls[0]?.body);
    expect(stub.calls[0]?.headers.authorization).toBe('Bearer tok-2');
    expect(slept).toHaveLength(1);
  });

  it('reports a token call D1 refuses as the token step, without retrying it', async () => {
    stub = await stubD1(scripted({ status: 204 }), { token: () => ({ status: 400, body: { errorCode: 'FIELD_INVALID_VALUE', error: 'assertion' } }) });
    const summary = await runJourney(await envForStub(stub, keys));
    expect(summary.steps).toEqual([{ step: 'token', status: 400, ok: false, note: 'FIELD_INVALID_VALUE' }]);
    expect(stub.tokenCalls).toHaveLength(1);
    expect(stub.calls).toHaveLength(0);
  });

  it.each([400, 403, 404, 409])('never retries a %i', async (status) => {
    const h = await harness(scripted({ status, body: { errorCode: 'FIELD_INVALID_FORMAT', error: 'personalInformation.language' } }, { status: 204 }), {
      fakeSleep: true,
    });
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(status);
    expect(h.stub.calls).toHaveLength(1);
    expect(h.stub.tokenCalls).toHaveLength(1);
    expect(h.slept).toEqual([]);
  });
});

describe('401 from a banking API', () => {
  it('drops the token, fetches a new one once and retries once', async () => {
    const h = await harness(scripted({ status: 401, body: { errorCode: 'AUTHORIZER_UNAUTHORIZED', error: 'Unauthorized message' } }, { status: 204 }));
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(204);
    expect(h.stub.tokenCalls).toHaveLength(2);
    expect(h.stub.calls.map((c) => c.headers.authorization)).toEqual(['Bearer tok-1', 'Bearer tok-2']);
    expect(identity(h.stub.calls[1] as Seen)).toEqual(identity(h.stub.calls[0] as Seen));
    // The new token is the cached one from now on.
    expect((await h.client.call('getCardList', 'GET', `${PATH}/cards`)).status).toBe(204);
    expect(h.stub.calls.at(-1)?.headers.authorization).toBe('Bearer tok-2');
    expect(h.stub.tokenCalls).toHaveLength(2);
  });

  it('returns a second 401 as it is: one refresh, no loop', async () => {
    const h = await harness(scripted({ status: 401 }));
    expect((await h.client.call('registerConsumer', 'PUT', PATH, BODY)).status).toBe(401);
    expect(h.stub.calls).toHaveLength(2);
    expect(h.stub.tokenCalls).toHaveLength(2);
  });
});

describe('the journey against a stub D1', () => {
  /** A D1 of the future: extra fields everywhere, a card state nobody knows yet, Register card failing once. */
  const futureD1: StubHandler = (req) => {
    if (req.url.includes('/cards/')) {
      return { status: 204 };
    }
    if (req.url.endsWith('/operations:update') || req.url.endsWith('/operations:delete')) {
      return { status: 200, body: { operationId: 'op-1', operationStatus: 'QUEUED', links: { self: '/x' } } };
    }
    if (req.url.endsWith('/cards')) {
      return {
        status: 200,
        body: {
          cards: [
            { cardId: 'card-a', cardProductId: 'prod-classic-01', state: 'ACTIVE', tokens: [{ id: 't1' }] },
            { cardId: 'card-b', state: 'PENDING_ISSUANCE', riskScore: 0.2 },
            { state: 'ACTIVE' },
          ],
          digitalCards: [],
          nextPageToken: null,
        },
      };
    }
    return { status: 204, headers: { 'x-d1-new-header': 'yes' } };
  };

  it('tolerates unknown fields and unknown card states', async () => {
    stub = await stubD1(futureD1);
    const summary = await runJourney(await envForStub(stub, keys));
    expect(summary.completed).toBe(true);
    expect(summary.steps.find((s) => s.step === 'getCardList')?.note).toBe('2 card(s), 1 in a state this client does not know');
  });

  it('re-sends a failed Register card with the same cardId, consumerId and body', async () => {
    let cardCalls = 0;
    stub = await stubD1((req, i) => {
      if (req.url.includes('/cards/') && cardCalls++ === 0) return { status: 503 };
      return futureD1(req, i);
    });
    const summary = await runJourney(await envForStub(stub, keys), undefined, { client: { retry: { backoffBaseMs: 5 } } });
    expect(summary.completed).toBe(true);
    // The first card's two attempts, then the second customer's card.
    const cards = stub.calls.filter((c) => c.url.includes('/cards/'));
    expect(cards).toHaveLength(3);
    expect(identity(cards[1] as Seen)).toEqual(identity(cards[0] as Seen));
    const body = JSON.parse((cards[0] as Seen).body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['cardProductId', 'consumerId', 'encryptedData']);
    expect(stub.tokenCalls).toHaveLength(1);
  });
});
