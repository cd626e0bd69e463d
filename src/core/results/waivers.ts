import { z } from 'zod';
import { RULE_ID } from '../rulebook/rule.js';
import { ConfigurationError } from '../errors/index.js';
import type { CaseResult, RuleResult } from './model.js';
import { ENDPOINTS, RULEBOOK_VERSION, ruleById } from '../../../contracts/index.js';
import { listFileSchema, MAX_LIST_FILE_BYTES, readListFile, type ListFile } from './list-file.js';

/**
 * Waivers: a known failure, accepted for a while by a named owner. A waived failure is reported
 * as WAIVED and does not fail the gate; an expired waiver fails the gate; a waiver whose failure
 * is gone is flagged for removal.
 */
export const Waiver = z.strictObject({
  ruleId: z.string().regex(RULE_ID, 'must be a rule id such as OUT-CI-009'),
  endpoint: z.string().min(1).optional(),
  reason: z.string().min(1),
  owner: z.string().min(1),
  expires: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
});
export type Waiver = z.infer<typeof Waiver>;

/** A waivers file lists a few accepted failures: anything larger is a mistake. */
export const MAX_WAIVERS_BYTES = MAX_LIST_FILE_BYTES;

const WAIVERS_FILE: ListFile<typeof Waiver> = {
  label: 'waivers file',
  key: 'waivers',
  noun: 'waiver',
  item: Waiver,
  fields: 'each waiver needs ruleId, reason, owner and expires (endpoint is optional)',
};
/** A waivers file: a list of waivers, or `{waivers: [...]}` (the published JSON Schema). */
export const WaiversFile = listFileSchema(WAIVERS_FILE);

/** Reads a waivers file, JSON or YAML; a waiver naming a rule or endpoint the rulebook does not have is refused. */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  const waivers = await readListFile(file, WAIVERS_FILE);
  waivers.forEach((w, i) => {
    if (!ruleById(w.ruleId))
      throw new ConfigurationError(
        `waivers file ${file}: waiver ${i + 1} names rule ${w.ruleId}, which is not in rulebook ${RULEBOOK_VERSION} (d1-conformance rules lists them)`,
      );
    if (w.endpoint !== undefined && !ENDPOINTS.some((e) => e.id === w.endpoint))
      throw new ConfigurationError(`waivers file ${file}: waiver ${i + 1} names endpoint ${w.endpoint}, which D1 does not have (d1-conformance rules --json lists the endpoints)`);
  });
  return waivers;
}

/** The owner of the waivers `run --since OLD --pending-until DATE` makes for rules new since OLD. */
export const PENDING_OWNER = 'd1-conformance --pending-until';

/**
 * Rules new since OLD, pending like Pact's pending pacts: while `until` (YYYY-MM-DD) is not past,
 * a failure of one is reported WAIVED with this reason and does not fail the gate; after it, none
 * is made and the rules count like any other. Only rules the rulebook judges can be pending.
 */
export function pendingWaivers(ruleIds: readonly string[], since: string, until: string, today: string): Waiver[] {
  if (until < today) return [];
  return ruleIds
    .filter((id) => ruleById(id) !== undefined)
    .map((ruleId) => ({ ruleId, reason: `pending: new since ${since}, does not fail the gate until ${until}`, owner: PENDING_OWNER, expires: until }));
}

export interface WaiverOutcome {
  readonly rules: RuleResult[];
  readonly results: CaseResult[];
  readonly gateProblems: string[];
  readonly staleWaivers: string[];
}

/** Applies the waivers valid on `today` (YYYY-MM-DD) to the failed rules and cases. */
export function applyWaivers(rules: readonly RuleResult[], results: readonly CaseResult[], waivers: readonly Waiver[], today: string): WaiverOutcome {
  const gateProblems: string[] = [];
  const staleWaivers: string[] = [];
  let outRules = [...rules];
  let outResults = [...results];
  for (const w of waivers) {
    const label = `${w.ruleId}${w.endpoint ? ` on ${w.endpoint}` : ''} (owner ${w.owner})`;
    if (w.expires < today) {
      gateProblems.push(`waiver for ${label} expired on ${w.expires}`);
      continue;
    }
    const covers = (c: CaseResult) => c.ruleId === w.ruleId && c.status === 'FAILED' && (w.endpoint === undefined || c.endpoint === w.endpoint);
    if (!outResults.some(covers)) {
      // A pending rule that passes is simply a passing rule: there is no waiver file to tidy.
      if (w.owner !== PENDING_OWNER) staleWaivers.push(`${label}: the rule no longer fails, remove the waiver`);
      continue;
    }
    outResults = outResults.map((c) => (covers(c) ? { ...c, status: 'WAIVED' as const } : c));
    const stillFailing = outResults.some((c) => c.ruleId === w.ruleId && c.status === 'FAILED');
    outRules = outRules.map((r) =>
      r.ruleId === w.ruleId && r.status === 'FAILED' && !stillFailing
        ? { ...r, status: 'WAIVED' as const, waiver: { reason: w.reason, owner: w.owner, expires: w.expires } }
        : r,
    );
  }
  return { rules: outRules, results: outResults, gateProblems, staleWaivers };
}
