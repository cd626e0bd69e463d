import { createHash } from 'node:crypto';
import type { PolicySettings } from '../../../contracts/policies.js';
import type { FaultKind } from './faults.js';
import type { Grading } from './grade.js';
import { isRetryOf, type RequestIdentity } from './identity.js';
import type { D1EndpointId } from './routes.js';

/** A retry comes within this long of the 5xx it answers; later, the same call starts afresh. */
export const STREAK_WINDOW_MS = 30_000;

/**
 * How the client calls again after an answer it did not want (inbound.md §6):
 * - IN-RES-001: a request refused with 400 or 401 is not sent again unchanged (same method,
 *   target, body bytes and Authorization); a changed one (a new token, a fixed body) is fine.
 * - IN-RES-002: after a 429, a retry of that request waits Retry-After (less the tolerance).
 * - IN-RES-003: after a 500 or 503, a retry of the request waits retryMinBackoffMs, and one
 *   request gets at most retryMaxAttempts attempts while the answers stay 5xx.
 * "A retry" is identity.ts's: the same method, path and ids, and the same x-correlation-id or a
 * near-equal body. An independent call to the same endpoint (another customer's registration
 * right after a 503) is no retry and is not graded here.
 * Only answers sent before a request arrived count: a request already in flight reacts to nothing.
 */

/** One request as the watch sees it. */
export interface Call {
  readonly endpoint: D1EndpointId;
  readonly method: string;
  /** The raw request target (path and query). */
  readonly target: string;
  readonly body: Buffer;
  readonly authorization: string | undefined;
  /** The simulator's clock (ms) when it arrived. */
  readonly at: number;
  /** How many answers had been sent when it arrived. */
  readonly seen: number;
  /** What makes it the same request as an earlier one (identity.ts). */
  readonly identity: RequestIdentity;
}

export interface Answer {
  readonly status: number;
  readonly fault?: { readonly kind: FaultKind; readonly retryAfterSeconds?: number };
  /** The simulator's clock (ms) when it was sent. */
  readonly at: number;
  /** Its number among all answers (1-based). */
  readonly seq: number;
}

interface Sent {
  readonly at: number;
  readonly seq: number;
}

interface Streak extends Sent {
  readonly identity: RequestIdentity;
  readonly status: number;
  readonly attempts: number;
  /** The attempts finding is made once per streak. */
  readonly flagged: boolean;
}

/** Enough refused requests to catch a retry loop, not so many that a long run grows without bound. */
const MAX_REFUSALS = 10_000;
/** Requests answered 429 or 5xx still awaiting their retry: a bounded few, the oldest dropped first. */
const MAX_PENDING = 1_000;

interface RateLimited extends Sent {
  readonly identity: RequestIdentity;
  readonly retryAfterSeconds: number;
}

/** The newest entry the call is a retry of, among those answered before it arrived. */
function latestRetried(list: readonly (Sent & { readonly identity: RequestIdentity })[], call: Call): number {
  for (let i = list.length - 1; i >= 0; i--) {
    const e = list[i];
    if (e !== undefined && e.seq <= call.seen && isRetryOf(call.identity, e.identity)) return i;
  }
  return -1;
}

function pushBounded<T>(list: T[], entry: T): void {
  list.push(entry);
  if (list.length > MAX_PENDING) list.shift();
}

const REPEAT_CASE = 'a request refused with 400 or 401 is not repeated unchanged';
const WAIT_CASE = 'waits Retry-After after a 429';
const BACKOFF_CASE = 'backs off after a 5xx before retrying';
const ATTEMPTS_CASE = 'gives up after retryMaxAttempts attempts';

/** A digest of what makes two requests the same; tokens and personal data only ever held hashed. */
function fingerprint(call: Call): string {
  const h = createHash('sha256');
  for (const part of [call.method, call.target, call.authorization ?? '']) h.update(`${Buffer.byteLength(part)}:${part}`);
  return h.update(call.body).digest('hex');
}

export class RetryWatch {
  readonly #policies: PolicySettings;
  readonly #refused = new Map<string, Sent & { readonly status: number }>();
  /** Per endpoint, the latest refusal no later call to the endpoint has followed yet. */
  readonly #unfollowed = new Map<D1EndpointId, number>();
  readonly #rateLimited: RateLimited[] = [];
  readonly #streaks: Streak[] = [];

  constructor(policies: PolicySettings) {
    this.#policies = policies;
  }

  /** Grades the call against the answers sent before it arrived. */
  arrive(g: Grading, call: Call): void {
    this.#repeat(g, call);
    this.#wait(g, call);
    this.#backoff(g, call);
  }

  /** Remembers what the call was answered. */
  answered(call: Call, answer: Answer): void {
    const sent = { at: answer.at, seq: answer.seq };
    if (answer.fault === undefined && (answer.status === 400 || answer.status === 401)) {
      const fp = fingerprint(call);
      this.#refused.delete(fp);
      this.#refused.set(fp, { ...sent, status: answer.status });
      if (this.#refused.size > MAX_REFUSALS) this.#refused.delete(this.#refused.keys().next().value ?? '');
      this.#unfollowed.set(call.endpoint, answer.seq);
    }
    if (answer.status === 429 && answer.fault !== undefined) {
      pushBounded(this.#rateLimited, { ...sent, identity: call.identity, retryAfterSeconds: answer.fault.retryAfterSeconds ?? 0 });
    }
    // The streak of this very request (a retry of it); an independent call's answer touches no other streak.
    const at = this.#streaks.findLastIndex((s) => isRetryOf(call.identity, s.identity));
    const streak = at < 0 ? undefined : this.#streaks.splice(at, 1)[0];
    if (answer.fault !== undefined && (answer.status === 500 || answer.status === 503)) {
      pushBounded(this.#streaks, {
        ...sent,
        identity: call.identity,
        status: answer.status,
        attempts: streak?.attempts ?? 1,
        flagged: streak?.flagged ?? false,
      });
    }
    // Any other answer ends the streak: the request got through (or was refused for what it is).
  }

  #repeat(g: Grading, call: Call): void {
    const refused = this.#refused.size === 0 ? undefined : this.#refused.get(fingerprint(call));
    const repeated = refused !== undefined && refused.seq <= call.seen;
    const last = this.#unfollowed.get(call.endpoint);
    const follows = last !== undefined && last <= call.seen;
    if (follows) this.#unfollowed.delete(call.endpoint);
    // Exercised by the first call to the endpoint after a refusal, and by every unchanged repeat.
    if (!repeated && !follows) return;
    g.check(
      !repeated,
      'IN-RES-001',
      REPEAT_CASE,
      () =>
        `the request refused with ${refused?.status ?? 400} was sent again unchanged (same method, target, body and Authorization); D1 marks 400 and 401 not retryable`,
    );
  }

  #wait(g: Grading, call: Call): void {
    const at = latestRetried(this.#rateLimited, call);
    const limited = at < 0 ? undefined : this.#rateLimited.splice(at, 1)[0];
    if (limited === undefined) return;
    const tolerance = this.#policies.retryAfterToleranceMs;
    const waited = call.at - limited.at;
    const needed = limited.retryAfterSeconds * 1000 - tolerance;
    g.check(
      waited >= needed,
      'IN-RES-002',
      WAIT_CASE,
      () =>
        `called again ${waited} ms after a 429 with Retry-After: ${limited.retryAfterSeconds}; at least ${Math.max(needed, 0)} ms expected (retryAfterToleranceMs ${tolerance})`,
    );
  }

  #backoff(g: Grading, call: Call): void {
    const at = latestRetried(this.#streaks, call);
    const streak = this.#streaks[at];
    if (streak === undefined) return;
    const { retryMinBackoffMs: min, retryMaxAttempts: max } = this.#policies;
    const waited = call.at - streak.at;
    // Long after the last 5xx, the same call is a new request (the client gave up, then tried later), not an attempt of the streak.
    if (waited > STREAK_WINDOW_MS) {
      this.#streaks.splice(at, 1);
      return;
    }
    g.check(
      waited >= min,
      'IN-RES-003',
      BACKOFF_CASE,
      () => `retried ${waited} ms after a ${streak.status} answer; at least ${min} ms expected (retryMinBackoffMs)`,
    );
    const attempt = streak.attempts + 1;
    const within = attempt <= max;
    if (!streak.flagged)
      g.check(
        within,
        'IN-RES-003',
        ATTEMPTS_CASE,
        () => `attempt ${attempt} of one request after 5xx answers; at most ${max} attempts expected (retryMaxAttempts)`,
      );
    this.#streaks[at] = { ...streak, attempts: attempt, flagged: streak.flagged || !within };
  }
}
