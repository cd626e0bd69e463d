import type { Redactor } from '../../core/redact/redactor.js';
import type { UngradedCall } from '../../core/results/model.js';
import { likelyApi } from './d1-paths.js';

/**
 * Calls the simulator answered without grading (issue 11): a path or method it does not
 * simulate, a path it cannot decode, a body too large to read, a call whose grading failed. None
 * may disappear: each is kept as {method, redacted path shape, likely D1 API, reason, count}, and
 * the report lists them (verdict INCOMPLETE unless declared out of scope). Grouped by shape, so
 * a thousand v1 registrations are one entry counted 1000; the number of entries is bounded, the
 * rest counted under one entry, never dropped.
 */

export const NOT_SIMULATED = 'not simulated, not graded';

/** An ungraded call as the simulator saw it (results/model.ts UngradedCall); the report adds outOfScope, the user's say. */
export type UngradedSeen = Omit<UngradedCall, 'outOfScope'>;

const MAX_ENTRIES = 200;
const MAX_PATH = 300;
/** A segment kept as written: a word (an API noun, `operations:delete`, `oauth2`) or a version. */
const WORD = /^(?:[A-Za-z][A-Za-z._:-]{0,39}\d?|v\d{1,2})$/;
/** After these collection nouns, a segment is an id whatever it looks like. */
const COLLECTIONS = new Set(['issuers', 'consumers', 'cards', 'accounts', 'digitalcards', 'physicalcards', 'customers', 'users', 'tokens']);
const ID_NAMES: Readonly<Record<string, string>> = { issuers: '{issuerId}', consumers: '{consumerId}', cards: '{cardId}', accounts: '{accountId}' };

/** The request target as an ungraded entry shows it: no id, no query value, nothing the redactor knows. */
export function pathShape(method: string, target: string, redactor: Redactor): { path: string; likelyApi: string } {
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const segments = rawPath.split('/').slice(1);
  const shape = likelyApi(method, segments);
  const parts = segments.map((seg, i) => {
    const named = shape.ids[i];
    if (named !== undefined && named !== '') return named;
    const before = (segments[i - 1] ?? '').toLowerCase();
    if (i > 0 && COLLECTIONS.has(before)) return ID_NAMES[before] ?? '{id}';
    return WORD.test(seg) ? seg : '{id}';
  });
  const names = q < 0 ? [] : [...new Set([...new URLSearchParams(target.slice(q + 1)).keys()].map((k) => (WORD.test(k) ? k : '{param}')))];
  const path = `/${parts.join('/')}${names.length > 0 ? `?${names.join('&')}` : ''}`;
  const clean = redactor.text(path);
  return { path: clean.length > MAX_PATH ? `${clean.slice(0, MAX_PATH)}…` : clean, likelyApi: shape.likelyApi };
}

export class UngradedLog {
  readonly #entries = new Map<string, UngradedSeen>();
  readonly #redactor: Redactor;

  constructor(redactor: Redactor) {
    this.#redactor = redactor;
  }

  record(method: string, target: string, reason: string): void {
    // A method is a token (RFC 9110); anything else is shown as a placeholder.
    const m = /^[A-Za-z]{1,16}$/.test(method) ? method.toUpperCase() : '{method}';
    let entry: Omit<UngradedSeen, 'count'> = { method: m, ...pathShape(m, target, this.#redactor), reason };
    let key = JSON.stringify([entry.method, entry.path, entry.reason]);
    if (!this.#entries.has(key) && this.#entries.size >= MAX_ENTRIES - 1) {
      entry = { method: '*', path: '(other paths, not listed one by one)', likelyApi: 'various', reason };
      key = JSON.stringify(['*', reason]);
    }
    const count = (this.#entries.get(key)?.count ?? 0) + 1;
    this.#entries.set(key, { ...entry, count });
  }

  list(): UngradedSeen[] {
    return [...this.#entries.values()];
  }
}
