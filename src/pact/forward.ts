import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'undici';

/**
 * Sends a replayed request on to the target and writes its answer back to the verifier. Pact
 * JS's own proxy (http-proxy) throws an uncaught error, killing the process, when a target
 * resets a connection; a target under test may do exactly that. Forwarding here keeps that a
 * finding: the verifier's connection is dropped too, so the verifier reports the interaction as
 * failed right away instead of waiting for its timeout.
 */

/** Same cap as the harness's HTTP client: a larger body is a transport failure, never buffered whole. */
const MAX_BODY_BYTES = 1024 * 1024;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'trailer', 'host', 'content-length']);

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

export async function forward(req: ForwardRequest, res: ServerResponse, baseUrl: string, timeoutMs: number): Promise<void> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const body = bodyBytes(req);
  try {
    const answer = await request(`${baseUrl.replace(/\/$/, '')}${req.url ?? '/'}`, {
      method: (req.method ?? 'GET') as 'GET',
      headers,
      ...(body !== undefined ? { body } : {}),
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
