import { ConfigurationError, UsageError } from '../../core/errors/index.js';
import type { CaseResult } from '../../core/results/model.js';
import { exitCodeOf } from '../../core/results/exit-code.js';
import { integerFlag } from '../flags.js';
import { replayCommand } from '../../core/util/replay.js';
import type { FaultServed } from '../../client-side/simulator/index.js';
import { prepareOutDir, reportDir, writeRunReport } from '../../outputs/report-files.js';
import { reportFlags } from '../flags.js';
import { PENDING_OWNER } from '../../core/results/waivers.js';
import { specChangeFlags, specChangeReport, targetedEndpoints } from '../spec-flags.js';
import { D1_ENDPOINTS } from '../../../contracts/endpoints.js';
import { loadClientCheckConfig, type ClientCheckConfig } from '../../client-side/client-check/config.js';
import { TLS_CA_FILE, TLS_CLIENT_CERT_FILE } from '../../client-side/client-check/session-tls.js';
import { CommandStartError, describeCommand, runIssuerCommand, type CommandOutcome } from '../../client-side/client-check/issuer-command.js';
import { prepareReferenceClient, variantClientKeyType, type ReferenceClient } from '../reference-client.js';
import { d1Environment, JWE_KEY_FILE, sessionReport, startSession } from '../../client-side/client-check/simulator-session.js';
import type { CommandIo } from '../command-io.js';
import { parseCommand } from '../parse-command.js';
import { outputLevel } from '../output.js';
import { COMMAND_SPECS } from '../command-specs.js';

/**
 * `d1-conformance client-check [--config FILE] [--faults] ... [-- COMMAND...]`: certify the issuer
 * as a client. The D1 simulator starts, the issuer's own integration command runs against it
 * (D1_* variables say where D1 is), and every call it made is graded into the usual report.
 * With no command, the bundled reference client runs (`--variant` picks a broken one).
 * Exit 0 passed, 1 a finding fails the gate, 2 the check could not do its job, including a
 * command that failed with no finding to explain it.
 */
export async function clientCheckCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommand(COMMAND_SPECS['client-check'], args);
  const level = outputLevel(values);
  // --quiet: neither the header nor the command's own output; warnings and problems still are.
  const info = level === 'quiet' ? () => undefined : io.err;
  const flags = await reportFlags(values);
  const specChange = specChangeFlags(values);
  const specEndpoints = targetedEndpoints(specChange, D1_ENDPOINTS);
  const overrides = simulatorFlags(values);
  if (values.timeout !== undefined) overrides.timeoutSeconds = integerFlag('--timeout', values.timeout);
  const loaded = await loadClientCheckConfig(values.config, overrides);
  const { baseDir } = loaded;
  const given = positionals.length > 0 ? positionals : loaded.config.command;
  // A variant breaking a TLS rule needs the simulator to speak TLS: it turns --tls on.
  const clientKeyType = given === undefined ? variantClientKeyType(values.variant) : undefined;
  const config = withTlsFlag(loaded.config, values.tls === true || clientKeyType !== undefined);
  if (given !== undefined && values.variant !== undefined)
    throw new UsageError('--variant picks a broken reference client; it cannot go with a command of your own');

  const replayFlags = {
    config: values.config,
    'issuer-id': values['issuer-id'],
    profile: values.profile,
    faults: values.faults,
    timeout: values.timeout,
    variant: values.variant,
    since: values.since,
    'rules-from': values['rules-from'],
    'pending-until': values['pending-until'],
    rulebook: values.rulebook,
  };
  const startedAt = new Date();
  const specReport = specChangeReport(specChange, specEndpoints, startedAt.toISOString().slice(0, 10), { notJudgedOutside: false });
  for (const note of specChange.notes) info(`d1-conformance client-check: ${note}`);
  if (specChange.unchecked.length > 0) info(`not judged by this version (new in the rulebook): ${specChange.unchecked.join('; ')}`);
  if (specChange.targeted) {
    const { diff, since } = specChange.targeted;
    info(`targeted re-check: ${diff.changes.length} change(s) since ${since}: ${diff.scope.rules.length} rule(s), of D1's endpoints ${specEndpoints?.join(', ') || 'none'}`);
  }
  const outDir = reportDir(flags.out, startedAt, '-client');
  // The simulator's JWE public key is written there for the command; an earlier run's copy is ours too.
  await prepareOutDir(outDir, [JWE_KEY_FILE, TLS_CA_FILE, TLS_CLIENT_CERT_FILE]);
  const reference: ReferenceClient | undefined = given === undefined ? await prepareReferenceClient(values.variant) : undefined;
  try {
    const sessionOptions = { ...(clientKeyType !== undefined ? { clientKeyType } : {}), ...(specChange.rulebook ? { rulebook: specChange.rulebook } : {}) };
    const session = await startSession(config, baseDir, outDir, reference ? [reference.key] : [], sessionOptions).catch(noReport);
    const { sim } = session;
    const argv = given ?? reference?.argv ?? [];
    const command = reference ? 'bundled reference client' : describeCommand(argv);
    info(
      `d1-conformance client-check: D1 simulator at ${sim.baseUrl} (issuerId ${config.issuerId}${config.faults === false ? '' : ', faults on'}${tlsNote(session.tls?.mode)}); running ${command}`,
    );
    if (session.keys.length === 0)
      io.err('d1-conformance client-check: warning: no issuer key is registered (issuerKeys): every token call will be refused (IN-AUTH-006)');

    let outcome: CommandOutcome | undefined;
    const errors: string[] = [];
    try {
      outcome = await runIssuerCommand(argv, {
        // The reference client registers cards of the first configured product (an issuer knows its own from onboarding).
        env: { ...d1Environment(session, config.issuerId), ...(reference ? { ...reference.env, D1_CARD_PRODUCT_ID: config.cardProducts[0] ?? '' } : {}) },
        timeoutMs: config.timeoutSeconds * 1000,
        redact: (line) => sim.redact(line),
        echo: (line) => {
          info(`  | ${line}`);
        },
      });
    } catch (e) {
      noReport(e instanceof CommandStartError ? new ConfigurationError(e.message) : e);
    } finally {
      await sim.close();
      await session.tls?.dispose();
    }
    if (outcome.timedOut) errors.push(`the command did not finish within ${config.timeoutSeconds} s and was stopped`);
    const results = [...sim.results(), ...toleranceSuspicion(outcome, sim.faultsServed())];
    // Ungraded calls are calls too: the report lists them (and says nothing was judged).
    if (results.length === 0 && sim.ungraded().length === 0)
      errors.push('the command made no call to the D1 simulator (does it read D1_BASE_URL and D1_TOKEN_URL?)');

    const build = (extra: readonly string[]) =>
      sessionReport(session, config, {
        reference: reference !== undefined,
        command,
        startedAt,
        results,
        errors: [...errors, ...extra],
        waivers: flags.waivers,
        attestations: flags.attestations,
        failOn: flags.failOn,
        specChange: {
          ...(specReport.targeted ? { targeted: specReport.targeted, pending: specReport.pending ?? [] } : {}),
          ...(specReport.rulebook ? { rulebook: specReport.rulebook } : {}),
        },
        // The user's own command is named, not quoted: its arguments may hold secrets.
        replay: withTlsReplay(replayCommand('client-check', replayFlags, given === undefined ? undefined : '<your command>'), 'client-check', values.tls),
      });
    let report = build([]);
    // The command failed and no finding that fails the gate says why: the check could not do its job,
    // and the written verdict says so (INCOMPLETE, exit 2) rather than PASSED. Only a pending rule
    // (new since --since, failing on this run) explains the exit; a standing waiver never does.
    const accepted = report.rules.some((r) => r.status === 'WAIVED' && r.waiver?.owner === PENDING_OWNER);
    const unexplained = outcome.exitCode !== 0 && report.summary.verdict !== 'FAILED' && !accepted;
    if (unexplained) {
      const how = outcome.exitCode !== undefined ? `exit code ${outcome.exitCode}` : `signal ${outcome.signal ?? 'unknown'}`;
      const warned = report.rules.filter((r) => r.status === 'WARNING').map((r) => r.ruleId);
      const why = warned.length > 0 ? `no failed rule explains it (warnings that may: ${warned.join(', ')})` : 'no finding explains it';
      report = build([`the command failed (${how}) and ${why}`]);
      await writeRunReport(report, outDir, flags.formats, io.out, level);
      io.err(`d1-conformance client-check: the command failed (${how}) and ${why}; its last lines:`);
      // Redacted again: by now the simulator knows every secret and personal value the calls carried.
      for (const line of outcome.lastLines.slice(-10)) io.err(`  | ${sim.redact(line)}`);
      return exitCodeOf(report);
    }
    await writeRunReport(report, outDir, flags.formats, io.out, level);
    return exitCodeOf(report);
  } finally {
    await reference?.dispose();
  }
}

/**
 * An error before any report was written: the report directory exists by then (D1's JWE key is
 * in it), so the one error line says no report was (issue 12 item 11: exit 2, never a stale verdict).
 */
function noReport(e: unknown): never {
  if (e instanceof ConfigurationError) throw new ConfigurationError(`${e.message}; no report written`);
  if (e instanceof Error) e.message = `${e.message}; no report written`;
  throw e;
}

/** `--tls` turns mutual TLS on; a `tls` object of the config file (a CSR, a brought certificate) stays as it is. */
export function withTlsFlag(config: ClientCheckConfig, tls: boolean | undefined): ClientCheckConfig {
  return tls === true && config.tls === false ? { ...config, tls: true } : config;
}

/** The replay line with --tls when it was given (src/core/util/replay.ts replays the flags every command shares). */
export function withTlsReplay(replay: string, command: string, tls: boolean | undefined): string {
  return tls === true ? replay.replace(`npx d1-conformance ${command}`, `npx d1-conformance ${command} --tls`) : replay;
}

function tlsNote(mode: 'simulated-ca' | 'brought' | undefined): string {
  if (mode === undefined) return '';
  return mode === 'brought' ? ', mutual TLS with the certificate you brought' : ', mutual TLS with the simulated Thales CA';
}

/** Flags that override the config file. */
export function simulatorFlags(values: {
  'issuer-id'?: string | undefined;
  profile?: string[] | undefined;
  port?: string | undefined;
  faults?: boolean | undefined;
}): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (values['issuer-id'] !== undefined) flags.issuerId = values['issuer-id'];
  if (values.profile !== undefined) flags.profiles = values.profile.flatMap((p) => p.split(','));
  if (values.port !== undefined) flags.port = integerFlag('--port', values.port);
  if (values.faults === true) flags.faults = true;
  return flags;
}

/**
 * IN-COMPAT-001 as far as the simulator can judge: the command failed after D1 answers that
 * carried compat extras (unknown fields, a new enum value). The cause is not certain, so it is a
 * warning that points there, not a failure.
 */
function toleranceSuspicion(outcome: CommandOutcome, served: readonly FaultServed[]): CaseResult[] {
  const compat = served.filter((f) => f.kind === 'compat');
  const last = compat.at(-1);
  if (outcome.exitCode === 0 || last === undefined) return [];
  return [
    {
      ruleId: 'IN-COMPAT-001',
      endpoint: last.endpoint,
      case: 'the command carries on after answers with unknown fields or new enum values',
      status: 'WARNING',
      message: `the command failed after ${String(compat.length)} answer(s) with compat extras (the last from ${last.endpoint}): check that it ignores unknown fields and enum values`,
      count: 1,
    },
  ];
}
