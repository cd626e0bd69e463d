import { fileURLToPath } from 'node:url';
import { CollectorReporter } from './collector.js';
import { encodeRunInput, RUN_INPUT_ENV, type RunInput } from '../harness/run-input.js';
import type { Stop } from '../harness/call-guard.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Runs the issuer-as-server suites with vitest, in one worker without isolation so every suite
 * shares the HTTP agent and the issuer's token, and returns what the tests recorded.
 */
export interface SuiteOutcome {
  readonly results: CollectorReporter['results'];
  readonly errors: string[];
  readonly timings: Map<string, number[]>;
  readonly stoppedEarly: boolean;
  readonly stops: readonly Stop[];
}

export async function runSuites(input: RunInput, progress: (line: string) => void, shard?: { index: number; total: number }): Promise<SuiteOutcome> {
  const collector = new CollectorReporter(progress);
  process.env[RUN_INPUT_ENV] = encodeRunInput(input);
  try {
    const { startVitest } = await import('vitest/node');
    const vitest = await startVitest(
      'test',
      [],
      {
        root: ROOT,
        config: false,
        watch: false,
        include: ['suites/issuer-api/**/*.suite.ts'],
        reporters: [collector],
        pool: 'threads',
        maxWorkers: 1,
        isolate: false,
        fileParallelism: false,
        // --concurrency N: up to N tests of a suite at once (their calls share the one client, its pace and the guard).
        ...(input.config.limits.concurrency > 1 ? { sequence: { concurrent: true }, maxConcurrency: input.config.limits.concurrency } : {}),
        testTimeout: 300_000,
        hookTimeout: 60_000,
        passWithNoTests: false,
        ...(shard ? { shard: `${shard.index}/${shard.total}` } : {}),
      },
      { cacheDir: undefined, logLevel: 'silent' },
    );
    await vitest.close();
  } finally {
    Reflect.deleteProperty(process.env, RUN_INPUT_ENV);
  }
  return { results: collector.results, errors: collector.errors, timings: collector.timings, stoppedEarly: collector.stoppedEarly, stops: collector.stops };
}
