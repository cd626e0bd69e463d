import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { TLSSocket } from 'node:tls';
import type { CryptoKey } from 'jose';
import { d1ErrorBody } from '../../../contracts/d1-api/common.js';
import type { Exchange } from '../../core/http/client.js';
import { apiEndpoint, type ApiDeps } from './api.js';
import { fieldInvalid, internalError, methodNotAllowed, notFound, tooLarge } from './errors.js';
import { preempts } from './faults.js';
import { Grader, type Grading } from './grade.js';
import { requestIdentity, type RequestIdentity } from './identity.js';
import type { Redactor } from '../../core/redact/redactor.js';
import { closeServer, headerRecord, listenLoopback, parseTarget } from '../../core/http/loopback-server.js';
import { decodeUtf8, mediaType, parseJson, readBody, render, send, type Reply } from './http.js';
import { createJweKey, createSigningKey, importIssuerKeys } from './keys.js';
import { resolveOptions, type RunningSimulator, type SimulatorOptions } from './options.js';
import { Resilience, type Arrival } from './resilience.js';
import { NOT_SIMULATED, UngradedLog } from './ungraded.js';
import { matchRoute, type D1EndpointId } from './routes.js';
import { SimulatorState } from './state.js';
import { tokenEndpoint } from './token-endpoint.js';
import { AccessTokens } from './token.js';
import { isLegacyVersionError, TlsGate } from './tls.js';

interface Deps extends ApiDeps {
  readonly grader: Grader;
  readonly ungraded: UngradedLog;
  readonly issuerKeys: ReadonlyMap<string, CryptoKey>;
  readonly resilience: Resilience;
  /** Mutual TLS, when the simulator serves HTTPS. */
  readonly tls?: TlsGate;
}

/** What a request came to: the reply, and the checks made on it with the body they read. */
interface Outcome {
  readonly reply: Reply;
  readonly grading?: Grading;
  readonly body?: Buffer;
  /** Why nothing graded this call (it is then kept in the ungraded log, never dropped). */
  readonly ungraded?: string;
  /** The mutual TLS checks of a call let in (IN-TLS-001..003), recorded with the same evidence. */
  readonly tls?: Grading;
}

const BAD_ENCODING = 'path not decodable (bad percent-encoding), not graded';
const TOO_LARGE = 'body too large for the simulator to read, not graded';
const GRADING_FAILED = 'the simulator failed while grading it (answered 500), not graded';

/**
 * The method rule of an endpoint, graded when its path is called with another method: any other
 * method on the token path (IN-AUTH-001); anything but PUT on the consumer path (IN-CON-001;
 * DELETE there is a REST habit, D1's Delete is POST .../operations:delete), except GET, which
 * may be Get consumer (its v2 path is NF).
 */
const METHOD_RULE: { readonly [K in D1EndpointId]?: { readonly ruleId: string; readonly graded: (method: string) => boolean } } = {
  'd1.token': { ruleId: 'IN-AUTH-001', graded: () => true },
  'd1.registerConsumer': { ruleId: 'IN-CON-001', graded: (method) => method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' },
  'd1.registerCard': { ruleId: 'IN-CARD-001', graded: () => true },
};

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const config = resolveOptions(options);
  const [jweKey, signingKey, issuerKeys] = await Promise.all([createJweKey(), createSigningKey(), importIssuerKeys(config.issuerKeys)]);
  const state = new SimulatorState();
  const grader = new Grader();
  // The run's policies decide the tolerances of every breach the simulator grades.
  grader.policies = config.policies;
  const resilience = new Resilience(config);
  const tokens = new AccessTokens(signingKey, state, config.now);
  const ungraded = new UngradedLog(grader.redactor);
  const tls = config.tls !== undefined ? new TlsGate(config.tls, config.now) : undefined;
  const deps: Deps = {
    config,
    state,
    grader,
    ungraded,
    issuerKeys,
    jweKey,
    tokens,
    redactor: grader.redactor,
    resilience,
    faulted: resilience.registrations,
    ...(tls !== undefined ? { tls } : {}),
  };
  let baseUrl = '';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void respond(req, res, deps, baseUrl);
  };
  const server: Server = tls !== undefined ? tls.createServer(handler) : createServer(handler);
  // A handshake offering only TLS 1.0/1.1 never becomes a call: it is graded here (IN-TLS-001).
  server.on('tlsClientError', (error: Error) => {
    if (isLegacyVersionError(error)) legacyHandshake(grader, baseUrl, error);
  });
  // A stalled client must not pin a test run: bound header and whole-request time.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  const port = await listenLoopback(server, config.port);
  baseUrl = `${tls !== undefined ? 'https' : 'http'}://127.0.0.1:${port}`;
  let closing: Promise<void> | undefined;
  return {
    baseUrl,
    mtls: tls !== undefined,
    tokenUrl: `${baseUrl}/authz/v1/oauth2/token`,
    jweKid: jweKey.kid,
    jwePublicJwk: jweKey.publicJwk,
    results: () => grader.results(),
    exercisedRules: () => grader.exercisedRules(),
    ungraded: () => ungraded.list(),
    faultsServed: () => resilience.served(),
    redact: (text) => grader.redactor.text(text),
    state: { consumers: () => state.consumers(), cards: () => state.cards(), operations: () => state.operations() },
    close: () => {
      resilience.stop();
      return (closing ??= closeServer(server));
    },
  };
}

/** A refused handshake (TLS 1.0/1.1 only) as a finding: no request, the refusal as its evidence. */
function legacyHandshake(grader: Grader, baseUrl: string, error: Error): void {
  const g = grader.begin('*');
  g.finding('IN-TLS-001', 'the connection is TLS 1.2 or 1.3', 'a handshake offering only TLS 1.0/1.1 was refused (D1 takes TLS 1.2 or 1.3)');
  g.commit({ request: { method: 'TLS handshake', url: baseUrl, headers: {} }, transportError: `handshake refused: ${(error as NodeJS.ErrnoException).code ?? 'protocol version'}`, durationMs: 0 });
}

async function respond(req: IncomingMessage, res: ServerResponse, deps: Deps, baseUrl: string): Promise<void> {
  const started = performance.now();
  const arrival = deps.resilience.arrival();
  let reply: Reply;
  try {
    const outcome = await dispatch(req, deps, arrival);
    reply = outcome.reply;
    if (outcome.grading) gradeRefusal(outcome.grading, reply);
    // Recorded before the answer leaves: a client that has its answer also sees its grades.
    const durationMs = performance.now() - started;
    outcome.grading?.commit(() => exchangeOf(req, baseUrl, outcome, durationMs));
    outcome.tls?.commit(() => exchangeOf(req, baseUrl, outcome, durationMs));
    if (outcome.ungraded !== undefined) deps.ungraded.record(req.method ?? '', req.url ?? '/', outcome.ungraded);
  } catch {
    // Only a simulator bug gets here (bad input is always answered 4xx); the call is still listed.
    reply = internalError();
    deps.ungraded.record(req.method ?? '', req.url ?? '/', GRADING_FAILED);
  }
  if (res.headersSent || res.destroyed) return;
  try {
    send(res, reply);
  } catch {
    res.destroy();
  }
}

const errorBody = d1ErrorBody.build();

/** IN-ERR-001: the simulator's own 400 and 401 answers have D1's error shape (a check on the simulator, shown in the report). */
function gradeRefusal(g: Grading, reply: Reply): void {
  if (reply.status !== 400 && reply.status !== 401) return;
  g.check(
    errorBody.safeParse(reply.body).success,
    'IN-ERR-001',
    `the simulator refuses with ${reply.status} and D1's error body`,
    "the simulator's refusal does not have D1's error shape",
  );
}

function exchangeOf(req: IncomingMessage, baseUrl: string, outcome: Outcome, durationMs: number): Exchange {
  const { headers, text } = render(outcome.reply);
  return {
    request: {
      method: req.method ?? '',
      url: `${baseUrl}${req.url ?? '/'}`,
      headers: headerRecord(req),
      ...(outcome.body !== undefined && outcome.body.length > 0 ? { body: evidenceBody(outcome.body, req.headers['content-type']) } : {}),
    },
    response: { status: outcome.reply.status, headers, body: text, truncated: false },
    durationMs,
  };
}

/**
 * The request body as a finding shows it. JSON is re-serialised, so escapes (`\u00e9`, which .NET
 * writes by default) are resolved and the redactor's learned personal data is found in it; a body
 * the simulator could not read is not shown at all, since nothing in it could be learned.
 */
function evidenceBody(bytes: Buffer, contentType: string | undefined): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) return `<body not shown: ${bytes.length} bytes, not UTF-8>`;
  const json = parseJson(text);
  if (json.ok) return JSON.stringify(json.value);
  // The token call's form body: its assertion is a learned secret.
  if (mediaType(contentType) === 'application/x-www-form-urlencoded') return text;
  return `<body not shown: ${bytes.length} bytes, not well-formed JSON>`;
}

async function dispatch(req: IncomingMessage, deps: Deps, arrival: Arrival): Promise<Outcome> {
  const method = req.method ?? '';
  const target = parseTarget(req.url ?? '/');
  const match = matchRoute(method, target.segments);
  // Mutual TLS first (the simulator's own key endpoint aside): a call D1 would not let in is
  // answered 403 and graded, whatever it asks for; the checks of one let in go with its outcome.
  if (deps.tls === undefined || match.kind === 'jwe-key') return dispatchCall(req, deps, arrival, method, target, match);
  const tls = deps.grader.begin(match.kind === 'found' || match.kind === 'wrong-method' ? match.route.endpoint : '*');
  const peer = req.socket instanceof TLSSocket ? await deps.tls.peer(req.socket) : ({ kind: 'none', protocol: 'none' } as const);
  const refused = deps.tls.grade(tls, peer, deps.config.issuerId, deps.config.policies);
  if (refused !== undefined) {
    req.resume();
    return { reply: refused, grading: tls };
  }
  return { ...(await dispatchCall(req, deps, arrival, method, target, match)), tls };
}

async function dispatchCall(
  req: IncomingMessage,
  deps: Deps,
  arrival: Arrival,
  method: string,
  target: ReturnType<typeof parseTarget>,
  match: ReturnType<typeof matchRoute>,
): Promise<Outcome> {
  if (match.kind === 'jwe-key' || match.kind === 'none' || match.kind === 'bad-encoding') {
    req.resume();
    // The simulator's own key endpoint is no D1 API: nothing to grade, nothing missed.
    if (match.kind === 'jwe-key') return { reply: { status: 200, body: deps.jweKey.publicJwk } };
    return match.kind === 'none'
      ? { reply: notFound(), ungraded: NOT_SIMULATED }
      : { reply: fieldInvalid('FIELD_INVALID_FORMAT', 'path'), ungraded: BAD_ENCODING };
  }
  const read = await readBody(req);
  if (!read.ok) return { reply: tooLarge(), ungraded: TOO_LARGE };
  const body = read.bytes;
  // Every body's personal data and assertion are learnt before anything can be recorded, whatever the
  // outcome: a call refused for its token, its path or its method is evidence too (issue 12 item 1).
  learnUnread(deps.redactor, body);
  const g = deps.grader.begin(match.route.endpoint);

  if (match.kind === 'wrong-method') {
    const rule = METHOD_RULE[match.route.endpoint];
    if (rule?.graded(method) === true) {
      g.finding(rule.ruleId, `the call is ${match.allow.join(' or ')}`, `this path takes ${match.allow.join(' or ')} only`);
      return { reply: methodNotAllowed(match.allow), grading: g, body };
    }
    // No rule judges this method here (GET on the consumer path may be Get consumer): listed, not dropped.
    return { reply: methodNotAllowed(match.allow), ungraded: NOT_SIMULATED };
  }
  const headers = headerRecord(req);
  const {
    route: { endpoint },
    params,
  } = match;
  const identity = await requestIdentity({ method, target: req.url ?? '/', headers, body }, deps.jweKey);
  const call = { endpoint, method, target: req.url ?? '/', params, body, authorization: headers.authorization, identity, ...arrival };
  const decision = deps.resilience.begin(g, call);
  // A 429, 503 or 500 fault answers before D1 looks at the request (as a gateway would).
  if (decision.fault !== undefined && preempts(decision.fault.kind)) {
    return { reply: await deps.resilience.finish(g, call, decision, undefined), grading: g, body };
  }
  const processed = await serveFound(g, { endpoint, params, target: req.url ?? '/', query: target.query, headers, body, identity }, deps);
  if (endpoint === 'd1.token' && decision.fault?.kind === 'delay') deps.state.excuseNextToken();
  return { reply: await deps.resilience.finish(g, call, decision, processed), grading: g, body };
}

/**
 * Every request can end up as evidence, read by its endpoint or not (refused, wrong method, fault):
 * the redactor learns the personal data and the assertion its body carries before anything is
 * recorded (PANs, JWTs and emails are masked anyway).
 */
function learnUnread(redactor: Redactor, body: Buffer): void {
  const text = decodeUtf8(body);
  if (text === undefined || text === '') return;
  const json = parseJson(text);
  const value: unknown = json.ok ? json.value : Object.fromEntries(new URLSearchParams(text));
  if (typeof value !== 'object' || value === null) return;
  const { personalInformation, assertion } = value as Record<string, unknown>;
  redactor.learnPersonalInfo(personalInformation);
  if (typeof assertion === 'string') redactor.addSecret(assertion);
}

interface Found {
  readonly endpoint: D1EndpointId;
  readonly params: Readonly<Record<string, string>>;
  readonly target: string;
  readonly query: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly identity: RequestIdentity;
}

/** The D1 operation behind a found route: graded, then done. */
async function serveFound(g: Grading, { endpoint, params, target, query, headers, body, identity }: Found, deps: Deps): Promise<Reply> {
  if (endpoint === 'd1.token') {
    g.pass('IN-AUTH-001', 'the call is POST');
    return tokenEndpoint(g, { headers, body }, deps);
  }
  if (endpoint === 'd1.registerCard') g.pass('IN-CARD-001', 'the call is PUT');
  const first: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in first)) first[k] = v;
  return apiEndpoint(g, { endpoint, target, params, query: first, headers, body, identity }, deps);
}
