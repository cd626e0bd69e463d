import { RULES } from '../../contracts/index.js';
import { Recorder } from '../harness/recorder.js';
import type { Exchange } from '../http/client.js';
import { Redactor } from '../redact/redactor.js';
import type { CaseResult } from '../results/model.js';
import type { Level } from '../rulebook/rule.js';

/**
 * Grading: every check the simulator makes on an issuer call ends as PASSED or a finding (FAILED
 * for a MUST or POLICY rule, WARNING for a SHOULD). Checks are collected per request and recorded
 * once the answer is known, so each finding carries the redacted request and the simulator's
 * answer. The redactor learns every token issued, assertion received and PAN decrypted before
 * anything is recorded.
 */

type FindingStatus = 'FAILED' | 'WARNING';

interface Entry {
  /** Set when the check is about another endpoint than the request's (IN-COMPAT-001: the answer tolerated). */
  readonly endpoint?: string;
  readonly ruleId: string;
  readonly name: string;
  readonly status: 'PASSED' | FindingStatus;
  readonly message?: string;
}

const LEVELS = new Map<string, Level>(RULES.map((r) => [r.id, r.level]));

function levelOf(ruleId: string): Level {
  const level = LEVELS.get(ruleId);
  // Grading a rule the rulebook does not know would put an orphan in the report: a simulator bug.
  if (level === undefined) throw new Error(`simulator: rule ${ruleId} is not in the rulebook`);
  return level;
}

/** Findings kept with evidence per case and status; more only add to the count. */
export const MAX_FINDINGS_PER_CASE = 20;

export class Grader {
  readonly redactor = new Redactor();
  // A client repeating one mistake for hours gets its first findings in full, then a count.
  readonly #recorder = new Recorder(this.redactor, MAX_FINDINGS_PER_CASE);
  readonly #exercised = new Set<string>();

  begin(endpoint: string): Grading {
    return new Grading(endpoint, this);
  }

  /** Called by Grading.commit only. */
  record(endpoint: string, entries: readonly Entry[], exchange: Exchange): void {
    for (const e of entries) {
      this.#exercised.add(e.ruleId);
      const on = e.endpoint ?? endpoint;
      if (e.status === 'PASSED') this.#recorder.pass(e.ruleId, on, e.name);
      else if (e.status === 'FAILED') this.#recorder.fail(e.ruleId, on, e.name, { message: e.message ?? e.name, exchange });
      else this.#recorder.warn(e.ruleId, on, e.name, { message: e.message ?? e.name, exchange });
    }
  }

  results(): CaseResult[] {
    return this.#recorder.list();
  }

  exercisedRules(): Set<string> {
    return new Set(this.#exercised);
  }
}

/** The checks made on one request. */
export class Grading {
  readonly #entries: Entry[] = [];
  readonly #grader: Grader;
  #committed = false;

  constructor(
    readonly endpoint: string,
    grader: Grader,
  ) {
    this.#grader = grader;
  }

  pass(ruleId: string, name: string): void {
    levelOf(ruleId);
    this.#entries.push({ ruleId, name, status: 'PASSED' });
  }

  /** A pass recorded under another endpoint: this request shows something about an earlier answer of that one. */
  passOn(endpoint: string, ruleId: string, name: string): void {
    levelOf(ruleId);
    this.#entries.push({ endpoint, ruleId, name, status: 'PASSED' });
  }

  /** A finding; its status follows the rule's level unless the caller (a policy) decides it. Messages never carry request values. */
  finding(ruleId: string, name: string, message: string, status?: FindingStatus): void {
    const decided = status ?? (levelOf(ruleId) === 'SHOULD' ? 'WARNING' : 'FAILED');
    // One finding per rule and case per request: the same breach seen twice is one breach.
    if (this.#entries.some((e) => e.ruleId === ruleId && e.name === name && e.status !== 'PASSED')) return;
    this.#entries.push({ ruleId, name, status: decided, message });
  }

  /** PASSED when `ok`, else a finding; returns `ok`. */
  check(ok: boolean, ruleId: string, name: string, message: string | (() => string)): boolean {
    if (ok) this.pass(ruleId, name);
    else this.finding(ruleId, name, typeof message === 'string' ? message : message());
    return ok;
  }

  /** True when the rule (or any rule) has a FAILED entry on this request. */
  failed(ruleId?: string): boolean {
    return this.#entries.some((e) => e.status === 'FAILED' && (ruleId === undefined || e.ruleId === ruleId));
  }

  commit(exchange: Exchange): void {
    if (this.#committed) return;
    this.#committed = true;
    this.#grader.record(this.endpoint, this.#entries, exchange);
  }
}
