import { replayCommand, shellQuote } from '../../core/util/replay.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RunConfig } from '../../core/config/run-config.js';
import { createHttpClient } from '../../core/http/client.js';
import { tlsClientMaterial } from '../../core/http/tls-client.js';
import { clientOptions } from '../harness/session.js';
import { Redactor } from '../../core/redact/redactor.js';
import type { CaseResult, Stop } from '../../core/results/model.js';
import { ENDPOINTS } from '../../../contracts/endpoints.js';
import type { PactVerifyOptions } from './verify-step.js';
import { COMMITTED_PACTS_DIR, pactFileName } from '../../core/pact/files.js';
import { D1_TO_ISSUER, type InteractionSpec } from '../../core/pact/interactions.js';
import { startStateRelay, startStateServer, stateHandlers, type StateRelay, type StateServer } from './provider-states.js';
import { caseName, mapVerification, type VerifierJson } from './results.js';
import { startVerifierProcess, type VerifierProcess } from './verifier-process.js';
import { basicCredentials, fetchToken, targetUrl } from './target-calls.js';
import { DOCUMENTED_TOKEN_PATH, oneLine, type ChildRequest } from './verifier-options.js';
import { brokerIndex, credentialSecrets, relation, where } from '../../core/pact/broker-client.js';
import type { BrokerSettings } from './broker-options.js';

/**
 * Provider verification of the D1 -> issuer pact against a target: the Pact Verifier replays
 * every interaction, provider states come from the run configuration (or the issuer's own
 * state-change URL), a fresh bearer token is put on every request by a request filter, and each
 * interaction's outcome becomes case results named by rule id.
 */

export const ISSUER_PACT_FILE = join(COMMITTED_PACTS_DIR, pactFileName(D1_TO_ISSUER));

/** The step's options (src/server-side/pact/verify-step.ts), and the pact file (default: the one generated from the rulebook, contracts/pacts/). */
export interface VerifyOptions extends PactVerifyOptions {
  readonly pactFile?: string;
}

export interface PactOutcome {
  readonly results: CaseResult[];
  /** Problems of the verification itself (the verifier could not run): harness errors. */
  readonly errors: string[];
  readonly durationMs: number;
  /** Why the broker step failed (one line naming the HTTP status when there is one): the pacts not loaded, or the results not published. */
  readonly brokerProblem?: string;
}

/** `verifier`: a process started ahead (startVerifierProcess), else one is started here; either way it is stopped after (ended, or kept for the next verification: verifier-process.ts). */
export async function verifyIssuerPacts(
  config: RunConfig,
  options: VerifyOptions = {},
  verifier: VerifierProcess = startVerifierProcess(),
): Promise<PactOutcome> {
  const started = performance.now();
  const pactFile = options.pactFile ?? ISSUER_PACT_FILE;
  if (!options.broker && !existsSync(pactFile)) {
    verifier.stop();
    return { results: [], errors: [`pact file ${pactFile} not found (npm run pacts writes it)`], durationMs: 0 };
  }
  const redactor = new Redactor();
  const basic = basicCredentials(config);
  if (config.auth.mode === 'oauth') redactor.addSecret(config.auth.clientSecret, basic?.slice('Basic '.length));
  for (const c of config.testData.consumers) redactor.addPan(...c.pans);
  if (config.tls?.passphrase !== undefined) redactor.addSecret(config.tls.passphrase);
  const { broker } = options;
  // The broker's token or password, and a password in its URL, never reach a report (the verifier's errors quote the URL).
  if (broker) redactor.addSecret(...credentialSecrets(broker), ...brokerUserInfo(broker.url));

  const client = createHttpClient(clientOptions(config, { paced: false }));
  let states: StateServer | undefined;
  let relay: StateRelay | undefined;
  try {
    // The broker first: unreachable, or refusing the credentials, is one clear line before anything runs.
    const unusable = broker ? await brokerUnusable(broker, config.timeouts.requestMs) : undefined;
    if (unusable !== undefined) {
      const problem = redactor.text(unusable);
      return { results: [], errors: [problem], durationMs: performance.now() - started, brokerProblem: problem };
    }
    const token = await fetchToken(config, client);
    redactor.addSecret(token);
    const skipped = skippedInteractions(config, options.stops ?? []);
    if (options.providerStatesUrl === undefined)
      states = await startStateServer(stateHandlers({ config, client, token, stopped: stopReasons(options.stops ?? []) }));
    else relay = await startStateRelay(options.providerStatesUrl, config.timeouts.requestMs);
    const request: ChildRequest = {
      provider: D1_TO_ISSUER.provider,
      providerBaseUrl: config.target.baseUrl,
      ...(broker ? { broker } : { pactUrls: [pactFile] }),
      providerStatesSetupUrl: relay?.url ?? states?.url ?? '',
      timeoutMs: config.timeouts.requestMs,
      // The request filter forwards each replayed request itself (forward.ts): over D1's mutual TLS when configured.
      ...(config.tls !== undefined ? { tls: tlsClientMaterial(config.tls) } : {}),
      filter: {
        stripAuthorization: config.auth.mode === 'none',
        ...(token !== undefined ? { bearer: token } : {}),
        ...(basic !== undefined ? { basic } : {}),
        ...tokenPathOf(config),
        notSent: stoppedEndpoints(options.stops ?? []),
      },
    };
    const response = await verifier.verify(request, Math.min(60_000 + 20 * config.timeouts.requestMs, options.budgetMs ?? Infinity));
    if (!response.ok)
      return { results: [], errors: [`pact verification could not run: ${redactor.text(response.message)}`], durationMs: performance.now() - started };
    let json: PendingVerifierJson;
    try {
      json = JSON.parse(response.json) as PendingVerifierJson;
    } catch {
      return { results: [], errors: ['pact verification returned no readable result'], durationMs: performance.now() - started };
    }
    // Pacts that could not be loaded (a broker unreachable or failing, an unreadable pact) verify
    // nothing: that is the verification failing, never "all skipped".
    const unloaded = loadFailures(json, broker !== undefined).map((m) => redactor.text(m));
    if (unloaded.length > 0) {
      const from = broker ? ` from ${where(broker)}` : '';
      const first = unloaded[0] ?? '';
      return {
        results: [],
        errors: unloaded.map((m) => `pact verification could not load the pacts${from}: ${m}`),
        durationMs: performance.now() - started,
        ...(broker ? { brokerProblem: `the pacts could not be loaded${httpStatusIn(first)}: ${first}` } : {}),
      };
    }
    // Results the verifier could not publish are a failed broker step, not "sent".
    const failures = broker ? (response.publishFailures ?? []).map((m) => redactor.text(m)) : [];
    const unpublished = broker ? failures.map((m) => `${where(broker)}: publishing the verification results failed${httpStatusIn(m)}: ${m}`) : [];
    for (const [state, reason] of states?.unavailable ?? []) {
      for (const i of D1_TO_ISSUER.interactions)
        if (i.state?.name === state && !skipped.has(i.description)) skipped.set(i.description, `provider state "${state}" not available: ${reason}`);
    }
    // Pending pacts (--enable-pending) fail apart, in pendingErrors: mapped like any failure, then
    // only warned about (they do not fail the gate, as they do not fail Pact's own verification).
    const pending = pendingOnly(json);
    const mapped = mapVerification(
      { ...json, errors: [...(json.errors ?? []), ...(json.pendingErrors ?? [])] },
      {
        interactions: D1_TO_ISSUER.interactions,
        policies: config.policies,
        redactor,
        skipped,
        redirects: response.redirects ?? [],
        repro: (i) => `PACT_DESCRIPTION=${shellQuote(i.description)} ${options.replay ?? replayCommand('verify-pacts', { target: config.target.baseUrl })}`,
      },
    );
    const results = pending.size === 0 ? mapped : mapped.map((r) => (pending.has(r.case) ? asPending(r) : r));
    // States never set up make the interactions that need them unjudged: the verification is incomplete.
    const stateRedirects = [
      ...new Set(
        (relay?.redirects ?? []).map((r) => `the provider-state URL answered ${String(r.status)} redirect to ${r.origin}; redirects are not followed`),
      ),
    ];
    return {
      results,
      errors: [...stateRedirects, ...unpublished],
      durationMs: performance.now() - started,
      ...(failures[0] !== undefined ? { brokerProblem: `publishing the verification results failed${httpStatusIn(failures[0])}: ${failures[0]}` } : {}),
    };
  } finally {
    verifier.stop();
    await states?.close();
    await relay?.close();
    await client.close();
  }
}

/**
 * Why no pact was verified, from the verifier's JSON: its "Failed to load pact" errors (the
 * broker unreachable or answering an error, a pact it cannot read), or, from a broker, no
 * interaction run at all. Empty when pacts were loaded.
 */
export function loadFailures(json: VerifierJson, fromBroker: boolean): string[] {
  const failures = (json.errors ?? []).filter((e) => e.interaction === 'Failed to load pact').map((e) => oneLine(e.mismatch?.message ?? 'no details'));
  if (failures.length === 0 && fromBroker && (json.interactionResults ?? []).length === 0) failures.push('the broker gave no pact to verify');
  return failures;
}

/** The verifier's JSON with the failures of pending pacts, which are not in `errors`. */
type PendingVerifierJson = VerifierJson & { readonly pendingErrors?: VerifierJson['errors'] };

/** The cases (`pact: <description>`) whose only failures are pending ones. */
function pendingOnly(json: PendingVerifierJson): Set<string> {
  const fails = (errors: PendingVerifierJson['errors'], i: InteractionSpec) =>
    (errors ?? []).some((e) => (e.interaction ?? '').endsWith(` - ${i.description}`));
  return new Set(D1_TO_ISSUER.interactions.filter((i) => fails(json.pendingErrors, i) && !fails(json.errors, i)).map(caseName));
}

/** A pending pact's failure: a warning, saying why it does not fail the gate. */
function asPending(result: CaseResult): CaseResult {
  return result.status === 'FAILED'
    ? { ...result, status: 'WARNING', message: `pending pact, does not fail the gate (--enable-pending): ${result.message ?? ''}` }
    : result;
}

/**
 * Why the broker cannot be used for the verification, in one line (unreachable, an HTTP error
 * such as 401 for refused credentials, no pacts-for-verification relation); undefined when it can.
 */
export async function brokerUnusable(broker: BrokerSettings, timeoutMs: number): Promise<string | undefined> {
  const index = await brokerIndex({ url: broker.url, credentials: broker, timeoutMs });
  if (!index.ok) return index.problem;
  if (relation(index.links, 'pb:provider-pacts-for-verification') === undefined)
    return `${where(broker)} has no pb:provider-pacts-for-verification relation in its index (a Pact Broker too old for pacts for verification?)`;
  return undefined;
}

/** " (HTTP 500 Internal Server Error)" when a verifier message names an HTTP error status; else empty. */
export function httpStatusIn(message: string): string {
  // The verifier's only validation errors are the broker's answer to a 400.
  if (message.includes('failed validation - ')) return ' (HTTP 400 Bad Request)';
  // A status with its reason phrase ("500 Internal Server Error"): a bare number may be a port or a path.
  const m = /(?<![\d.:/])[45]\d\d (?:[A-Z][a-z]+)(?: [A-Z][a-z]+)*/.exec(message);
  return m ? ` (HTTP ${m[0]})` : '';
}

/** The secret part of a broker URL's user info (the password; a lone user name is a token), as written and decoded. */
function brokerUserInfo(url: string): string[] {
  try {
    const { username, password } = new URL(url);
    const secret = password !== '' ? password : username;
    return secret === '' ? [] : [secret, decodeURIComponent(secret)];
  } catch {
    return [];
  }
}

/** Interactions the configuration rules out, or the run's stops, with the reason. */
function skippedInteractions(config: RunConfig, stops: readonly Stop[]): Map<string, string> {
  const skipped = new Map<string, string>();
  const stopped = stopReasons(stops);
  const crossOrigin = config.auth.mode === 'oauth' && new URL(targetUrl(config, config.auth.tokenUrl)).origin !== new URL(config.target.baseUrl).origin;
  for (const i of D1_TO_ISSUER.interactions) {
    const stop = stopped.get(i.endpoint);
    if (stop !== undefined) skipped.set(i.description, stop);
    else if (i.needsOAuth === true && config.auth.mode === 'none') skipped.set(i.description, 'outbound OAuth is off (auth.mode "none")');
    else if (i.endpoint === 'issuer.token' && crossOrigin)
      skipped.set(i.description, 'the token endpoint (auth.tokenUrl) is on another origin than the target; the verifier only replays against the target');
  }
  return skipped;
}

/** The method and path template of every endpoint the run stopped calling, for the request filter. */
/** The endpoints the run stopped calling, with the stop's reason. */
function stopReasons(stops: readonly Stop[]): Map<string, string> {
  return new Map(stops.flatMap((s) => (s.endpoint !== undefined ? [[s.endpoint, s.reason] as const] : [])));
}

function stoppedEndpoints(stops: readonly Stop[]): { method: string; path: string }[] {
  return stops.flatMap((s) => {
    const def = ENDPOINTS.find((e) => e.id === s.endpoint);
    return def ? [{ method: def.method, path: def.path }] : [];
  });
}

function tokenPathOf(config: RunConfig): { tokenPath?: string } {
  if (config.auth.mode !== 'oauth') return {};
  const url = new URL(targetUrl(config, config.auth.tokenUrl));
  const path = `${url.pathname}${url.search}`;
  return path === DOCUMENTED_TOKEN_PATH ? {} : { tokenPath: path };
}

export type { InteractionSpec };
