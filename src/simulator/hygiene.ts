import { checkIdentifier, findPans, type HygieneContext } from '../hygiene/index.js';
import type { Redactor } from '../redact/redactor.js';
import type { Grading } from './grade.js';

/**
 * Identifier hygiene on the issuer's calls: consumerId carries no personal data (IN-ID-002),
 * cardId is not the PAN nor derived from it (IN-ID-001), x-correlation-id is not derived from
 * personal data (IN-HDR-003), and no PAN travels in clear outside the JWE (IN-JWE-008).
 * Messages say what was found, never the value; a flagged identifier is taught to the redactor,
 * so the evidence does not repeat the personal data it carries.
 */

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

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
  return { names, emails, phones, pans };
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
  g.check(found.length === 0, 'IN-ID-002', 'consumerId carries no personal data', () => describe(found));
}

/** cardId against the PAN decrypted from this request's JWE (and, without one, against any PAN-like value). */
export function gradeCardId(g: Grading, cardId: string, pan: string | undefined, redactor: Redactor): void {
  const found = checkIdentifier('cardId', cardId, 'client', { pans: pan === undefined ? [] : [pan] });
  // A hash of a PAN is as good as the PAN to whoever can enumerate PANs: mask it like a secret
  // (a PAN itself is masked as BIN + last 4 by the redactor).
  if (found.some((f) => f.kind === 'pan-derived')) redactor.addSecret(...asSent(cardId));
  g.check(found.length === 0, 'IN-ID-001', 'cardId is not the PAN nor derived from it', () => describe(found));
}

export function gradeCorrelationId(g: Grading, correlationId: string | undefined, context: HygieneContext, redactor: Redactor): void {
  if (correlationId === undefined) return;
  const found = checkIdentifier('correlationId', correlationId, 'client', context);
  if (found.some((f) => f.kind !== 'pan')) redactor.addPersonal(correlationId);
  g.check(found.length === 0, 'IN-HDR-003', 'x-correlation-id is not derived from personal data', () => describe(found));
}

export interface ClearPanInput {
  /** The raw request target (path and query). */
  readonly target: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The JWE value, cut out of the body before the scan. */
  readonly jwe?: string;
}

/** Where a PAN shows in clear: a Luhn-valid 13-19 digit run, or a PAN decrypted earlier. */
export function gradeClearPan(g: Grading, input: ClearPanInput, knownPans: readonly string[]): void {
  const hasPan = (text: string) => findPans(text).length > 0 || knownPans.some((p) => p.length >= 12 && text.includes(p));
  const places: string[] = [];
  if (hasPan(input.target) || hasPan(safeDecode(input.target))) places.push('the URL');
  // The Authorization value is the simulator's own token.
  if (Object.entries(input.headers).some(([k, v]) => k !== 'authorization' && (hasPan(v) || hasPan(k)))) places.push('a header');
  const body = input.jwe === undefined || input.jwe === '' ? input.body : input.body.split(input.jwe).join('');
  if (hasPan(body)) places.push('the body');
  g.check(places.length === 0, 'IN-JWE-008', 'the PAN travels only inside the JWE', () => `a PAN appears in clear in ${places.join(', ')}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
