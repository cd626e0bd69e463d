import type { Reply } from './http.js';

/**
 * D1's refusals (inbound.md §2 error table, §6): `{errorCode, error}` where `error` names the
 * first field in error, never its value; 401 AUTHORIZER_UNAUTHORIZED "Unauthorized message".
 * Statuses D1 does not document (404, 405, 413, and the injected 429, 500, 503) carry `{error}`
 * only, which d1ErrorBody allows.
 */

export type FieldErrorCode = 'FIELD_INVALID_FORMAT' | 'FIELD_INVALID_VALUE';

export function fieldInvalid(code: FieldErrorCode, field: string): Reply {
  return { status: 400, body: { errorCode: code, error: field } };
}

/** Every banking API without a valid bearer token for its issuerId. */
export function unauthorized(): Reply {
  return { status: 401, body: { errorCode: 'AUTHORIZER_UNAUTHORIZED', error: 'Unauthorized message' } };
}

/** The token call with an assertion whose key or signature does not check out (the 401 body is NF: `{error}` as for the APIs). */
export function assertionUnauthorized(): Reply {
  return { status: 401, body: { error: 'Unauthorized message' } };
}

export function notFound(what = 'Resource'): Reply {
  return { status: 404, body: { error: `${what} not found` } };
}

export function methodNotAllowed(allow: readonly string[]): Reply {
  return { status: 405, headers: { allow: allow.join(', ') }, body: { error: 'Method not allowed' } };
}

export function tooLarge(): Reply {
  return { status: 413, body: { error: 'Request body is too large' } };
}

/** A rate-limit fault (RFC 9110 §10.2.3 Retry-After in seconds). */
export function tooManyRequests(retryAfterSeconds: number): Reply {
  return { status: 429, headers: { 'retry-after': String(retryAfterSeconds) }, body: { error: 'Too many requests' } };
}

export function unavailable(): Reply {
  return { status: 503, body: { error: 'Service unavailable' } };
}

/** A simulator bug, or a server-error fault: no details, they could carry request data. */
export function internalError(): Reply {
  return { status: 500, body: { error: 'Internal server error' } };
}
