import { ISSUER_ENDPOINTS, type EndpointId } from '../../contracts/endpoints.js';
import { endpointsInScope, type ProfileId } from '../../contracts/profiles.js';
import type { Direction, Rule } from '../rulebook/rule.js';
import type { CaseResult, RuleResult, Status, Summary } from './model.js';

const STATUSES: readonly Status[] = ['PASSED', 'FAILED', 'WARNING', 'SKIPPED', 'NOT_APPLICABLE'];

function counts(list: readonly { status: Status }[]): Record<Status, number> {
  const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const item of list) out[item.status]++;
  return out;
}

/**
 * One verdict per rule from its cases: FAILED if any case failed, else WARNING, else PASSED;
 * SKIPPED (with the reason) when no case ran; NOT_APPLICABLE outside the declared profiles.
 */
export function aggregateRules(rules: readonly Rule[], results: readonly CaseResult[], direction: Direction, profiles: readonly ProfileId[]): RuleResult[] {
  const scope = endpointsInScope(profiles, ISSUER_ENDPOINTS);
  const byRule = new Map<string, CaseResult[]>();
  for (const r of results) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
  return rules
    .filter((rule) => rule.direction === direction)
    .map((rule) => {
      const cases = byRule.get(rule.id) ?? [];
      const base = { ruleId: rule.id, title: rule.title, level: rule.level, kind: rule.kind, endpoints: rule.endpoints, source: rule.source };
      const checks = cases.filter((c) => c.status !== 'SKIPPED').reduce((n, c) => n + c.count, 0);
      const failures = cases.filter((c) => c.status === 'FAILED').length;
      const inScope = rule.endpoints.some((e) => scope.has(e as EndpointId));
      const profileOff = rule.profile !== undefined && !profiles.includes(rule.profile as ProfileId);
      if (!inScope || profileOff) {
        const reason = profileOff ? `profile ${rule.profile ?? ''} is not declared` : 'its endpoints are outside the declared profiles';
        return { ...base, status: 'NOT_APPLICABLE', reason, checks, failures };
      }
      const status: Status = failures > 0 ? 'FAILED' : cases.some((c) => c.status === 'WARNING') ? 'WARNING' : cases.some((c) => c.status === 'PASSED') ? 'PASSED' : 'SKIPPED';
      if (status === 'SKIPPED') {
        const reason = cases.find((c) => c.status === 'SKIPPED')?.message ?? 'not exercised by this run (no check exists for it yet)';
        return { ...base, status, reason, checks, failures };
      }
      return { ...base, status, checks, failures };
    });
}

/** The gate: FAILED when a MUST or POLICY rule failed (or, with failOn=should, any WARNING too). */
export function summarize(rules: readonly RuleResult[], results: readonly CaseResult[], failOn: 'must' | 'should' = 'must'): Summary {
  const failedMust = rules.filter((r) => r.status === 'FAILED').length;
  const warned = rules.filter((r) => r.status === 'WARNING').length;
  const failed = failedMust > 0 || (failOn === 'should' && warned > 0);
  return { rules: counts(rules), cases: counts(results), failedMust, verdict: failed ? 'FAILED' : 'PASSED' };
}
