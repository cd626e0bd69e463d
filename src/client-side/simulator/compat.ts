/**
 * D1's API change policy (inbound.md §6, N27; IN-COMPAT-001): issuer backends must tolerate new
 * fields and new enum values. With `compat` on, every JSON success answer carries a field no
 * client knows, and Get card list shows one more card, in a state no client knows (a D1-side
 * card, as D1 can create cards itself). The extras are fixed values: nothing from any request.
 * Applied before the simulator checks its own answer, so the check proves the extras are allowed.
 */

/** A state outside ACTIVE / INACTIVE / DELETED. */
export const COMPAT_CARD_STATE = 'PENDING_REVIEW';
export const COMPAT_CARD_ID = 'd1-compat-card-0001';

const UNKNOWN_FIELD = { compatExtension: { revision: 2, note: 'a field this client does not know (IN-COMPAT-001)' } } as const;

/** The body with one unknown field more (or as is, compat off). */
export function withUnknownField<T extends object>(compat: boolean, body: T): T {
  return compat ? { ...body, ...UNKNOWN_FIELD } : body;
}

/** The card list with an unknown field on the list and on each card, and one card in an unknown state. */
export function withCompatCards(compat: boolean, cards: readonly object[], cardProductId: string | undefined): { cards: object[] } {
  if (!compat) return { cards: [...cards] };
  const extra = cardProductId === undefined ? [] : [{ cardId: COMPAT_CARD_ID, cardProductId, state: COMPAT_CARD_STATE }];
  return withUnknownField(true, { cards: [...cards, ...extra].map((c) => withUnknownField(true, c)) });
}
