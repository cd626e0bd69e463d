import type { Kit } from './kit.js';

/**
 * Who hosts the suites. `d1-conformance run` hosts them itself (src/server-side/runner/suite-runner.ts collects
 * each suite's tests and runs them in-process, vitest not needed); a bank team may host them in
 * its own vitest setup instead (src/server-side/harness/vitest-host.ts in setupFiles). The suites only ever
 * call `describe` and `conformanceTest` (src/server-side/harness/conformance-test.ts), which ask the host.
 */

export type TestBody = (kit: Kit) => Promise<void>;

export interface SuiteHost {
  describe(name: string, fn: () => void): void;
  test(name: string, body: TestBody): void;
}

let host: SuiteHost | undefined;

export function setSuiteHost(next: SuiteHost | undefined): void {
  host = next;
}

export function suiteHost(): SuiteHost {
  if (!host) throw new Error('the suites run under `d1-conformance run`, or under vitest with src/server-side/harness/vitest-host.ts in setupFiles');
  return host;
}
