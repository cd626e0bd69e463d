import type { Exchange } from '../../core/http/client.js';
import type { Stop } from '../../core/results/model.js';

export type { Stop };

/**
 * What keeps a run bounded against a target that hangs, drips or throttles: the run's deadline
 * (`--max-time`), and per endpoint a stop after a run of calls that got no response at all, or a
 * 429 whose Retry-After the run cannot wait for. A stopped call is never sent: the test ends with
 * NotJudged, and the rules it would have judged are SKIPPED with the stop's reason, never PASSED.
 */

/** Thrown instead of sending a call the guard stopped; not a harness error. */
export class NotJudged extends Error {
  constructor(readonly stop: Stop) {
    super(stop.reason);
    this.name = 'NotJudged';
  }
}

export interface GuardLimits {
  /** Epoch ms past which nothing is sent. */
  readonly deadlineAt: number;
  /** The --max-time as configured, for the reason's words. */
  readonly runMs: number;
  readonly transportFailuresPerEndpoint: number;
}

export class CallGuard {
  private readonly inRow = new Map<string, number>();
  private readonly stopped = new Map<string, Stop>();
  private deadline: Stop | undefined;

  constructor(private readonly limits: GuardLimits) {}

  /** Time left in the run (ms), for the request's own limit. */
  remainingMs(): number {
    return Math.max(0, this.limits.deadlineAt - Date.now());
  }

  /** Throws NotJudged when the run is out of time or the endpoint was stopped. */
  before(endpoint: string): void {
    if (this.deadline === undefined && Date.now() >= this.limits.deadlineAt) {
      this.deadline = { kind: 'deadline', reason: `not judged: the run reached its --max-time of ${seconds(this.limits.runMs)} before this call` };
    }
    const stop = this.deadline ?? this.stopped.get(endpoint);
    if (stop) throw new NotJudged(stop);
  }

  /** Learns from an answer; a 429 the run cannot wait for stops the endpoint and this call's judgement. */
  after(endpoint: string, exchange: Exchange): void {
    if (exchange.throttled !== undefined) {
      const after = exchange.throttled.retryAfterMs;
      const stop: Stop = {
        kind: 'throttled',
        endpoint,
        reason: `not judged: the target throttled ${endpoint} (429${after !== undefined ? `, Retry-After ${seconds(after)}` : ' without Retry-After'}, longer than the run waits); re-run with a lower --rate-limit`,
      };
      this.stopped.set(endpoint, stop);
      throw new NotJudged(stop);
    }
    if (exchange.response) {
      this.inRow.set(endpoint, 0);
      return;
    }
    const n = (this.inRow.get(endpoint) ?? 0) + 1;
    this.inRow.set(endpoint, n);
    if (n >= this.limits.transportFailuresPerEndpoint && !this.stopped.has(endpoint)) {
      this.stopped.set(endpoint, {
        kind: 'unreachable',
        endpoint,
        reason: `not judged: ${endpoint} was not called again after ${n} calls in a row got no response (${exchange.transportError ?? 'transport error'})`,
      });
    }
  }

  /** Every stop so far, the deadline first. */
  stops(): Stop[] {
    return [...(this.deadline ? [this.deadline] : []), ...this.stopped.values()];
  }
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
