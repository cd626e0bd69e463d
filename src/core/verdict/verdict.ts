import { RULES } from '../../../contracts/index.js';
import { DEFAULT_POLICIES, type PolicySettings } from '../../../contracts/policies.js';
import type { Rule, RunCondition } from '../rulebook/rule.js';

/**
 * Where a verdict comes from, in one file. Every rule carries, as data (src/core/rulebook/rule.ts):
 * its level, what may tolerate a breach (`tolerance`: a policy and what it turns the breach into),
 * when it applies (`applies`: run settings; `profile`), who it judges (`judges`), how it can end
 * (`outcome`) and its role on its endpoints (`role`, for endpoint gating in results/aggregate.ts).
 * The Recorder, the simulator's Grader and the aggregation ask this module; none decides a level
 * or a tolerance by rule id.
 */

/** What a breach of a rule records: FAILED, WARNING, or nothing at all (IGNORED, a policy says so). */
export type BreachStatus = 'FAILED' | 'WARNING' | 'IGNORED';

/** A rule id the rulebook does not know: a harness error (exit 2), never a silent pass. */
export class UnknownRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`rule ${ruleId} is not in the rulebook`);
    this.name = 'UnknownRuleError';
  }
}

const BY_ID = new Map<string, Rule>(RULES.map((r) => [r.id, r]));

export function isKnownRule(id: string): boolean {
  return BY_ID.has(id);
}

/** The rule, or UnknownRuleError. */
export function ruleOf(id: string): Rule {
  const rule = BY_ID.get(id);
  if (!rule) throw new UnknownRuleError(id);
  return rule;
}

/**
 * The status of a breach: a SHOULD (or a warning-only rule) warns, a MUST or POLICY fails; an
 * `advice` deviation (a valid value the advice flags) warns by default. Then the rule's tolerances:
 * the first one whose policy currently has one of its values (and whose deviation, if it names
 * one, is this one) decides.
 */
export function statusOfBreach(rule: Rule | string, policies: Partial<PolicySettings> = DEFAULT_POLICIES, deviation?: string): BreachStatus {
  return breachOf(rule, policies, deviation).status;
}

/** The status of a breach and, when a tolerance decided it, the policy setting that did (for the finding's message). */
export function breachOf(
  rule: Rule | string,
  policies: Partial<PolicySettings> = DEFAULT_POLICIES,
  deviation?: string,
): { readonly status: BreachStatus; readonly decidedBy?: string } {
  const r = typeof rule === 'string' ? ruleOf(rule) : rule;
  const warnsByLevel = r.level === 'SHOULD' || r.outcome.class === 'warning-only' || deviation === 'advice';
  for (const t of r.tolerance ?? []) {
    if (t.deviation !== undefined && !deviationMatches(t.deviation, deviation)) continue;
    if (!('policy' in t)) return { status: t.becomes };
    const value: unknown = (policies as Record<string, unknown>)[t.policy] ?? (DEFAULT_POLICIES as Record<string, unknown>)[t.policy];
    if (t.values.includes(value as string | number | null)) return { status: t.becomes, decidedBy: `policy ${t.policy}=${String(value)}` };
  }
  return { status: warnsByLevel ? 'WARNING' : 'FAILED' };
}

/** A tolerance's deviation matches the same name, or a status class (`4xx`) matches any status of it (`404`). */
function deviationMatches(tolerated: string, deviation: string | undefined): boolean {
  if (deviation === undefined) return false;
  if (tolerated === deviation) return true;
  return /^[1-5]xx$/.test(tolerated) && /^\d{3}$/.test(deviation) && deviation[0] === tolerated[0];
}

/**
 * The run's settings a rule's `applies` reads. A setting left undefined is unknown: the rule is
 * not switched off on a guess (a report without the fact keeps the rule's own cases).
 */
export interface RunSettings {
  readonly faults?: boolean;
  readonly mtls?: boolean;
  readonly oauth?: boolean;
  readonly policies?: Partial<PolicySettings>;
}

/** Why a rule needing the condition is NOT_APPLICABLE when the condition is unmet. */
export const RUN_CONDITION_REASONS: { readonly [C in RunCondition]: string } = {
  faults: 'fault injection is off (run with --faults)',
  assertionAudience: 'policy assertionAudience is null: aud is not checked',
  mtls: 'the transport is not mutual TLS in this run',
  oauth: 'outbound OAuth is off (auth.mode none)',
  selfSignedServerCertLimit: 'policy selfSignedServerCertMaxDays is null: the D1 sources set no limit, so none is judged',
};

function conditionHolds(c: RunCondition, s: RunSettings): boolean | undefined {
  switch (c) {
    case 'faults':
      return s.faults;
    case 'mtls':
      return s.mtls;
    case 'oauth':
      return s.oauth;
    case 'assertionAudience':
      return s.policies === undefined ? undefined : (s.policies.assertionAudience ?? null) !== null;
    case 'selfSignedServerCertLimit':
      return s.policies === undefined ? undefined : (s.policies.selfSignedServerCertMaxDays ?? null) !== null;
  }
}

/** undefined when the rule applies (or its conditions are unknown), else the reason it does not. */
export function notApplicableReason(rule: Rule, settings: RunSettings): string | undefined {
  for (const c of rule.applies ?? []) if (conditionHolds(c, settings) === false) return RUN_CONDITION_REASONS[c];
  return undefined;
}

/**
 * Rules that are not the issuer's to pass: the simulator's own promises and informational rules
 * are reported NOT_APPLICABLE with this reason, never in the issuer's pass count.
 */
export function notIssuerGraded(rule: Rule): string | undefined {
  if (rule.judges === 'simulator') return `simulator self-check, not an issuer rule: ${rule.outcome.reason ?? 'the simulator states its own answer'}`;
  if (rule.outcome.class === 'informational') return `informational: ${rule.outcome.reason ?? ''}`;
  return undefined;
}
