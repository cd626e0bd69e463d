import { z } from 'zod';
import { Level } from '../rulebook/rule.js';

/**
 * The one result model every reporter reads. A case result is one check of one rule on one
 * exchange or flow; a rule result is the verdict of a rule over all its cases.
 */

/**
 * WAIVED: a failure a valid waiver covers; it is reported, and does not fail the gate.
 * ATTESTED (rules only): no check of the tool judged the rule; the operator attested it, with
 * evidence (attestations.ts). Never PASSED: a certifier sees who vouched, when and on what.
 */
export const Status = z.enum(['PASSED', 'FAILED', 'WARNING', 'SKIPPED', 'NOT_APPLICABLE', 'WAIVED', 'ATTESTED']);
export type Status = z.infer<typeof Status>;

/** A redacted HTTP exchange, enough to understand and reproduce a finding. */
export const Evidence = z.strictObject({
  request: z.strictObject({
    method: z.string(),
    url: z.string(),
    headers: z.record(z.string(), z.string()),
    body: z.string().optional(),
  }),
  response: z
    .strictObject({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      body: z.string().optional(),
      durationMs: z.number().nonnegative(),
    })
    .optional(),
  /** Why there is no response (timeout, connection refused...). */
  transportError: z.string().optional(),
});
export type Evidence = z.infer<typeof Evidence>;

export const CaseResult = z.strictObject({
  ruleId: z.string(),
  endpoint: z.string(),
  /** The case, in words: "unknown consumerId gets 404", "body.otp.value too-long". */
  case: z.string(),
  status: Status,
  message: z.string().optional(),
  expected: z.string().optional(),
  actual: z.string().optional(),
  evidence: Evidence.optional(),
  /** A command that replays the request, secrets replaced by placeholders. */
  repro: z.string().optional(),
  /** Property-based cases: the seed and path that replay the shrunk counterexample. */
  seed: z.number().int().optional(),
  counterexamplePath: z.string().optional(),
  /** How many checks this entry stands for (the same check passing on many exchanges is one entry). */
  count: z.number().int().positive(),
  durationMs: z.number().nonnegative().optional(),
  /**
   * Set when this result was not counted because its endpoint never answered a valid request
   * successfully: the positive rule that is the one finding for that endpoint (see aggregate.ts).
   */
  rootCause: z.string().optional(),
});
export type CaseResult = z.infer<typeof CaseResult>;

export const RuleResult = z.strictObject({
  ruleId: z.string(),
  title: z.string(),
  level: Level,
  kind: z.string(),
  endpoints: z.array(z.string()),
  source: z.string(),
  status: Status,
  /** Why SKIPPED or NOT_APPLICABLE. */
  reason: z.string().optional(),
  /** SKIPPED: what the user must provide for the rule to be tested, from the rule's data (Rule.needs). */
  needs: z.string().optional(),
  checks: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  /** The waiver that turned a failure into WAIVED. */
  waiver: z.strictObject({ reason: z.string(), owner: z.string(), expires: z.string() }).optional(),
  /** The operator's attestation that made an untested rule ATTESTED: who, when, what, and the evidence file's SHA-256. */
  attestation: z
    .strictObject({ by: z.string(), on: z.string(), statement: z.string(), evidence: z.strictObject({ file: z.string(), sha256: z.string() }) })
    .optional(),
  /** The positive rule whose failure (a dead endpoint) this rule's results were linked to, uncounted. */
  rootCause: z.string().optional(),
});
export type RuleResult = z.infer<typeof RuleResult>;

export const Verdict = z.enum(['PASSED', 'FAILED', 'INCOMPLETE']);
export type Verdict = z.infer<typeof Verdict>;

/**
 * A call the tool received or made but could not judge (an API the D1 simulator does not
 * implement, a response no check could read). It never disappears: it is listed in every report
 * and makes the verdict INCOMPLETE unless the user declared such calls out of scope.
 */
export const UngradedCall = z.strictObject({
  method: z.string(),
  /** The request path, redacted. */
  path: z.string(),
  /** Which D1 API it most likely is, by path shape and method ("unknown" when nothing fits). */
  likelyApi: z.string(),
  reason: z.string(),
  count: z.number().int().positive(),
  /** True when the user declared such calls out of scope: listed, but the verdict is not INCOMPLETE. */
  outOfScope: z.boolean(),
});
export type UngradedCall = z.infer<typeof UngradedCall>;

export const Summary = z.strictObject({
  rules: z.record(Status, z.number().int().nonnegative()),
  cases: z.record(Status, z.number().int().nonnegative()),
  failedMust: z.number().int().nonnegative(),
  /**
   * The CI gate's verdict under --fail-on, waivers included. INCOMPLETE: the run could not do its
   * job (a harness error, calls it could not grade, nothing judged); it wins over FAILED and PASSED,
   * so a green verdict always means every call was judged. The exit code follows it (0/1/2).
   */
  verdict: Verdict,
  /** Why the verdict is INCOMPLETE (empty otherwise). */
  incomplete: z.array(z.string()),
  /** For a certifier: no failed (or waived) and no untested MUST rule for the declared profiles. */
  certifiable: z.boolean(),
  failOn: z.enum(['must', 'should']),
  /** Why the gate failed besides failed rules (e.g. an expired waiver). */
  gateProblems: z.array(z.string()),
  /** Waivers whose rule no longer fails: remove them. */
  staleWaivers: z.array(z.string()),
  /** Attestations not applied (the rule was judged by a check, or is not applicable): the check's verdict stands. */
  unusedAttestations: z.array(z.string()).default([]),
});
export type Summary = z.infer<typeof Summary>;

/** Response times per endpoint: percentiles and a histogram (for the HTML charts). */
export const Timing = z.strictObject({
  count: z.number().int().nonnegative(),
  p50: z.number().nonnegative(),
  p90: z.number().nonnegative(),
  p99: z.number().nonnegative(),
  max: z.number().nonnegative(),
  /** Upper bounds in ms and how many responses fell at or under each (and above the previous one). */
  histogram: z.array(z.strictObject({ leMs: z.number(), count: z.number().int().nonnegative() })),
});
export type Timing = z.infer<typeof Timing>;

/**
 * Where the run stopped calling (src/server-side/harness/call-guard.ts): its --max-time (every endpoint), an
 * endpoint that kept giving no response at all, or one that throttled longer than the run waits.
 */
export const Stop = z.strictObject({
  kind: z.enum(['deadline', 'unreachable', 'throttled']),
  endpoint: z.string().optional(),
  reason: z.string(),
});
export type Stop = z.infer<typeof Stop>;

export const Report = z.strictObject({
  /** The report's JSON Schema, as published with the tool's version (schemas/report.schema.json). */
  $schema: z.string().optional(),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  /**
   * The built-in rulebook (hash: sha256 of its rules, as `rules --json` prints it), or an imported one
   * (run --rulebook; hash: sha256 of its constraints, as `import-openapi` prints it); `unchecked`: its
   * constraints no check of this version judges (new fields, endpoints).
   */
  rulebook: z.strictObject({ version: z.string(), hash: z.string(), unchecked: z.array(z.string()).optional() }),
  direction: z.enum(['issuer-as-server', 'issuer-as-client']),
  /** issuer-as-server: the issuer's base URL; issuer-as-client: the D1 simulator's. `reference`: the bundled reference issuer (or client) was used. */
  target: z.strictObject({ baseUrl: z.string(), issuerId: z.string(), reference: z.boolean() }),
  /** issuer-as-client: the issuer's command that called the simulator (program and argument count only: arguments may hold secrets). */
  command: z.string().optional(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  seed: z.number().int(),
  /** The command line that reproduces this run (the user's own config, target and seed; never a secret). */
  replay: z.string(),
  profiles: z.array(z.string()),
  policies: z.record(z.string(), z.unknown()),
  /** The run configuration with every secret removed. */
  configuration: z.record(z.string(), z.unknown()),
  /** Set when this report is one shard of a run split across CI jobs. */
  shard: z.strictObject({ index: z.number().int().positive(), total: z.number().int().positive() }).optional(),
  summary: Summary,
  rules: z.array(RuleResult),
  results: z.array(CaseResult),
  timings: z.record(z.string(), Timing),
  /** Problems of the run itself (harness errors), not findings. */
  errors: z.array(z.string()),
  /** Calls the tool could not judge; see UngradedCall. */
  ungraded: z.array(UngradedCall),
  /** Calls the run stopped making, and why; the rules they would have judged are SKIPPED with that reason. */
  stops: z.array(Stop).default([]),
  /** A targeted re-run after a D1 spec change (`run --since OLD`): what it re-ran, and what it could not judge. */
  targeted: z
    .strictObject({
      /** The rulebook the changes are counted from, and the one the run checks under. */
      since: z.string(),
      rulebook: z.string(),
      /** The changed rules (the diff's re-certification scope) and the endpoints called. */
      rules: z.array(z.string()),
      endpoints: z.array(z.string()),
      /** Changed rules whose earlier passes (under OLD) no longer count: this run's verdict on them replaces them. */
      stale: z.array(z.string()),
      /** Rules new since OLD that are pending (--pending-until), and until when. */
      pending: z.array(z.string()),
      pendingUntil: z.string().optional(),
      /** Constraints of the run's rulebook no check of this tool version judges yet (new fields and endpoints). */
      unchecked: z.array(z.string()),
    })
    .optional(),
});
export type Report = z.infer<typeof Report>;
