import type { Grading } from './grade.js';
import type { D1EndpointId } from './routes.js';

/**
 * IN-COMPAT-001 as the simulator can see it: after an answer with compat extras, the client goes on
 * to make a well-formed call (processed, not refused), so the extras did not break it. A client
 * that breaks shows it by stopping; the caller running the client sees that (faultsServed()).
 */

const CASE = 'the client goes on after an answer with unknown fields and a new enum value';

export class CompatWatch {
  /** Per endpoint, the number of the latest compat answer no well-formed call has followed yet. */
  readonly #pending = new Map<D1EndpointId, number>();

  served(endpoint: D1EndpointId, seq: number): void {
    this.#pending.set(endpoint, seq);
  }

  /** A well-formed call that arrived after `seen` answers: it follows the compat answers among them. */
  wellFormed(g: Grading, seen: number): void {
    for (const [endpoint, seq] of this.#pending) {
      if (seq > seen) continue;
      g.passOn(endpoint, 'IN-COMPAT-001', CASE);
      this.#pending.delete(endpoint);
    }
  }
}
