import { setTimeout as sleep } from 'node:timers/promises';
import { FaultedRegistrations } from './duplicates.js';
import { internalError, tooManyRequests, unavailable } from './errors.js';
import { faultFor, type Fault, type FaultKind, type FaultPlan } from './faults.js';
import type { Grading } from './grade.js';
import type { Reply } from './http.js';
import type { SimulatorConfig } from './options.js';
import { RetryWatch, type Call } from './retries.js';
import type { D1EndpointId } from './routes.js';
import { CompatWatch } from './tolerance.js';

const MAX_SERVED = 1000;

/**
 * Faults in, resilience grades out: counts the calls per endpoint, answers the ones the fault plan
 * names, and hands every call and answer to the watches (IN-RES-001..003 on the call pattern,
 * IN-RES-004 on registrations, IN-COMPAT-001 on compat answers). IN-RES-002..004 and IN-COMPAT-001
 * tell a retry from an independent call by identity.ts's retry identity. With no plan, nothing is
 * injected and only IN-RES-001 has anything to grade.
 */

/** What the simulator injected, without request data: what the caller needs to read a client's failure. */
export interface FaultServed {
  readonly endpoint: D1EndpointId;
  /** A fault kind, or 'compat' for an answer with compat extras. */
  readonly kind: FaultKind | 'compat';
  /** The call to the endpoint it answered (1-based). */
  readonly call: number;
  readonly status: number;
}

/** The call's number at its endpoint, and the fault the plan has for it. */
export interface Decision {
  readonly nth: number;
  readonly fault?: Fault;
}

export interface Arrival {
  readonly at: number;
  readonly seen: number;
}

/** A call of the API endpoints, with its path parameters (for IN-RES-004). */
export interface ResilienceCall extends Call {
  readonly params: Readonly<Record<string, string>>;
}

/** Statuses that say the simulator refused the request for what it is. */
const REFUSED = new Set([400, 401, 413]);

export class Resilience {
  readonly registrations = new FaultedRegistrations();
  readonly #plan: FaultPlan;
  readonly #now: () => number;
  readonly #retries: RetryWatch;
  readonly #compat = new CompatWatch();
  readonly #calls = new Map<D1EndpointId, number>();
  readonly #served: FaultServed[] = [];
  readonly #stop = new AbortController();
  #answers = 0;

  constructor(config: SimulatorConfig) {
    this.#plan = config.faults;
    this.#now = config.now;
    this.#retries = new RetryWatch(config.policies);
  }

  /** Taken as a request arrives: only answers sent before it can be what it reacts to. */
  arrival(): Arrival {
    return { at: this.#now(), seen: this.#answers };
  }

  /** Grades the call against earlier answers; the fault the plan has for it, if any. */
  begin(g: Grading, call: ResilienceCall): Decision {
    const nth = (this.#calls.get(call.endpoint) ?? 0) + 1;
    this.#calls.set(call.endpoint, nth);
    this.#retries.arrive(g, call);
    const fault = faultFor(this.#plan, call.endpoint, nth);
    return fault === undefined ? { nth } : { fault, nth };
  }

  /**
   * The answer to send, with the fault applied: `processed` is the normal answer, undefined when a
   * preempting fault answers before the request is looked at. Remembers it for later calls.
   */
  async finish(g: Grading, call: ResilienceCall, decision: Decision, processed: Reply | undefined): Promise<Reply> {
    const { fault, nth } = decision;
    const reply = await this.#answer(fault, processed);
    if (processed !== undefined && !REFUSED.has(processed.status)) this.#compat.wellFormed(g, call.seen, call.identity);

    const seq = ++this.#answers;
    const retryAfterSeconds = fault?.kind === 'rate-limit' ? fault.retryAfterSeconds : undefined;
    this.#retries.answered(call, { status: reply.status, at: this.#now(), seq, ...(fault ? { fault: { kind: fault.kind, retryAfterSeconds } } : {}) });
    if (fault) {
      this.#record({ endpoint: call.endpoint, kind: fault.kind, call: nth, status: reply.status });
      this.#noteRegistration(call);
    }
    // With compat on, every JSON success answer carries the extras (compat.ts).
    if (this.#plan.compat && reply.status >= 200 && reply.status < 300 && reply.body !== undefined) {
      this.#compat.served(call.endpoint, seq, call.identity);
      this.#record({ endpoint: call.endpoint, kind: 'compat', call: nth, status: reply.status });
    }
    return reply;
  }

  #record(entry: FaultServed): void {
    // Bounded for a long `simulate` session: the newest entries are the ones a verdict reads.
    if (this.#served.length >= MAX_SERVED) this.#served.shift();
    this.#served.push(entry);
  }

  served(): readonly FaultServed[] {
    return [...this.#served];
  }

  /** Cuts pending delays short (the server is closing). */
  stop(): void {
    this.#stop.abort();
  }

  async #answer(fault: Fault | undefined, processed: Reply | undefined): Promise<Reply> {
    switch (fault?.kind) {
      case 'rate-limit':
        return tooManyRequests(fault.retryAfterSeconds);
      case 'unavailable':
        return unavailable();
      case 'server-error':
        return internalError();
      case 'commit-then-error':
        // The operation is done; the client is told it failed.
        return internalError();
      case 'delay':
        await sleep(fault.delayMs, undefined, { signal: this.#stop.signal }).catch(() => undefined);
        break;
      case undefined:
        break;
    }
    // Only a preempting fault answers without processing; reaching here without an answer is a simulator bug.
    return processed ?? internalError();
  }

  #noteRegistration(call: ResilienceCall): void {
    const { cardId, consumerId } = call.params;
    if (call.endpoint === 'd1.registerCard' && cardId !== undefined) this.registrations.noteCard(cardId, call.identity);
    if (call.endpoint === 'd1.registerConsumer' && consumerId !== undefined) this.registrations.noteConsumer(consumerId, call.identity);
  }
}
