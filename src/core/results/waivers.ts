import { MAX_CONFIG_DEPTH, readBounded } from '../config/load-config.js';
import { parseYamlText } from '../config/yaml-text.js';
import { z } from 'zod';
import { RULE_ID } from '../rulebook/rule.js';
import { ConfigurationError } from '../errors/index.js';
import type { CaseResult, RuleResult } from './model.js';
import { ENDPOINTS, RULEBOOK_VERSION, ruleById } from '../../../contracts/index.js';
import { isRecord } from '../util/json.js';

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

/** A waivers file: a list of waivers, or `{waivers: [...]}`. */
const WaiverList = z.array(Waiver);
const WaiversObject = z.strictObject({ waivers: WaiverList });
/** Both shapes, for the published JSON Schema (the loader parses one shape at a time, for its messages). */
export const WaiversFile = z.union([WaiverList, WaiversObject]);

/** A waivers file lists a few accepted failures: anything larger is a mistake. */
export const MAX_WAIVERS_BYTES = 1024 * 1024;

/** Reads a waivers file, JSON or YAML (YAML is a superset of JSON, so one parser reads both). */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  const text = await readBounded(file, 'waivers file', MAX_WAIVERS_BYTES);
  const raw = parseYamlText(text, `waivers file ${file}`, MAX_CONFIG_DEPTH);
  // One shape at a time, so a problem is named in that shape's terms (a union says only "Invalid input").
  const listed = Array.isArray(raw) || !isRecord(raw) || !('waivers' in raw);
  const parsed = listed ? WaiverList.safeParse(raw) : WaiversObject.safeParse(raw);
  if (!parsed.success) throw new ConfigurationError(`waivers file ${file}: ${waiverProblem(parsed.error, listed)}`);
  const waivers = Array.isArray(parsed.data) ? parsed.data : parsed.data.waivers;
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

const WAIVER_FIELDS = 'each waiver needs ruleId, reason, owner and expires (endpoint is optional)';

/** The first problem, by waiver number and field; never the value (a reason may quote anything). */
function waiverProblem(error: z.ZodError, listed: boolean): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const path = listed ? issue.path : issue.path.slice(1);
  if (path.length === 0)
    return issue.path.length === 0 && listed ? `must be a list of waivers, or {waivers: [...]}; ${WAIVER_FIELDS}` : `${issue.path.join('.')}: must be a list of waivers`;
  const [index, field] = path;
  const where = `waiver ${Number(index) + 1}`;
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.join(', ')}; ${WAIVER_FIELDS}`;
  if (field === undefined) return `${where}: must be a mapping; ${WAIVER_FIELDS}`;
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `${where}: ${String(field)} is missing; ${WAIVER_FIELDS}`;
  return `${where}: ${String(field)} ${issue.message}`;
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
      staleWaivers.push(`${label}: the rule no longer fails, remove the waiver`);
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
