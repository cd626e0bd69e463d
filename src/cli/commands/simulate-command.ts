import { exitCodeOf } from '../../core/results/exit-code.js';
import { replayCommand } from '../../core/util/replay.js';
import { prepareOutDir, reportDir, writeRunReport } from '../../outputs/report-files.js';
import { reportFlags } from '../flags.js';
import { JWE_KEY_PATH } from '../../client-side/simulator/index.js';
import { simulatorFlags, withTlsFlag, withTlsReplay } from './client-check-command.js';
import { TLS_CA_FILE, TLS_CLIENT_CERT_FILE } from '../../client-side/client-check/session-tls.js';
import { loadClientCheckConfig } from '../../client-side/client-check/config.js';
import { d1Environment, JWE_KEY_FILE, sessionReport, startSession } from '../../client-side/client-check/simulator-session.js';
import type { CommandIo } from '../command-io.js';
import { parseCommand } from '../parse-command.js';
import { COMMAND_SPECS } from '../command-specs.js';

export interface SimulateIo extends CommandIo {
  /** Resolves when the simulator should stop (default: SIGINT or SIGTERM). */
  readonly stopped?: Promise<string>;
}

/**
 * `d1-conformance simulate [--port N] [--config FILE] [--out DIR] [--faults]`: the D1 simulator
 * as a sandbox an issuer's backend (or a developer) calls by hand. It runs until Ctrl-C or
 * SIGTERM, then writes the report of every call it graded.
 */
export async function simulateCommand(args: readonly string[], io: SimulateIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['simulate'], args);
  const flags = await reportFlags(values);
  const loaded = await loadClientCheckConfig(values.config, simulatorFlags(values));
  const { baseDir } = loaded;
  const config = withTlsFlag(loaded.config, values.tls);
  const startedAt = new Date();
  const outDir = reportDir(flags.out, startedAt, '-simulator');
  // The simulator's JWE public key is written there for the command; an earlier run's copy is ours too.
  await prepareOutDir(outDir, [JWE_KEY_FILE, TLS_CA_FILE, TLS_CLIENT_CERT_FILE]);
  const session = await startSession(config, baseDir, outDir);
  const { sim } = session;
  const stopped = io.stopped ?? stopSignal();

  io.out(`D1 simulator listening on ${sim.baseUrl} (issuerId ${config.issuerId}${config.faults === false ? '' : ', faults on'})`);
  io.out(`  token endpoint:   ${sim.tokenUrl}`);
  io.out(`  JWE key (public): ${sim.baseUrl}${JWE_KEY_PATH} and ${session.jweKeyPath} (kid ${sim.jweKid})`);
  io.out(
    `  issuer keys:      ${session.keys.length > 0 ? session.keys.map((k) => k.kid).join(', ') : 'none registered: every token call will be refused (create one with `d1-conformance keys --for issuer --out DIR`)'}`,
  );
  for (const [name, value] of Object.entries(d1Environment(session, config.issuerId))) io.out(`export ${name}=${value}`);
  if (session.tls !== undefined)
    io.out(`  mutual TLS:       ${session.tls.mode === 'brought' ? 'the client certificate you brought is let in (IN-TLS-001 not judged)' : 'client certificates of the simulated Thales CA (D1_TLS_CA trusts the server)'}`);
  io.out('Stop with Ctrl-C: the report of every call is written then.');

  const signal = await stopped;
  await sim.close();
  await session.tls?.dispose();
  const results = sim.results();
  const report = sessionReport(session, config, {
    reference: false,
    command: 'calls made while the simulator ran',
    startedAt,
    results,
    errors: results.length === 0 && sim.ungraded().length === 0 ? ['no call was made to the D1 simulator while it ran'] : [],
    waivers: flags.waivers,
    attestations: flags.attestations,
    failOn: flags.failOn,
    replay: withTlsReplay(replayCommand('simulate', { config: values.config, 'issuer-id': values['issuer-id'], profile: values.profile, faults: values.faults }), 'simulate', values.tls),
  });
  io.err(`d1-conformance simulate: stopped (${signal}); writing the report`);
  await writeRunReport(report, outDir, flags.formats, io.out);
  return exitCodeOf(report);
}

/**
 * Ctrl-C (or SIGTERM) is how a simulator is stopped, not an interruption: the launcher's handlers
 * (exit at once) are replaced, so the report is written. A second one still ends the process at once.
 */
function stopSignal(): Promise<string> {
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
