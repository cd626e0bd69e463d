import type { Exchange } from '../http/client.js';
import { toCurl } from '../http/curl.js';
import type { Redactor } from '../redact/redactor.js';
import type { CaseResult, Evidence, Status } from './model.js';
import type { PolicySettings } from '../../../contracts/policies.js';
import { breachOf, isKnownRule } from '../verdict/verdict.js';

export interface Finding {
  readonly message: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly exchange?: Exchange;
  readonly seed?: number;
  readonly counterexamplePath?: string;
}

/**
 * Collects the case results of one test. Passing checks are counted, not listed one by one;
 * every finding carries redacted evidence and a replay command.
 */
export class Recorder {
  private readonly results = new Map<string, CaseResult>();
  /** Response times (ms) per endpoint, for the report's latency figures. */
  readonly timings = new Map<string, number[]>();
  private order = 0;
  /**
   * The PASSED results by endpoint, case name and rule id: the same objects as in `results`,
   * counted in place. Nested maps, not a joined key: the parts are the same few strings over and
   * over, whose hashes V8 keeps, where a joined key is a new string to hash on every pass.
   */
  private readonly passed = new Map<string, Map<string, Map<string, CaseResult>>>();
  /** Findings kept per case and status, and the key of the last one kept (for the cap). */
  private readonly kept = new Map<string, { count: number; lastKey: string }>();

  /**
   * `maxFindingsPerCase`: past this many findings of one case and status, a new one only adds to
   * the last one's count. A long-running simulator graded on a client that repeats one mistake
   * must not grow (nor redact ever more evidence) without end; the first findings tell the story.
   */
  constructor(
    private readonly redactor: Redactor,
    private readonly maxFindingsPerCase = Infinity,
  ) {}

  /** Rule ids recorded that the rulebook does not know: a harness bug, reported as an error (exit 2). */
  readonly unknownRules = new Set<string>();
  /** The run's policies, for `breach` (defaults until the session sets them). */
  policies: Partial<PolicySettings> | undefined;

  /**
   * A breach of `ruleId`: the verdict module decides its status from the rule's level, its
   * tolerances and the run's policies (e.g. OUT-GEN-003 answered 403: deviation '403'). Returns
   * what was recorded (IGNORED: nothing).
   */
  breach(
    ruleId: string,
    endpoint: string,
    name: string,
    finding: Finding,
    options: { readonly deviation?: string; readonly policies?: Partial<PolicySettings> } = {},
  ): 'FAILED' | 'WARNING' | 'IGNORED' {
    if (!isKnownRule(ruleId)) {
      this.add(ruleId, endpoint, name, 'FAILED', finding);
      return 'FAILED';
    }
    const { status, decidedBy } = breachOf(ruleId, options.policies ?? this.policies, options.deviation);
    // A policy that softened or hardened the breach is named in the finding, so a reader sees why.
    if (status !== 'IGNORED')
      this.add(ruleId, endpoint, name, status, decidedBy === undefined ? finding : { ...finding, message: `${finding.message} (${decidedBy})` });
    return status;
  }

  pass(ruleId: string, endpoint: string, name: string): void {
    this.add(ruleId, endpoint, name, 'PASSED');
  }

  /** One pass of each rule in `ruleIds` (a response met its whole contract). */
  passAll(ruleIds: Iterable<string>, endpoint: string, name: string): void {
    const byRule = this.passesOf(endpoint, name);
    for (const ruleId of ruleIds) this.countPass(byRule, ruleId, endpoint, name, 1);
  }

  fail(ruleId: string, endpoint: string, name: string, finding: Finding): void {
    this.add(ruleId, endpoint, name, 'FAILED', finding);
  }

  warn(ruleId: string, endpoint: string, name: string, finding: Finding): void {
    this.add(ruleId, endpoint, name, 'WARNING', finding);
  }

  skip(ruleId: string, endpoint: string, name: string, reason: string): void {
    this.add(ruleId, endpoint, name, 'SKIPPED', { message: reason });
  }

  /**
   * PASSED when `ok`, else a breach whose status the verdict module decides from the rule's data
   * (a SHOULD warns, a MUST fails). `_status` is ignored: kept so call sites that still pass one
   * compile until they are migrated; the rulebook, not the call site, decides.
   */
  check(ok: boolean, ruleId: string, endpoint: string, name: string, finding: () => Finding): boolean {
    if (ok) this.pass(ruleId, endpoint, name);
    else this.breach(ruleId, endpoint, name, finding());
    return ok;
  }

  time(endpoint: string, ms: number): void {
    const list = this.timings.get(endpoint);
    if (list) list.push(ms);
    else this.timings.set(endpoint, [ms]);
  }

  /** Takes over another recorder's results (optionally stamping the property's seed and path on findings). */
  merge(other: Recorder, replay?: { seed: number; counterexamplePath: string }): void {
    for (const [endpoint, list] of other.timings) for (const ms of list) this.time(endpoint, ms);
    for (const r of other.list()) {
      if (r.status === 'PASSED') {
        this.add(r.ruleId, r.endpoint, r.case, 'PASSED', undefined, r.count);
      } else {
        const stamped = replay && r.status === 'FAILED' ? { ...r, seed: replay.seed, counterexamplePath: replay.counterexamplePath } : r;
        this.results.set(`${r.ruleId}|${r.endpoint}|${r.case}|${r.status}|${this.order++}`, stamped);
      }
    }
  }

  /** A snapshot: later passes do not change the counts of what was listed. */
  list(): CaseResult[] {
    return [...this.results.values()].map((r) => (r.status === 'PASSED' ? { ...r } : r));
  }

  get failures(): number {
    let n = 0;
    for (const r of this.results.values()) if (r.status === 'FAILED') n++;
    return n;
  }

  private add(ruleId: string, endpoint: string, name: string, status: Status, finding?: Finding, passes = 1): void {
    if (status === 'PASSED') {
      this.countPass(this.passesOf(endpoint, name), ruleId, endpoint, name, passes);
      return;
    }
    // Kept in the results too: build-report turns an unknown id into a harness error.
    if (!isKnownRule(ruleId)) this.unknownRules.add(ruleId);
    const caseKey = `${ruleId}|${endpoint}|${name}|${status}`;
    const seen = this.kept.get(caseKey);
    const last = seen === undefined ? undefined : this.results.get(seen.lastKey);
    if (seen !== undefined && last !== undefined && seen.count >= this.maxFindingsPerCase) {
      this.results.set(seen.lastKey, { ...last, count: last.count + 1 });
      return;
    }
    const r = this.redactor;
    const result: CaseResult = {
      ruleId,
      endpoint,
      case: name,
      status,
      count: 1,
      ...(finding?.message !== undefined ? { message: r.text(finding.message) } : {}),
      ...(finding?.expected !== undefined ? { expected: r.text(finding.expected) } : {}),
      ...(finding?.actual !== undefined ? { actual: r.text(finding.actual) } : {}),
      ...(finding?.exchange
        ? { evidence: evidenceOf(finding.exchange, r), repro: toCurl(finding.exchange.request, r), durationMs: finding.exchange.durationMs }
        : {}),
      ...(finding?.seed !== undefined ? { seed: finding.seed } : {}),
      ...(finding?.counterexamplePath !== undefined ? { counterexamplePath: finding.counterexamplePath } : {}),
    };
    const key = `${caseKey}|${this.order++}`;
    this.results.set(key, result);
    this.kept.set(caseKey, { count: (seen?.count ?? 0) + 1, lastKey: key });
  }

  private passesOf(endpoint: string, name: string): Map<string, CaseResult> {
    let byName = this.passed.get(endpoint);
    if (!byName) {
      byName = new Map();
      this.passed.set(endpoint, byName);
    }
    let byRule = byName.get(name);
    if (!byRule) {
      byRule = new Map();
      byName.set(name, byRule);
    }
    return byRule;
  }

  /** Counted in place: a run passes some 10,000 checks, and a new object (and key) per pass was a fifth of the harness's cost per request. */
  private countPass(byRule: Map<string, CaseResult>, ruleId: string, endpoint: string, name: string, passes: number): void {
    if (!isKnownRule(ruleId)) this.unknownRules.add(ruleId);
    const existing = byRule.get(ruleId);
    if (existing) {
      existing.count += passes;
      return;
    }
    const result: CaseResult = { ruleId, endpoint, case: name, status: 'PASSED', count: passes };
    byRule.set(ruleId, result);
    this.results.set(`${ruleId}|${endpoint}|${name}|PASSED`, result);
  }
}

const MAX_EVIDENCE_BODY = 4096;
/** Read past the evidence cut, so a secret straddling it is still masked whole before the cut. */
const REDACTION_MARGIN = 16_384;

/** A body as evidence: redacted, then cut; a 64 KiB body is not redacted whole for 4 KiB of evidence. */
function clipped(s: string, r: Redactor): string {
  const text = r.text(s.length > MAX_EVIDENCE_BODY + REDACTION_MARGIN ? s.slice(0, MAX_EVIDENCE_BODY + REDACTION_MARGIN) : s);
  return s.length > MAX_EVIDENCE_BODY ? `${text.slice(0, MAX_EVIDENCE_BODY)}… (${s.length} chars)` : text;
}

export function evidenceOf(exchange: Exchange, r: Redactor): Evidence {
  const { request, response } = exchange;
  return {
    request: {
      method: request.method,
      url: r.text(request.url),
      headers: r.headers(request.headers),
      ...(request.body !== undefined ? { body: clipped(request.body, r) } : {}),
    },
    ...(response
      ? {
          response: {
            status: response.status,
            headers: r.headers(response.headers),
            ...(response.body !== '' ? { body: clipped(response.body, r) } : {}),
            durationMs: Math.round(exchange.durationMs * 10) / 10,
          },
        }
      : {}),
    ...(exchange.transportError !== undefined ? { transportError: exchange.transportError } : {}),
  };
}
