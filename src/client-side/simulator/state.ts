import { createHmac, randomBytes, randomUUID } from 'node:crypto';

/** How many recent PANs identifier hygiene checks against (see pans()). */
export const PANS_CHECKED = 512;

/**
 * What D1 remembers, in memory: consumers, cards, deleted PANs and the access tokens it issued.
 * Every method is synchronous, so a handler that checks then changes state never awaits in
 * between: concurrent requests cannot interleave inside one operation.
 */

export type EntityState = 'ACTIVE' | 'DELETED';

export interface ConsumerView {
  readonly consumerId: string;
  readonly state: EntityState;
  /** Registered by Register card for a consumerId D1 did not know (IN-CARD-004). */
  readonly implicit: boolean;
  readonly hasPersonalInformation: boolean;
  /** Its active cards. */
  readonly cardIds: readonly string[];
}

/** An Update or Delete consumer operation, as D1 records it (its result would come by notification). */
export interface OperationView {
  readonly operationId: string;
  readonly type: 'update' | 'delete';
  readonly consumerId: string;
}

export interface CardView {
  readonly cardId: string;
  readonly consumerId: string;
  readonly cardProductId: string;
  readonly state: EntityState;
  /** The only part of the PAN a view shows. */
  readonly panLast4: string;
}

interface ConsumerRecord {
  readonly consumerId: string;
  state: EntityState;
  implicit: boolean;
  personalInformation: Record<string, unknown> | undefined;
}

interface CardRecord {
  readonly cardId: string;
  consumerId: string;
  cardProductId: string;
  state: EntityState;
  /** Keyed digest of the PAN: enough to compare PANs (IN-ID-005), nothing to leak. */
  panDigest: string;
  panLast4: string;
}

interface TokenRecord {
  readonly issuerId: string;
  readonly expiresAtMs: number;
}

export type ConsumerStatus = 'unknown' | 'active' | 'deleted';

export class SimulatorState {
  readonly #consumers = new Map<string, ConsumerRecord>();
  readonly #cards = new Map<string, CardRecord>();
  readonly #operations: OperationView[] = [];
  readonly #deletedPans = new Set<string>();
  /** PANs decrypted so far, in clear: only the hygiene checks read them (IN-ID-002, IN-JWE-008). */
  readonly #pans = new Set<string>();
  readonly #tokens = new Map<string, TokenRecord>();
  readonly #digestKey = randomBytes(32);

  // --- consumers -------------------------------------------------------------------------

  consumerStatus(consumerId: string): ConsumerStatus {
    const c = this.#consumers.get(consumerId);
    return c === undefined ? 'unknown' : c.state === 'ACTIVE' ? 'active' : 'deleted';
  }

  /** Register (or register again) a consumer; an implicit registration keeps what an explicit one stored. */
  putConsumer(consumerId: string, personalInformation: Record<string, unknown> | undefined, implicit: boolean): void {
    const existing = this.#consumers.get(consumerId);
    if (existing?.state === 'ACTIVE') {
      if (!implicit) {
        existing.implicit = false;
        if (personalInformation !== undefined) existing.personalInformation = personalInformation;
      }
      return;
    }
    this.#consumers.set(consumerId, { consumerId, state: 'ACTIVE', implicit, personalInformation });
  }

  /** Replaces the stored personal information (Click to Pay updates send every field). False for no active consumer. */
  updateConsumer(consumerId: string, personalInformation: Record<string, unknown> | undefined): boolean {
    const existing = this.#consumers.get(consumerId);
    if (existing?.state !== 'ACTIVE') return false;
    if (personalInformation !== undefined) existing.personalInformation = personalInformation;
    return true;
  }

  /** Deletes the consumer and, in cascade, its cards (seed 001 Delete); their PANs can never come back (IN-ID-005). */
  deleteConsumer(consumerId: string): { deleted: boolean; cards: number } {
    const existing = this.#consumers.get(consumerId);
    if (existing?.state !== 'ACTIVE') return { deleted: false, cards: 0 };
    existing.state = 'DELETED';
    existing.personalInformation = undefined;
    let cards = 0;
    for (const card of this.#cards.values()) {
      if (card.consumerId === consumerId && card.state === 'ACTIVE') {
        card.state = 'DELETED';
        this.#deletedPans.add(card.panDigest);
        cards++;
      }
    }
    return { deleted: true, cards };
  }

  personalInformation(consumerId: string): Record<string, unknown> | undefined {
    return this.#consumers.get(consumerId)?.personalInformation;
  }

  activeCardsOf(consumerId: string): CardView[] {
    return [...this.#cards.values()].filter((c) => c.consumerId === consumerId && c.state === 'ACTIVE').map(cardView);
  }

  // --- cards -----------------------------------------------------------------------------

  card(cardId: string): (CardView & { readonly samePan: (pan: string) => boolean }) | undefined {
    const c = this.#cards.get(cardId);
    return c === undefined ? undefined : { ...cardView(c), samePan: (pan) => this.#digest(pan) === c.panDigest };
  }

  isDeletedPan(pan: string): boolean {
    return this.#deletedPans.has(this.#digest(pan));
  }

  /** Registers the card ACTIVE under the consumer (a reused cardId leaves its old consumer's list, N15). */
  putCard(card: { cardId: string; consumerId: string; cardProductId: string; pan: string }): void {
    this.#cards.set(card.cardId, {
      cardId: card.cardId,
      consumerId: card.consumerId,
      cardProductId: card.cardProductId,
      state: 'ACTIVE',
      panDigest: this.#digest(card.pan),
      panLast4: card.pan.slice(-4),
    });
  }

  learnPan(pan: string): void {
    // Re-learnt PANs move to the end: the most recent are the ones hygiene checks look for.
    this.#pans.delete(pan);
    this.#pans.add(pan);
  }

  /**
   * The PANs decrypted most recently, newest last. Every identifier of every call is checked
   * against them, so a long `simulate` session bounds them; an older PAN in clear is still caught
   * as a Luhn-valid run (a warning instead of a failure).
   */
  pans(limit = PANS_CHECKED): string[] {
    const all = [...this.#pans];
    return all.length > limit ? all.slice(-limit) : all;
  }

  // --- access tokens ---------------------------------------------------------------------

  addToken(jti: string, issuerId: string, expiresAtMs: number): void {
    this.#tokens.set(jti, { issuerId, expiresAtMs });
  }

  #tokenExcused = false;

  /**
   * The next token request is not a failure to reuse (IN-AUTH-015): a banking call was answered
   * 401 (the client was told its token is no good), or a token answer was delayed by a fault (the
   * client may have timed out before it arrived).
   */
  excuseNextToken(): void {
    this.#tokenExcused = true;
  }

  /** Whether the next token request is excused; reading it clears it. */
  takeTokenExcuse(): boolean {
    const excused = this.#tokenExcused;
    this.#tokenExcused = false;
    return excused;
  }

  /** A token this instance issued and has not forgotten (expired ones are pruned). */
  hasToken(jti: string): boolean {
    return this.#tokens.has(jti);
  }

  /** The longest time (ms) any unexpired token of the issuer has left; 0 when it holds none. */
  longestRemainingMs(issuerId: string, nowMs: number): number {
    let longest = 0;
    for (const [jti, t] of this.#tokens) {
      if (t.expiresAtMs <= nowMs) this.#tokens.delete(jti);
      else if (t.issuerId === issuerId) longest = Math.max(longest, t.expiresAtMs - nowMs);
    }
    return longest;
  }

  // --- read-only views -------------------------------------------------------------------

  /** Records an operation and returns its id (unique, of the operationId pattern). */
  addOperation(type: OperationView['type'], consumerId: string): string {
    const operationId = randomUUID();
    this.#operations.push({ operationId, type, consumerId });
    return operationId;
  }

  operations(): OperationView[] {
    return [...this.#operations];
  }

  consumers(): ConsumerView[] {
    return [...this.#consumers.values()].map((c) => ({
      consumerId: c.consumerId,
      state: c.state,
      implicit: c.implicit,
      hasPersonalInformation: c.personalInformation !== undefined,
      cardIds: this.activeCardsOf(c.consumerId).map((card) => card.cardId),
    }));
  }

  cards(): CardView[] {
    return [...this.#cards.values()].map(cardView);
  }

  #digest(pan: string): string {
    return createHmac('sha256', this.#digestKey).update(pan, 'utf8').digest('hex');
  }
}

function cardView(c: CardRecord): CardView {
  return { cardId: c.cardId, consumerId: c.consumerId, cardProductId: c.cardProductId, state: c.state, panLast4: c.panLast4 };
}
