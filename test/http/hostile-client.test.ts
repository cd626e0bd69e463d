import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { HOSTILE_MODES, startHostileTarget, type HostileMode, type HostileTarget } from '../../fixtures/hostile-target/index.js';
import { createHttpClient, MAX_RESPONSE_BYTES, type Exchange } from '../../src/core/http/client.js';
import { Pacer, retryAfterMs } from '../../src/core/http/pacing.js';
import { MAX_JSON_DEPTH, parseJson } from '../../src/core/util/json.js';

/**
 * Every hostile behaviour, met by the one HTTP client the harness uses: it ends within its
 * limit, never follows a redirect, never buffers a huge body, and says what happened.
 */

const targets: HostileTarget[] = [];
afterAll(async () => {
  for (const t of targets) await t.close();
});

const LIMIT_MS = 600;

async function callOnce(mode: HostileMode, options: { maxRetryAfterMs?: number } = {}): Promise<{ exchange: Exchange; target: HostileTarget; ms: number }> {
  const target = await startHostileTarget(mode);
  targets.push(target);
  const client = createHttpClient({ timeoutMs: LIMIT_MS, ...options });
  const started = Date.now();
  const exchange = await client.send({
    method: 'POST',
    url: `${target.baseUrl}/banking/d1/v1/issuers/${target.issuerId}/consumers/c1/otp`,
    headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
    body: '{"otp":{"value":"123456"}}',
  });
  await client.close();
  return { exchange, target, ms: Date.now() - started };
}

describe('the HTTP client against each hostile mode', () => {
  it('covers every mode of the fixture', () => {
    expect(HOSTILE_MODES.length).toBe(14);
  });

  it.each(['hang', 'drip', 'lying-length'] as const)('%s: no response within the limit, and the call ends then (headers and body alike)', async (mode) => {
    const { exchange, ms } = await callOnce(mode);
    expect(exchange.response).toBeUndefined();
    expect(exchange.transportError).toBe(`no response within ${LIMIT_MS} ms`);
    expect(ms).toBeLessThan(LIMIT_MS + 1_500);
  });

  it.each(['reset', 'garbage'] as const)('%s: a transport error, no response', async (mode) => {
    const { exchange } = await callOnce(mode);
    expect(exchange.response).toBeUndefined();
    expect(exchange.transportError).toMatch(/connection reset|transport error/);
  });

  it('huge-body: cut at 64 KiB and the connection dropped, never the 200 MB read', async () => {
    const { exchange, ms } = await callOnce('huge-body');
    expect(exchange.response?.truncated).toBe(true);
    expect(exchange.response?.body.length).toBe(MAX_RESPONSE_BYTES);
    expect(ms).toBeLessThan(LIMIT_MS + 1_500);
  });

  it.each(['redirect-loop', 'off-host-redirect'] as const)('%s: the 3xx is the answer, never followed', async (mode) => {
    const { exchange, target } = await callOnce(mode);
    expect(exchange.response?.status).toBeGreaterThanOrEqual(300);
    expect(exchange.response?.status).toBeLessThan(400);
    expect(exchange.response?.headers.location).toBeDefined();
    expect(target.offHostHits()).toBe(0);
  });

  it('throttle: a Retry-After longer than the run waits is not waited for; the call says it was throttled', async () => {
    const { exchange, ms } = await callOnce('throttle', { maxRetryAfterMs: 30_000 });
    expect(exchange.response?.status).toBe(429);
    expect(exchange.throttled).toEqual({ retryAfterMs: 86_400_000 });
    expect(ms).toBeLessThan(1_500);
  });

  it('html-errors: an answer like any other (the checks judge its body)', async () => {
    const { exchange } = await callOnce('html-errors');
    expect(exchange.response?.status).toBe(500);
    expect(exchange.response?.headers['content-type']).toBe('text/html');
  });

  it('invalid-utf8: flagged, the text shown with replacement characters', async () => {
    const { exchange } = await callOnce('invalid-utf8');
    expect(exchange.response?.invalidUtf8).toBe(true);
    expect(exchange.response?.body).toContain('\uFFFD');
  });

  it('a valid body cut inside a multi-byte character is not called invalid UTF-8', async () => {
    const server = createServer((_req, res) =>
      res.writeHead(200).end(Buffer.concat([Buffer.alloc(MAX_RESPONSE_BYTES - 1, 0x61), Buffer.from('é'), Buffer.from('tail')])),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = createHttpClient({ timeoutMs: 2_000 });
    const exchange = await client.send({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, headers: {} });
    await client.close();
    server.close();
    expect(exchange.response?.truncated).toBe(true);
    expect(exchange.response?.invalidUtf8).toBeUndefined();
  });

  it('deep-json: parsed as "too deep" in one pass, without recursion or a stack overflow', async () => {
    const { exchange } = await callOnce('deep-json');
    const parsed = parseJson(exchange.response?.body ?? '');
    expect(parsed).toEqual({ ok: false, tooDeep: true });
    expect(parseJson(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`).ok).toBe(true);
    // Brackets inside strings are text, not depth.
    expect(parseJson(JSON.stringify({ a: '['.repeat(10_000) })).ok).toBe(true);
  });

  it('escaped-token and echo: answers the checks judge (the canary scan of whole runs is in test/run/hostile-runs.test.ts)', async () => {
    const escaped = await callOnce('escaped-token');
    expect(escaped.exchange.response?.body).toContain('\\/');
    const echo = await callOnce('echo');
    expect(echo.exchange.response?.body).toContain('Bearer x');
  });
});

describe('pace: --rate-limit and Retry-After', () => {
  it('a 429 whose Retry-After fits is waited for and the call sent again', async () => {
    let calls = 0;
    const server = createServer((_req, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = createHttpClient({ timeoutMs: 2_000, maxRetryAfterMs: 5_000 });
    const started = Date.now();
    const exchange = await client.send({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, headers: {} });
    await client.close();
    server.close();
    expect(exchange.response?.status).toBe(200);
    expect(exchange.throttled).toBeUndefined();
    expect(calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('a Retry-After longer than the run has left is not waited for, even under the cap', async () => {
    const server = createServer((_req, res) => res.writeHead(429, { 'retry-after': '5' }).end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const client = createHttpClient({ timeoutMs: 2_000, maxRetryAfterMs: 60_000 });
    const exchange = await client.send({ method: 'GET', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, headers: {} }, { budgetMs: 1_000 });
    await client.close();
    server.close();
    expect(exchange.throttled).toEqual({ retryAfterMs: 5_000 });
  });

  it('Retry-After as seconds or an HTTP date; anything else is unreadable', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(retryAfterMs({ 'retry-after': '120' }, now)).toBe(120_000);
    expect(retryAfterMs({ 'retry-after': 'Thu, 03 Dec 2026 10:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });

  it('the pacer spaces request starts 1/rate apart; without a rate it never waits', async () => {
    const paced = new Pacer(20);
    const started = Date.now();
    for (let i = 0; i < 5; i++) await paced.slot();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const free = new Pacer(undefined);
    const t0 = Date.now();
    for (let i = 0; i < 50; i++) await free.slot();
    expect(Date.now() - t0).toBeLessThan(50);
  });
});
