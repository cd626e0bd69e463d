import { describe, expect, it } from 'vitest';
import { closeTargetsAfterAll, expectNoCanary, expectVerdictAgrees, runAgainst } from './hostile-run.js';

/** Whole runs against a hostile target: the modes that echo secrets back (helpers: hostile-run.ts). */

closeTargetsAfterAll();

describe('whole runs against a hostile target: nothing it echoes leaks', { timeout: 120_000 }, () => {
  it('escaped-token: the token, written back JSON-escaped as PHP does, is masked in every output', async () => {
    const run = await runAgainst('escaped-token');
    expectVerdictAgrees(run);
    expectNoCanary(run);
  });

  it('echo: everything sent (Authorization, body) and the test PAN grouped, echoed back, is masked in every output', async () => {
    const run = await runAgainst('echo');
    expectVerdictAgrees(run);
    expect(run.code).toBe(1);
    expectNoCanary(run);
  });

  it('off-host-redirect: no part of the run follows the redirect (suites and pact verification); the 307 is a finding', async () => {
    const run = await runAgainst('off-host-redirect');
    expectVerdictAgrees(run);
    expect(run.code).toBe(1);
    expect(run.target.offHostHits()).toBe(0);
    expect(JSON.stringify(run.report.results)).toMatch(/got 307/);
  });
});
