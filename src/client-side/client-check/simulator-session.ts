import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PolicySettings } from '../../../contracts/policies.js';
import { ConfigurationError } from '../../core/errors/index.js';
import { DEFAULT_FAULT_PLAN, startSimulator, type FaultPlanInput, type RunningSimulator } from '../simulator/index.js';
import type { Waiver } from '../../core/results/waivers.js';
import type { ReportInput } from '../../core/results/build-report.js';
import type { RulebookSnapshot } from '../../core/spec-change/snapshot.js';
import type { CheckedAttestation } from '../../core/results/attestations.js';
import type { CaseResult, Report } from '../../core/results/model.js';
import { clientReport } from './client-report.js';
import { readIssuerKeys, type ClientCheckConfig, type RegisteredKey } from './config.js';
import { scopeUngraded } from './ungraded-scope.js';
import { prepareSessionTls, type SessionTls } from './session-tls.js';
import type { KeyType } from '../../core/tls/certificates.js';

/**
 * Starting the D1 simulator for `simulate` and `client-check`: keys read from their files, the
 * options checked by the simulator itself (a refusal is a configuration error, one line), and
 * D1's JWE recipient key published as a file next to the report (it is public).
 */

export const JWE_KEY_FILE = 'd1-jwe-public.jwk.json';

export interface SimulatorSession {
  readonly sim: RunningSimulator;
  readonly policies: PolicySettings;
  /** The JWE recipient public key file the issuer encrypts PANs to. */
  readonly jweKeyPath: string;
  readonly keys: readonly RegisteredKey[];
  /** Mutual TLS material (config key tls / --tls); its dispose() removes a client key made for the command. */
  readonly tls?: SessionTls;
}

export async function startSession(
  config: ClientCheckConfig,
  baseDir: string,
  outDir: string,
  extraKeys: readonly RegisteredKey[] = [],
  options: { readonly clientKeyType?: KeyType; readonly rulebook?: RulebookSnapshot } = {},
): Promise<SimulatorSession> {
  const keys = [...(await readIssuerKeys(config.issuerKeys, baseDir)), ...extraKeys];
  const policies = PolicySettings.parse(config.policies);
  const tls = await prepareSessionTls(config.tls, {
    issuerId: config.issuerId,
    baseDir,
    outDir,
    ...(options.clientKeyType !== undefined ? { clientKeyType: options.clientKeyType } : {}),
  });
  let sim: RunningSimulator;
  try {
    sim = await startSimulator({
      issuerId: config.issuerId,
      issuerKeys: keys,
      cardProducts: config.cardProducts,
      profiles: config.profiles,
      policies,
      port: config.port,
      ...faultOption(config.faults),
      ...(tls !== undefined ? { tls: tls.options } : {}),
      ...(options.rulebook ? { rulebook: options.rulebook } : {}),
    });
  } catch (e) {
    await tls?.dispose();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new ConfigurationError(`port ${config.port} on 127.0.0.1 is not available (${code})`);
    const message = e instanceof Error ? e.message.replace(/^simulator: /, '') : String(e);
    throw new ConfigurationError(message.startsWith('invalid fault plan') ? `config key faults: ${message}` : message);
  }
  const jweKeyPath = join(outDir, JWE_KEY_FILE);
  try {
    await writeFile(jweKeyPath, `${JSON.stringify(sim.jwePublicJwk, null, 2)}\n`);
  } catch (e) {
    await sim.close();
    await tls?.dispose();
    throw e;
  }
  return { sim, policies, jweKeyPath, keys, ...(tls !== undefined ? { tls } : {}) };
}

/** The environment the issuer's command finds D1 with. */
export function d1Environment(session: SimulatorSession, issuerId: string): Record<string, string> {
  return {
    D1_BASE_URL: session.sim.baseUrl,
    D1_TOKEN_URL: session.sim.tokenUrl,
    D1_ISSUER_ID: issuerId,
    D1_JWE_PUBLIC_KEY: session.jweKeyPath,
    D1_JWE_KID: session.sim.jweKid,
    // With mutual TLS: the CA that signed the simulator's server certificate, and the client identity's files.
    ...session.tls?.env,
  };
}

/** `true` is the default plan; a plan of one's own is checked by the simulator's own schema at start. */
function faultOption(faults: ClientCheckConfig['faults']): { faults?: FaultPlanInput } {
  if (faults === false) return {};
  return { faults: faults === true ? DEFAULT_FAULT_PLAN : faults };
}

export interface SessionOutcome {
  readonly reference: boolean;
  /** What made the calls, as the report may show it (never a command's arguments: they may hold secrets). */
  readonly command: string;
  readonly startedAt: Date;
  readonly results: readonly CaseResult[];
  readonly errors: readonly string[];
  readonly waivers: readonly Waiver[];
  readonly attestations?: readonly CheckedAttestation[];
  readonly failOn: 'must' | 'should';
  /** The command line that replays the session (src/core/util/replay.ts). */
  readonly replay: string;
  /** A targeted re-check after a D1 spec change (client-check --since): its report section and pending rules. */
  readonly specChange?: Pick<ReportInput, 'targeted' | 'pending' | 'rulebook'>;
}

/** The report of a simulator session, for `client-check` and `simulate` alike. */
export function sessionReport(session: SimulatorSession, config: ClientCheckConfig, outcome: SessionOutcome): Report {
  // The configuration as a report shows it: key ids, not key files; no command line.
  const { command: _argv, issuerKeys: _files, ...rest } = config;
  return clientReport({
    replay: outcome.replay,
    baseUrl: session.sim.baseUrl,
    issuerId: config.issuerId,
    reference: outcome.reference,
    command: outcome.command,
    startedAt: outcome.startedAt,
    finishedAt: new Date(),
    profiles: config.profiles,
    policies: session.policies,
    faults: config.faults !== false,
    configuration: { ...rest, issuerKeys: session.keys.map((k) => ({ kid: k.kid })), command: outcome.command },
    results: outcome.results,
    // Calls the simulator answered but could not grade: listed, INCOMPLETE unless declared out of scope.
    ungraded: scopeUngraded(session.sim.ungraded(), config.ungradedCalls),
    errors: outcome.errors,
    waivers: outcome.waivers,
    ...(outcome.attestations ? { attestations: outcome.attestations } : {}),
    failOn: outcome.failOn,
    tls: session.tls?.mode ?? 'off',
    ...(outcome.specChange ? { specChange: outcome.specChange } : {}),
  });
}
