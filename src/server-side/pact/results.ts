import { ENDPOINTS } from '../../../contracts/endpoints.js';
import type { PolicySettings } from '../../../contracts/policies.js';
import { breachOf } from '../../core/verdict/verdict.js';
import { describeText, type FieldMeta } from '../../core/rulebook/fields.js';
import type { Redactor } from '../../core/redact/redactor.js';
import type { CaseResult } from '../../core/results/model.js';
import { REDIRECT_REFUSED_STATUS, type Redirect } from './forward.js';
import { fieldAt, presenceRuleOf, regexOf } from '../../core/pact/field-rules.js';
import { parseJson } from '../../core/util/json.js';
import { MAX_RESPONSE_TEXT } from '../../core/http/client.js';
import { rulesOf, type InteractionSpec } from '../../core/pact/interactions.js';

/**
 * The Pact Verifier's JSON result -> case results in the run's report. Every interaction is one
 * case (`pact: <description>`) on its endpoint; a passing one records PASSED for every rule its
 * expectations stand for, a mismatch becomes a finding on the rule behind the matcher that failed
 * (a field's pattern -> that field's rule, a missing key -> its presence rule, a status -> the
 * interaction's status rule), explained in words, actual values redacted. A redirect (never
 * followed, see forward.ts) fails the interaction's status rule, naming the Location's origin.
 */

interface Mismatch {
  readonly type?: string;
  readonly path?: string;
  readonly key?: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  readonly mismatch?: string;
}

export interface VerifierJson {
  readonly result?: boolean;
  readonly interactionResults?: readonly { readonly description?: string; readonly result?: string }[];
  readonly errors?: readonly {
    readonly interaction?: string;
    readonly mismatch?: { readonly type?: string; readonly mismatches?: readonly Mismatch[]; readonly message?: string };
  }[];
}

export interface MapContext {
  readonly interactions: readonly InteractionSpec[];
  readonly policies: PolicySettings;
  readonly redactor: Redactor;
  /** Interactions not judged, with the reason (no OAuth, a provider state the test data cannot give...). */
  readonly skipped: ReadonlyMap<string, string>;
  /** A command that replays one interaction (secrets as placeholders). */
  readonly repro?: (interaction: InteractionSpec) => string;
  /** Redirects the target answered with, refused by the forwarder (the verifier saw REDIRECT_REFUSED_STATUS). */
  readonly redirects?: readonly Redirect[];
}

interface Finding {
  readonly ruleId: string;
  readonly status: 'FAILED' | 'WARNING';
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
}

export const caseName = (interaction: InteractionSpec): string => `pact: ${interaction.description}`;

export function mapVerification(json: VerifierJson, ctx: MapContext): CaseResult[] {
  const results: CaseResult[] = [];
  const outcome = new Map((json.interactionResults ?? []).map((r) => [r.description ?? '', r.result ?? '']));
  for (const interaction of ctx.interactions) {
    const base = { endpoint: interaction.endpoint, case: caseName(interaction), count: 1 } as const;
    const rules = rulesOf(interaction);
    const skip = ctx.skipped.get(interaction.description);
    const result = outcome.get(interaction.description);
    if (skip !== undefined || result === undefined) {
      const message = skip ?? 'not verified (the verifier did not run this interaction, e.g. filtered out by PACT_DESCRIPTION)';
      for (const ruleId of rules) results.push({ ...base, ruleId, status: 'SKIPPED', message });
      continue;
    }
    const errors = (json.errors ?? []).filter((e) => (e.interaction ?? '').endsWith(` - ${interaction.description}`));
    const findings = result === 'OK' && errors.length === 0 ? [] : findingsOf(interaction, errors, ctx);
    if (result !== 'OK' && findings.length === 0)
      findings.push({
        ruleId: interaction.statusRule ?? rules[0] ?? 'OUT-GEN-008',
        status: 'FAILED',
        message: 'the verifier reported a failure without details',
      });
    const repro = ctx.repro?.(interaction);
    for (const f of findings) {
      results.push({
        ...base,
        ruleId: f.ruleId,
        status: f.status,
        message: ctx.redactor.text(f.message),
        ...(f.expected !== undefined ? { expected: ctx.redactor.text(f.expected) } : {}),
        ...(f.actual !== undefined ? { actual: ctx.redactor.text(f.actual) } : {}),
        ...(repro !== undefined ? { repro } : {}),
      });
    }
    // A wrong status says nothing about the body's rules; otherwise every rule no finding names held.
    const statusBroken = findings.some((f) => f.ruleId === interaction.statusRule);
    const named = new Set(findings.map((f) => f.ruleId));
    for (const ruleId of rules)
      if (!named.has(ruleId) && (!statusBroken || findings.every((f) => f.status === 'WARNING'))) results.push({ ...base, ruleId, status: 'PASSED' });
  }
  return results;
}

function findingsOf(interaction: InteractionSpec, errors: VerifierJson['errors'] & object, ctx: MapContext): Finding[] {
  const mismatches: Mismatch[] = [];
  const findings: Finding[] = [];
  for (const e of errors) {
    if (e.mismatch?.type === 'mismatches') mismatches.push(...(e.mismatch.mismatches ?? []));
    else if (e.mismatch) findings.push({ ruleId: interaction.statusRule ?? 'OUT-GEN-008', status: 'FAILED', message: verifierError(e.mismatch.message) });
  }
  const status = mismatches.find((m) => m.type === 'StatusMismatch');
  if (status) {
    const others = mismatches.length - 1;
    const actual = Number(status.actual);
    const ruleId = interaction.statusRule ?? 'OUT-GEN-008';
    const redirected = actual === REDIRECT_REFUSED_STATUS ? redirectsOf(interaction, ctx.redirects ?? []) : [];
    if (redirected.length > 0) {
      // No tolerance covers a redirect: D1 never follows one, so the call never reached an answer.
      const what = redirected.join(', ');
      findings.push({
        ruleId,
        status: 'FAILED',
        message: `the target answered ${what}; redirects are not followed`,
        expected: `status ${String(status.expected)}`,
        actual: what,
      });
      return findings;
    }
    // The rule's tolerances decide a deviation (another 2xx for a 204 API, 403 for a 401), as in the suites.
    const { status: decided, decidedBy } = breachOf(ruleId, ctx.policies, statusDeviation(Number(status.expected), actual));
    if (decided === 'IGNORED') return findings;
    findings.push({
      ruleId,
      status: decided,
      message: `expected status ${String(status.expected)}, got ${String(status.actual)}${decidedBy !== undefined ? ` (${decidedBy})` : ''}${others > 0 ? ` (and ${others} body difference${others > 1 ? 's' : ''} following from it)` : ''}`,
      expected: `status ${String(status.expected)}`,
      actual: `status ${String(status.actual)}`,
    });
    return findings;
  }
  for (const m of mismatches) findings.push(...explain(interaction, m, ctx));
  return findings;
}

/** `307 redirect to http://host:port` for each distinct redirect on the interaction's endpoint (method and path). */
function redirectsOf(interaction: InteractionSpec, redirects: readonly Redirect[]): string[] {
  const endpoint = ENDPOINTS.find((e) => e.id === interaction.endpoint);
  if (!endpoint) return [];
  const path = new RegExp(`^${endpoint.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  const named = redirects.filter((r) => r.method === endpoint.method && path.test(r.path)).map((r) => `${String(r.status)} redirect to ${r.origin}`);
  return [...new Set(named)];
}

/** The verifier's own error, in words; its "error sending request" names its proxy's address, not the target's. */
function verifierError(message: string | undefined): string {
  if (message === undefined) return 'the verifier could not check this interaction';
  if (message.includes('error sending request'))
    return `the target gave no usable answer (connection dropped or reset, no answer within the timeout, or a body over ${MAX_RESPONSE_TEXT})`;
  return `the verifier could not check this interaction: ${message}`;
}

/** A status the run's policies accept with a warning (e.g. 200 for a notification under notificationSuccessStatus=any-2xx). */
/** The named deviation a status mismatch is, for the rule's tolerances (src/core/verdict). */
function statusDeviation(expected: number, actual: number): string | undefined {
  if (expected === 401 && actual === 403) return '403';
  if (expected >= 200 && expected < 300 && actual >= 200 && actual < 300) return 'another-2xx';
  return undefined;
}

/** `$.mobilePhoneNumber.countryCode` / `$.cards[0].cardId` -> `mobilePhoneNumber.countryCode` / `cards.[].cardId`. */
export function fieldPathOf(jsonPath: string): string {
  return jsonPath
    .replace(/^\$\.?/, '')
    .replace(/\[(\d+|\*)\]/g, '.[]')
    .replace(/\['([^']+)'\]/g, '.$1')
    .replace(/^\./, '');
}

function explain(interaction: InteractionSpec, m: Mismatch, ctx: MapContext): Finding[] {
  const fallback = interaction.statusRule ?? 'OUT-GEN-008';
  const { response } = interaction;
  const meta = response.message?.field.meta;
  if (m.type === 'HeaderMismatch') {
    return [
      {
        ruleId: 'OUT-GEN-010',
        status: 'FAILED',
        message: `header ${m.key ?? ''}: expected ${String(m.expected)}, got ${shown(m.actual)}`,
        expected: String(m.expected),
        actual: shown(m.actual),
      },
    ];
  }
  if (m.type === 'BodyTypeMismatch') {
    const ruleId = response.status >= 400 ? 'OUT-GEN-008' : 'OUT-GEN-010';
    return [
      {
        ruleId,
        status: 'FAILED',
        message: `expected a ${String(m.expected)} body, got ${shown(m.actual)}`,
        expected: String(m.expected),
        actual: shown(m.actual),
      },
    ];
  }
  if (m.type !== 'BodyMismatch' || !meta) return [{ ruleId: fallback, status: 'FAILED', message: m.mismatch ?? 'mismatch' }];

  const path = fieldPathOf(m.path ?? '$');
  const where = path === '' ? 'body' : `body.${path}`;
  const missing = /missing the following keys: (.+)$/.exec(m.mismatch ?? '')?.[1];
  const parent = fieldAt(meta, path);
  if (missing !== undefined && parent) {
    const extra = undocumentedKeys(parent, m.actual);
    return missing.split(/,\s*/).map((key) => ({
      ruleId: presenceRuleOf(parent, key) ?? fieldAt(parent, key)?.rule.id ?? fallback,
      status: 'FAILED' as const,
      message: `${where}.${key} is missing${extra.length > 0 ? ` (the response has ${extra.join(', ')} instead: a renamed field?)` : ''}`,
      expected: `${where}.${key} present`,
      actual: `keys ${keysOf(m.actual).join(', ')}`,
    }));
  }
  const field = fieldAt(meta, path);
  const actual = redactValue(interaction, path, field, m.actual, ctx.redactor);
  const narrowed = response.narrow?.[path];
  if (narrowed && field?.kind === 'enum' && field.values.includes(parsed(m.actual) as string)) {
    return [
      {
        ruleId: narrowed.rule,
        status: 'FAILED',
        message: `${where} is ${actual}; this interaction expects one of ${narrowed.values.join(', ')}`,
        expected: `one of ${narrowed.values.join(', ')}`,
        actual,
      },
    ];
  }
  if (!field) return [{ ruleId: meta.rule.id, status: 'FAILED', message: `${where}: ${m.mismatch ?? 'unexpected value'}`, actual }];
  const expected = expectation(field);
  return [{ ruleId: field.rule.id, status: 'FAILED', message: `${where} must be ${expected}; got ${actual}`, expected, actual }];
}

/** What a field must be, in words, with the exact pattern. */
function expectation(field: FieldMeta): string {
  if (field.kind === 'enum') return `one of ${field.values.join(', ')}`;
  if (field.kind === 'text') {
    const regex = regexOf(field);
    return regex !== undefined && field.pattern ? `a string matching ${field.pattern.name} ${regex}` : `a ${describeText(field)}`;
  }
  if (field.kind === 'number') return field.int ? 'an integer' : 'a number';
  return `a${field.kind === 'object' ? 'n object' : field.kind === 'array' ? 'n array' : ' string or a number'}`;
}

/** The verifier's actual value, parsed when it is JSON text (not when it nests deeper than any walker should go). */
function parsed(actual: unknown): unknown {
  if (typeof actual !== 'string') return actual;
  const json = parseJson(actual);
  return json.ok ? json.value : actual;
}

function keysOf(actual: unknown): string[] {
  const value = parsed(actual);
  return Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
}

function undocumentedKeys(parent: FieldMeta, actual: unknown): string[] {
  return parent.kind === 'object' ? keysOf(actual).filter((k) => !(k in parent.fields)) : [];
}

/**
 * Personal data of a consumerInfo (every field but language and country codes) is never shown:
 * only its length and the characters its pattern refuses that are neither letters nor digits
 * (a stray `!` tells what is wrong without telling the name). Everything else goes through the
 * redactor, which masks PANs, tokens, secrets, emails and phone numbers.
 */
function redactValue(interaction: InteractionSpec, path: string, field: FieldMeta | undefined, actual: unknown, redactor: Redactor): string {
  const value = parsed(actual);
  // Only the 200 answer is a consumerInfo: a 404's error text is the target's message, not personal data.
  const personal = interaction.endpoint === 'issuer.getConsumerInfo' && interaction.response.status === 200 && !/(^|\.)(language|countryCode)$/.test(path);
  if (personal) {
    redactor.learnPersonalInfo(value);
    if (typeof value !== 'string') return `<pii: ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}>`;
    const pattern = field?.kind === 'text' ? field.pattern : undefined;
    const refused = pattern?.classes
      ? [...new Set([...value])].filter(
          (c) => !/[\p{L}\p{N}]/u.test(c) && !pattern.regex.test(c.repeat(Math.max(1, field?.kind === 'text' ? (field.min ?? 1) : 1))),
        )
      : [];
    return redactor.text(
      `<pii: ${[...value].length} characters${refused.length > 0 ? `; the pattern refuses ${refused.map((c) => JSON.stringify(c)).join(' ')}` : ''}>`,
    );
  }
  const text = redactor.json(value);
  return text.length > 200 ? `${text.slice(0, 200)}… (${text.length} chars)` : text;
}

function shown(actual: unknown): string {
  const text = typeof actual === 'string' ? actual : JSON.stringify(actual);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
