import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { merge, parseConfig, readConfigFile } from '../config/load-config.js';
import type { RunConfig } from '../config/run-config.js';
import { TargetError, UsageError } from '../errors/index.js';
import { createHttpClient } from '../http/client.js';
import { tokenUrl } from '../harness/session.js';
import { diagnoseToken } from './token-diagnosis.js';
import { sanitizeConfig } from '../config/sanitize.js';
import type { Waiver } from '../gate/waivers.js';
import { buildReport } from '../results/build-report.js';
import type { Report } from '../results/model.js';
import { PACT_VERIFY_OPTIONS, pactVerifyOptions, startPactVerifier, verifyPactsStep, type PactVerifyOptions } from '../pact/verify-step.js';
import type { PactOutcome } from '../pact/verify.js';
import { prepareOutDir, REPORT_OPTIONS, reportDir, reportFlags, writeRunReport } from './report-flags.js';
import type { SuiteOutcome } from './suite-runner.js';
import type { CommandIo } from '../cli/command-io.js';
import { replayCommand, type FlagValue } from './replay.js';
import { withoutUserInfo } from '../util/url.js';

/**
 * `d1-conformance run`: certify an issuer backend as a server. With no target it starts the
 * bundled reference issuer, so a first run shows a real report. Exit code 0 when no MUST rule
 * failed, 1 when one did, 2 when the run could not do its job.
 */
export async function runCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      ...TARGET_OPTIONS,
      seed: { type: 'string' },
      runs: { type: 'string' },
      'max-failures': { type: 'string' },
      ...LIMIT_OPTIONS,
      ...REPORT_OPTIONS,
      shard: { type: 'string' },
      ...PACT_VERIFY_OPTIONS,
    },
    strict: true,
    allowPositionals: false,
  });

  const { formats, failOn, waivers } = await reportFlags(values);
  const shard = values.shard !== undefined ? parseShard(values.shard) : undefined;
  const pact = pactVerifyOptions(values);

  const fromFile = values.config !== undefined ? await readConfigFile(values.config) : {};
  const flags = targetFlags(values);
  if (values.seed !== undefined) flags.seed = integerFlag('--seed', values.seed, MAX_SEED);
  const cases: Record<string, number> = {};
  if (values.runs !== undefined) cases.propertyRuns = integerFlag('--runs', values.runs);
  if (values['max-failures'] !== undefined) cases.maxFailures = integerFlag('--max-failures', values['max-failures']);
  if (Object.keys(cases).length > 0) flags.cases = cases;
  if (values.profile !== undefined) flags.profiles = values.profile.flatMap((p) => p.split(','));
  Object.assign(flags, limitFlags(values));

  const reference = wantsReference(values, fromFile) ? await (await import('./reference-target.js')).startReferenceTarget(values.variant) : undefined;
  try {
    const config = parseConfig(merge(merge(reference?.config ?? {}, fromFile), flags));
    const replayFlags = { config: values.config, target: values.target, 'issuer-id': values['issuer-id'], profile: values.profile, variant: values.variant };
    const options = { reference: reference !== undefined, outFlag: values.out, formats, failOn, waivers, pact, replayFlags, ...(shard ? { shard } : {}) };
    return await certify(config, { ...options, runFlags: { runs: values.runs, shard: values.shard } }, io);
  } finally {
    await reference?.issuer.close();
  }
}

/** Which issuer a command checks: `run` and `verify-pacts` share them. */
export const TARGET_OPTIONS = {
  config: { type: 'string' },
  target: { type: 'string' },
  'issuer-id': { type: 'string' },
  /** A broken reference issuer instead of the compliant one (the project's own proofs). */
  variant: { type: 'string' },
  profile: { type: 'string', multiple: true },
} as const;

/** How long and how fast a run may go: `run` and `verify-pacts` share them. */
export const LIMIT_OPTIONS = {
  'max-time': { type: 'string' },
  'rate-limit': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** `--max-time SECONDS` and `--rate-limit N[/s]` as configuration (timeouts.runMs, limits.ratePerSecond). */
export function limitFlags(values: {
  'max-time'?: string | undefined;
  'rate-limit'?: string | undefined;
  concurrency?: string | undefined;
}): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const limits: Record<string, number> = {};
  if (values.concurrency !== undefined) limits.concurrency = integerFlag('--concurrency', values.concurrency, 32);
  if (values['max-time'] !== undefined) flags.timeouts = { runMs: integerFlag('--max-time', values['max-time'], 86_400) * 1000 };
  if (values['rate-limit'] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(values['rate-limit']);
    const rate = Number(m?.[1]);
    if (!m || !(rate > 0) || rate > 10_000)
      throw new UsageError(`--rate-limit must be requests per second, e.g. 5/s (at most 10000); got "${values['rate-limit']}"`);
    limits.ratePerSecond = rate;
  }
  if (Object.keys(limits).length > 0) flags.limits = limits;
  return flags;
}

/** `--target` and `--issuer-id` as configuration (flags override the file). */
export function targetFlags(values: { target?: string | undefined; 'issuer-id'?: string | undefined }): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (values.target !== undefined || values['issuer-id'] !== undefined) {
    flags.target = {
      ...(values.target !== undefined ? { baseUrl: values.target } : {}),
      ...(values['issuer-id'] !== undefined ? { issuerId: values['issuer-id'] } : {}),
    };
  }
  return flags;
}

/** No target anywhere (or a --variant): the bundled reference issuer is started for the run. */
export function wantsReference(values: { target?: string | undefined; variant?: string | undefined }, fromFile: unknown): boolean {
  return values.variant !== undefined || (values.target === undefined && (fromFile as { target?: unknown }).target === undefined);
}

/** A whole-number flag, at most `max` (the configuration's own limit, named here so the message is right). */
export function integerFlag(name: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number; got "${value.slice(0, 40)}"`);
  const n = Number(value);
  if (n > max) throw new UsageError(`${name} must be at most ${max}; got ${value.length > 20 ? `a ${value.length}-digit number` : value}`);
  return n;
}

function parseShard(value: string): { index: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || index < 1 || total < 1 || index > total) throw new UsageError(`--shard must be i/n with 1 <= i <= n; got "${value}"`);
  return { index, total };
}

interface CertifyOptions {
  readonly reference: boolean;
  readonly pact: PactVerifyOptions;
  readonly outFlag: string | undefined;
  readonly formats: readonly string[];
  readonly failOn: 'must' | 'should';
  readonly waivers: readonly Waiver[];
  readonly shard?: { index: number; total: number };
  /** The flags that chose the target, for the replay command (src/run/replay.ts). */
  readonly replayFlags: Readonly<Record<string, FlagValue>>;
  readonly runFlags: Readonly<Record<string, FlagValue>>;
}

async function certify(config: RunConfig, options: CertifyOptions, io: CommandIo): Promise<number> {
  const seed = config.seed ?? randomInt(MAX_SEED);
  // --max-time counts from the process's start when the bin says it (start-up included), else from now.
  const startedAt = new Date(Math.min(io.startedAt ?? Date.now(), Date.now()));
  // --max-time is the whole run: calls stop early enough to leave time to write the reports.
  const deadlineAt = startedAt.getTime() + config.timeouts.runMs - Math.min(WRAP_UP_MS, config.timeouts.runMs / 10);
  await preflight(config);
  const outDir = reportDir(options.outFlag, startedAt);
  await prepareOutDir(outDir);

  const shardText = options.shard ? `, shard ${options.shard.index}/${options.shard.total}` : '';
  io.err(
    `d1-conformance run: ${withoutUserInfo(config.target.baseUrl)} (issuerId ${config.target.issuerId})${options.reference ? ', bundled reference issuer' : ''}, seed ${seed}${shardText}`,
  );
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
      failOn: options.failOn,
      notExercised: `not judged: ${tokenTrouble}`,
    });
    await writeRunReport(report, outDir, options.formats, io.out);
    return exitCodeOf(report);
  }
  const progress = process.stderr.isTTY ? io.err : () => undefined;
  // The pact verification runs once per run: in the first shard when the run is split.
  const verifier = options.shard && options.shard.index !== 1 ? undefined : await startPactVerifier();
  let outcome: SuiteOutcome;
  let pact: PactOutcome | undefined;
  try {
    const { runSuites } = await import('./suite-runner.js');
    outcome = await runSuites({ config, seed, reference: options.reference, deadlineAt: Math.round(deadlineAt) }, progress, options.shard);
    const pactReplay = replayCommand('verify-pacts', { ...options.replayFlags, seed: String(seed) });
    // Past --max-time the pact step is not started: its rules are SKIPPED by the deadline's reason.
    const inTime = Date.now() < deadlineAt;
    const pactOptions = { ...options.pact, replay: pactReplay, stops: outcome.stops, budgetMs: deadlineAt - Date.now() };
    pact = verifier && inTime ? await verifyPactsStep(config, pactOptions, io, verifier) : undefined;
    if (!inTime && !outcome.stops.some((s) => s.kind === 'deadline')) {
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
    failOn: options.failOn,
    ...(options.shard ? { shard: options.shard, stoppedEarly: `not in shard ${options.shard.index}/${options.shard.total} (merge the shards' reports)` } : {}),
    ...(outcome.stoppedEarly ? { stoppedEarly: `the run stopped early after ${config.cases.maxFailures} failures (--max-failures)` } : {}),
  });
  await writeRunReport(report, outDir, options.formats, io.out);
  return exitCodeOf(report);
}

/** What every issuer-as-server report states about its run: the target, when, the seed, profiles, policies, configuration. */
export function serverRunFacts(config: RunConfig, reference: boolean, startedAt: Date, seed: number) {
  return {
    target: { baseUrl: withoutUserInfo(config.target.baseUrl), issuerId: config.target.issuerId, reference },
    startedAt,
    finishedAt: new Date(),
    seed,
    profiles: config.profiles,
    policies: config.policies,
    configuration: sanitizeConfig({ ...config, seed }),
    // What rules' `applies` read (src/verdict): outbound OAuth on or off; mTLS is not configurable yet (unknown).
    settings: { oauth: config.auth.mode === 'oauth', policies: config.policies },
  };
}

/** The exit code is the written verdict: 2 INCOMPLETE (the run could not do its job), 1 FAILED, 0 PASSED. */
export function exitCodeOf(report: Report): number {
  return EXIT_CODES[report.summary.verdict];
}

/** What a run keeps of its --max-time to end its steps and write its reports. */
const WRAP_UP_MS = 5_000;

/** The largest seed fast-check and the configuration take. */
const MAX_SEED = 2 ** 31 - 1;

const EXIT_CODES: { readonly [V in Report['summary']['verdict']]: number } = { INCOMPLETE: 2, FAILED: 1, PASSED: 0 };

/** The target must answer at all before a run means anything: a dead target is exit 2, not 200 findings. */
export async function preflight(config: RunConfig): Promise<void> {
  const client = createHttpClient({ timeoutMs: config.timeouts.requestMs });
  try {
    const url = config.auth.mode === 'oauth' ? tokenUrl(config) : config.target.baseUrl;
    const exchange = await client.send({
      method: config.auth.mode === 'oauth' ? 'POST' : 'GET',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: config.auth.mode === 'oauth' ? '' : undefined,
    });
    if (exchange.transportError !== undefined) {
      const what = config.auth.mode === 'oauth' ? 'token endpoint' : 'target';
      throw new TargetError(`${what} ${withoutUserInfo(url)} is not usable: ${exchange.transportError}`);
    }
  } finally {
    await client.close();
  }
}
