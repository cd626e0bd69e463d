import type { IncomingMessage, ServerResponse } from 'node:http';

/** The wire: reading what arrives (target, headers, capped body) and writing a reply. No D1 semantics here. */

/** D1's largest inbound body (Register consumer with a full address) is a few KiB: 64 KiB is generous. */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface Reply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** A JSON value, or undefined for no body (204). */
  readonly body?: unknown;
}

/** The media type of a Content-Type header, lower-cased, without parameters. */
export function mediaType(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

export type { BodyResult } from '../../core/http/incoming-body.js';
export { decodeUtf8 } from '../../core/http/incoming-body.js';
import { readBody as readCapped, type BodyResult } from '../../core/http/incoming-body.js';
export { parseJson } from '../../core/util/json.js';

export function readBody(req: IncomingMessage, limit: number = BODY_LIMIT_BYTES): Promise<BodyResult> {
  return readCapped(req, limit);
}

// Tokens and personal data flow through these responses: nothing may be cached on the way.
const ALWAYS: Readonly<Record<string, string>> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** The headers and body text a reply is sent with (also what a finding's evidence shows). */
export function render(reply: Reply): { headers: Record<string, string>; text: string } {
  const headers: Record<string, string> = { ...ALWAYS, ...reply.headers };
  if (reply.body === undefined) return { headers, text: '' };
  headers['content-type'] = 'application/json';
  return { headers, text: JSON.stringify(reply.body) };
}

export function send(res: ServerResponse, reply: Reply): void {
  const { headers, text } = render(reply);
  const payload = Buffer.from(text, 'utf8');
  // A 204 carries neither a body nor Content-Length (RFC 9110 §8.6).
  if (reply.status !== 204) headers['content-length'] = String(payload.length);
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 || payload.length === 0 ? undefined : payload);
}
