import { DEFAULT_POLICIES, type PolicySettings } from '../../../contracts/policies.js';
import { Recorder } from '../../core/results/recorder.js';
import type { Exchange } from '../../core/http/client.js';
import { Redactor } from '../../core/redact/redactor.js';
import type { CaseResult } from '../../core/results/model.js';
import { breachOf, statusOfBreach } from '../../core/verdict/verdict.js';

/**
 * Grading: every check the simulator makes on an issuer call ends as PASSED or a finding whose
 * status the verdict module decides (src/core/verdict/verdict.ts: level, tolerances, policies). Checks are collected per request and recorded
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

/** Findings kept with evidence per case and status; more only add to the count. */
export const MAX_FINDINGS_PER_CASE = 20;

export class Grader {
  readonly redactor = new Redactor();
  // A client repeating one mistake for hours gets its first findings in full, then a count.
  readonly #recorder = new Recorder(this.redactor, MAX_FINDINGS_PER_CASE);
  readonly #exercised = new Set<string>();
  /** The run's policies, for the tolerances of statusOfBreach (defaults until the session sets them). */
  policies: Partial<PolicySettings> = DEFAULT_POLICIES;

  begin(endpoint: string): Grading {
    return new Grading(endpoint, this);
  }

  /** Called by Grading.commit only. The exchange is built only for a finding: most calls pass every check. */
  record(endpoint: string, entries: readonly Entry[], exchangeOf: () => Exchange): void {
    let built: Exchange | undefined;
    const exchange = () => (built ??= exchangeOf());
    for (const e of entries) {
      this.#exercised.add(e.ruleId);
      const on = e.endpoint ?? endpoint;
      if (e.status === 'PASSED') this.#recorder.pass(e.ruleId, on, e.name);
      else if (e.status === 'FAILED') this.#recorder.fail(e.ruleId, on, e.name, { message: e.message ?? e.name, exchange: exchange() });
      else this.#recorder.warn(e.ruleId, on, e.name, { message: e.message ?? e.name, exchange: exchange() });
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

  // An unknown rule id is recorded as it is: build-report makes it a harness error (exit 2).
  pass(ruleId: string, name: string): void {
    this.#entries.push({ ruleId, name, status: 'PASSED' });
  }

  /** A pass recorded under another endpoint: this request shows something about an earlier answer of that one. */
  passOn(endpoint: string, ruleId: string, name: string): void {
    this.#entries.push({ endpoint, ruleId, name, status: 'PASSED' });
  }

  /**
   * A finding; its status comes from the verdict module unless the caller passes one (call sites
   * still doing so are listed for migration to `breach`). Messages never carry request values.
   */
  finding(ruleId: string, name: string, message: string, status?: FindingStatus | 'IGNORED'): void {
    const decided = status ?? this.#statusOf(ruleId);
    if (decided === 'IGNORED') return;
    // One finding per rule and case per request: the same breach seen twice is one breach.
    if (this.#entries.some((e) => e.ruleId === ruleId && e.name === name && e.status !== 'PASSED')) return;
    this.#entries.push({ ruleId, name, status: decided, message });
  }

  /** A breach whose status the verdict module decides from the rule's data, the policies and the deviation. */
  breach(ruleId: string, name: string, message: string, deviation?: string): void {
    this.finding(ruleId, name, message, this.#statusOf(ruleId, deviation));
  }

  /** What a breach of the rule records under the run's policies, and the policy setting that decided it, if one did. */
  decide(ruleId: string, deviation?: string): { readonly status: FindingStatus | 'IGNORED'; readonly decidedBy?: string } {
    try {
      return breachOf(ruleId, this.#grader.policies, deviation);
    } catch {
      return { status: 'FAILED' };
    }
  }

  #statusOf(ruleId: string, deviation?: string): FindingStatus | 'IGNORED' {
    try {
      return statusOfBreach(ruleId, this.#grader.policies, deviation);
    } catch {
      return 'FAILED';
    }
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

  /** Records the checks; `exchange` (the evidence), when a function, is called only when one of them is a finding. */
  commit(exchange: Exchange | (() => Exchange)): void {
    if (this.#committed) return;
    this.#committed = true;
    this.#grader.record(this.endpoint, this.#entries, typeof exchange === 'function' ? exchange : () => exchange);
  }
}
