import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { merge, parseConfig, readRunConfigFile } from '../../core/config/load-config.js';
import { UsageError } from '../../core/errors/index.js';
import { buildReport } from '../../core/results/build-report.js';
import { prepareOutDir, reportDir, writeRunReport } from '../../outputs/report-files.js';
import { reportFlags } from '../flags.js';
import { exitCodeOf } from '../../core/results/exit-code.js';
import { limitFlags, requireTargetAuth, targetFlags, wantsReference } from '../flags.js';
import { outputLevel } from '../output.js';
import { preflight } from '../../server-side/runner/preflight.js';
import { serverRunFacts } from '../../server-side/runner/run-facts.js';
import { NO_BROKER_PACTS, pactsBroker } from '../../server-side/pact/broker.js';
import { D1_CONSUMER } from '../../core/pact/interactions.js';
import { verifyPactsStep } from '../../server-side/pact/verify-step.js';
import { pactVerifyOptions } from '../flags.js';
import type { CommandIo } from '../command-io.js';
import { replayCommand } from '../../core/util/replay.js';
import { withoutUserInfo } from '../../core/util/url.js';
import { parseCommand } from '../parse-command.js';
import { COMMAND_SPECS } from '../command-specs.js';

/**
 * `d1-conformance pacts --out DIR [--broker-url URL [--consumer-branch B]]`: writes both pact
 * files, generated from the rulebook, and with a broker publishes D1's (D1 -> issuer-backend)
 * there (the broker's publish-contracts endpoint), as consumer version RULEBOOK_VERSION on the branch. A broker that
 * fails is one line naming it and its HTTP status, exit 2.
 */
export async function pactsCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['pacts'], args);
  if (values.out === undefined) throw new UsageError('--out DIR is required (e.g. --out contracts/pacts)');
  const broker = pactsBroker(values);
  const { generatePacts } = await import('../../core/pact/generate.js');
  const { files, exercised } = await generatePacts(resolve(values.out));
  for (const file of files) io.out(file);
  io.err(`pacts: ${exercised.length} interactions, each exercised against the Pact mock server`);
  if (broker === undefined) {
    io.err(NO_BROKER_PACTS);
    return 0;
  }
  const [{ publishPacts }, { RULEBOOK_VERSION }, { readFile }] = await Promise.all([
    import('../../core/pact/broker-client.js'),
    import('../../../contracts/version.js'),
    import('node:fs/promises'),
  ]);
  // Only D1's own contract (consumer D1) is the rulebook's to publish. The issuer-backend -> D1
  // pact is D1's API for the bank's client tests: under the rulebook version it would create an
  // issuer-backend version that no backend build is, beside the backend's real (git) versions.
  const pacts = (await Promise.all(files.map(async (file) => ({ file, content: await readFile(file, 'utf8') })))).filter(
    (p) => (JSON.parse(p.content) as { consumer?: { name?: string } }).consumer?.name === D1_CONSUMER,
  );
  const { published, problem } = await publishPacts({
    broker: { url: broker.url, credentials: broker.credentials, timeoutMs: BROKER_TIMEOUT_MS },
    version: RULEBOOK_VERSION,
    branch: broker.branch,
    pacts,
  });
  const target = `${withoutUserInfo(broker.url)} (version ${RULEBOOK_VERSION}, branch ${broker.branch})`;
  if (published.length > 0) io.err(`pact broker: published ${published.map((p) => `${p.consumer} -> ${p.provider}`).join(' and ')} to ${target}`);
  if (problem !== undefined) {
    io.err(`d1-conformance pacts: ${problem}`);
    return 2;
  }
  return 0;
}

/** How long one request to the broker may take when publishing. */
const BROKER_TIMEOUT_MS = 30_000;

/**
 * `d1-conformance verify-pacts`: the provider verification of the D1 -> issuer pact alone,
 * against the same targets as `run` (no target: the bundled reference issuer), with a report.
 */
export async function verifyPactsCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['verify-pacts'], args);
  const level = outputLevel(values);
  const info = level === 'quiet' ? () => undefined : io.err;
  const { formats, failOn, waivers, attestations } = await reportFlags(values);
  const pact = pactVerifyOptions(values);
  const fromFile = values.config !== undefined ? await readRunConfigFile(values.config) : {};
  const flags = targetFlags(values);
  if (values.profile !== undefined) flags.profiles = values.profile.flatMap((p) => p.split(','));
  Object.assign(flags, limitFlags(values));
  const reference = wantsReference(values, fromFile) ? await (await import('../reference-target.js')).startReferenceTarget(values.variant) : undefined;
  try {
    requireTargetAuth(reference !== undefined, fromFile);
    const config = parseConfig(merge(merge(reference?.config ?? {}, fromFile), flags));
    const startedAt = new Date();
    const outDir = reportDir(values.out, startedAt, '-pacts');
    await prepareOutDir(outDir);
    await preflight(config);
    const seed = config.seed ?? randomInt(2 ** 31 - 1);
    info(
      `d1-conformance verify-pacts: ${withoutUserInfo(config.target.baseUrl)} (issuerId ${config.target.issuerId})${reference ? ', bundled reference issuer' : ''}`,
    );
    const replay = replayCommand('verify-pacts', {
      config: values.config,
      target: values.target,
      'issuer-id': values['issuer-id'],
      profile: values.profile,
      variant: values.variant,
      seed: String(seed),
    });
    const outcome = await verifyPactsStep(config, { ...pact, replay, budgetMs: config.timeouts.runMs }, { ...io, err: info });
    const report = buildReport({
      ...serverRunFacts(config, reference !== undefined, startedAt, seed),
      replay,
      results: outcome.results,
      timings: { samples: new Map() },
      errors: outcome.errors,
      waivers,
      attestations,
      failOn,
      stoppedEarly: 'not checked by the pact verification (d1-conformance run checks every rule)',
    });
    await writeRunReport(report, outDir, formats, io.out, level);
    return exitCodeOf(report);
  } finally {
    await reference?.issuer.close();
  }
}
