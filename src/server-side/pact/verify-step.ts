import type { RunConfig } from '../../core/config/run-config.js';
import { withoutUserInfo } from '../../core/util/url.js';
import { NO_BROKER_VERIFICATION, type BrokerSettings } from './broker.js';
import type { PactOutcome } from './verify.js';
import type { VerifierProcess } from './verifier-process.js';
import type { Stop } from '../../core/results/model.js';

/** The pact flags `run` and `verify-pacts` share, and the verification step of a run. */

export interface PactVerifyOptions {
  readonly providerStatesUrl?: string;
  readonly broker?: BrokerSettings;
  /** The verify-pacts command line a finding's replay starts from (the user's own config and target). */
  readonly replay?: string;
  /** Endpoints the run's suites stopped calling: their interactions are SKIPPED with the stop's reason, never sent. */
  readonly stops?: readonly Stop[];
  /** The time left in the run (--max-time): the verification is not waited for longer. */
  readonly budgetMs?: number;
}

/** The verifier process, started before the suites so that loading Pact overlaps with them. */
export async function startPactVerifier(): Promise<VerifierProcess> {
  return (await import('./verifier-process.js')).startVerifierProcess();
}

export async function verifyPactsStep(
  config: RunConfig,
  options: PactVerifyOptions,
  io: { err: (text: string) => void },
  verifier?: VerifierProcess,
): Promise<PactOutcome> {
  const outcome = await runPactVerification(config, options, verifier);
  printPactStep(outcome, options.broker, io);
  return outcome;
}

/** The verification alone (printPactStep says what became of it). */
export async function runPactVerification(config: RunConfig, options: PactVerifyOptions, verifier?: VerifierProcess): Promise<PactOutcome> {
  const { verifyIssuerPacts } = await import('./verify.js');
  return verifyIssuerPacts(config, options, verifier);
}

/**
 * Whether a run may verify the pact alongside its suites rather than after them. Its result is
 * only kept when the suites stopped calling no endpoint (else it is run again, after them, with
 * the stops: see run-command.ts). Never with a broker (published results cannot be taken back),
 * nor under --rate-limit (the verifier's calls are not paced: alongside, they would add to the
 * suites' rate).
 */
export function pactMayRunAlongside(config: RunConfig, options: PactVerifyOptions): boolean {
  return options.broker === undefined && config.limits.ratePerSecond === undefined;
}

/** The console lines of the pact step: interactions failed and skipped, and the broker's part. */
export function printPactStep(outcome: PactOutcome, broker: BrokerSettings | undefined, io: { err: (text: string) => void }, when = ''): void {
  const cases = new Map<string, string>();
  for (const r of outcome.results) {
    const before = cases.get(r.case);
    if (before !== 'FAILED') cases.set(r.case, r.status === 'FAILED' ? 'FAILED' : before === 'SKIPPED' || r.status === 'SKIPPED' ? 'SKIPPED' : r.status);
  }
  const count = (s: string) => [...cases.values()].filter((v) => v === s).length;
  if (outcome.results.length > 0) {
    io.err(
      `pact verification${when}: ${cases.size} interactions, ${count('FAILED')} failed, ${count('SKIPPED')} skipped (${(outcome.durationMs / 1000).toFixed(1)}s)`,
    );
  }
  io.err(brokerLine(broker, outcome));
}

/**
 * What became of the broker, in one line: results are only ever said to be sent when the
 * verification ran and its publishing did not fail; a broker that failed is named with the
 * HTTP status it answered (the run's errors say the same, and the run is INCOMPLETE).
 */
function brokerLine(broker: BrokerSettings | undefined, outcome: PactOutcome): string {
  if (!broker) return NO_BROKER_VERIFICATION;
  const where = `${withoutUserInfo(broker.url)} (provider version ${broker.providerVersion})`;
  if (outcome.brokerProblem !== undefined)
    return `pact broker: FAILED, verification results not sent to ${where}: ${outcome.brokerProblem.replace(`pact broker ${withoutUserInfo(broker.url).replace(/\/+$/, '')}`, 'the broker')}`;
  if (outcome.errors.length > 0) return `pact broker: FAILED, verification results not sent to ${where}: see the run's errors`;
  return `pact broker: verification results sent to ${where}`;
}
