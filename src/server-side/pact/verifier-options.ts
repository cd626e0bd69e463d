import type { ServerResponse } from 'node:http';
import type { VerifierOptions } from '@pact-foundation/pact';
import { forward, type ForwardRequest, type Redirect } from './forward.js';
import { matchRoute, routeSegments } from '../../core/http/routes.js';
import { brokerVerifierOptions, type BrokerSettings } from './broker-options.js';
import type { TlsClientMaterial } from '../../core/http/tls-client.js';

/**
 * What the parent sends the verifier process (src/server-side/pact/verifier-child.ts) and how that process
 * configures the Pact Verifier: the broker or the pact file, the provider-state URL, and the
 * request filter that puts real credentials on the replayed requests and sends them on.
 */

export interface RequestFilterSettings {
  /** `Authorization: Bearer <this>` replaces the pact's example bearer token. */
  readonly bearer?: string;
  /** `Authorization: <this>` (Basic credentials) replaces the pact's example on the token request. */
  readonly basic?: string;
  /** The target's token path, when it differs from the documented one. */
  readonly tokenPath?: string;
  /** Outbound OAuth off: send no Authorization header at all. */
  readonly stripAuthorization: boolean;
  /** Endpoints the run stopped calling (src/server-side/harness/call-guard.ts): answered here with 502, never sent. */
  readonly notSent?: readonly { readonly method: string; readonly path: string }[];
}

export interface ChildRequest {
  readonly providerBaseUrl: string;
  readonly pactUrls?: readonly string[];
  readonly broker?: BrokerSettings;
  readonly provider: string;
  readonly providerStatesSetupUrl: string;
  readonly timeoutMs: number;
  readonly filter: RequestFilterSettings;
  /**
   * D1's mutual TLS to an https target (sent over IPC, never argv or the environment). The Rust
   * verifier only ever talks to Pact JS's loopback proxy, whose request filter (forward.ts) makes
   * the call to the target: that call presents this identity.
   */
  readonly tls?: TlsClientMaterial;
}

export type ChildResponse =
  | {
      readonly ok: true;
      readonly json: string;
      readonly redirects?: readonly Redirect[];
      /** Filled in by the parent from the verifier's log: why publishing to the broker failed. */
      readonly publishFailures?: readonly string[];
    }
  | { readonly ok: false; readonly message: string };

export const DOCUMENTED_TOKEN_PATH = '/authz/d1/v1/oauth2/token';

interface FilterRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/** The request filter: real credentials instead of the pact's examples, and a form body kept a form. */
export function filterRequest(req: FilterRequest, settings: RequestFilterSettings): void {
  const auth = req.headers.authorization;
  if (settings.stripAuthorization) Reflect.deleteProperty(req.headers, 'authorization');
  else if (typeof auth === 'string' && auth.startsWith('Bearer ') && settings.bearer !== undefined) req.headers.authorization = `Bearer ${settings.bearer}`;
  else if (typeof auth === 'string' && auth.startsWith('Basic ') && settings.basic !== undefined) req.headers.authorization = settings.basic;
  if (settings.tokenPath !== undefined && req.url === DOCUMENTED_TOKEN_PATH) req.url = settings.tokenPath;
  // The verifier's proxy parses forms into objects and would forward them as JSON text.
  const type = req.headers['content-type'];
  if (typeof type === 'string' && type.startsWith('application/x-www-form-urlencoded') && isPlainRecord(req.body)) {
    const form = Buffer.from(new URLSearchParams(req.body).toString());
    req.body = form;
    req.headers['content-length'] = String(form.length);
  }
}

function isPlainRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Buffer.isBuffer(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** What the verifier gets for a call to an endpoint the run stopped calling (its interaction is SKIPPED). */
const NOT_SENT_STATUS = 502;

function isNotSent(method: string, path: string, notSent: readonly { method: string; path: string }[]): boolean {
  return (
    notSent.length > 0 &&
    matchRoute(
      notSent.map((e) => ({ method: e.method, segments: routeSegments(e.path) })),
      method,
      routeSegments(path),
    ).kind === 'found'
  );
}

/** `onRedirect` hears of every redirect the target answered with (the verifier never sees one). */
export function verifierOptions(request: ChildRequest, onRedirect: (redirect: Redirect) => void = () => undefined): VerifierOptions {
  const { broker } = request;
  return {
    provider: request.provider,
    providerBaseUrl: request.providerBaseUrl,
    providerStatesSetupUrl: request.providerStatesSetupUrl,
    logLevel: 'error',
    timeout: request.timeoutMs,
    ...(broker ? brokerVerifierOptions(broker) : { pactUrls: [...(request.pactUrls ?? [])] }),
    // The filter answers the request itself (see forward.ts): Pact JS's proxy is never reached.
    requestFilter: (req: ForwardRequest, res: ServerResponse) => {
      // The pact's own path, before the filter may move the token request: what names the endpoint.
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (isNotSent(req.method ?? 'GET', path, request.filter.notSent ?? [])) {
        res.writeHead(NOT_SENT_STATUS, { 'content-type': 'application/json' }).end('{"error":"not sent: the run stopped calling this endpoint"}');
        return;
      }
      filterRequest(req as unknown as FilterRequest, request.filter);
      void forward(
        req,
        res,
        request.providerBaseUrl,
        request.timeoutMs,
        (r) => {
          onRedirect({ ...r, path });
        },
        request.tls,
      );
    },
  };
}

/** The verifier's messages may span lines; a report error is one line, and bounded. */
export function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}
