import { checkIdentifier, findPans, type HygieneContext, type IdentifierFinding } from '../../core/hygiene/index.js';
import type { Redactor } from '../../core/redact/redactor.js';
import type { Grading } from './grade.js';
import { isRecord } from '../../core/util/json.js';

/**
 * Identifier hygiene on the issuer's calls: consumerId carries no personal data (IN-ID-002),
 * cardId is not the PAN nor derived from it (IN-ID-001), x-correlation-id is not derived from
 * personal data (IN-HDR-003), and no PAN travels in clear outside the JWE (IN-JWE-008).
 * Messages say what was found, never the value; a flagged identifier is taught to the redactor,
 * so the evidence does not repeat the personal data it carries.
 */

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Names, email and phone numbers of personalInformation objects, plus the PANs known so far. */
export function personalContext(infos: readonly unknown[], pans: readonly string[]): HygieneContext {
  const names: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  for (const info of infos) {
    if (!isRecord(info)) continue;
    for (const key of ['firstName', 'middleName', 'lastName'] as const) {
      const name = str(info[key]);
      if (name !== undefined) names.push(name);
    }
    const email = str(info.email);
    if (email !== undefined) emails.push(email);
    const phone = info.mobilePhoneNumber;
    if (isRecord(phone)) {
      const number = str(phone.phoneNumber);
      const cc = str(phone.countryCode);
      if (number !== undefined) phones.push(cc === undefined ? number : `${cc}${number}`);
    }
  }
  // Issuers generate their ids: a name counts only as a word of the id (see findNames).
  return { names, emails, phones, pans, nameMatch: 'token' };
}

/**
 * FAILED when something certain was found (a known PAN or its derivation, an email, a phone, a
 * name of this consumer); WARNING when the only hit is a Luhn-valid run that is no known PAN,
 * which numeric ids and trace ids produce by chance.
 */
function gradeFound(g: Grading, ruleId: string, name: string, found: readonly IdentifierFinding[]): void {
  if (found.length === 0) {
    g.pass(ruleId, name);
    return;
  }
  // A match found only by a heuristic (a name-like word, an unknown Luhn run) is the rule's `heuristic-match` deviation.
  g.breach(ruleId, name, describe(found), found.every((f) => f.heuristic) ? 'heuristic-match' : undefined);
}

/** What was found, each kind of finding once: "consumerId email address; consumerId contains a personal name...". */
function describe(found: readonly { detail: string }[]): string {
  return [...new Set(found.map((f) => f.detail))].join('; ');
}

/** The value as it travels in a path segment too, so the evidence URL is masked as well. */
function asSent(value: string): string[] {
  return [value, encodeURIComponent(value)];
}

export function gradeConsumerId(g: Grading, consumerId: string, context: HygieneContext, redactor: Redactor): void {
  const found = checkIdentifier('consumerId', consumerId, 'client', context);
  if (found.length > 0) redactor.addPersonal(...asSent(consumerId));
  gradeFound(g, 'IN-ID-002', 'consumerId carries no personal data', found);
}

/** cardId against the PAN decrypted from this request's JWE (and, without one, against any PAN-like value). */
export function gradeCardId(g: Grading, cardId: string, pan: string | undefined, redactor: Redactor): void {
  const found = checkIdentifier('cardId', cardId, 'client', { pans: pan === undefined ? [] : [pan] });
  // A hash of a PAN is as good as the PAN to whoever can enumerate PANs: mask it like a secret
  // (a PAN itself is masked as BIN + last 4 by the redactor).
  if (found.some((f) => f.kind === 'pan-derived')) redactor.addSecret(...asSent(cardId));
  gradeFound(g, 'IN-ID-001', 'cardId is not the PAN nor derived from it', found);
}

export function gradeCorrelationId(g: Grading, correlationId: string | undefined, context: HygieneContext, redactor: Redactor): void {
  if (correlationId === undefined) return;
  const found = checkIdentifier('correlationId', correlationId, 'client', context);
  if (found.some((f) => f.kind !== 'pan')) redactor.addPersonal(correlationId);
  gradeFound(g, 'IN-HDR-003', 'x-correlation-id is not derived from personal data', found);
}

export interface ClearPanInput {
  /** The raw request target (path and query). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The JWE value, cut out of the body before the scan. */
  readonly jwe?: string;
}

/** Tracing headers carry random decimal or hex ids by design: a Luhn-valid run there is chance, not a PAN. */
const TRACE_HEADERS = new Set([
  'traceparent',
  'tracestate',
  'baggage',
  'sentry-trace',
  'uber-trace-id',
  'x-amzn-trace-id',
  'x-cloud-trace-context',
  'x-request-id',
]);
const isTraceHeader = (name: string) => TRACE_HEADERS.has(name) || name.startsWith('x-datadog-') || name.startsWith('x-b3-');

/**
 * Where a PAN shows in clear: a PAN decrypted earlier (FAILED), or a Luhn-valid 13-19 digit run
 * (WARNING: an unknown number may be a PAN or a numeric id). The JWE's protected header is
 * readable by anyone, so it is scanned; its encrypted parts are not.
 */
export function gradeClearPan(g: Grading, input: ClearPanInput, knownPans: readonly string[]): void {
  const known = (text: string) => knownPans.some((p) => p.length >= 12 && text.includes(p));
  const certain: string[] = [];
  const likely: string[] = [];
  const look = (place: string, texts: readonly string[], unknownToo = true) => {
    if (texts.some(known)) certain.push(place);
    else if (unknownToo && texts.some((t) => findPans(t).length > 0)) likely.push(place);
  };
  look('the URL', [input.target, safeDecode(input.target)]);
  // The Authorization value is the simulator's own token.
  for (const [k, v] of Object.entries(input.headers)) if (k !== 'authorization') look('a header', [k, v], !isTraceHeader(k));
  const body = input.jwe === undefined || input.jwe === '' ? input.body : input.body.split(input.jwe).join('');
  look('the body', [body]);
  if (input.jwe !== undefined) look('the JWE protected header', [safeBase64url(input.jwe.split('.')[0] ?? '')]);
  const places = [...new Set([...certain, ...likely])];
  if (places.length === 0) g.pass('IN-JWE-008', 'the PAN travels only inside the JWE');
  else
    g.breach(
      'IN-JWE-008',
      'the PAN travels only inside the JWE',
      `a ${certain.length > 0 ? 'PAN' : 'PAN-like number'} appears in clear in ${places.join(', ')}`,
      certain.length > 0 ? undefined : 'heuristic-match',
    );
}

function safeBase64url(text: string): string {
  try {
    return Buffer.from(text, 'base64url').toString('utf8');
  } catch {
    return '';
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
