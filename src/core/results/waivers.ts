import { MAX_CONFIG_DEPTH, readBounded } from '../config/load-config.js';
import { parseYamlText } from '../config/yaml-text.js';
import { z } from 'zod';
import { RULE_ID } from '../rulebook/rule.js';
import { ConfigurationError } from '../errors/index.js';
import type { CaseResult, RuleResult } from './model.js';

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

export const WaiversFile = z.union([z.array(Waiver), z.strictObject({ waivers: z.array(Waiver) })]).transform((v) => (Array.isArray(v) ? v : v.waivers));

/** A waivers file lists a few accepted failures: anything larger is a mistake. */
export const MAX_WAIVERS_BYTES = 1024 * 1024;

/** Reads a waivers file, JSON or YAML (YAML is a superset of JSON, so one parser reads both). */
export async function loadWaivers(file: string): Promise<Waiver[]> {
  const text = await readBounded(file, 'waivers file', MAX_WAIVERS_BYTES);
  const raw = parseYamlText(text, `waivers file ${file}`, MAX_CONFIG_DEPTH);
  const parsed = WaiversFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(`waivers file ${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
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
