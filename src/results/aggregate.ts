import { D1_ENDPOINTS, ISSUER_ENDPOINTS, type EndpointId } from '../../contracts/endpoints.js';
import { endpointsInScope, type ProfileId } from '../../contracts/profiles.js';
import type { Direction, Rule } from '../rulebook/rule.js';
import type { CaseResult, RuleResult, Status, Summary, Timing } from './model.js';

const STATUSES: readonly Status[] = ['PASSED', 'FAILED', 'WARNING', 'SKIPPED', 'NOT_APPLICABLE', 'WAIVED'];

function counts(list: readonly { status: Status }[]): Record<Status, number> {
  const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const item of list) out[item.status]++;
  return out;
}

export interface AggregateOptions {
  /** The reason of a rule no case exercised. */
  readonly notExercised?: string;
  /** Rules the run's settings switch off (a policy, an option), with the reason. */
  readonly notApplicable?: ReadonlyMap<string, string>;
}

/**
 * One verdict per rule from its cases: FAILED if any case failed, else WARNING, else PASSED;
 * SKIPPED (with the reason) when no case ran; NOT_APPLICABLE outside the declared profiles or
 * when the run's settings switch the rule off. Profiles narrow the issuer's endpoints only: the
 * D1 APIs an issuer calls are the same whatever it integrates.
 */
export function aggregateRules(
  rules: readonly Rule[],
  results: readonly CaseResult[],
  direction: Direction,
  profiles: readonly ProfileId[],
  options: AggregateOptions = {},
): RuleResult[] {
  const notExercised = options.notExercised ?? 'not exercised by this run (no check exists for it yet)';
  const scope = direction === 'issuer-as-server' ? endpointsInScope(profiles, ISSUER_ENDPOINTS) : new Set<EndpointId>(D1_ENDPOINTS);
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
      const switchedOff = options.notApplicable?.get(rule.id);
      if (!inScope || profileOff || (switchedOff !== undefined && cases.length === 0)) {
        const reason = profileOff
          ? `profile ${rule.profile ?? ''} is not declared`
          : !inScope
            ? 'its endpoints are outside the declared profiles'
            : (switchedOff ?? '');
        return { ...base, status: 'NOT_APPLICABLE', reason, checks, failures };
      }
      const status: Status =
        failures > 0 ? 'FAILED' : cases.some((c) => c.status === 'WARNING') ? 'WARNING' : cases.some((c) => c.status === 'PASSED') ? 'PASSED' : 'SKIPPED';
      if (status === 'SKIPPED') {
        const reason = cases.find((c) => c.status === 'SKIPPED')?.message ?? notExercised;
        return { ...base, status, reason, checks, failures };
      }
      return { ...base, status, checks, failures };
    });
}

export interface GateOptions {
  readonly failOn: 'must' | 'should';
  readonly gateProblems?: readonly string[];
  readonly staleWaivers?: readonly string[];
  /** Why the run could not do its job (harness errors, ungraded calls): the verdict is INCOMPLETE. */
  readonly incomplete?: readonly string[];
}

/**
 * The gate: FAILED when a rule failed (SHOULD rules only warn, so these are MUST and POLICY), when
 * a gate problem stands (an expired waiver), or with failOn=should when any rule warned.
 * INCOMPLETE wins over both when the run could not do its job.
 * Certifiable: complete, nothing failed or waived, and no MUST rule went untested.
 */
export function summarize(rules: readonly RuleResult[], results: readonly CaseResult[], options: GateOptions = { failOn: 'must' }): Summary {
  const failedMust = rules.filter((r) => r.status === 'FAILED').length;
  const warned = rules.filter((r) => r.status === 'WARNING').length;
  const gateProblems = [...(options.gateProblems ?? [])];
  const failed = failedMust > 0 || gateProblems.length > 0 || (options.failOn === 'should' && warned > 0);
  const untestedMust = rules.some((r) => r.level === 'MUST' && r.status === 'SKIPPED');
  const incomplete = [...(options.incomplete ?? [])];
  const certifiable = incomplete.length === 0 && failedMust === 0 && !rules.some((r) => r.status === 'WAIVED') && !untestedMust;
  return {
    rules: counts(rules),
    cases: counts(results),
    failedMust,
    verdict: incomplete.length > 0 ? 'INCOMPLETE' : failed ? 'FAILED' : 'PASSED',
    incomplete,
    certifiable,
    failOn: options.failOn,
    gateProblems,
    staleWaivers: [...(options.staleWaivers ?? [])],
  };
}

/** Percentiles and a histogram of response times (ms). */
export function timingOf(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  const bounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, Infinity];
  const histogram = bounds.map((leMs, i) => ({
    leMs: leMs === Infinity ? -1 : leMs,
    count: sorted.filter((s) => s <= leMs && s > (bounds[i - 1] ?? -Infinity)).length,
  }));
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: round(sorted.at(-1) ?? 0), histogram };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
