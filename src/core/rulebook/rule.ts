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

/**
 * A run setting a rule needs: faults (--faults), assertionAudience (the policy is set), mtls (the
 * transport is mutual TLS), oauth (outbound OAuth is configured). Unmet: NOT_APPLICABLE, the reason
 * from RUN_CONDITION_REASONS in src/core/verdict/verdict.ts.
 */
export const RunCondition = z.enum(['faults', 'assertionAudience', 'mtls', 'oauth', 'selfSignedServerCertLimit']);
export type RunCondition = z.infer<typeof RunCondition>;

/**
 * What a policy does to a breach: under `policy` set to one of `values`, a breach (or only the
 * named `deviation`, e.g. '403' for a 401 rule) becomes `becomes` instead of the level's status.
 * Without a policy, the named deviation always becomes `becomes` (what the sources back for that
 * case, e.g. OUT-GEN-008 on a status seed 004 documents no error body for).
 * IGNORED: the breach is not recorded at all.
 */
export const Tolerance = z.union([
  z.strictObject({
    policy: z.string().min(1),
    values: z.array(z.union([z.string(), z.number(), z.null()])).min(1),
    deviation: z.string().min(1).optional(),
    becomes: z.enum(['FAILED', 'WARNING', 'IGNORED']),
  }),
  z.strictObject({
    deviation: z.string().min(1),
    becomes: z.enum(['FAILED', 'WARNING', 'IGNORED']),
  }),
]);
export type Tolerance = z.infer<typeof Tolerance>;

/** Who is judged: the issuer, or the simulator checking its own answers (never in the issuer's pass count). */
export const Judge = z.enum(['issuer', 'simulator']);
export type Judge = z.infer<typeof Judge>;

/** How a rule can end: it can fail, it can only warn, or it only informs (never fails the issuer). */
export const OutcomeClass = z.enum(['can-fail', 'warning-only', 'informational']);
export type OutcomeClass = z.infer<typeof OutcomeClass>;
export const Outcome = z
  .strictObject({ class: OutcomeClass, reason: z.string().min(1).optional() })
  .refine((o) => o.class === 'can-fail' || o.reason !== undefined, 'an outcome other than can-fail says why');
export type Outcome = z.infer<typeof Outcome>;

/**
 * A rule's role on its endpoints, for endpoint gating: positive (a valid call succeeds), negative
 * (a bad call is refused), robustness (odd but valid input still handled), independent (judged on
 * any answer, e.g. hygiene), other (judged on a success answer).
 */
export const Role = z.enum(['positive', 'negative', 'robustness', 'independent', 'other']);
export type Role = z.infer<typeof Role>;

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
  /** Run settings the rule needs (all of them); absent: always applies (within its profile). */
  applies: z.array(RunCondition).optional(),
  /** How policies soften (or harden) a breach; see statusOfBreach in src/core/verdict/verdict.ts. */
  tolerance: z.array(Tolerance).optional(),
  /**
   * What the user must provide for the rule to be tested (test data, a setting, calls their
   * integration tests make), or what the tool cannot do yet: for rules a run can leave SKIPPED for
   * lack of it. Reports show it with the rule when it ends SKIPPED (the certifiable explanation).
   */
  needs: z.string().min(1).optional(),
  judges: Judge,
  outcome: Outcome,
  role: Role,
});
export type Rule = z.infer<typeof Rule>;

/** A rule as contracts write it: judges, outcome and role default from its level and kind (see catalog.ts). */
export type RuleSpec = Omit<Rule, 'judges' | 'outcome' | 'role'> & Partial<Pick<Rule, 'judges' | 'outcome' | 'role'>>;

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
  readonly applies?: readonly RunCondition[];
  readonly tolerance?: readonly Tolerance[];
  readonly judges?: Judge;
  readonly outcome?: Outcome;
  readonly role?: Role;
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
