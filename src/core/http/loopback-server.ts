import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The wire side of the servers this project runs (the reference issuer, the D1 simulator):
 * listening on loopback, closing, and reading a request's target and headers. No D1 semantics.
 */

/** Loopback only, never 0.0.0.0: these servers hold test PANs and personal data and speak plain HTTP. */
export function listenLoopback(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port }, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    // Idle keep-alive sockets (undici pools them) would otherwise hold the port open.
    server.closeAllConnections();
  });
}

export interface Target {
  /** Raw (still percent-encoded) path segments, without the leading empty one. */
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

/**
 * Split by hand rather than with `new URL(...)`: a target like `//host/x` would otherwise be read
 * as a host, and dot segments would be normalised away.
 */
export function parseTarget(url: string): Target {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  return { segments: path.split('/').slice(1), query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)) };
}

/** First value of each query parameter. */
export function queryRecord(query: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of query) if (!(k in out)) out[k] = v;
  return out;
}

/** Node already lower-cases names; repeated headers become one comma-joined value. */
export function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
