import { describe, test } from 'vitest';
import { runConformanceTest } from './conformance-test.js';
import { Session } from './session.js';
import { setSuiteHost } from './suite-host.js';

/**
 * Hosts the suites in a bank team's own vitest setup (`setupFiles`): each conformance test is a
 * vitest test that fails when it records a FAILED result or a harness error, naming the rule ids.
 * The run input (configuration, seed) comes from D1_CONFORMANCE_RUN (src/server-side/harness/run-input.ts).
 * `d1-conformance run` does not use this file: it hosts the suites itself, without vitest.
 */
setSuiteHost({
  describe,
  test: (name, body) => {
    test(name, async () => {
      const outcome = await runConformanceTest(await Session.get(), name, body);
      if (outcome.error !== undefined) throw new Error(outcome.error);
      const failed = outcome.results.filter((r) => r.status === 'FAILED');
      if (failed.length > 0) throw new Error(failed.map((r) => `${r.ruleId} ${r.endpoint} "${r.case}": ${r.message ?? 'failed'}`).join('\n'));
    });
  },
});
