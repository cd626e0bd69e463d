import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { decryptJwe } from './decrypt.js';
import type { JweKey } from './keys.js';
import { decodeUtf8, mediaType, parseJson } from './http.js';
import { isRecord } from '../../core/util/json.js';

/**
 * Retry identity, the one place it is defined (issue 11). A call is a RETRY of an earlier one
 * only when it is the same operation on the same resource:
 * - the same method and the same path, ids included (and the same query, order aside); and
 * - if both calls carry an x-correlation-id: the same one (different ids on both = an
 *   independent call, whatever the body);
 * - otherwise: NEAR-EQUAL bodies. Two bodies are near-equal when their canonical forms are equal:
 *   JSON (or a form body) with keys sorted, where
 *     - a compact JWE (5 parts) counts as its decrypted plaintext, itself canonical (a client
 *       re-encrypts on each attempt, so the ciphertext always differs); one the simulator cannot
 *       decrypt counts as "a JWE", whatever its bytes;
 *     - a compact JWS/JWT (3 parts, e.g. the token call's assertion) counts as its claims without
 *       iat, exp, nbf and jti (a client re-signs on each attempt);
 *     - keys that are per-attempt by their name are left out: `timestamp`, `nonce`, `requestId`,
 *       `attempt` (any case, any prefix, e.g. `requestTimestamp`);
 *   parts nested deeper than 32 levels count as one marker; any other body counts as its
 *   bytes; no body equals no body.
 * An independent call to the same endpoint (another customer, another card) is never a retry.
 * Only digests are kept: no PAN, token or personal value is held by an identity. The target is
 * kept as sent (ids in paths are graded for hygiene elsewhere and never shown from here).
 */

export interface RequestIdentity {
  readonly method: string;
  /** Path and sorted query, as sent (ids included). */
  readonly target: string;
  /** sha256 of the x-correlation-id. */
  readonly correlationId: string | undefined;
  /** sha256 of the body's near-equal form. */
  readonly content: string;
}

/** True when `later` is a retry of `earlier` (see above). */
export function isRetryOf(later: RequestIdentity, earlier: RequestIdentity): boolean {
  if (later.method !== earlier.method || later.target !== earlier.target) return false;
  if (later.correlationId !== undefined && earlier.correlationId !== undefined) return later.correlationId === earlier.correlationId;
  return later.content === earlier.content;
}

/** Per-attempt keys, by name (see above). */
const VOLATILE_KEY = /(timestamp|nonce|requestid|attempt)$/i;
const JWT_VOLATILE = new Set(['iat', 'exp', 'nbf', 'jti']);
const COMPACT_JWE = /^[\w-]+\.[\w-]*\.[\w-]+\.[\w-]+\.[\w-]+$/;
const COMPACT_JWS = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Canonical JSON depth bound: deeper parts count as a marker (a retry's body is never that deep). */
const MAX_DEPTH = 32;

export async function requestIdentity(
  req: { readonly method: string; readonly target: string; readonly headers: Readonly<Record<string, string>>; readonly body: Buffer },
  jweKey: JweKey,
): Promise<RequestIdentity> {
  const correlation = req.headers['x-correlation-id'];
  return {
    method: req.method,
    target: canonicalTarget(req.target),
    // Hashed too: a client may (wrongly) put personal data in it.
    correlationId: correlation === undefined || correlation === '' ? undefined : digest(correlation),
    content: digest(await nearEqualForm(req.body, req.headers['content-type'], jweKey)),
  };
}

function canonicalTarget(target: string): string {
  const q = target.indexOf('?');
  if (q < 0) return target;
  const params = [...new URLSearchParams(target.slice(q + 1))].sort(([a, x], [b, y]) => (a === b ? x.localeCompare(y) : a.localeCompare(b)));
  return params.length === 0 ? target.slice(0, q) : `${target.slice(0, q)}?${new URLSearchParams(params).toString()}`;
}

const digest = (text: string) => createHash('sha256').update(text).digest('hex');

async function nearEqualForm(body: Buffer, contentType: string | undefined, jweKey: JweKey): Promise<string> {
  if (body.length === 0) return '';
  const text = decodeUtf8(body);
  if (text === undefined) return `bytes:${digest(body.toString('latin1'))}`;
  const json = parseJson(text);
  if (json.ok) return `json:${JSON.stringify(await canonical(json.value, jweKey, 0))}`;
  if (mediaType(contentType) === 'application/x-www-form-urlencoded') {
    return `form:${JSON.stringify(await canonical(Object.fromEntries(new URLSearchParams(text)), jweKey, 0))}`;
  }
  return `text:${text}`;
}

async function canonical(value: unknown, jweKey: JweKey, depth: number): Promise<unknown> {
  if (depth > MAX_DEPTH) return '<deep>';
  if (typeof value === 'string') return token(value, jweKey);
  if (Array.isArray(value)) return Promise.all(value.map((v: unknown) => canonical(v, jweKey, depth + 1)));
  if (!isRecord(value)) return value;
  const out: [string, unknown][] = [];
  for (const key of Object.keys(value).sort()) {
    if (VOLATILE_KEY.test(key)) continue;
    out.push([key, await canonical(value[key], jweKey, depth + 1)]);
  }
  return out;
}

/** A JWE as its plaintext, a JWT as its stable claims; any other string as is. */
async function token(value: string, jweKey: JweKey): Promise<unknown> {
  if (COMPACT_JWE.test(value)) {
    try {
      // The same decryption the grading reads (decrypt.ts): one ECDH-ES per JWE.
      const plaintext = await decryptJwe(value, jweKey);
      const text = decodeUtf8(Buffer.from(plaintext));
      const json = text === undefined ? undefined : parseJson(text);
      // Hashed at once: the plaintext (a PAN) never stays in memory as part of an identity.
      return { jwe: digest(JSON.stringify(json?.ok === true ? await canonical(json.value, jweKey, 1) : (text ?? ''))) };
    } catch {
      return { jwe: 'undecryptable' };
    }
  }
  if (COMPACT_JWS.test(value)) {
    try {
      const claims = decodeJwt(value);
      return {
        jwt: Object.keys(claims)
          .sort()
          .filter((k) => !JWT_VOLATILE.has(k))
          .map((k) => [k, claims[k]]),
      };
    } catch {
      return value;
    }
  }
  return value;
}
