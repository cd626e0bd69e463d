import type { Reporter, TestModule } from 'vitest/node';
import type { CaseResult } from '../results/model.js';
import type { Stop } from '../harness/call-guard.js';

/**
 * A vitest reporter that only listens: it reads the case results each conformance test left in
 * its task meta, and the harness errors, and prints a progress line per suite on a TTY.
 */
export class CollectorReporter implements Reporter {
  readonly results: CaseResult[] = [];
  readonly errors: string[] = [];
  readonly timings = new Map<string, number[]>();
  stoppedEarly = false;
  /** The call guard's stops (the last test's list holds them all: they only grow). */
  stops: Stop[] = [];
  private done = 0;
  private readonly started = performance.now();

  constructor(private readonly progress: (line: string) => void) {}

  onTestModuleEnd(module: TestModule): void {
    this.done++;
    const elapsed = ((performance.now() - this.started) / 1000).toFixed(1);
    this.progress(
      `  ${String(this.done).padStart(2)} suites done, ${this.results.length + countResults(module)} results, ${elapsed}s: ${module.moduleId.split('/').pop() ?? ''}`,
    );
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandled: ReadonlyArray<{ message?: string }>): void {
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const meta = test.meta();
        if (meta.d1Results) this.results.push(...meta.d1Results);
        if (meta.d1Stopped) this.stoppedEarly = true;
        if (meta.d1Stops && meta.d1Stops.length >= this.stops.length) this.stops = meta.d1Stops;
        for (const [endpoint, list] of Object.entries(meta.d1Timings ?? {})) this.timings.set(endpoint, [...(this.timings.get(endpoint) ?? []), ...list]);
        if (meta.d1Error !== undefined) this.errors.push(meta.d1Error);
        else if (test.result().state === 'failed') this.errors.push(`${test.fullName}: ${test.result().errors?.[0]?.message ?? 'failed'}`);
      }
      for (const e of module.errors()) this.errors.push(`${module.moduleId.split('/').pop() ?? ''}: ${e.message}`);
    }
    for (const e of unhandled) this.errors.push(`unhandled: ${e.message ?? 'error'}`);
  }
}

function countResults(module: TestModule): number {
  let n = 0;
  for (const test of module.children.allTests()) n += test.meta().d1Results?.length ?? 0;
  return n;
}
