import type { Confidence, Direction, Judge, Level, Outcome, Role, RuleSpec, RunCondition, Tolerance } from '../../src/core/rulebook/rule.js';
import type { EndpointId } from '../endpoints.js';

/** A behavioural or hygiene rule: what an implementation must do, beyond the shape of a message. */
export function behaviour(
  direction: Direction,
  spec: {
    id: string;
    level: Level;
    title: string;
    endpoints: readonly EndpointId[];
    source: string;
    confidence: Confidence;
    kind?: 'behaviour' | 'hygiene';
    fields?: readonly string[];
    profile?: string;
    policies?: readonly string[];
    note?: string;
    applies?: readonly RunCondition[];
    tolerance?: readonly Tolerance[];
    /** What the user must provide for the rule to be tested (see Rule.needs). */
    needs?: string;
    judges?: Judge;
    outcome?: Outcome;
    role?: Role;
  },
): RuleSpec {
  return {
    id: spec.id,
    title: spec.title,
    level: spec.level,
    kind: spec.kind ?? 'behaviour',
    direction,
    endpoints: [...spec.endpoints],
    fields: [...(spec.fields ?? [])],
    source: spec.source,
    confidence: spec.confidence,
    ...(spec.profile !== undefined ? { profile: spec.profile } : {}),
    ...(spec.policies ? { policies: [...spec.policies] } : {}),
    ...(spec.note !== undefined ? { note: spec.note } : {}),
    ...(spec.applies ? { applies: [...spec.applies] } : {}),
    ...(spec.tolerance ? { tolerance: spec.tolerance.map((t) => ('values' in t ? { ...t, values: [...t.values] } : { ...t })) } : {}),
    ...(spec.needs !== undefined ? { needs: spec.needs } : {}),
    ...(spec.judges !== undefined ? { judges: spec.judges } : {}),
    ...(spec.outcome !== undefined ? { outcome: spec.outcome } : {}),
    ...(spec.role !== undefined ? { role: spec.role } : {}),
  };
}
