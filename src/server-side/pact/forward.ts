import type { IncomingMessage, ServerResponse } from 'node:http';
import { Agent, request } from 'undici';
import { MAX_RESPONSE_BYTES } from '../../core/http/client.js';
import { tlsConnectOptions, type TlsClientMaterial } from '../../core/http/tls-client.js';

/**
 * Sends a replayed request on to the target and writes its answer back to the verifier. Pact
 * JS's own proxy (http-proxy) throws an uncaught error, killing the process, when a target
 * resets a connection; a target under test may do exactly that. Forwarding here keeps that a
 * finding: the verifier's connection is dropped too, so the verifier reports the interaction as
 * failed right away instead of waiting for its timeout.
 *
 * Nor does a redirect reach the verifier: its HTTP client (reqwest) follows 3xx itself and would
 * re-send the request, body and all (an OTP, a token request), wherever the target points. A
 * redirect is a finding: the verifier gets REDIRECT_REFUSED_STATUS with no Location, and the
 * redirect is recorded (its Location's origin only) for the results to name.
 */

/** Same cap as the harness's HTTP client: a larger body is a transport failure, never buffered whole. */
const MAX_BODY_BYTES = MAX_RESPONSE_BYTES;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

/** What the verifier gets instead of a redirect: the gateway (this forwarder) refused the target's answer. */
export const REDIRECT_REFUSED_STATUS = 502;

/** A redirect the target answered with; never followed. */
export interface Redirect {
  readonly method: string;
  /** The path the verifier asked for (the pact's, before the request filter), without the query. */
  readonly path: string;
  readonly status: number;
  /** The Location's origin only (its path and query may carry what was sent), or why there is none. */
  readonly origin: string;
}

export interface ForwardRequest extends IncomingMessage {
  body?: unknown;
}

/** The body the verifier sent, as bytes again (the verifier's proxy has already parsed it). */
export function bodyBytes(req: ForwardRequest): Buffer | undefined {
  if (req.method === 'GET' || req.method === 'HEAD') return undefined;
  const { body } = req;
  if (Buffer.isBuffer(body)) return body;
  if (typeof body === 'string') return Buffer.from(body);
  if (typeof body === 'object' && body !== null) {
    const type = req.headers['content-type'] ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) return Buffer.from(new URLSearchParams(body as Record<string, string>).toString());
    return Buffer.from(JSON.stringify(body));
  }
  return undefined;
}

export async function forward(
  req: ForwardRequest,
  res: ServerResponse,
  baseUrl: string,
  timeoutMs: number,
  onRedirect: (redirect: Omit<Redirect, 'path'>) => void = () => undefined,
  tls?: TlsClientMaterial,
): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const body = bodyBytes(req);
  try {
    const answer = await request(`${baseUrl.replace(/\/$/, '')}${req.url ?? '/'}`, {
      method: (req.method ?? 'GET') as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(tls ? { dispatcher: tlsAgent(tls) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of answer.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw new Error('response body too large');
      chunks.push(chunk);
    }
    const location = answer.headers.location;
    if (answer.statusCode >= 300 && answer.statusCode < 400 && location !== undefined) {
      onRedirect({ method: req.method ?? 'GET', status: answer.statusCode, origin: originOf(Array.isArray(location) ? location[0] : location, baseUrl) });
      res.writeHead(REDIRECT_REFUSED_STATUS, { 'content-length': '0' });
      res.end();
      return;
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_BY_HOP.has(k.toLowerCase())) out[k] = Array.isArray(v) ? v.join(', ') : v;
    const payload = Buffer.concat(chunks);
    if (answer.statusCode !== 204 && answer.statusCode !== 304) out['content-length'] = String(payload.length);
    res.writeHead(answer.statusCode, out);
    res.end(answer.statusCode === 204 ? undefined : payload);
  } catch {
    // No answer to pass on: drop the verifier's connection, which it reports for this interaction.
    res.destroy();
  }
}

/** One agent per TLS identity (a verification's requests share its connections). */
const agents = new WeakMap<TlsClientMaterial, Agent>();

function tlsAgent(tls: TlsClientMaterial): Agent {
  let agent = agents.get(tls);
  if (!agent) {
    agent = new Agent({ keepAliveTimeout: 10_000, connect: tlsConnectOptions(tls) });
    agents.set(tls, agent);
  }
  return agent;
}

/** The origin a Location points to (relative ones resolve against the target). */
export function originOf(location: string | undefined, baseUrl: string): string {
  try {
    const { origin } = new URL(location ?? '', baseUrl);
    return origin === 'null' ? 'a non-http location' : origin;
  } catch {
    return 'an unreadable location';
  }
}
