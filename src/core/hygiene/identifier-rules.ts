import { scanValue, type HygieneContext, type HygieneKind } from './scan.js';

/**
 * Which personal data each identifier rule forbids, so a rule's check is one call: seed 000
 * (consumerId: no name, email, phone or PAN), seed 002 (cardId: not the PAN nor derived from it),
 * seed 001 (x-correlation-id: not derived from sensitive personal data).
 */
export type IdentifierKind = 'consumerId' | 'cardId' | 'correlationId';

export const FORBIDDEN: { readonly [K in IdentifierKind]: readonly HygieneKind[] } = {
  consumerId: ['pan', 'pan-derived', 'email', 'phone', 'name'],
  cardId: ['pan', 'pan-derived'],
  correlationId: ['pan', 'pan-derived', 'email', 'phone', 'name'],
};

/** The rule each identifier kind answers to, per direction. */
export const IDENTIFIER_RULES: { readonly [K in IdentifierKind]: { readonly server: string; readonly client: string } } = {
  consumerId: { server: 'OUT-ID-001', client: 'IN-ID-002' },
  cardId: { server: 'OUT-ID-002', client: 'IN-ID-001' },
  correlationId: { server: 'OUT-ID-004', client: 'IN-HDR-003' },
};

export interface IdentifierFinding {
  readonly ruleId: string;
  readonly kind: HygieneKind;
  /** Never the value itself: what was found, in words. */
  readonly detail: string;
  /** A PAN-like run that is no known PAN: a heuristic hit (a 19-digit snowflake id is Luhn-valid one time in ten). */
  readonly heuristic: boolean;
}

/** Checks one identifier value against its hygiene rule; an empty list means it is clean. */
export function checkIdentifier(kind: IdentifierKind, value: string, direction: 'server' | 'client', context: HygieneContext = {}): IdentifierFinding[] {
  const forbidden = new Set(FORBIDDEN[kind]);
  const ruleId = IDENTIFIER_RULES[kind][direction];
  return scanValue(value, context)
    .filter((f) => forbidden.has(f.kind))
    .map((f) => ({ ruleId, kind: f.kind, detail: `${kind} ${f.detail}`, heuristic: f.kind === 'pan' && f.known !== true }));
}
