import type { CaseResult, Report, RuleResult, Status } from '../../../core/results/model.js';

/**
 * The model gives one status per rule, but a rule often covers several endpoints: the JUnit
 * report (one testcase per rule x endpoint) and the HTML summaries need the verdict of a rule on
 * one endpoint. It is derived here from that endpoint's cases, the way `aggregateRules` derives
 * the rule's: SKIPPED and NOT_APPLICABLE rules keep their status and reason on every endpoint.
 */

/** Display order: the problems after the passes, the untested last. */
export const STATUS_ORDER = ['PASSED', 'ATTESTED', 'WARNING', 'WAIVED', 'FAILED', 'SKIPPED', 'NOT_APPLICABLE'] as const satisfies readonly Status[];

export interface RuleOnEndpoint {
  readonly rule: RuleResult;
  readonly endpoint: string;
  readonly status: Status;
  /** Why SKIPPED or NOT_APPLICABLE. */
  readonly reason?: string;
  readonly cases: readonly CaseResult[];
}

export function zeroCounts(): Record<Status, number> {
  return { PASSED: 0, FAILED: 0, WARNING: 0, SKIPPED: 0, NOT_APPLICABLE: 0, WAIVED: 0, ATTESTED: 0 };
}

/** Every endpoint the report mentions, in the order the rulebook first names them. */
export function endpointsOf(report: Report): string[] {
  const seen = new Set<string>();
  for (const r of report.rules) for (const e of r.endpoints) seen.add(e);
  for (const c of report.results) seen.add(c.endpoint);
  for (const e of Object.keys(report.timings)) seen.add(e);
  return [...seen];
}

export function casesByRule(report: Report): Map<string, CaseResult[]> {
  const byRule = new Map<string, CaseResult[]>();
  for (const c of report.results) {
    const list = byRule.get(c.ruleId);
    if (list) list.push(c);
    else byRule.set(c.ruleId, [c]);
  }
  return byRule;
}

/** One entry per rule x endpoint (the rule's endpoints, then any other endpoint a case of it ran on). */
export function ruleOnEndpoints(report: Report): RuleOnEndpoint[] {
  const byRule = casesByRule(report);
  const out: RuleOnEndpoint[] = [];
  for (const rule of report.rules) {
    const cases = byRule.get(rule.ruleId) ?? [];
    const extra = [...new Set(cases.map((c) => c.endpoint))].filter((e) => !rule.endpoints.includes(e)).sort();
    for (const endpoint of [...rule.endpoints, ...extra]) {
      const here = cases.filter((c) => c.endpoint === endpoint);
      out.push({ rule, endpoint, cases: here, ...verdict(rule, here, endpoint) });
    }
  }
  return out;
}

function verdict(rule: RuleResult, cases: readonly CaseResult[], endpoint: string): { status: Status; reason?: string } {
  const skippedReason = cases.find((c) => c.status === 'SKIPPED')?.message;
  if (rule.status === 'NOT_APPLICABLE') return { status: rule.status, reason: rule.reason ?? 'not applicable' };
  if (rule.status === 'SKIPPED') return { status: rule.status, reason: skippedReason ?? rule.reason ?? 'not exercised' };
  if (rule.status === 'ATTESTED') return { status: rule.status };
  const has = (s: Status) => cases.some((c) => c.status === s);
  if (has('FAILED')) return { status: 'FAILED' };
  if (has('WAIVED')) return { status: 'WAIVED' };
  if (has('WARNING')) return { status: 'WARNING' };
  if (has('PASSED')) return { status: 'PASSED' };
  return { status: 'SKIPPED', reason: skippedReason ?? `no check of this rule ran on ${endpoint}` };
}
