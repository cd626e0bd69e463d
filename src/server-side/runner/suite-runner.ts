import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { MODULE_EXT } from '../../core/util/module-paths.js';
import { runConformanceTest } from '../harness/conformance-test.js';
import type { RunInput } from '../harness/run-input.js';
import { Session } from '../harness/session.js';
import { setSuiteHost, type TestBody } from '../harness/suite-host.js';
import type { CaseResult, Stop } from '../../core/results/model.js';

/**
 * The issuer-as-server suites, run in-process on one session: every suite shares the HTTP agent,
 * the issuer's token and the call guard. Files in name order, each file's tests in the order
 * written (or up to --concurrency at once); --shard i/n takes every n-th file; --max-failures
 * stops the tests after it. No vitest at run time.
 */

// Beside the running code: the sources' suites (.ts) or the build's (.js).
const SUITES_DIR = fileURLToPath(new URL('../../../suites/issuer-api/', import.meta.url));

export interface SuiteOutcome {
  readonly results: CaseResult[];
  readonly errors: string[];
  readonly timings: Map<string, number[]>;
  readonly stoppedEarly: boolean;
  readonly stops: readonly Stop[];
}

/** What a run says while it goes: the CLI turns these into lines (quiet: none; verbose: every test). */
export type RunProgress =
  | { readonly kind: 'suite-start'; readonly suite: string; readonly tests: number }
  | { readonly kind: 'test-end'; readonly suite: string; readonly test: string; readonly passed: number; readonly failed: number }
  | {
      readonly kind: 'suite-end';
      readonly suite: string;
      readonly endpoints: readonly string[];
      readonly passed: number;
      readonly failed: number;
      readonly ms: number;
    };

interface CollectedTest {
  readonly name: string;
  readonly body: TestBody;
}

/**
 * A module is evaluated once per process: each suite's tests are collected then, and kept for
 * later runs. Collection sets the one suite host, so collections never overlap (runs may).
 */
const collected = new Map<string, Promise<CollectedTest[]>>();
let collecting: Promise<unknown> = Promise.resolve();

function testsOf(file: string): Promise<CollectedTest[]> {
  let tests = collected.get(file);
  if (!tests) {
    tests = collecting.then(() => collect(file));
    collecting = tests.catch(() => undefined);
    collected.set(file, tests);
  }
  return tests;
}

async function collect(file: string): Promise<CollectedTest[]> {
  const tests: CollectedTest[] = [];
  const groups: string[] = [];
  setSuiteHost({
    describe(name, fn) {
      groups.push(name);
      try {
        fn();
      } finally {
        groups.pop();
      }
    },
    test(name, body) {
      tests.push({ name: [...groups, name].join(' > '), body });
    },
  });
  try {
    await import(pathToFileURL(file).href);
  } finally {
    setSuiteHost(undefined);
  }
  return tests;
}

export async function runSuites(input: RunInput, progress: (event: RunProgress) => void, shard?: { index: number; total: number }): Promise<SuiteOutcome> {
  const files = (await readdir(SUITES_DIR)).filter((f) => f.endsWith(`.suite${MODULE_EXT}`)).sort();
  const mine = shard ? files.filter((_, i) => i % shard.total === shard.index - 1) : files;
  const session = Session.create(input);
  const results: CaseResult[] = [];
  const errors: string[] = [];
  const timings = new Map<string, number[]>();
  let stoppedEarly = false;
  try {
    for (const file of mine) {
      const suite = file.slice(0, -`.suite${MODULE_EXT}`.length);
      let tests: CollectedTest[];
      try {
        tests = await testsOf(join(SUITES_DIR, file));
      } catch (e) {
        errors.push(`${file}: ${session.redactor.text(e instanceof Error ? e.message : String(e))}`);
        continue;
      }
      progress({ kind: 'suite-start', suite, tests: tests.length });
      const suiteStarted = performance.now();
      const mark = results.length;
      await eachWithConcurrency(tests, input.config.limits.concurrency, async (test) => {
        const outcome = await runConformanceTest(session, test.name, test.body);
        progress({ kind: 'test-end', suite, test: test.name, ...tally(outcome.results) });
        results.push(...outcome.results);
        if (outcome.stopped) stoppedEarly = true;
        if (outcome.error !== undefined) errors.push(outcome.error);
        for (const [endpoint, list] of outcome.timings) timings.set(endpoint, [...(timings.get(endpoint) ?? []), ...list]);
      });
      const suiteResults = results.slice(mark);
      const endpoints = [...new Set(suiteResults.map((r) => r.endpoint))].sort();
      progress({ kind: 'suite-end', suite, endpoints, ...tally(suiteResults), ms: Math.round(performance.now() - suiteStarted) });
    }
  } finally {
    await session.client.close();
  }
  return { results, errors, timings, stoppedEarly, stops: session.guard.stops() };
}

/** Checks passed (a PASSED result counts its checks) and results failed. */
function tally(results: readonly CaseResult[]): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    if (r.status === 'PASSED') passed += r.count;
    else if (r.status === 'FAILED') failed++;
  }
  return { passed, failed };
}

/** Runs `work` over `items`, at most `limit` at once, in order of start. */
async function eachWithConcurrency<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}
