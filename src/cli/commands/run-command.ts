import { randomInt } from 'node:crypto';
import { merge, parseConfig, readRunConfigFile } from '../../core/config/load-config.js';
import type { RunConfig } from '../../core/config/run-config.js';
import { diagnoseToken } from '../../server-side/runner/token-diagnosis.js';
import { preflight } from '../../server-side/runner/preflight.js';
import { serverRunFacts } from '../../server-side/runner/run-facts.js';
import type { Waiver } from '../../core/results/waivers.js';
import type { CheckedAttestation } from '../../core/results/attestations.js';
import { buildReport } from '../../core/results/build-report.js';
import { exitCodeOf } from '../../core/results/exit-code.js';
import {
  pactMayRunAlongside,
  printPactStep,
  runPactVerification,
  startPactVerifier,
  verifyPactsStep,
  type PactVerifyOptions,
} from '../../server-side/pact/verify-step.js';
import type { PactOutcome } from '../../server-side/pact/verify.js';
import { prepareOutDir, reportDir, writeRunReport } from '../../outputs/report-files.js';
import { integerFlag, limitFlags, pactVerifyOptions, parseShard, reportFlags, requireTargetAuth, seedFlag, targetFlags, wantsReference } from '../flags.js';
import type { SuiteOutcome } from '../../server-side/runner/suite-runner.js';
import type { CommandIo } from '../command-io.js';
import { replayCommand, type FlagValue } from '../../core/util/replay.js';
import { withoutUserInfo } from '../../core/util/url.js';
import { parseCommand } from '../parse-command.js';
import { TargetError } from '../../core/errors/index.js';
import { outputLevel, progressLines } from '../output.js';
import type { OutputLevel } from '../../outputs/console-detail.js';
import { COMMAND_SPECS } from '../command-specs.js';
import { ISSUER_ENDPOINTS } from '../../../contracts/endpoints.js';
import { specChangeFlags, specChangeReport, targetedEndpoints, type SpecChangeRun } from '../spec-flags.js';

/**
 * `d1-conformance run`: certify an issuer backend as a server. With no target it starts the
 * bundled reference issuer, so a first run shows a real report. Exit code 0 when no MUST rule
 * failed, 1 when one did, 2 when the run could not do its job.
 */
export async function runCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['run'], args);

  const level = outputLevel(values);
  const { formats, failOn, waivers, attestations } = await reportFlags(values);
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const pact = pactVerifyOptions(values);
  const specChange = specChangeFlags(values);

  const fromFile = values.config !== undefined ? await readRunConfigFile(values.config) : {};
  const flags = targetFlags(values);
  if (values.seed !== undefined) {
    const { seed, hashed } = seedFlag(values.seed);
    if (hashed) io.err(`d1-conformance run: --seed ${values.seed.slice(0, 24)}... is above 2^53-1: it is hashed to seed ${seed}`);
    flags.seed = seed;
  }
  const cases: Record<string, number> = {};
  if (values.runs !== undefined) cases.propertyRuns = integerFlag('--runs', values.runs);
  if (values['max-failures'] !== undefined) cases.maxFailures = integerFlag('--max-failures', values['max-failures']);
  if (Object.keys(cases).length > 0) flags.cases = cases;
  if (values.profile !== undefined) flags.profiles = values.profile.flatMap((p) => p.split(','));
  Object.assign(flags, limitFlags(values));

  const reference = wantsReference(values, fromFile) ? await (await import('../reference-target.js')).startReferenceTarget(values.variant) : undefined;
  try {
    requireTargetAuth(reference !== undefined, fromFile);
    const config = parseConfig(merge(merge(reference?.config ?? {}, fromFile), flags));
    const replayFlags = { config: values.config, target: values.target, 'issuer-id': values['issuer-id'], profile: values.profile, variant: values.variant };
    const options = {
      reference: reference !== undefined,
      outFlag: values.out,
      formats,
      failOn,
      waivers,
      attestations,
      pact,
      replayFlags,
      level,
      specChange,
      ...(shard ? { shard } : {}),
    };
    const specFlags = { since: values.since, 'rules-from': values['rules-from'], rulebook: values.rulebook, 'pending-until': values['pending-until'] };
    return await certify(config, { ...options, runFlags: { runs: values.runs, shard: values.shard, ...specFlags } }, io);
  } finally {
    await reference?.issuer.close();
  }
}

interface CertifyOptions {
  readonly reference: boolean;
  readonly pact: PactVerifyOptions;
  readonly outFlag: string | undefined;
  readonly formats: readonly string[];
  readonly failOn: 'must' | 'should';
  readonly waivers: readonly Waiver[];
  readonly attestations: readonly CheckedAttestation[];
  readonly shard?: { index: number; total: number };
  /** The flags that chose the target, for the replay command (src/core/util/replay.ts). */
  readonly replayFlags: Readonly<Record<string, FlagValue>>;
  readonly runFlags: Readonly<Record<string, FlagValue>>;
  readonly level: OutputLevel;
  /** --since, --rules-from, --rulebook, --pending-until (src/cli/spec-flags.ts). */
  readonly specChange: SpecChangeRun;
}

async function certify(config: RunConfig, options: CertifyOptions, io: CommandIo): Promise<number> {
  const seed = config.seed ?? randomInt(RANDOM_SEEDS);
  // --max-time counts from the process's start when the bin says it (start-up included), else from now.
  const startedAt = new Date(Math.min(io.startedAt ?? Date.now(), Date.now()));
  // --max-time is the whole run: calls stop early enough to leave time to write the reports.
  const deadlineAt = startedAt.getTime() + config.timeouts.runMs - Math.min(WRAP_UP_MS, config.timeouts.runMs / 10);
  await preflight(config);
  // A broker that refuses the credentials is said before the suites, not after them.
  if (options.pact.broker && (!options.shard || options.shard.index === 1)) {
    const { brokerUnusable } = await import('../../server-side/pact/verify.js');
    const problem = await brokerUnusable(options.pact.broker, config.timeouts.requestMs);
    if (problem !== undefined) throw new TargetError(`${problem}; nothing was run, no report written`);
  }
  const spec = options.specChange;
  // A targeted re-run calls only the issuer's endpoints the changes touch.
  const endpoints = targetedEndpoints(spec, ISSUER_ENDPOINTS);
  if (spec.targeted && endpoints?.length === 0) {
    io.err(`d1-conformance run: nothing to re-run: no change since ${spec.targeted.since} touches an endpoint the issuer serves (diff shows them)`);
    return 0;
  }
  const outDir = reportDir(options.outFlag, startedAt);
  await prepareOutDir(outDir);

  const shardText = options.shard ? `, shard ${options.shard.index}/${options.shard.total}` : '';
  // --quiet: progress and the steps' news are not printed; problems still are (io.err).
  const info = options.level === 'quiet' ? () => undefined : io.err;
  info(
    `d1-conformance run: ${withoutUserInfo(config.target.baseUrl)} (issuerId ${config.target.issuerId})${options.reference ? ', bundled reference issuer' : ''}, seed ${seed}${shardText}`,
  );
  for (const note of spec.notes) info(`d1-conformance run: ${note}`);
  if (spec.targeted) {
    const { diff, since } = spec.targeted;
    info(`targeted re-run: ${diff.changes.length} change(s) since ${since} (${diff.summary.breaking} breaking): ${diff.scope.rules.length} rule(s) on ${(endpoints ?? []).join(', ')}`);
  }
  if (spec.unchecked.length > 0) info(`not judged by this version (new in the rulebook): ${spec.unchecked.join('; ')}`);
  const specReport = specChangeReport(spec, endpoints, startedAt.toISOString().slice(0, 10), { notJudgedOutside: true });
  // Token trouble is named first, in one line; nothing that needs a token is judged without one.
  const tokenTrouble = await diagnoseToken(config);
  if (tokenTrouble !== undefined) {
    io.err(`d1-conformance run: ${tokenTrouble}`);
    const report = buildReport({
      ...serverRunFacts(config, options.reference, startedAt, seed),
      results: [],
      timings: { samples: new Map() },
      errors: [tokenTrouble],
      waivers: options.waivers,
      attestations: options.attestations,
      failOn: options.failOn,
      notExercised: `not judged: ${tokenTrouble}`,
      ...(specReport.rulebook ? { rulebook: specReport.rulebook } : {}),
    });
    await writeRunReport(report, outDir, options.formats, io.out, options.level);
    return exitCodeOf(report);
  }
  const progress = progressLines(options.level, io.err);
  // The pact verification runs once per run: in the first shard when the run is split.
  // The committed pact is the built-in rulebook's, for every endpoint: a targeted re-run or another rulebook does not verify it.
  const pactSkipped = spec.targeted ? 'a targeted re-run (the pact covers every endpoint)' : spec.rulebook ? `the pact is of the built-in rulebook, not ${spec.rulebook.version}` : undefined;
  if (pactSkipped !== undefined) info(`pact verification: not run: ${pactSkipped}`);
  let verifier = (options.shard && options.shard.index !== 1) || pactSkipped !== undefined ? undefined : await startPactVerifier();
  let outcome: SuiteOutcome;
  let pact: PactOutcome | undefined;
  let tooLate = false;
  try {
    const pactReplay = replayCommand('verify-pacts', { ...options.replayFlags, seed: String(seed) });
    // The pact verification mostly waits (on the verifier's own pauses, on polls): it runs
    // alongside the suites, and is kept if they stopped calling no endpoint (pactMayRunAlongside).
    const alongside =
      verifier && pactMayRunAlongside(config, options.pact)
        ? runPactVerification(config, { ...options.pact, replay: pactReplay, budgetMs: deadlineAt - Date.now() }, verifier)
        : undefined;
    const { runSuites } = await import('../../server-side/runner/suite-runner.js');
    const scope = { ...(endpoints ? { endpoints } : {}), ...(spec.rulebook ? { rulebook: spec.rulebook } : {}) };
    outcome = await runSuites({ config, seed, reference: options.reference, deadlineAt: Math.round(deadlineAt), ...scope }, progress, options.shard);
    if (alongside && outcome.stops.length === 0) {
      pact = await alongside;
      printPactStep(pact, options.pact.broker, { ...io, err: info }, ' (alongside the suites)');
    } else {
      if (alongside) {
        // The suites stopped calling an endpoint: that verification called it as if nothing had
        // happened. It is ended and discarded; the one after the suites skips what they stopped.
        verifier?.stop();
        await alongside;
        verifier = await startPactVerifier();
      }
      // Past --max-time the pact step is not started: its rules are SKIPPED by the deadline's reason.
      tooLate = Date.now() >= deadlineAt;
      const pactOptions = { ...options.pact, replay: pactReplay, stops: outcome.stops, budgetMs: deadlineAt - Date.now() };
      pact = verifier && !tooLate ? await verifyPactsStep(config, pactOptions, { ...io, err: info }, verifier) : undefined;
    }
    if (tooLate && !outcome.stops.some((s) => s.kind === 'deadline')) {
      outcome = {
        ...outcome,
        stops: [
          { kind: 'deadline', reason: `not judged: the run reached its --max-time of ${config.timeouts.runMs / 1000} s before this step` },
          ...outcome.stops,
        ],
      };
    }
  } finally {
    verifier?.stop();
  }

  const report = buildReport({
    ...serverRunFacts(config, options.reference, startedAt, seed),
    replay: replayCommand('run', { ...options.replayFlags, ...options.runFlags, seed: String(seed) }),
    results: [...outcome.results, ...(pact?.results ?? [])],
    timings: { samples: outcome.timings },
    errors: [...outcome.errors, ...(pact?.errors ?? [])],
    stops: outcome.stops,
    waivers: options.waivers,
    attestations: options.attestations,
    failOn: options.failOn,
    ...(options.shard ? { shard: options.shard, stoppedEarly: `not in shard ${options.shard.index}/${options.shard.total} (merge the shards' reports)` } : {}),
    ...(outcome.stoppedEarly ? { stoppedEarly: `the run stopped early after ${config.cases.maxFailures} failures (--max-failures)` } : {}),
    ...specReport,
  });
  await writeRunReport(report, outDir, options.formats, io.out, options.level);
  return exitCodeOf(report);
}

/** A seed the run picks itself: short enough to type back. */
const RANDOM_SEEDS = 2 ** 31 - 1;

/** What a run keeps of its --max-time to end its steps and write its reports. */
const WRAP_UP_MS = 5_000;
