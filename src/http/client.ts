import { Agent, request } from 'undici';

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
}

/** A request and what came back: a response, or the transport error that took its place. */
export interface Exchange {
  readonly request: OutgoingRequest;
  readonly response?: IncomingResponse;
  readonly transportError?: string;
  readonly durationMs: number;
}

export interface HttpClientOptions {
  readonly timeoutMs: number;
  /** Responses larger than this are cut, never buffered whole. */
  readonly maxBodyBytes?: number;
}

export interface HttpClient {
  send(req: OutgoingRequest): Promise<Exchange>;
  close(): Promise<void>;
}

/** The only place that talks HTTP: undici with keep-alive, a timeout and a body cap; it never throws. */
export function createHttpClient(options: HttpClientOptions): HttpClient {
  const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
  const cap = options.maxBodyBytes ?? 1024 * 1024;
  return {
    async send(req) {
      const started = performance.now();
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const res = await request(req.url, {
          method: req.method as 'GET',
          headers: req.headers,
          ...(req.body !== undefined ? { body: req.body } : {}),
          dispatcher: agent,
          signal,
          headersTimeout: options.timeoutMs,
          bodyTimeout: options.timeoutMs,
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
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
        return {
          request: req,
          response: { status: res.statusCode, headers, body: Buffer.concat(chunks).toString('utf8'), truncated },
          durationMs: performance.now() - started,
        };
      } catch (e) {
        return { request: req, transportError: describeTransportError(e, options.timeoutMs), durationMs: performance.now() - started };
      }
    },
    async close() {
      await agent.close();
    },
  };
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
  return code ? `transport error ${code}` : 'transport error';
}
