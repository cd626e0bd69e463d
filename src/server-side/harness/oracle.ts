import { checkIdentifier } from '../../core/hygiene/identifier-rules.js';
import { findEmails } from '../../core/hygiene/email.js';
import { findPans } from '../../core/hygiene/pan.js';
import { findPhones, inPhoneContext } from '../../core/hygiene/phone.js';
import type { Exchange } from '../../core/http/client.js';
import type { Recorder } from '../../core/results/recorder.js';
import { notJsonText, parseJson } from '../../core/util/json.js';
import { responseJson } from './response-json.js';

export { parseJson };

export interface InspectOptions {
  /** The OTP value sent in this request: it must never come back (OUT-OTP-004). */
  readonly sentOtp?: string;
  /** Sensitive values of the request (PANs, personal data) an error body must not echo (OUT-GEN-009). */
  readonly sentSensitive?: readonly string[];
  readonly slowAfterMs: number;
}

const EVERY = 'every response';
const PROTOCOL_HEADERS = new Set(['date', 'content-length', 'keep-alive', 'age', 'expires', 'last-modified', 'etag']);

/** `needle` as a whole token: not part of a longer run of letters or digits. */
function containsToken(haystack: string, needle: string): boolean {
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(haystack);
}

/**
 * The checks every response gets, whatever the case that provoked it: JSON content type, error
 * body shape, empty 204, no PAN, no OTP or request data echoed, clean correlation id, latency.
 */
export function inspectResponse(rec: Recorder, exchange: Exchange, endpoint: string, options: InspectOptions): void {
  const res = exchange.response;
  rec.time(endpoint, exchange.durationMs);
  if (!res) {
    if (exchange.transportError?.startsWith('no response within')) {
      rec.check(false, 'OUT-GEN-013', endpoint, EVERY, () => ({ message: exchange.transportError ?? 'timeout', exchange }));
    }
    return;
  }
  const body = res.body;
  const json = body === '' ? undefined : responseJson(res);
  const contentType = res.headers['content-type'] ?? '';

  if (json?.ok) {
    rec.check(/^application\/json\b/i.test(contentType), 'OUT-GEN-010', endpoint, EVERY, () => ({
      message: 'a JSON body is served without Content-Type: application/json',
      expected: 'Content-Type: application/json',
      actual: contentType === '' ? '(no Content-Type)' : `Content-Type: ${contentType}`,
      exchange,
    }));
  }
  if (res.status >= 400 && body !== '') checkErrorBody(rec, exchange, endpoint, json);
  if (res.status === 204) {
    rec.check(body === '', 'OUT-GEN-025', endpoint, EVERY, () => ({
      message: 'a 204 response carries a body',
      expected: 'empty body',
      actual: `${body.length} bytes`,
      exchange,
    }));
  }
  const haystack = [body, ...Object.values(res.headers)].join('\n');
  // A phone number that happens to pass Luhn, where a phone number belongs, is not a clear PAN.
  const pans = findPans(haystack).filter((p) => !inPhoneContext(haystack, p));
  rec.check(pans.length === 0, 'OUT-GEN-020', endpoint, EVERY, () => ({
    message: `the response carries ${pans.length} PAN-like value(s) in clear`,
    expected: 'no Luhn-valid 13-19 digit run outside an encrypted field',
    actual: 'a PAN-like digit run',
    exchange,
  }));
  // Protocol headers (dates, lengths) are numbers by nature: an OTP is looked for in the body and
  // the other headers. Built only where a check below reads it.
  let echoableText: string | undefined;
  const echoable = () =>
    (echoableText ??= [
      body,
      ...Object.entries(res.headers)
        .filter(([k]) => !PROTOCOL_HEADERS.has(k))
        .map(([, v]) => v),
    ].join('\n'));
  if (options.sentOtp !== undefined && options.sentOtp.length >= 4) {
    const otp = options.sentOtp;
    rec.check(!containsToken(echoable(), otp), 'OUT-OTP-004', endpoint, EVERY, () => ({
      message: 'the OTP value sent by D1 comes back in the response',
      exchange,
    }));
  }
  if (res.status >= 400 && options.sentSensitive && options.sentSensitive.length > 0) {
    const echoed = options.sentSensitive.filter((s) => s.length >= 4 && containsToken(body, s));
    rec.check(echoed.length === 0, 'OUT-GEN-009', endpoint, EVERY, () => ({
      message: `the error body echoes ${echoed.length} sensitive value(s) sent in the request`,
      exchange,
    }));
  }
  // Only Get Consumer Information is asked for personal data; elsewhere an email or phone number is a leak.
  if (endpoint !== 'issuer.getConsumerInfo' || res.status >= 400) {
    const leaks = findEmails(echoable()).length + findPhones(echoable()).length;
    rec.check(leaks === 0, 'OUT-GEN-021', endpoint, EVERY, () => ({
      message: `the response carries ${leaks} email address(es) or phone number(s) nobody asked for`,
      exchange,
    }));
  }
  // A response that emits no x-correlation-id satisfies the rule as surely as a clean one does.
  const emitted = res.headers['x-correlation-id'];
  const findings = emitted === undefined ? [] : checkIdentifier('correlationId', emitted, 'server');
  rec.check(findings.length === 0, 'OUT-ID-004', endpoint, EVERY, () => ({
    message: `the x-correlation-id the target emits ${findings[0]?.detail ?? ''}`,
    exchange,
  }));
  if (endpoint === 'issuer.getConsumerInfo') {
    const value = json?.ok ? json.value : undefined;
    const errorPayload = res.status < 300 && typeof value === 'object' && value !== null && 'error' in value;
    rec.check(!errorPayload && (res.status < 500 || res.status === 500), 'OUT-CI-005', endpoint, EVERY, () => ({
      message: errorPayload ? `a ${res.status} carries an error payload` : `a server error answered ${res.status}`,
      expected: '500 with {"error"} for server errors, never a success status with an error payload',
      exchange,
    }));
  }
  rec.check(exchange.durationMs <= options.slowAfterMs, 'OUT-GEN-013', endpoint, EVERY, () => ({
    message: `answered in ${Math.round(exchange.durationMs)} ms`,
    expected: `at most ${options.slowAfterMs} ms (policy responseTimeoutMs)`,
    exchange,
  }));
}

/**
 * Where seed 004 gives an error response a JSON body: the `error` schema. It has no required
 * list, so an object without `error` is only advice; a body that is not a JSON object (or an
 * `error` that is not a string) breaks the schema. Where the seed documents no body (the token
 * endpoint, statuses it does not list), the same shape is expected as advice only.
 */
const SEED_JSON_ERRORS: Readonly<Partial<Record<string, readonly number[]>>> = {
  'issuer.getConsumerInfo': [404, 500],
  'issuer.authenticate': [401, 403, 404, 500],
  'issuer.getAuthenticationResult': [404, 500],
  'issuer.notifyConsumerOperation': [400, 404, 500],
  'issuer.deliverOtp': [400, 401, 403, 404, 500],
};

function checkErrorBody(rec: Recorder, exchange: Exchange, endpoint: string, json: { ok: true; value: unknown } | { ok: false } | undefined): void {
  const status = exchange.response?.status ?? 0;
  const value = json?.ok ? json.value : undefined;
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  const error = isObject ? (value as { error?: unknown }).error : undefined;
  const schemaOk = isObject && (error === undefined || typeof error === 'string');
  const documented = SEED_JSON_ERRORS[endpoint]?.includes(status) ?? false;
  const finding = (actual: string) => () => ({
    message: `the ${status} body is not {"error": string}`,
    expected: '{"error": "<text>"} (seed 004 components.schemas.error)',
    actual,
    exchange,
  });
  const actual = !json?.ok
    ? json
      ? `a body of ${notJsonText(json)}`
      : 'a body that is not JSON'
    : !isObject
      ? 'JSON that is not an object'
      : 'an error field that is not a string';
  if (!schemaOk) {
    rec.breach('OUT-GEN-008', endpoint, EVERY, finding(actual)(), documented ? {} : { deviation: 'undocumented-error-status' });
    return;
  }
  rec.pass('OUT-GEN-008', endpoint, EVERY);
  if (typeof error !== 'string') {
    rec.breach(
      'OUT-GEN-008',
      endpoint,
      `${EVERY}: error text`,
      {
        message: `the ${status} body is a JSON object without an error text (seed 004's error schema has no required list: advice only)`,
        expected: '{"error": "<text>"}',
        actual: 'a JSON object without "error"',
        exchange,
      },
      { deviation: 'no-error-text' },
    );
  }
}
