import { deleteOperationResponse, getCardListResponse, updateOperationResponse } from '../../../contracts/d1-api/consumers.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { checkMessage } from '../../core/rulebook/check.js';
import { withCompatCards, withUnknownField } from './compat.js';
import { clearlyDifferentPeople, type FaultedRegistrations } from './duplicates.js';
import { fieldInvalid, notFound } from './errors.js';
import type { Grading } from './grade.js';
import type { RequestIdentity } from './identity.js';
import type { Reply } from './http.js';
import type { SimulatorConfig } from './options.js';
import type { ConsumerStatus, SimulatorState } from './state.js';

/**
 * What each D1 API does to the state once its request passed the checks. Every function is
 * synchronous: the state is read and changed in one run, so parallel calls cannot interleave.
 */

export interface OperationDeps {
  readonly config: SimulatorConfig;
  readonly state: SimulatorState;
  /** Registrations answered with a fault, for IN-RES-004. */
  readonly faulted: FaultedRegistrations;
}

/** Register consumer / Register card success: the status is a policy (the v2 numbers are NF). */
function registered(config: SimulatorConfig): Reply {
  const status = config.policies.d1RegisterSuccessStatus;
  return status === 204 ? { status } : { status, body: withUnknownField(config.faults.compat, {}) };
}

function operation(g: Grading, config: SimulatorConfig, contract: MessageDef, operationId: string): Reply {
  const answer = withUnknownField(config.faults.compat, { operationId });
  g.check(checkMessage(contract, answer).ok, 'IN-CON-015', 'the simulator answers {operationId}', 'the simulated operation response breaks its contract');
  return { status: 200, body: answer };
}

/** IN-ID-006: a deleted consumerId comes back only if the policy allows it. */
function reuseAllowed(g: Grading, config: SimulatorConfig, status: ConsumerStatus): boolean {
  if (status !== 'deleted') return true;
  const policy = config.policies.deletedConsumerIdReuse;
  return g.check(
    policy === 'allow',
    'IN-ID-006',
    'a deleted consumerId is registered again only as the policy allows',
    'the consumerId was deleted and the deletedConsumerIdReuse policy is reject',
  );
}

/**
 * IN-ID-003 for consumers: a consumerId names one end user. Registering an ACTIVE consumerId
 * again for the same person is a PUT retry; for another person (other names with email or phone)
 * it is an id reused. (For cards, an ACTIVE cardId reused is IN-ID-004.) Graded, not refused:
 * D1 would overwrite, and the harm is the issuer's.
 */
function gradeUniqueConsumer(g: Grading, state: SimulatorState, consumerId: string, personalInformation: Record<string, unknown> | undefined): void {
  const name = 'a consumerId names one end user';
  if (state.consumerStatus(consumerId) !== 'active') {
    g.pass('IN-ID-003', name);
    return;
  }
  const before = state.personalInformation(consumerId);
  if (before === undefined || personalInformation === undefined) return;
  g.check(
    !clearlyDifferentPeople(before, personalInformation),
    'IN-ID-003',
    name,
    'an ACTIVE consumerId is registered again for another person (other names, no email or phone in common)',
  );
}

export function registerConsumer(
  g: Grading,
  { config, state, faulted }: OperationDeps,
  consumerId: string,
  personalInformation: Record<string, unknown> | undefined,
  identity?: RequestIdentity,
): Reply {
  faulted.gradeConsumer(g, state, consumerId, personalInformation, identity);
  gradeUniqueConsumer(g, state, consumerId, personalInformation);
  if (!reuseAllowed(g, config, state.consumerStatus(consumerId))) return fieldInvalid('FIELD_INVALID_VALUE', 'consumerId');
  state.putConsumer(consumerId, personalInformation, false);
  return registered(config);
}

export function updateConsumer(
  g: Grading,
  { config, state }: OperationDeps,
  consumerId: string,
  personalInformation: Record<string, unknown> | undefined,
): Reply {
  if (!state.updateConsumer(consumerId, personalInformation)) return notFound('Consumer');
  return operation(g, config, updateOperationResponse, state.addOperation('update', consumerId));
}

export function deleteConsumer(g: Grading, { config, state }: OperationDeps, consumerId: string): Reply {
  const { deleted } = state.deleteConsumer(consumerId);
  if (!deleted) return notFound('Consumer');
  g.pass('IN-CON-016', "delete cascades to the consumer's cards");
  return operation(g, config, deleteOperationResponse, state.addOperation('delete', consumerId));
}

export function getCardList(g: Grading, { config, state }: OperationDeps, consumerId: string): Reply {
  if (state.consumerStatus(consumerId) !== 'active') return notFound('Consumer');
  const cards = state.activeCardsOf(consumerId).map(({ cardId, cardProductId, state: cardState }) => ({ cardId, cardProductId, state: cardState }));
  const answer = withCompatCards(config.faults.compat, cards, [...config.cardProducts][0]);
  g.check(checkMessage(getCardListResponse, answer).ok, 'IN-CARD-007', 'the simulator answers {cards: [...]}', 'the simulated card list breaks its contract');
  return { status: 200, body: answer };
}

export interface CardRegistration {
  readonly cardId: string;
  readonly consumerId: string;
  readonly cardProductId: string;
  readonly pan: string;
  /** The body field that carries the JWE (policy registerCardJweField), named in a refusal. */
  readonly jweField: string;
  /** The call's retry identity (IN-RES-004). */
  readonly identity?: RequestIdentity;
}

export function registerCard(g: Grading, { config, state, faulted }: OperationDeps, card: CardRegistration): Reply {
  faulted.gradeCard(g, state, card, card.identity);
  const status = state.consumerStatus(card.consumerId);
  if (status === 'unknown') g.pass('IN-CARD-004', 'an unknown consumerId is registered implicitly');
  if (!reuseAllowed(g, config, status)) return fieldInvalid('FIELD_INVALID_VALUE', 'consumerId');
  const existing = state.card(card.cardId);
  // Repeating the same registration of an ACTIVE card is a PUT retry, not a reuse of anything.
  const retry = existing?.state === 'ACTIVE' && existing.consumerId === card.consumerId && existing.samePan(card.pan);
  if (
    !retry &&
    !g.check(
      !state.isDeletedPan(card.pan),
      'IN-ID-005',
      'a deleted PAN is not registered again',
      'the PAN belongs to a card that was deleted; it can never be registered again',
    )
  ) {
    return fieldInvalid('FIELD_INVALID_VALUE', card.jweField);
  }
  if (existing) {
    const ok = existing.state === 'DELETED' || retry;
    if (
      !g.check(ok, 'IN-ID-004', 'a cardId is registered again only after its card was deleted', 'the cardId names an active card with another PAN or consumer')
    ) {
      return fieldInvalid('FIELD_INVALID_VALUE', 'cardId');
    }
  }
  if (status !== 'active') state.putConsumer(card.consumerId, undefined, true);
  state.putCard(card);
  return registered(config);
}
