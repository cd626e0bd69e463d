import type { CaseResult } from '../../core/results/model.js';
import { NotJudged } from './call-guard.js';
import { Kit } from './kit.js';
import { Recorder } from '../../core/results/recorder.js';
import type { Session } from './session.js';
import { suiteHost, type TestBody } from './suite-host.js';

/**
 * A conformance test: its outcome is the case results it records. Findings do not fail the test;
 * only a harness error does, so the host's own account of the harness stays trustworthy.
 */
export function conformanceTest(name: string, body: TestBody): void {
  suiteHost().test(name, body);
}

/** A group of conformance tests (a suite file's `describe`). */
export function describe(name: string, fn: () => void): void {
  suiteHost().describe(name, fn);
}

export interface TestOutcome {
  readonly results: CaseResult[];
  /** Response times per endpoint (ms). */
  readonly timings: ReadonlyMap<string, number[]>;
  /** A harness error (a bug or an unusable target), as opposed to a finding. */
  readonly error?: string;
  /** The test did not run: the run had reached --max-failures. */
  readonly stopped: boolean;
}

/** Runs one conformance test on the run's session, whoever hosts it. */
export async function runConformanceTest(session: Session, name: string, body: TestBody): Promise<TestOutcome> {
  const max = session.config.cases.maxFailures;
  if (max > 0 && session.failures >= max) return { results: [], timings: new Map(), stopped: true };
  const rec = new Recorder(session.redactor);
  let error: string | undefined;
  try {
    await body(new Kit(session, rec));
  } catch (e) {
    // A call the guard stopped ends the test; what it had judged stands, the rest is SKIPPED by its reason.
    if (!(e instanceof NotJudged)) error = `${name}: ${session.redactor.text(e instanceof Error ? e.message : String(e))}`;
  }
  session.failures += rec.failures;
  return { results: rec.list(), timings: rec.timings, stopped: false, ...(error !== undefined ? { error } : {}) };
}
