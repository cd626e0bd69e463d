import { describe, expect, it } from 'vitest';
import { CallGuard, NotJudged } from '../../src/server-side/harness/call-guard.js';
import type { Exchange } from '../../src/core/http/client.js';

const request = { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} };
const noAnswer: Exchange = { request, transportError: 'no response within 500 ms', durationMs: 500 };
const answer: Exchange = { request, response: { status: 200, headers: {}, body: '', truncated: false }, durationMs: 1 };
const throttled: Exchange = {
  request,
  response: { status: 429, headers: {}, body: '', truncated: false },
  durationMs: 1,
  throttled: { retryAfterMs: 86_400_000 },
};

function guard(overrides: Partial<{ deadlineAt: number; runMs: number; transportFailuresPerEndpoint: number }> = {}) {
  return new CallGuard({ deadlineAt: Date.now() + 60_000, runMs: 60_000, transportFailuresPerEndpoint: 3, ...overrides });
}

function stopOf(fn: () => void): NotJudged | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (e instanceof NotJudged) return e;
    throw e;
  }
}

describe('the call guard keeps a run bounded', () => {
  it('stops an endpoint after N calls in a row without a response; an answer in between resets the count', () => {
    const g = guard();
    g.after('issuer.authenticate', noAnswer);
    g.after('issuer.authenticate', noAnswer);
    g.after('issuer.authenticate', answer);
    g.after('issuer.authenticate', noAnswer);
    g.after('issuer.authenticate', noAnswer);
    expect(
      stopOf(() => {
        g.before('issuer.authenticate');
      }),
    ).toBeUndefined();
    g.after('issuer.authenticate', noAnswer);
    const stop = stopOf(() => {
      g.before('issuer.authenticate');
    });
    expect(stop?.stop).toMatchObject({ kind: 'unreachable', endpoint: 'issuer.authenticate' });
    expect(stop?.message).toContain('after 3 calls in a row got no response (no response within 500 ms)');
    // Other endpoints are still called.
    expect(
      stopOf(() => {
        g.before('issuer.getConsumerInfo');
      }),
    ).toBeUndefined();
    expect(g.stops()).toHaveLength(1);
  });

  it('past the deadline nothing is sent, on any endpoint, and the stop names --max-time', () => {
    const g = guard({ deadlineAt: Date.now() - 1, runMs: 90_000 });
    const stop = stopOf(() => {
      g.before('issuer.getConsumerInfo');
    });
    expect(stop?.stop.kind).toBe('deadline');
    expect(stop?.message).toBe('not judged: the run reached its --max-time of 90 s before this call');
    expect(g.stops()[0]?.kind).toBe('deadline');
    expect(g.remainingMs()).toBe(0);
  });

  it('a 429 the run cannot wait for stops the endpoint at once and this call is not judged', () => {
    const g = guard();
    const stop = stopOf(() => {
      g.after('issuer.deliverOtp', throttled);
    });
    expect(stop?.stop).toMatchObject({ kind: 'throttled', endpoint: 'issuer.deliverOtp' });
    expect(stop?.message).toContain('429, Retry-After 86400 s');
    expect(
      stopOf(() => {
        g.before('issuer.deliverOtp');
      })?.stop.kind,
    ).toBe('throttled');
  });
});
