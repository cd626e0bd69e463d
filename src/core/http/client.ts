import { Agent, request } from 'undici';
import { Pacer, retryAfterMs, sleep } from './pacing.js';
import { tlsConnectOptions, type TlsClientMaterial } from './tls-client.js';

/** One request as the harness sends it: absolute URL, lower-case header names, body as text. */
export interface OutgoingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface IncomingResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The body exceeded the cap and was cut (a hostile or broken target). */
  readonly truncated: boolean;
  /** The body's bytes are not valid UTF-8 (`body` shows them with U+FFFD in their place). */
  readonly invalidUtf8?: true;
}

/** A request and what came back: a response, or the transport error that took its place. */
export interface Exchange {
  readonly request: OutgoingRequest;
  readonly response?: IncomingResponse;
  readonly transportError?: string;
  readonly durationMs: number;
  /** The target still answered 429 after the waits that fit (Retry-After in ms, when it gave one). */
  readonly throttled?: { readonly retryAfterMs?: number };
}

export interface HttpClientOptions {
  readonly timeoutMs: number;
  /** Responses larger than this are cut, never buffered whole. */
  readonly maxBodyBytes?: number;
  /** Never start more than this many requests a second (`--rate-limit`). */
  readonly ratePerSecond?: number;
  /** The longest Retry-After of a 429 waited for (then sent again); a longer one stands as the answer. Default 0: no retry. */
  readonly maxRetryAfterMs?: number;
  /** Mutual TLS as D1 speaks it (https targets): client identity, CA bundle, versions. */
  readonly tls?: TlsClientMaterial;
}

export interface SendOptions {
  /** The time left in the run (ms): no attempt and no Retry-After wait goes past it. */
  readonly budgetMs?: number;
}

export interface HttpClient {
  send(req: OutgoingRequest, options?: SendOptions): Promise<Exchange>;
  close(): Promise<void>;
}

/**
 * The most of a response the harness reads: D1's messages are a few KB; a target answering more
 * is cut there, never buffered whole (a hostile 200 MB body costs 64 KiB).
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const MAX_RESPONSE_TEXT = '64 KiB';

/** How often one request is sent again after a 429 whose Retry-After fits. */
const MAX_429_RETRIES = 2;

/** The only place that talks HTTP: undici with keep-alive, a timeout and a body cap; it never throws. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16, ...(options.tls ? { connect: tlsConnectOptions(options.tls) } : {}) });
  const cap = options.maxBodyBytes ?? MAX_RESPONSE_BYTES;
  const pacer = new Pacer(options.ratePerSecond);
  const maxWait = options.maxRetryAfterMs ?? 0;

  /** One attempt; the time limit covers the whole exchange, headers and body (a dripping target ends too). */
  async function attempt(req: OutgoingRequest, timeoutMs: number): Promise<Exchange> {
    if (pacer.paced) await pacer.slot();
    const started = performance.now();
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method as 'GET',
        headers: req.headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
        dispatcher: agent,
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        if (size + chunk.length > cap) {
          chunks.push(chunk.subarray(0, cap - size));
          truncated = true;
          res.body.destroy();
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
      return {
        request: req,
        response: { status: res.statusCode, headers: lowerCased(res.headers), ...decode(Buffer.concat(chunks), truncated), truncated },
        durationMs: performance.now() - started,
      };
    } catch (e) {
      return { request: req, transportError: describeTransportError(e, timeoutMs), durationMs: performance.now() - started };
    }
  }

  return {
    async send(req, sendOptions = {}) {
      const until = Date.now() + (sendOptions.budgetMs ?? Infinity);
      const limit = () => Math.max(1, Math.min(options.timeoutMs, until - Date.now()));
      let exchange = await attempt(req, limit());
      for (let retry = 0; exchange.response?.status === 429; retry++) {
        const wait = retryAfterMs(exchange.response.headers);
        // A Retry-After longer than the cap, or than the run has left, is not waited for: the 429 is the answer.
        if (retry === MAX_429_RETRIES || wait === undefined || wait > maxWait || Date.now() + wait + 100 >= until) {
          return { ...exchange, throttled: wait === undefined ? {} : { retryAfterMs: wait } };
        }
        await sleep(wait);
        exchange = await attempt(req, limit());
      }
      return exchange;
    },
    async close() {
      await agent.close();
    },
  };
}

/** Header names in lower case, repeated values joined. */
function lowerCased(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return headers;
}

/** Shared: a whole-buffer decode (no `stream` option) keeps no state between calls. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; a cut body may end inside a character, which is not the target's fault. */
function decode(bytes: Buffer, truncated: boolean): { body: string; invalidUtf8?: true } {
  try {
    return { body: UTF8.decode(truncated ? bytes.subarray(0, utf8Boundary(bytes)) : bytes) };
  } catch {
    return { body: bytes.toString('utf8'), invalidUtf8: true };
  }
}

/** The length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function utf8Boundary(bytes: Buffer): number {
  let i = bytes.length;
  while (i > 0 && i > bytes.length - 4 && ((bytes[i - 1] ?? 0) & 0xc0) === 0x80) i--;
  if (i > 0 && ((bytes[i - 1] ?? 0) & 0xc0) === 0xc0) return i - 1;
  return bytes.length;
}

/** A short, value-free description of why no response came. */
export function describeTransportError(e: unknown, timeoutMs: number): string {
  const err = e as { name?: string; code?: string; cause?: { code?: string } };
  const code = err.code ?? err.cause?.code;
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return `no response within ${timeoutMs} ms`;
  }
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset by the target';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code !== undefined && /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_OSSL_)/.test(code)) return `TLS handshake failed (${code})`;
  return code ? `transport error ${code}` : 'transport error';
}
