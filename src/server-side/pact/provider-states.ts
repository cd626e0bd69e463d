import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listenLoopback } from '../../core/http/loopback-server.js';
import type { RunConfig } from '../../core/config/run-config.js';
import { primaryConsumer, unknownConsumerId } from '../harness/test-data.js';
import type { HttpClient } from '../../core/http/client.js';
import { forward, type ForwardRequest, type Redirect } from './forward.js';
import { awaitFinal, startAuthentication } from './target-calls.js';

/**
 * The provider states of the D1 -> issuer pact, satisfied from the run configuration's test
 * data: each handler returns the values the interaction's request is built from (the configured
 * issuerId, consumerId and cardId; a fresh authenticationId the target knows, made by calling
 * Authenticate first). Served on 127.0.0.1 with Pact's state-change protocol (POST
 * `{state, params, action}`, the values as the JSON answer), the same protocol an issuer
 * implements behind `--provider-states-url`.
 */

export type StateValues = Record<string, string>;
export type StateHandler = () => Promise<StateValues>;

/** A state the target's data cannot provide: the interactions that need it are skipped, saying why. */
export class StateUnavailable extends Error {
  override readonly name = 'StateUnavailable';
}

export interface StateContext {
  readonly config: RunConfig;
  readonly client: HttpClient;
  readonly token: string | undefined;
  /** Endpoints the run stopped calling (no response, or throttled), with why: a state never calls them. */
  readonly stopped?: ReadonlyMap<string, string>;
}

export function stateHandlers({ config, client, token, stopped = new Map() }: StateContext): Record<string, StateHandler> {
  const consumer = primaryConsumer(config);
  const issuerId = config.target.issuerId;
  const known = (): StateValues => ({
    issuerId,
    consumerId: consumer.consumerId,
    authenticationId: randomUUID(),
    operationId: randomBytes(12).toString('base64url'),
  });
  const authentication = async (final: boolean): Promise<StateValues> => {
    // A dead endpoint is not called again for a state (each call would wait out its timeout).
    for (const endpoint of final ? ['issuer.authenticate', 'issuer.getAuthenticationResult'] : ['issuer.authenticate']) {
      const reason = stopped.get(endpoint);
      if (reason !== undefined) throw new StateUnavailable(`not set up: the run stopped calling ${endpoint} (${reason})`);
    }
    const started = await startAuthentication(config, client, token, consumer.consumerId);
    if ('problem' in started) throw new StateUnavailable(`no authentication could be started for the configured consumer: ${started.problem}`);
    if (final) await awaitFinal(config, client, token, consumer.consumerId, started.authenticationId, Math.max(500, config.timeouts.requestMs - 1_000));
    return { issuerId, consumerId: consumer.consumerId, authenticationId: started.authenticationId };
  };
  return {
    'consumer {consumerId} exists': () => Promise.resolve(known()),
    'consumer {consumerId} exists with card {cardId}': () => {
      const cardId = consumer.cardIds[0];
      if (cardId === undefined) return Promise.reject(new StateUnavailable('no configured consumer has a cardId (testData.consumers[].cardIds)'));
      return Promise.resolve({ ...known(), cardId });
    },
    'consumer {consumerId} does not exist': () =>
      Promise.resolve({ issuerId, consumerId: unknownConsumerId(config), ...(consumer.cardIds[0] !== undefined ? { cardId: consumer.cardIds[0] } : {}) }),
    'authentication {authenticationId} is pending': () => authentication(false),
    'authentication {authenticationId} is final': () => authentication(true),
  };
}

/** What the state server answers for a state it cannot set up. */
export const STATE_UNAVAILABLE_STATUS = 422;

export interface StateServer {
  readonly url: string;
  /** States that could not be set up, with the reason (keyed by state name). */
  readonly unavailable: ReadonlyMap<string, string>;
  close(): Promise<void>;
}

/**
 * Serves the handlers on 127.0.0.1 for the verifier; an unknown or failing state answers 422 and
 * the verifier then skips the request. Not a 5xx: the verifier retries those twice, waiting 0.1 s
 * then 1 s, for a state that will not be there on the second try either.
 */
export async function startStateServer(handlers: Record<string, StateHandler>): Promise<StateServer> {
  const unavailable = new Map<string, string>();
  const server = createServer((req, res) => {
    void answer(req, res, handlers, unavailable);
  });
  const port = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${port}/`,
    unavailable,
    close: () => closeServer(server).catch(() => undefined),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, handlers: Record<string, StateHandler>, unavailable: Map<string, string>): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let state = '';
  let action = 'setup';
  try {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { state?: unknown; action?: unknown };
    state = typeof body.state === 'string' ? body.state : '';
    action = typeof body.action === 'string' ? body.action : 'setup';
  } catch {
    // An unreadable request is answered like an unknown state.
  }
  const send = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  };
  // Teardown, and the call the verifier makes for an interaction without a state: nothing to do.
  if (action !== 'setup' || state === '') {
    send(200, {});
    return;
  }
  const handler = handlers[state];
  if (!handler) {
    unavailable.set(state, `no handler for the provider state "${state}"`);
    send(STATE_UNAVAILABLE_STATUS, { error: 'unknown provider state' });
    return;
  }
  try {
    send(200, await handler());
  } catch (e) {
    unavailable.set(state, e instanceof StateUnavailable ? e.message : 'the provider state could not be set up');
    send(STATE_UNAVAILABLE_STATUS, { error: 'provider state not available' });
  }
}

export interface StateRelay {
  readonly url: string;
  /** Redirects the issuer's state-change URL answered with; never followed. */
  readonly redirects: readonly Redirect[];
  close(): Promise<void>;
}

/**
 * The issuer's own state-change URL (`--provider-states-url`), relayed from 127.0.0.1: the
 * verifier's client would follow a redirect from it, re-sending the state's parameters; the relay
 * (forward.ts) never does, and records it.
 */
export async function startStateRelay(statesUrl: string, timeoutMs: number): Promise<StateRelay> {
  const target = new URL(statesUrl);
  // Credentials in the URL travel as Basic, as the verifier would have sent them.
  const basic =
    target.username !== '' || target.password !== ''
      ? `Basic ${Buffer.from(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`).toString('base64')}`
      : undefined;
  const redirects: Redirect[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const relayed = req as ForwardRequest;
      relayed.body = Buffer.concat(chunks);
      if (basic !== undefined && relayed.headers.authorization === undefined) relayed.headers.authorization = basic;
      await forward(relayed, res, target.origin, timeoutMs, (r) => redirects.push({ ...r, path: target.pathname }));
    })();
  });
  const port = await listenLoopback(server);
  return {
    url: `http://127.0.0.1:${port}${target.pathname}${target.search}`,
    redirects,
    close: () => closeServer(server).catch(() => undefined),
  };
}
