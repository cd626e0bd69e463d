import type { OutgoingRequest } from './client.js';
import { maskToken, type Redactor } from '../redact/redactor.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** Text inside a double-quoted shell word, with nothing expanded. */
const dq = (s: string) => s.replace(/[\\"$`]/g, (c) => `\\${c}`);

/**
 * A curl command that replays a request exactly as it was sent, safe to paste in a report: a
 * header that was not sent stays absent, a malformed Authorization stays malformed; only the
 * real credentials (the issued token, the client secret) become shell placeholders
 * ($D1_ACCESS_TOKEN, $D1_BASIC_CREDENTIALS, $D1_CLIENT_SECRET). The body is redacted.
 */
export function toCurl(req: OutgoingRequest, redactor: Redactor): string {
  const parts = ['curl', '-sS', '-i', '-X', req.method, quote(redactor.text(req.url))];
  // Over https the target may want D1's client certificate (mTLS): given when the variables are set.
  if (req.url.startsWith('https:')) parts.push(...TLS_ARGS);
  for (const [name, value] of Object.entries(req.headers)) {
    parts.push('-H', name === 'authorization' ? authorizationArg(value, redactor) : quote(`${name}: ${redactor.text(value)}`));
  }
  if (req.body !== undefined) parts.push('--data-raw', quote(redactor.text(req.body)));
  return parts.join(' ');
}

/** D1's TLS identity and the CA for an https replay, from the environment, each only when set. */
const TLS_ARGS = ['${D1_TLS_CLIENT_CERT:+--cert "$D1_TLS_CLIENT_CERT"}', '${D1_TLS_CLIENT_KEY:+--key "$D1_TLS_CLIENT_KEY"}', '${D1_TLS_CA:+--cacert "$D1_TLS_CA"}'];

/** A whole value the redactor knows as a secret (a token, the client secret, the Basic pair). */
function isKnownSecret(value: string, redactor: Redactor): boolean {
  return value.length >= 4 && redactor.text(value) === maskToken(value);
}

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const text = Buffer.from(value, 'base64').toString('utf8');
  return text.includes(':') ? text : undefined;
}

function authorizationArg(value: string, redactor: Redactor): string {
  const space = value.indexOf(' ');
  const scheme = space === -1 ? value : value.slice(0, space);
  const credential = space === -1 ? '' : value.slice(space + 1);
  const decoded = decodeBase64(credential);
  if (isKnownSecret(credential, redactor)) {
    // The configured Basic pair (whatever scheme it was sent under) or an issued token.
    const placeholder = decoded !== undefined ? '$D1_BASIC_CREDENTIALS' : '$D1_ACCESS_TOKEN';
    return `"authorization: ${dq(scheme)} ${placeholder}"`;
  }
  if (decoded !== undefined) {
    // A Basic pair built around the real secret (a wrong-secret case): rebuilt from the placeholder, encoded at replay.
    const masked = redactor.text(decoded);
    if (masked !== decoded && /<redacted:[^>]*>/.test(masked)) {
      const pair = masked
        .split(/<redacted:[^>]*>/)
        .map(dq)
        .join('${D1_CLIENT_SECRET}');
      return `"authorization: ${dq(scheme)} $(printf '%s' "${pair}" | base64 | tr -d '\\n')"`;
    }
  }
  // Not a credential this run knows (garbage, a forged JWT, a bare scheme): replayed as sent, unless it
  // still carries something sensitive or is long enough to be someone's live token.
  if (harmlessJwt(credential, redactor)) return quote(`authorization: ${value}`);
  const masked = redactor.text(credential);
  if (masked !== credential) return quote(`authorization: ${scheme} ${masked}`);
  if (TOKEN_LIKE.test(credential)) return quote(`authorization: ${scheme} <redacted: ${credential.length} characters, not a credential of this run>`);
  return quote(`authorization: ${value}`);
}

/** An opaque credential of token length: it may be a live token from elsewhere, never printed. */
const TOKEN_LIKE = /^[A-Za-z0-9._~+/=-]{25,}$/;

/** A JWT no one issued (e.g. a forged alg=none one) whose decoded parts carry nothing sensitive. */
function harmlessJwt(value: string, redactor: Redactor): boolean {
  const segments = value.split('.');
  if (segments.length !== 3 || !value.startsWith('eyJ') || (segments[2] ?? '') !== '') return false;
  const decoded = segments.slice(0, 2).map((s) => Buffer.from(s, 'base64url').toString('utf8'));
  return decoded.every((d) => redactor.text(d) === d);
}
