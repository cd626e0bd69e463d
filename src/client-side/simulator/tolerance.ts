import type { Grading } from './grade.js';
import { isRetryOf, type RequestIdentity } from './identity.js';
import type { D1EndpointId } from './routes.js';

/**
 * IN-COMPAT-001 as the simulator can see it: after an answer with compat extras, the client goes on
 * to make a well-formed call (processed, not refused), so the extras did not break it. A retry of
 * the very request that got the compat answer (identity.ts) is not going on: a client that choked
 * on the answer may just send it again. Any other call is, an independent one to the same endpoint
 * included. A client that breaks shows it by stopping; the caller running the client sees that
 * (faultsServed()).
 */

const CASE = 'the client goes on after an answer with unknown fields and a new enum value';

interface Pending {
  readonly seq: number;
  readonly identity: RequestIdentity;
}

export class CompatWatch {
  /** Per endpoint, the latest compat answer no well-formed call has followed yet. */
  readonly #pending = new Map<D1EndpointId, Pending>();

  served(endpoint: D1EndpointId, seq: number, identity: RequestIdentity): void {
    this.#pending.set(endpoint, { seq, identity });
  }

  /** A well-formed call that arrived after `seen` answers: it follows the compat answers among them. */
  wellFormed(g: Grading, seen: number, identity: RequestIdentity): void {
    for (const [endpoint, pending] of this.#pending) {
      if (pending.seq > seen || isRetryOf(identity, pending.identity)) continue;
      g.passOn(endpoint, 'IN-COMPAT-001', CASE);
      this.#pending.delete(endpoint);
    }
  }
}
