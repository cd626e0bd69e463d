import { D1_ENDPOINTS, ISSUER_ENDPOINTS, type EndpointId } from '../../../contracts/endpoints.js';
import { endpointsInScope, type ProfileId } from '../../../contracts/profiles.js';
import type { Direction, Rule } from '../rulebook/rule.js';
import { breachOf, notApplicableReason, notIssuerGraded, type RunSettings } from '../verdict/verdict.js';
import type { PolicySettings } from '../../../contracts/policies.js';
import { Status, type CaseResult, type RuleResult, type Stop, type Summary, type Timing } from './model.js';

const STATUSES: readonly Status[] = Status.options;

function counts(list: readonly { status: Status }[]): Record<Status, number> {
  const out = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const item of list) out[item.status]++;
  return out;
}

export interface AggregateOptions {
  /** The reason of a rule no case exercised. */
  readonly notExercised?: string;
  /** Rules switched off by the caller, with the reason (legacy: prefer rule `applies` and `settings`). */
  readonly notApplicable?: ReadonlyMap<string, string>;
  /** The run's settings, read by each rule's `applies` (src/core/verdict/verdict.ts). */
  readonly settings?: RunSettings;
  /** Why a rule on an endpoint the run stopped calling was not exercised (src/server-side/harness/call-guard.ts). */
  readonly notExercisedOn?: ReadonlyMap<string, string>;
}

/**
 * One verdict per rule from its cases: FAILED if any case failed, else WARNING, else PASSED;
 * SKIPPED (with the reason, and what the rule `needs` to be tested) when no case ran;
 * NOT_APPLICABLE outside the declared profiles, when
 * a run setting the rule `applies` under is off, or when the issuer is not the one judged
 * (simulator self-checks, informational rules). Profiles narrow the issuer's endpoints only: the
 * D1 APIs an issuer calls are the same whatever it integrates. Issuer-as-server results first go
 * through endpoint gating (gateDeadEndpoints).
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
  const judged = direction === 'issuer-as-server' ? gateDeadEndpoints(rules, results) : results;
  const byRule = new Map<string, CaseResult[]>();
  for (const r of judged) byRule.set(r.ruleId, [...(byRule.get(r.ruleId) ?? []), r]);
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
      const offBySetting = notApplicableReason(rule, options.settings ?? {});
      const notIssuers = notIssuerGraded(rule);
      if (!inScope || profileOff || offBySetting !== undefined || notIssuers !== undefined || (switchedOff !== undefined && cases.length === 0)) {
        const reason = profileOff
          ? `profile ${rule.profile ?? ''} is not declared`
          : !inScope
            ? 'its endpoints are outside the declared profiles'
            : (offBySetting ?? notIssuers ?? switchedOff ?? '');
        return { ...base, status: 'NOT_APPLICABLE', reason, checks, failures };
      }
      const status: Status =
        failures > 0 ? 'FAILED' : cases.some((c) => c.status === 'WARNING') ? 'WARNING' : cases.some((c) => c.status === 'PASSED') ? 'PASSED' : 'SKIPPED';
      if (status === 'SKIPPED') {
        const gated = cases.find((c) => c.rootCause !== undefined);
        if (gated?.rootCause !== undefined) return { ...base, status, reason: gated.message ?? notExercised, checks, failures, rootCause: gated.rootCause };
        const stopped = rule.endpoints.map((e) => options.notExercisedOn?.get(e)).find((r) => r !== undefined);
        const reason = cases.find((c) => c.status === 'SKIPPED')?.message ?? stopped ?? notExercised;
        // What would make it testable: the rule's own data (a rule gated by a dead endpoint needs that endpoint fixed instead).
        return { ...base, status, reason, ...(rule.needs !== undefined ? { needs: rule.needs } : {}), checks, failures };
      }
      return { ...base, status, checks, failures };
    });
}

const JUDGED: readonly Status[] = ['PASSED', 'FAILED', 'WARNING'];

/**
 * Endpoint gating (issue 11 part 6): a refusal or robustness result means something only when a
 * valid request to the same endpoint succeeded in the run (a route answering 404 to everything
 * "refuses" every bad request). Per endpoint that has positive-role rules and judged results,
 * when no positive case PASSED (or WARNED) there: negative and robustness results on it are not
 * counted (SKIPPED, linked by `rootCause` to the positive rule), findings of `other` rules are
 * linked the same way, and `independent` (hygiene) results stand. The positive rule is the one
 * finding: FAILED when it failed, else a NOT TESTED case says why nothing on the endpoint counts.
 */
export function gateDeadEndpoints(rules: readonly Rule[], results: readonly CaseResult[]): CaseResult[] {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const positiveOn = positiveRulesOn(rules);
  const working = new Set<string>();
  const judgedOn = new Set<string>();
  const positiveRan = new Set<string>();
  for (const c of results) {
    if (!JUDGED.includes(c.status)) continue;
    judgedOn.add(c.endpoint);
    if (byId.get(c.ruleId)?.role === 'positive' && positiveOn.get(c.endpoint)?.includes(c.ruleId) === true) {
      positiveRan.add(c.endpoint);
      if (c.status !== 'FAILED') working.add(c.endpoint);
    }
  }
  const dead = new Map<string, string>();
  for (const [endpoint, ids] of positiveOn) {
    const root = ids[0];
    if (root !== undefined && judgedOn.has(endpoint) && !working.has(endpoint)) dead.set(endpoint, root);
  }
  if (dead.size === 0) return [...results];
  const out: CaseResult[] = [];
  const uncounted = new Map<string, number>();
  for (const c of results) {
    const root = dead.get(c.endpoint);
    const role = byId.get(c.ruleId)?.role;
    const gate =
      root !== undefined && JUDGED.includes(c.status) && (role === 'negative' || role === 'robustness' || (role === 'other' && c.status !== 'PASSED'));
    if (!gate) {
      out.push(c);
      continue;
    }
    uncounted.set(c.endpoint, (uncounted.get(c.endpoint) ?? 0) + c.count);
    const was = c.status === 'PASSED' ? '' : ` (it would have been ${c.status}${c.message !== undefined ? `: ${c.message}` : ''})`;
    out.push({
      ...c,
      status: 'SKIPPED',
      message: `not judged: ${c.endpoint} never answered a valid request successfully (see ${root})${was}`,
      rootCause: root,
    });
  }
  for (const [endpoint, root] of dead) {
    if (positiveRan.has(endpoint)) continue;
    out.push({
      ruleId: root,
      endpoint,
      case: 'a valid request succeeds',
      status: 'SKIPPED',
      count: 1,
      message: `NOT TESTED: no valid request to ${endpoint} was judged in this run, so its ${uncounted.get(endpoint) ?? 0} refusal and robustness result(s) are not counted`,
    });
  }
  return out;
}

/** Per endpoint, its positive-role rules in rulebook order: the first is the endpoint's one finding when it does not work. */
export function positiveRulesOn(rules: readonly Rule[]): Map<string, string[]> {
  const positiveOn = new Map<string, string[]>();
  for (const r of rules) if (r.role === 'positive') for (const e of r.endpoints) positiveOn.set(e, [...(positiveOn.get(e) ?? []), r.id]);
  return positiveOn;
}

/**
 * An endpoint the run stopped calling because its calls got no response at all does not work for
 * D1: that is a finding of its positive rule (as the valid request's own timeout would have been),
 * not a quiet SKIPPED that could leave a run PASSED on calls nobody judged.
 */
export function unreachableFindings(rules: readonly Rule[], stops: readonly Stop[], policies?: Partial<PolicySettings>): CaseResult[] {
  const positiveOn = positiveRulesOn(rules);
  return stops.flatMap((stop) => {
    const root = stop.kind === 'unreachable' && stop.endpoint !== undefined ? positiveOn.get(stop.endpoint)?.[0] : undefined;
    if (root === undefined || stop.endpoint === undefined) return [];
    // The status is the rule's own (its level and tolerances), as for any breach of it.
    const { status } = breachOf(root, policies);
    if (status === 'IGNORED') return [];
    return [
      {
        ruleId: root,
        endpoint: stop.endpoint,
        case: 'the endpoint answers at all',
        status,
        count: 1,
        message: stop.reason.replace(/^not judged: /, ''),
        expected: 'an HTTP answer',
        actual: 'no response',
      },
    ];
  });
}

export interface GateOptions {
  readonly failOn: 'must' | 'should';
  readonly gateProblems?: readonly string[];
  readonly staleWaivers?: readonly string[];
  /** Attestations not applied: the rule was judged by the run's own checks. */
  readonly unusedAttestations?: readonly string[];
  /** Why the run could not do its job (harness errors, ungraded calls): the verdict is INCOMPLETE. */
  readonly incomplete?: readonly string[];
  /** Constraints of the run's rulebook no check judged (new in an imported rulebook): not certifiable. */
  readonly unchecked?: readonly string[];
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
  const unchecked = (options.unchecked?.length ?? 0) > 0;
  const certifiable = incomplete.length === 0 && failedMust === 0 && !rules.some((r) => r.status === 'WAIVED') && !untestedMust && !unchecked;
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
    unusedAttestations: [...(options.unusedAttestations ?? [])],
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
