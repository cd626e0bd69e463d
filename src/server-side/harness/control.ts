import type { Exchange } from '../../core/http/client.js';
import type { Kit } from './kit.js';

export interface AcceptedCheck {
  /** The request carrying the variation (no x-correlation-id, a cardId, an unknown header...). */
  readonly variation: Exchange;
  /** The same request without the variation. */
  readonly control: Exchange;
  readonly ruleId: string;
  readonly endpoint: string;
  readonly name: string;
  /** What the variation is, for the reason: "the cardId query". */
  readonly what: string;
  readonly accepted: (status: number) => boolean;
  readonly expected: string;
}

/**
 * "X is accepted" means something only against a control: the same request without X. When the
 * control fails too, the endpoint is at fault, not X (its own rules carry that finding): the check
 * of X is SKIPPED with the reason instead of blaming X for a failure it did not cause.
 */
export function expectAcceptedAgainstControl(kit: Kit, c: AcceptedCheck): boolean {
  const status = c.control.response?.status;
  if (status === undefined || !c.accepted(status)) {
    const got = status === undefined ? (c.control.transportError ?? 'no response') : `got ${status}`;
    kit.rec.skip(c.ruleId, c.endpoint, c.name, `the same request without ${c.what} failed too (${got}): the finding belongs to the endpoint, not to ${c.what}`);
    return false;
  }
  return kit.expectStatus(c.variation, c.ruleId, c.endpoint, c.name, c.accepted, c.expected);
}
