import type { Grading } from './grade.js';
import { isRetryOf, type RequestIdentity } from './identity.js';
import type { SimulatorState } from './state.js';
import { isRecord } from '../../core/util/json.js';

/**
 * IN-RES-004: a registration answered with a fault may or may not have been done (commit-then-error
 * does it). Its retry must be the same request, under the same id: the same PAN under a new cardId,
 * or the same person under a new consumerId, while the first one is ACTIVE, is a duplicate in D1.
 * A faulted registration is settled by the first later registration of its id, PAN or person.
 * The pass needs a retry in identity.ts's sense (same path ids, and the same x-correlation-id or a
 * near-equal body); a registration of the same id that is no retry settles it without a grade.
 */

const CARD_CASE = 'a card registration retried after a fault keeps its cardId';
const CONSUMER_CASE = 'a consumer registration retried after a fault keeps its consumerId';

const norm = (v: unknown): string => (typeof v === 'string' ? v.trim().toLowerCase() : '');

/** Who the personalInformation describes: names with an email or a phone; undefined when that is not enough to tell. */
function identity(info: unknown): string | undefined {
  if (!isRecord(info)) return undefined;
  const phone = isRecord(info.mobilePhoneNumber) ? `${norm(info.mobilePhoneNumber.countryCode)}${norm(info.mobilePhoneNumber.phoneNumber)}` : '';
  const contact = norm(info.email) || phone;
  // Names alone are shared by many people: never a duplicate on their own.
  if (contact === '') return undefined;
  return JSON.stringify([norm(info.firstName), norm(info.lastName), contact]);
}

/** The contacts (email, phone) and the full name a personalInformation gives, normalised. */
function person(info: unknown): { contacts: string[]; name: string } | undefined {
  if (!isRecord(info)) return undefined;
  const phone = isRecord(info.mobilePhoneNumber) ? `${norm(info.mobilePhoneNumber.countryCode)}${norm(info.mobilePhoneNumber.phoneNumber)}` : '';
  const contacts = [norm(info.email), phone].filter((c) => c !== '');
  return { contacts, name: `${norm(info.firstName)} ${norm(info.lastName)}` };
}

/**
 * Two personalInformation objects that cannot describe one person: both give a contact, they
 * share none, and the names differ. A changed name, email or phone alone is an update of one
 * person (a marriage, a new number), never proof of another.
 */
export function clearlyDifferentPeople(a: unknown, b: unknown): boolean {
  const x = person(a);
  const y = person(b);
  if (!x || !y || x.contacts.length === 0 || y.contacts.length === 0) return false;
  return !x.contacts.some((c) => y.contacts.includes(c)) && x.name !== y.name;
}

/** Faulted registrations awaiting their retry: a long session keeps the newest. */
const MAX_FAULTED = 1_000;

function note(map: Map<string, RequestIdentity>, id: string, identity: RequestIdentity): void {
  map.delete(id);
  map.set(id, identity);
  if (map.size > MAX_FAULTED) map.delete(map.keys().next().value ?? '');
}

export class FaultedRegistrations {
  readonly #cards = new Map<string, RequestIdentity>();
  readonly #consumers = new Map<string, RequestIdentity>();

  noteCard(cardId: string, identity: RequestIdentity): void {
    note(this.#cards, cardId, identity);
  }

  noteConsumer(consumerId: string, identity: RequestIdentity): void {
    note(this.#consumers, consumerId, identity);
  }

  /** Called before Register card changes the state; `identity` is this call's. */
  gradeCard(g: Grading, state: SimulatorState, card: { readonly cardId: string; readonly pan: string }, identity: RequestIdentity | undefined): void {
    for (const [faulted, attempt] of this.#cards) {
      if (faulted === card.cardId) {
        if (identity !== undefined && isRetryOf(identity, attempt)) g.pass('IN-RES-004', CARD_CASE);
        this.#cards.delete(faulted);
        continue;
      }
      const first = state.card(faulted);
      if (first?.state === 'ACTIVE' && first.samePan(card.pan)) {
        g.finding(
          'IN-RES-004',
          CARD_CASE,
          'the PAN of a card whose registration was answered with a fault is registered again under another cardId while that card is ACTIVE (a duplicate card)',
        );
        this.#cards.delete(faulted);
      }
    }
  }

  /** Called before Register consumer changes the state; `call` is this call's identity. */
  gradeConsumer(
    g: Grading,
    state: SimulatorState,
    consumerId: string,
    personalInformation: Record<string, unknown> | undefined,
    call: RequestIdentity | undefined,
  ): void {
    const who = identity(personalInformation);
    for (const [faulted, first] of this.#consumers) {
      if (faulted === consumerId) {
        if (call !== undefined && isRetryOf(call, first)) g.pass('IN-RES-004', CONSUMER_CASE);
        this.#consumers.delete(faulted);
        continue;
      }
      if (who !== undefined && state.consumerStatus(faulted) === 'active' && identity(state.personalInformation(faulted)) === who) {
        g.finding(
          'IN-RES-004',
          CONSUMER_CASE,
          'the person of a consumer whose registration was answered with a fault (same names and email or phone) is registered again under another consumerId while the first is ACTIVE (a duplicate consumer)',
        );
        this.#consumers.delete(faulted);
      }
    }
  }
}
