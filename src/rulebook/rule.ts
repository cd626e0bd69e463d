import { z } from 'zod';

/** Rule ids follow the fact tables' candidate ids: OUT-* for D1 -> issuer, IN-* for issuer -> D1. */
export const RULE_ID = /^(OUT|IN)-[A-Z0-9]+-\d{3}$/;

export const Level = z.enum(['MUST', 'SHOULD', 'POLICY']);
export type Level = z.infer<typeof Level>;

/** issuer-as-server: D1 calls the issuer (suites); issuer-as-client: the issuer calls D1 (simulator). */
export const Direction = z.enum(['issuer-as-server', 'issuer-as-client']);
export type Direction = z.infer<typeof Direction>;

/** The fact tables' confidence tags: a seed or V value is fact, the rest leans on a policy. */
export const Confidence = z.enum(['V', 'V~', 'I', 'S', 'NF']);
export type Confidence = z.infer<typeof Confidence>;

/**
 * schema: a field constraint (type, length, pattern, enum); presence: a required field;
 * profile: a field an integration profile makes mandatory; advice: a SHOULD check on a valid value;
 * behaviour: what the implementation must do (status codes, auth, flows); hygiene: no PII / PAN.
 */
export const RuleKind = z.enum(['schema', 'presence', 'profile', 'advice', 'behaviour', 'hygiene']);
export type RuleKind = z.infer<typeof RuleKind>;

export const Rule = z.strictObject({
  id: z.string().regex(RULE_ID),
  title: z.string().min(1),
  level: Level,
  kind: RuleKind,
  direction: Direction,
  endpoints: z.array(z.string().min(1)).min(1),
  /** Field paths the rule governs, e.g. `body.firstName`, `path.consumerId`, `headers.x-correlation-id`. */
  fields: z.array(z.string()),
  /** Seed file and section, or fact-table row, e.g. `seed 004 consumerInfo.firstName`. */
  source: z.string().min(1),
  confidence: Confidence,
  /** Integration profile the rule applies to; absent = every profile. */
  profile: z.string().optional(),
  /** Named policies that decide the rule where the spec is silent. */
  policies: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type Rule = z.infer<typeof Rule>;

/** How a field definition names the rule it enforces; direction, endpoint and path come from where it is used. */
export interface RuleRef {
  readonly id: string;
  readonly source: string;
  readonly level?: Level;
  readonly confidence?: Confidence;
  readonly title?: string;
  readonly profile?: string;
  readonly policies?: readonly string[];
  readonly note?: string;
}

export function rule(id: string, source: string, extra: Omit<RuleRef, 'id' | 'source'> = {}): RuleRef {
  if (!RULE_ID.test(id)) throw new Error(`rule id ${id} does not match ${RULE_ID.source}`);
  return { id, source, ...extra };
}

/** Zod issue messages carry the rule id as a `[ID]` prefix, so every rejection names its rule. */
export function tag(ref: RuleRef, text: string): string {
  return `[${ref.id}] ${text}`;
}

const TAG = /^\[((?:OUT|IN)-[A-Z0-9]+-\d{3})\] /;

export function ruleIdOf(message: string): string | undefined {
  return TAG.exec(message)?.[1];
}
