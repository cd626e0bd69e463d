import { RULEBOOK_HASH, RULEBOOK_VERSION, RULES, ruleById } from '../../../contracts/index.js';
import type { ProfileId } from '../../../contracts/profiles.js';
import type { PolicySettings } from '../../../contracts/policies.js';
import { applyWaivers, type Waiver } from './waivers.js';
import { applyAttestations, type CheckedAttestation } from './attestations.js';
import type { RunSettings } from '../verdict/verdict.js';
import { schemaUrl, TOOL_VERSION } from '../version.js';
import { aggregateRules, summarize, timingOf, unreachableFindings } from './aggregate.js';
import { Report, type CaseResult, type Stop, type Timing, type UngradedCall } from './model.js';

export interface ReportInput {
  readonly target: Report['target'];
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly seed: number;
  /** The command line that reproduces the run (src/core/util/replay.ts); default: the bare command with the seed. */
  readonly replay?: string;
  readonly profiles: readonly ProfileId[];
  readonly policies: Record<string, unknown>;
  readonly configuration: Record<string, unknown>;
  readonly results: readonly CaseResult[];
  /** Raw samples from a run, or finished figures (a merge of shards). */
  readonly timings: { readonly samples: ReadonlyMap<string, readonly number[]> } | { readonly figures: Readonly<Record<string, Timing>> };
  readonly errors: readonly string[];
  /** Calls the tool could not judge (default none). */
  readonly ungraded?: readonly UngradedCall[];
  readonly waivers: readonly Waiver[];
  /** The operator's attestations for rules no check judged (attestations.ts). */
  readonly attestations?: readonly CheckedAttestation[];
  readonly failOn: 'must' | 'should';
  readonly shard?: { index: number; total: number };
  readonly stoppedEarly?: string;
  /** Default issuer-as-server (`run`); issuer-as-client for the D1 simulator (`client-check`, `simulate`). */
  readonly direction?: Report['direction'];
  /** Why an unexercised rule was not tested (default: no check exists for it yet). */
  readonly notExercised?: string;
  /** Rules the run's settings switched off, with the reason (reported NOT_APPLICABLE). */
  readonly notApplicable?: ReadonlyMap<string, string>;
  /** The run's settings (faults, mtls, oauth, policies) that rules' `applies` read; unknown ones leave rules on. */
  readonly settings?: RunSettings;
  /** The issuer's command under test (client-check), as the report may show it. */
  readonly command?: string;
  /** Calls the run stopped making (deadline, unreachable or throttled endpoints). */
  readonly stops?: readonly Stop[];
  /** The rulebook the run checked under, when not the built-in one (`run --rulebook`). */
  readonly rulebook?: Report['rulebook'];
  /** A targeted re-run's scope (`run --since`). */
  readonly targeted?: NonNullable<Report['targeted']>;
  /** Waivers made for pending rules (pendingWaivers). */
  readonly pending?: readonly Waiver[];
}

/** From case results to the report: rule verdicts, waivers, the gate, timings. `run` and `merge` share it. */
export function buildReport(input: ReportInput): Report {
  const direction = input.direction ?? 'issuer-as-server';
  // Shards of one run each report the same deadline: one stop per kind, endpoint and reason.
  const stops = [...new Map((input.stops ?? []).map((s) => [`${s.kind}|${s.endpoint ?? ''}|${s.reason}`, s])).values()];
  const deadline = stops.find((s) => s.kind === 'deadline');
  const notExercised = deadline?.reason ?? input.stoppedEarly ?? input.notExercised;
  const notExercisedOn = new Map(stops.flatMap((s) => (s.endpoint !== undefined ? [[s.endpoint, s.reason] as const] : [])));
  // A merge re-reads shards whose results already hold these findings: each is added once.
  const has = new Set(input.results.map((r) => `${r.ruleId}|${r.endpoint}|${r.case}`));
  const results = [
    ...input.results,
    ...unreachableFindings(RULES, stops, input.policies as Partial<PolicySettings>).filter((f) => !has.has(`${f.ruleId}|${f.endpoint}|${f.case}`)),
  ];
  const rules = aggregateRules(RULES, results, direction, input.profiles, {
    ...(notExercised !== undefined ? { notExercised } : {}),
    notExercisedOn,
    ...(input.notApplicable ? { notApplicable: input.notApplicable } : {}),
    settings: input.settings ?? { policies: input.policies },
  });
  const errors = [...input.errors, ...rulebookErrors(results)];
  const today = input.finishedAt.toISOString().slice(0, 10);
  const attested = applyAttestations(rules, input.attestations ?? []);
  const waived = applyWaivers(attested.rules, results, [...input.waivers, ...(input.pending ?? [])], today);
  const timings: Record<string, Timing> =
    'samples' in input.timings ? Object.fromEntries([...input.timings.samples].map(([e, list]) => [e, timingOf(list)])) : { ...input.timings.figures };
  return Report.parse({
    $schema: schemaUrl('report.schema.json'),
    tool: { name: 'd1-conformance', version: TOOL_VERSION },
    rulebook: input.rulebook ?? { version: RULEBOOK_VERSION, hash: RULEBOOK_HASH },
    direction,
    target: input.target,
    ...(input.command !== undefined ? { command: input.command } : {}),
    startedAt: input.startedAt.toISOString(),
    finishedAt: input.finishedAt.toISOString(),
    durationMs: input.finishedAt.getTime() - input.startedAt.getTime(),
    seed: input.seed,
    replay: input.replay ?? `npx d1-conformance ${direction === 'issuer-as-client' ? 'client-check' : `run --seed ${input.seed}`}`,
    profiles: input.profiles,
    policies: input.policies,
    configuration: input.configuration,
    ...(input.shard ? { shard: input.shard } : {}),
    summary: summarize(waived.rules, waived.results, {
      failOn: input.failOn,
      gateProblems: waived.gateProblems,
      staleWaivers: waived.staleWaivers,
      unusedAttestations: attested.unused,
      incomplete: incompleteReasons({ ...input, errors }, waived.results),
      unchecked: input.rulebook?.unchecked ?? [],
    }),
    rules: waived.rules,
    results: waived.results,
    timings,
    errors,
    ungraded: [...(input.ungraded ?? [])],
    stops,
    ...(input.targeted ? { targeted: input.targeted } : {}),
  });
}

/**
 * Harness errors the results themselves show: a rule id the rulebook does not know (a typo in a
 * suite, the simulator or a pact file must never pass silently), and a simulator self-check that
 * failed (the simulator broke its own promise: the grading of that run cannot be trusted).
 */
export function rulebookErrors(results: readonly CaseResult[]): string[] {
  const unknown = [...new Set(results.filter((r) => ruleById(r.ruleId) === undefined).map((r) => r.ruleId))];
  const selfFailed = [...new Set(results.filter((r) => r.status === 'FAILED' && ruleById(r.ruleId)?.judges === 'simulator').map((r) => r.ruleId))];
  return [
    ...unknown.map((id) => `harness error: results name rule ${JSON.stringify(id.slice(0, 40))}, which is not in the rulebook`),
    ...selfFailed.map((id) => `harness error: the simulator failed its own check ${id}`),
  ];
}

/** Why a run could not do its job: harness errors, calls it could not grade, or nothing judged at all. */
function incompleteReasons(input: ReportInput, results: readonly CaseResult[]): string[] {
  const reasons: string[] = [];
  if (input.errors.length > 0) reasons.push(`${input.errors.length} harness error(s): the run could not do its job`);
  const ungraded = (input.ungraded ?? []).filter((u) => !u.outOfScope);
  if (ungraded.length > 0) {
    const calls = ungraded.reduce((n, u) => n + u.count, 0);
    reasons.push(
      `${calls} call(s) could not be graded (${[...new Set(ungraded.map((u) => u.likelyApi))].join(', ')}); declare them out of scope to accept that`,
    );
  }
  if (results.length === 0 || results.every((r) => r.status === 'SKIPPED')) reasons.push('nothing was judged: every check was skipped');
  // An unreachable endpoint is a finding (its first calls failed); running out of time or being throttled is not.
  for (const stop of input.stops ?? []) if (stop.kind !== 'unreachable') reasons.push(stop.reason.replace(/^not judged: /, ''));
  return reasons;
}
