import { endpoint as endpointDef, type EndpointId } from '../../../contracts/endpoints.js';
import type { RunConfig } from '../../core/config/run-config.js';
import { createHttpClient, type Exchange, type HttpClient, type HttpClientOptions, type OutgoingRequest } from '../../core/http/client.js';
import { tlsClientMaterial } from '../../core/http/tls-client.js';
import { CallGuard } from './call-guard.js';
import { Redactor } from '../../core/redact/redactor.js';
import { runInputFromEnvironment, type RunInput } from './run-input.js';
import { MESSAGES } from '../../../contracts/index.js';
import type { MessageDef } from '../../core/rulebook/message.js';
import { overlayMessages } from '../../core/spec-change/overlay.js';
import { urlSecrets } from '../../core/util/url.js';

/** A request in the contracts' layout; the session turns it into HTTP. */
export interface RequestValue {
  readonly path?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface CallOptions {
  /** `valid` (default): a fresh token from the issuer; `none`: no Authorization; any other string: that header value. */
  readonly auth?: 'valid' | 'none' | (string & {});
  /** Send this text as the body instead of the JSON of `body`. */
  readonly rawBody?: string;
  /** Override the content type (null: send none). */
  readonly contentType?: string | null;
}

/**
 * The D1 side of a run inside a vitest worker: configuration, HTTP client, redaction, and the
 * issuer's OAuth token (fetched once, reused until it nearly expires, as D1 does).
 */
/** The run's budget of calls spent shrinking failures (Kit.property). */
const MAX_SHRINK_CALLS_PER_RUN = 400;

export class Session {
  private static current: Promise<Session> | undefined;
  private cachedToken: { value: string; until: number } | undefined;
  /** FAILED results so far in this worker (for --max-failures). */
  failures = 0;
  /**
   * Calls the run may still spend shrinking failures: a badly broken target fails most
   * properties, and each shrinking step is a call. Past it, failures stand as first found (their
   * seed and path still replay them).
   */
  shrinkCallsLeft = MAX_SHRINK_CALLS_PER_RUN;

  private constructor(
    readonly config: RunConfig,
    readonly seed: number,
    readonly client: HttpClient,
    readonly redactor: Redactor,
    readonly guard: CallGuard,
    /** A targeted re-run's endpoints (undefined: every endpoint). */
    readonly endpoints: ReadonlySet<string> | undefined,
    /** The messages another rulebook changes, rebuilt under it (src/core/spec-change/overlay.ts). */
    readonly overlay: ReadonlyMap<string, MessageDef>,
  ) {}

  /** A message as the run's rulebook states it: the built-in one, or its rebuild under `run --rulebook`. */
  effective(msg: MessageDef): MessageDef {
    return this.overlay.get(msg.id) ?? msg;
  }

  /**
   * The session of a vitest-hosted run (src/server-side/harness/vitest-host.ts): the run input comes from the
   * environment, one session per worker, shared by every suite.
   */
  static get(): Promise<Session> {
    Session.current ??= runInputFromEnvironment().then((input) => Session.create(input));
    return Session.current;
  }

  /** A run's session: the suites share its HTTP agent, token, redactor and call guard. */
  static create(input: RunInput): Session {
    const redactor = new Redactor();
    if (input.config.auth.mode === 'oauth') {
      const { clientId, clientSecret } = input.config.auth;
      redactor.addSecret(clientSecret, Buffer.from(`${clientId}:${clientSecret}`).toString('base64'));
    }
    for (const c of input.config.testData.consumers) redactor.addPan(...c.pans);
    // The TLS key's passphrase is a secret like the client secret (the key itself is never in a message).
    if (input.config.tls?.passphrase !== undefined) redactor.addSecret(input.config.tls.passphrase);
    // Evidence and replays carry request URLs: a password in the target URL is masked there.
    const urlPasswords = urlSecrets(input.config.target.baseUrl);
    if (urlPasswords.length > 0) redactor.addSecret(...urlPasswords);
    const { timeouts, limits } = input.config;
    const guard = new CallGuard({
      deadlineAt: input.deadlineAt,
      runMs: timeouts.runMs,
      transportFailuresPerEndpoint: limits.transportFailuresPerEndpoint,
    });
    const overlay = input.rulebook ? overlayMessages(MESSAGES, input.rulebook) : new Map<string, MessageDef>();
    const endpoints = input.endpoints ? new Set(input.endpoints) : undefined;
    return new Session(input.config, input.seed, createHttpClient(clientOptions(input.config)), redactor, guard, endpoints, overlay);
  }

  get issuerId(): string {
    return this.config.target.issuerId;
  }

  get oauth(): Extract<RunConfig['auth'], { mode: 'oauth' }> | undefined {
    return this.config.auth.mode === 'oauth' ? this.config.auth : undefined;
  }

  /** Absolute URL for a path on the target, or an absolute URL as it is. */
  url(pathOrUrl: string): string {
    return /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : new URL(pathOrUrl.replace(/^\//, ''), ensureSlash(this.config.target.baseUrl)).toString();
  }

  basicCredentials(clientId: string, clientSecret: string): string {
    return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
  }

  /** A raw call to the token endpoint (the token suite varies every part of it). */
  async tokenCall(options: TokenCallOptions = {}): Promise<Exchange> {
    const exchange = await this.guarded('issuer.token', tokenRequest(this.config, options));
    this.learnToken(exchange);
    return exchange;
  }

  /** The current access token (undefined when outbound OAuth is off); a refused token call yields undefined. */
  async token(): Promise<string | undefined> {
    if (!this.oauth) return undefined;
    if (this.cachedToken && this.cachedToken.until > Date.now()) return this.cachedToken.value;
    await this.tokenCall();
    return this.cachedToken?.value;
  }

  /** Calls an issuer API with a request in the contracts' layout. */
  async call(endpointId: EndpointId, value: RequestValue, options: CallOptions = {}): Promise<Exchange> {
    this.guard.before(endpointId);
    return this.guarded(endpointId, await this.build(endpointId, value, options));
  }

  /** Every call goes through the guard: within the run's time, never to an endpoint it stopped (src/server-side/harness/call-guard.ts). */
  private async guarded(endpointId: EndpointId, request: OutgoingRequest): Promise<Exchange> {
    this.guard.before(endpointId);
    const exchange = await this.client.send(request, { budgetMs: this.guard.remainingMs() });
    this.guard.after(endpointId, exchange);
    return exchange;
  }

  async build(endpointId: EndpointId, value: RequestValue, options: CallOptions = {}): Promise<OutgoingRequest> {
    const def = endpointDef(endpointId);
    let path: string = def.path;
    for (const [name, v] of Object.entries(value.path ?? {})) path = path.replace(`{${name}}`, encodeURIComponent(v));
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(value.query ?? {})) if (v !== undefined) query.set(k, v);
    const url = this.url(path) + (query.size > 0 ? `?${query.toString()}` : '');
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(value.headers ?? {})) headers[k.toLowerCase()] = v;
    const auth = options.auth ?? 'valid';
    if (auth === 'valid') {
      const token = await this.token();
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
    } else if (auth !== 'none') headers.authorization = auth;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (value.body !== undefined && def.method !== 'GET') body = JSON.stringify(value.body);
    const contentType = options.contentType === undefined ? (body !== undefined ? 'application/json' : null) : options.contentType;
    if (contentType !== null) headers['content-type'] = contentType;
    return { method: def.method, url, headers, ...(body !== undefined ? { body } : {}) };
  }

  private learnToken(exchange: Exchange): void {
    const res = exchange.response;
    if (!res || res.status !== 200) return;
    try {
      const json = JSON.parse(res.body) as { access_token?: unknown; expires_in?: unknown };
      if (typeof json.access_token !== 'string' || json.access_token === '') return;
      this.redactor.addSecret(json.access_token);
      const seconds = Number(json.expires_in ?? 300);
      const ttl = Number.isFinite(seconds) && seconds > 0 ? seconds : 300;
      this.cachedToken = { value: json.access_token, until: Date.now() + Math.max(1, ttl - 30) * 1000 };
    } catch {
      // A token response that is not JSON is the token suite's finding, not the session's problem.
    }
  }
}

/**
 * The HTTP client a run's calls go through: its timeout, pace and patience with 429s come from
 * the configuration, and D1's mutual TLS identity (`tls`) when there is one. `paced: false` for
 * the one-off calls before the suites (preflight, token diagnosis, provider states).
 */
export function clientOptions(config: RunConfig, { paced = true }: { paced?: boolean } = {}): HttpClientOptions {
  const tls = tlsClientMaterial(config.tls);
  return {
    timeoutMs: config.timeouts.requestMs,
    ...(paced ? { maxRetryAfterMs: config.limits.maxRetryAfterMs } : {}),
    ...(paced && config.limits.ratePerSecond !== undefined ? { ratePerSecond: config.limits.ratePerSecond } : {}),
    ...(tls ? { tls } : {}),
  };
}

export interface TokenCallOptions {
  readonly authorization?: string | null;
  readonly body?: string;
  readonly contentType?: string | null;
}

/**
 * The token request D1 sends (Basic credentials, a form body with the policy's grant type), or a
 * variation of it. One builder for the session and the run's token diagnosis, so both ask alike.
 */
export function tokenRequest(config: RunConfig, options: TokenCallOptions = {}): OutgoingRequest {
  const oauth = config.auth.mode === 'oauth' ? config.auth : undefined;
  const headers: Record<string, string> = { accept: 'application/json' };
  const contentType = options.contentType === undefined ? 'application/x-www-form-urlencoded' : options.contentType;
  if (contentType !== null) headers['content-type'] = contentType;
  const authorization =
    options.authorization === undefined && oauth ? `Basic ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}` : options.authorization;
  if (authorization !== null && authorization !== undefined) headers.authorization = authorization;
  const body =
    options.body ?? new URLSearchParams({ grant_type: config.policies.issuerTokenGrantType, ...(oauth?.scope ? { scope: oauth.scope } : {}) }).toString();
  return { method: 'POST', url: tokenUrl(config), headers, body };
}

/** The absolute token endpoint URL of a run (tokenUrl may be a path on the target). */
export function tokenUrl(config: RunConfig): string {
  const path = config.auth.mode === 'oauth' ? config.auth.tokenUrl : '/authz/d1/v1/oauth2/token';
  return /^https?:\/\//.test(path) ? path : new URL(path.replace(/^\//, ''), ensureSlash(config.target.baseUrl)).toString();
}

function ensureSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
