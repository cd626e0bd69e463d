import { STATUS_CODES } from 'node:http';
import type { Exchange, HttpClient } from '../http/client.js';
import type { Redactor } from '../redact/redactor.js';
import { withoutUserInfo } from '../util/url.js';

/**
 * The Pact Broker over HTTP (undici, through the harness's client: a timeout, a body cap, no
 * redirect followed): its index (is it there, are the credentials good) and the pact publishing
 * of `pacts --broker-url`, by the broker's "publish contracts" endpoint (the index's
 * `pb:publish-contracts` relation, POST /contracts/publish; pact_broker's
 * doc/views/index/publish-contracts.markdown). Every failure is one line naming the broker (never
 * its user info) and the HTTP status; the credentials never appear in it.
 */

/** The Pact CLI's environment variables: the broker's credentials only ever come from them. */
export const BROKER_ENV = { token: 'PACT_BROKER_TOKEN', username: 'PACT_BROKER_USERNAME', password: 'PACT_BROKER_PASSWORD' } as const;

/** A bearer token, or basic auth: exactly one of the two. */
export type BrokerCredentials =
  | { readonly token: string; readonly username?: undefined; readonly password?: undefined }
  | { readonly token?: undefined; readonly username: string; readonly password: string };

export interface BrokerTarget {
  /** The broker's base URL, without a trailing slash. */
  readonly url: string;
  readonly credentials: BrokerCredentials;
  readonly timeoutMs: number;
}

/** The Authorization header the broker gets. */
export function authorization(credentials: BrokerCredentials): string {
  return credentials.token !== undefined ? `Bearer ${credentials.token}` : `Basic ${basic(credentials.username, credentials.password)}`;
}

/** What a redactor must hide: the token, or the password and the basic credentials. */
export function credentialSecrets(credentials: BrokerCredentials): string[] {
  return credentials.token !== undefined ? [credentials.token] : [credentials.password, basic(credentials.username, credentials.password)];
}

function basic(username: string, password: string): string {
  return Buffer.from(`${username}:${password}`).toString('base64');
}

/** The broker's index resource, or why it could not be had (one line). */
export type IndexResult = { readonly ok: true; readonly links: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly problem: string };

/** One pact file to publish: its JSON text. */
export interface PactToPublish {
  readonly file: string;
  readonly content: string;
}

export interface PublishRequest {
  readonly broker: BrokerTarget;
  /** The consumer version (pacticipantVersionNumber): the rulebook's version. */
  readonly version: string;
  readonly branch: string;
  readonly pacts: readonly PactToPublish[];
}

export interface PublishedPact {
  readonly consumer: string;
  readonly provider: string;
}

export interface PublishResult {
  readonly published: readonly PublishedPact[];
  /** Why publishing stopped (one line); undefined when every pact was published. */
  readonly problem?: string;
}

/** The body of one POST to the broker's publish-contracts endpoint (one consumer: the broker wants pacticipantName = consumerName). */
export interface PublishContractsBody {
  readonly pacticipantName: string;
  readonly pacticipantVersionNumber: string;
  readonly branch: string;
  readonly contracts: readonly {
    readonly consumerName: string;
    readonly providerName: string;
    readonly specification: 'pact';
    readonly contentType: 'application/json';
    readonly content: string;
  }[];
}

/** GETs the broker's index: a 2xx HAL document, else the problem in one line. */
export async function brokerIndex(broker: BrokerTarget): Promise<IndexResult> {
  const { client, redactor } = await tools(broker);
  try {
    return await index(client, broker, redactor);
  } finally {
    await client.close();
  }
}

/** Publishes each pact (one request per consumer), stopping at the first failure. */
export async function publishPacts(request: PublishRequest): Promise<PublishResult> {
  const { broker } = request;
  const { client, redactor } = await tools(broker);
  const published: PublishedPact[] = [];
  try {
    const home = await index(client, broker, redactor);
    if (!home.ok) return { published, problem: home.problem };
    const href = relation(home.links, 'pb:publish-contracts');
    if (href === undefined)
      return {
        published,
        problem: `${where(broker)} has no pb:publish-contracts relation in its index (a Pact Broker too old for the publish-contracts API?)`,
      };
    const target = sameOrigin(href, broker);
    if (target === undefined)
      return { published, problem: `${where(broker)} points pb:publish-contracts to another origin (${origin(href)}); the credentials are not sent there` };
    for (const pact of request.pacts) {
      const body = publishBody(pact, request);
      if (typeof body === 'string') return { published, problem: body };
      const name = `${body.pacticipantName} -> ${body.contracts[0]?.providerName ?? '?'}`;
      const exchange = await client.send({
        method: 'POST',
        url: target,
        headers: { authorization: authorization(broker.credentials), accept: 'application/hal+json, application/json', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const failed = failure(exchange, broker, redactor);
      if (failed !== undefined) return { published, problem: `${failed}; the ${name} pact was not published` };
      published.push({ consumer: body.pacticipantName, provider: body.contracts[0]?.providerName ?? '' });
    }
    return { published };
  } finally {
    await client.close();
  }
}

/** The request body for one pact file, or why the file cannot be published. */
export function publishBody(pact: PactToPublish, request: Pick<PublishRequest, 'version' | 'branch'>): PublishContractsBody | string {
  let json: { consumer?: { name?: unknown }; provider?: { name?: unknown } };
  try {
    json = JSON.parse(pact.content) as typeof json;
  } catch {
    return `${pact.file} is not JSON: not published`;
  }
  const consumer = json.consumer?.name;
  const provider = json.provider?.name;
  if (typeof consumer !== 'string' || typeof provider !== 'string') return `${pact.file} names no consumer and provider: not published`;
  return {
    pacticipantName: consumer,
    pacticipantVersionNumber: request.version,
    branch: request.branch,
    contracts: [
      {
        consumerName: consumer,
        providerName: provider,
        specification: 'pact',
        contentType: 'application/json',
        content: Buffer.from(pact.content).toString('base64'),
      },
    ],
  };
}

async function index(client: HttpClient, broker: BrokerTarget, redactor: Redactor): Promise<IndexResult> {
  const exchange = await client.send({
    method: 'GET',
    url: `${base(broker)}/`,
    headers: { authorization: authorization(broker.credentials), accept: 'application/hal+json, application/json' },
  });
  const failed = failure(exchange, broker, redactor);
  if (failed !== undefined) return { ok: false, problem: failed };
  try {
    const doc = JSON.parse(exchange.response?.body ?? '') as { _links?: unknown };
    if (typeof doc._links === 'object' && doc._links !== null) return { ok: true, links: doc._links as Record<string, unknown> };
  } catch {
    // Not JSON: said below.
  }
  return { ok: false, problem: `${where(broker)} answered GET / with no HAL index (is this the Pact Broker's base URL?)` };
}

/** The href of a relation of the index (the first, when it holds several). */
export function relation(links: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const link = links[name];
  const first: unknown = Array.isArray(link) ? link[0] : link;
  const href = typeof first === 'object' && first !== null ? (first as { href?: unknown }).href : undefined;
  return typeof href === 'string' && href !== '' ? href : undefined;
}

/** The absolute URL of `href` when it is on the broker's origin; undefined otherwise. */
function sameOrigin(href: string, broker: BrokerTarget): string | undefined {
  try {
    const url = new URL(href, `${base(broker)}/`);
    return url.origin === new URL(base(broker)).origin ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function origin(href: string): string {
  try {
    return new URL(href).origin;
  } catch {
    return 'an unreadable URL';
  }
}

/** The broker's URL without user info (credentials only ever go in the Authorization header) nor a trailing slash. */
function base(broker: Pick<BrokerTarget, 'url'>): string {
  return withoutUserInfo(broker.url).replace(/\/+$/, '');
}

/** "pact broker <url>": the broker as every message names it, without user info. */
export function where(broker: Pick<BrokerTarget, 'url'>): string {
  return `pact broker ${base(broker)}`;
}

/** Why an exchange is not a success, in one line; undefined for a 2xx. */
function failure(exchange: Exchange, broker: BrokerTarget, redactor: Redactor): string | undefined {
  const path = pathOf(exchange.request.url, base(broker));
  const call = `${exchange.request.method} ${path}`;
  const { response } = exchange;
  if (response === undefined) return `${where(broker)} could not be reached (${call}): ${exchange.transportError ?? 'no response'}`;
  if (response.status >= 200 && response.status < 300) return undefined;
  const text = STATUS_CODES[response.status];
  const status = `HTTP ${response.status}${text !== undefined ? ` ${text}` : ''}`;
  const hint =
    response.status === 401 || response.status === 403
      ? ` (the broker refused ${broker.credentials.token !== undefined ? BROKER_ENV.token : `${BROKER_ENV.username} and ${BROKER_ENV.password}`})`
      : response.status >= 300 && response.status < 400
        ? ' (redirects are not followed: give the broker URL it redirects to)'
        : '';
  const detail = bodyExcerpt(response.body, redactor);
  return `${where(broker)} answered ${status} to ${call}${hint}${detail !== '' ? `: ${detail}` : ''}`;
}

function pathOf(url: string, base: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url.startsWith(base) ? url.slice(base.length) || '/' : url;
  }
}

/** The broker's own words on a failure (its errors, or the start of the body), one line, short, redacted. */
function bodyExcerpt(body: string, redactor: Redactor): string {
  let text = body;
  try {
    const json = JSON.parse(body) as { errors?: unknown; error?: unknown; message?: unknown };
    const said = json.errors ?? json.error ?? json.message;
    if (said !== undefined) text = typeof said === 'string' ? said : JSON.stringify(said);
  } catch {
    // Not JSON: the text itself (an HTML error page says little; it is cut short).
    if (/^\s*</.test(body)) return '';
  }
  const flat = redactor.text(text).replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}

/** An HTTP client and a redactor that knows the credentials (loaded on use: the flags' module imports BROKER_ENV from here). */
async function tools(broker: BrokerTarget): Promise<{ client: HttpClient; redactor: Redactor }> {
  const [{ createHttpClient }, { Redactor }] = await Promise.all([import('../http/client.js'), import('../redact/redactor.js')]);
  return { client: createHttpClient({ timeoutMs: broker.timeoutMs }), redactor: new Redactor().addSecret(...credentialSecrets(broker.credentials)) };
}
