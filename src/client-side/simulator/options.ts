import type { JWK } from 'jose';
import { MESSAGES } from '../../../contracts/index.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { overlayMessages } from '../../core/spec-change/overlay.js';
import type { RulebookSnapshot } from '../../core/spec-change/snapshot.js';
import { PolicySettings } from '../../../contracts/policies.js';
import { PROFILE_IDS } from '../../../contracts/profiles.js';
import { ID48 } from '../../../contracts/patterns.js';
import { parseFaultPlan, type FaultPlan, type FaultPlanInput } from './faults.js';
import type { IssuerKey } from './keys.js';
import type { FaultServed } from './resilience.js';
import type { CardView, ConsumerView, OperationView } from './state.js';
import type { CaseResult } from '../../core/results/model.js';
import type { UngradedSeen } from './ungraded.js';
import type { SimulatorTlsOptions } from './tls.js';

export interface SimulatorOptions {
  /** The onboarded issuer (10 characters, inbound.md §2); default 'ISSUER0001'. */
  issuerId?: string;
  /** The issuer's registered ES256 public keys (assertion signing). */
  issuerKeys?: { kid: string; publicJwk: JWK }[];
  /** Known cardProductIds (IN-CARD-003); default ['prod-classic-01']. */
  cardProducts?: string[];
  /** Integration profiles in force, e.g. ['click-to-pay']. */
  profiles?: string[];
  policies?: Partial<PolicySettings>;
  /** Millisecond clock, for tests of expiry; default Date.now. */
  now?: () => number;
  /** Port on 127.0.0.1; default 0 (any free port). */
  port?: number;
  /** Faults to inject and compat answers (opt-in; default none). Checked at start by the FaultPlan schema. */
  faults?: FaultPlanInput;
  /**
   * Serve HTTPS as D1 with mutual TLS (min TLS 1.2): the simulated Thales CA, the simulator's server
   * certificate, certificates the issuer brought; every call is graded on IN-TLS-001..003 (tls.ts).
   */
  tls?: SimulatorTlsOptions;
  /** Grade under another rulebook (`client-check --rulebook`): the D1 requests it changes are checked under its constraints. */
  rulebook?: RulebookSnapshot;
}

export interface SimulatorStateView {
  consumers(): readonly ConsumerView[];
  cards(): readonly CardView[];
  operations(): readonly OperationView[];
}

export interface RunningSimulator {
  /** http://127.0.0.1:<port>, or https:// with the `tls` option */
  readonly baseUrl: string;
  /** True when the simulator speaks mutual TLS (the `tls` option). */
  readonly mtls: boolean;
  /** baseUrl + '/authz/v1/oauth2/token' */
  readonly tokenUrl: string;
  /** The simulator's P-256 ECDH-ES recipient key (also served at GET /.well-known/d1-jwe-key.json). */
  readonly jweKid: string;
  readonly jwePublicJwk: JWK;
  /** Every graded check so far: passes counted, findings with redacted evidence. */
  results(): CaseResult[];
  exercisedRules(): Set<string>;
  /** Calls answered without grading (unsimulated path or method, unreadable, grading failed), grouped by path shape; never dropped. */
  ungraded(): UngradedSeen[];
  /** Any text with what the simulator has learnt masked (PANs, tokens, assertions, personal data): for a client's log lines. */
  redact(text: string): string;
  /** What was injected so far (faults, and answers with compat extras), in order; no request data. */
  faultsServed(): readonly FaultServed[];
  /** Read-only views for tests. */
  readonly state: SimulatorStateView;
  close(): Promise<void>;
}

export interface SimulatorConfig {
  readonly issuerId: string;
  readonly issuerKeys: readonly IssuerKey[];
  readonly cardProducts: ReadonlySet<string>;
  readonly profiles: readonly string[];
  readonly policies: PolicySettings;
  readonly now: () => number;
  readonly port: number;
  readonly faults: FaultPlan;
  readonly tls?: SimulatorTlsOptions;
  /** The messages another rulebook changes, rebuilt under it (empty: the built-in rulebook). */
  readonly overlay: ReadonlyMap<string, MessageDef>;
}

/** Options are checked at start: a bad one is a configuration error, not a finding on the issuer. */
export function resolveOptions(options: SimulatorOptions): SimulatorConfig {
  const issuerId = options.issuerId ?? 'ISSUER0001';
  if ([...issuerId].length !== 10) throw new Error('simulator: issuerId must be exactly 10 characters (inbound.md §2)');
  const cardProducts = options.cardProducts ?? ['prod-classic-01'];
  for (const p of cardProducts) if (!ID48.regex.test(p)) throw new Error('simulator: a cardProductId does not match ^[A-Za-z0-9_-]{1,48}$');
  const profiles = options.profiles ?? [];
  for (const p of profiles)
    if (!(PROFILE_IDS as readonly string[]).includes(p)) throw new Error(`simulator: unknown profile ${p} (known: ${PROFILE_IDS.join(', ')})`);
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0 && options.port <= 65535))
    throw new Error('simulator: port must be an integer 0..65535');
  const parsed = PolicySettings.safeParse(options.policies ?? {});
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => i.path.join('.') || (i.code === 'unrecognized_keys' ? i.keys.join(', ') : '(root)')).join(', ');
    throw new Error(`simulator: invalid policies (${where})`);
  }
  return {
    issuerId,
    issuerKeys: options.issuerKeys ?? [],
    cardProducts: new Set(cardProducts),
    profiles,
    policies: parsed.data,
    now: options.now ?? Date.now,
    port: options.port ?? 0,
    faults: parseFaultPlan(options.faults),
    ...(options.tls !== undefined ? { tls: options.tls } : {}),
    overlay: options.rulebook ? overlayMessages(MESSAGES, options.rulebook) : new Map(),
  };
}
