import { RULES } from '../../../contracts/index.js';
import type { PolicySettings } from '../../../contracts/policies.js';
import type { ProfileId } from '../../../contracts/profiles.js';
import type { Waiver } from '../../core/results/waivers.js';
import type { CheckedAttestation } from '../../core/results/attestations.js';
import { buildReport, type ReportInput } from '../../core/results/build-report.js';
import type { CaseResult, Report, UngradedCall } from '../../core/results/model.js';

/**
 * The issuer-as-client report: the simulator's graded calls, joined with what the run could not
 * test. A rule the command never exercised is SKIPPED as NOT TESTED; mTLS rules are SKIPPED
 * when the simulator speaks plain HTTP (no --tls), and IN-TLS-001 when the client certificate was
 * brought (it cannot chain to the simulated Thales CA); rules whose `applies` the run's settings do not meet
 * (faults off, no assertion audience) are NOT_APPLICABLE, from the rule data (src/core/verdict).
 */

export const NOT_TESTED = "NOT TESTED: the issuer's calls never exercised this rule";
const NO_MTLS = 'NOT TESTED: mTLS is not simulated in this run (the simulator speaks plain HTTP on 127.0.0.1; run with --tls)';
const BROUGHT =
  'NOT TESTED: the client certificate was brought (tls.clientCert), so it cannot chain to the simulated Thales CA; give the CSR instead (tls.csr) to have the simulated CA sign it';

/** How the run spoke TLS: not at all, with a certificate of the simulated CA, or with one the issuer brought. */
export type ClientTlsMode = 'off' | 'simulated-ca' | 'brought';

export interface ClientReportInput {
  readonly baseUrl: string;
  readonly issuerId: string;
  readonly reference: boolean;
  readonly command: string;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly profiles: readonly ProfileId[];
  readonly policies: PolicySettings;
  readonly faults: boolean;
  readonly configuration: Record<string, unknown>;
  readonly results: readonly CaseResult[];
  /** Calls the simulator could not grade (issue 11): they make the verdict INCOMPLETE unless out of scope. */
  readonly ungraded?: readonly UngradedCall[];
  /** The command line that replays the session. */
  readonly replay?: string;
  readonly errors: readonly string[];
  readonly waivers: readonly Waiver[];
  readonly attestations?: readonly CheckedAttestation[];
  readonly failOn: 'must' | 'should';
  /** Default 'off'. */
  readonly tls?: ClientTlsMode;
  /** A targeted re-check after a D1 spec change: its report section and pending rules. */
  readonly specChange?: Pick<ReportInput, 'targeted' | 'pending' | 'rulebook'>;
}

export function clientReport(input: ClientReportInput): Report {
  const tls = input.tls ?? 'off';
  const skipped = (ids: readonly string[], message: string): CaseResult[] =>
    ids.map((ruleId) => ({ ruleId, endpoint: '*', case: 'mutual TLS', status: 'SKIPPED', message, count: 1 }));
  const tlsRules = RULES.filter((r) => r.direction === 'issuer-as-client' && r.id.startsWith('IN-TLS-')).map((r) => r.id);
  const mtls = tls === 'off' ? skipped(tlsRules, NO_MTLS) : tls === 'brought' ? skipped(['IN-TLS-001'], BROUGHT) : [];
  return buildReport({
    direction: 'issuer-as-client',
    target: { baseUrl: input.baseUrl, issuerId: input.issuerId, reference: input.reference },
    command: input.command,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    // The simulator grades deterministic checks: there is no generated input to replay.
    seed: 0,
    profiles: input.profiles,
    policies: input.policies,
    configuration: input.configuration,
    results: [...input.results, ...mtls],
    timings: { samples: new Map() },
    errors: input.errors,
    ...(input.ungraded !== undefined ? { ungraded: input.ungraded } : {}),
    ...(input.replay !== undefined ? { replay: input.replay } : {}),
    waivers: input.waivers,
    ...(input.attestations ? { attestations: input.attestations } : {}),
    failOn: input.failOn,
    notExercised: NOT_TESTED,
    ...input.specChange,
    settings: { faults: input.faults, mtls: tls !== 'off', policies: input.policies },
  });
}
