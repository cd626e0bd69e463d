import { test } from 'vitest';
import type { CaseResult } from '../results/model.js';
import { Kit } from './kit.js';
import { Recorder } from './recorder.js';
import { Session } from './session.js';
import { NotJudged, type Stop } from './call-guard.js';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** The case results a conformance test recorded, read back by the run's reporter. */
    d1Results?: CaseResult[];
    /** A harness error (a bug or an unusable target), as opposed to a finding. */
    d1Error?: string;
    /** Response times per endpoint (ms). */
    d1Timings?: Record<string, number[]>;
    /** The test did not run: the run had reached --max-failures. */
    d1Stopped?: boolean;
    /** The run's call stops so far (deadline, unreachable or throttled endpoints). */
    d1Stops?: Stop[];
  }
}

/**
 * A conformance test: a vitest test whose outcome is the case results it records, handed to
 * the run's reporter through the task meta. Findings do not fail the vitest test; only a harness
 * error does, so vitest's own output stays a trustworthy account of the harness.
 */
export function conformanceTest(name: string, body: (kit: Kit) => Promise<void>): void {
  test(name, async (ctx) => {
    const session = await Session.get();
    const max = session.config.cases.maxFailures;
    if (max > 0 && session.failures >= max) {
      ctx.task.meta.d1Stopped = true;
      ctx.skip();
      return;
    }
    const rec = new Recorder(session.redactor);
    try {
      await body(new Kit(session, rec));
    } catch (e) {
      // A call the guard stopped ends the test; what it had judged stands, the rest is SKIPPED by its reason.
      if (e instanceof NotJudged) return;
      ctx.task.meta.d1Error = `${name}: ${session.redactor.text(e instanceof Error ? e.message : String(e))}`;
      throw e;
    } finally {
      ctx.task.meta.d1Results = rec.list();
      ctx.task.meta.d1Timings = Object.fromEntries(rec.timings);
      session.failures += rec.failures;
      ctx.task.meta.d1Stops = session.guard.stops();
    }
  });
}
