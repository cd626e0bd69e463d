import { withoutUserInfo } from '../../core/util/url.js';
import type { RunConfig } from '../../core/config/run-config.js';
import { clientOptions, tokenRequest } from '../harness/session.js';
import type { Exchange, IncomingResponse } from '../../core/http/client.js';
import { createHttpClient } from '../../core/http/client.js';
import { isRecord, parseJson } from '../../core/util/json.js';

/**
 * Before the suites, the run asks for a token once, as D1 does. Without one, every API check would
 * fail on its 401 and blame the endpoint; instead the run names the token trouble in one line and
 * judges nothing that needs a token. Lines name statuses and body shapes, never values (a body
 * can carry a secret).
 */
export async function diagnoseToken(config: RunConfig): Promise<string | undefined> {
  if (config.auth.mode !== 'oauth') return undefined;
  const client = createHttpClient(clientOptions(config, { paced: false }));
  try {
    return tokenTrouble(await client.send(tokenRequest(config)));
  } finally {
    await client.close();
  }
}

/** Why this token response yields no usable token (undefined: it does). */
export function tokenTrouble(exchange: Exchange): string | undefined {
  const url = withoutUserInfo(exchange.request.url);
  const res = exchange.response;
  if (!res) return `no token could be obtained from ${url} (${exchange.transportError ?? 'no response'})`;
  const json = parseJson(res.body);
  const value = json.ok ? json.value : undefined;
  if (res.status === 200 && isRecord(value) && typeof value.access_token === 'string' && value.access_token !== '') return undefined;
  // RFC 6749 §5.2: a refused client is 401, or 400 with error invalid_client / unauthorized_client.
  const error = isRecord(value) && typeof value.error === 'string' && /^[a-z_]{1,40}$/.test(value.error) ? value.error : undefined;
  if (res.status === 401 || (res.status === 400 && (error === 'invalid_client' || error === 'unauthorized_client'))) {
    return `the target refused the configured credentials (status ${res.status}${error ? `, error ${error}` : ''}) at ${url}: check auth.clientId and auth.clientSecret`;
  }
  return `no token could be obtained from ${url} (status ${res.status}, body shape: ${bodyShape(res)})`;
}

/** What a body looks like, without a single value of it: its content type and JSON keys at most. */
export function bodyShape(res: IncomingResponse): string {
  if (res.body === '') return 'empty body';
  const type = (res.headers['content-type'] ?? 'no Content-Type').split(';')[0]?.trim() ?? '';
  const json = parseJson(res.body);
  if (!json.ok) return `${type}, not JSON (${Buffer.byteLength(res.body)} bytes)`;
  const v = json.value;
  if (Array.isArray(v)) return 'a JSON array';
  if (!isRecord(v)) return `a JSON ${v === null ? 'null' : typeof v}`;
  const keys = Object.keys(v);
  if (keys.length === 0) return 'an empty JSON object';
  const shown = keys.slice(0, 6).map((k) => k.replace(/[^A-Za-z0-9_.-]/g, '?').slice(0, 32));
  return `a JSON object with keys ${shown.join(', ')}${keys.length > shown.length ? ', ...' : ''}${'access_token' in v ? ' (access_token not a non-empty string)' : ' (no access_token)'}`;
}
