import { describe, expect, it } from 'vitest';
import { closeTargetsAfterAll, expectNoCanary, expectVerdictAgrees, MAX_TIME_S, runAgainst } from './hostile-run.js';

/** Whole runs against a hostile target: the modes that stop, throttle or break a run (helpers: hostile-run.ts). */

closeTargetsAfterAll();

describe('whole runs against a hostile target', { timeout: 120_000 }, () => {
  it('hang: every endpoint stopped after its first calls timed out; the run ends long before --max-time, FAILED on the positive rules', async () => {
    const run = await runAgainst('hang', [], 250);
    expectVerdictAgrees(run);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(MAX_TIME_S * 1000);
    const unreachable = run.report.stops.filter((s) => s.kind === 'unreachable').map((s) => s.endpoint);
    expect(unreachable).toEqual(expect.arrayContaining(['issuer.getConsumerInfo', 'issuer.authenticate', 'issuer.deliverOtp']));
    expect(run.report.stops[0]?.reason).toContain('no response within 250 ms');
    // An endpoint that never answers fails its positive rule, even when other checks used up its calls.
    for (const [rule, endpoint] of [
      ['OUT-CI-001', 'issuer.getConsumerInfo'],
      ['OUT-AUTHN-001', 'issuer.authenticate'],
      ['OUT-OTP-001', 'issuer.deliverOtp'],
    ] as const) {
      expect(run.report.rules.find((r) => r.ruleId === rule)?.status).toBe('FAILED');
      expect(run.report.results.find((c) => c.ruleId === rule && c.status === 'FAILED')?.endpoint).toBe(endpoint);
    }
    // What the stop kept from being judged is SKIPPED with the stop's reason, never PASSED.
    const skipped = run.report.rules.filter((r) => r.status === 'SKIPPED' && r.reason?.includes('was not called again'));
    expect(skipped.length).toBeGreaterThan(0);
    // The verification run alongside the suites is discarded: the one kept ran after them, skipping what they stopped.
    expect(run.console).toContain('pact verification: 13 interactions, 0 failed, 12 skipped');
    expect(run.console).not.toContain('(alongside the suites)');
    expectNoCanary(run);
  });

  it('--max-time: past it nothing more is sent; the rules not reached are SKIPPED by it and the verdict is INCOMPLETE (exit 2)', async () => {
    const run = await runAgainst('drip', ['--max-time', '3']);
    expectVerdictAgrees(run);
    expect(run.code).toBe(2);
    expect(run.report.summary.verdict).toBe('INCOMPLETE');
    expect(run.report.summary.incomplete.join('\n')).toContain('the run reached its --max-time of 3 s');
    expect(run.report.rules.some((r) => r.status === 'SKIPPED' && r.reason?.includes('--max-time of 3 s'))).toBe(true);
    expect(run.ms).toBeLessThan(3_000 + 20_000);
  });

  it('throttle: a 429 with a day-long Retry-After stops each endpoint and makes the run INCOMPLETE, naming the throttling', async () => {
    const run = await runAgainst('throttle');
    expectVerdictAgrees(run);
    expect(run.report.summary.verdict).toBe('INCOMPLETE');
    expect(run.report.summary.incomplete.join('\n')).toMatch(/throttled issuer\.\w+ \(429, Retry-After 86400 s/);
    expect(run.report.stops.every((s) => s.kind === 'throttled')).toBe(true);
  });

  it('deep-json: a whole body nested 30k deep (under the size cap) is a finding naming the depth, not a crash that loses the run', async () => {
    const run = await runAgainst('deep-json');
    expectVerdictAgrees(run);
    expect(run.code).toBe(1);
    expect(run.report.errors).toEqual([]);
    expect(JSON.stringify(run.report.results)).toContain('JSON nested deeper than 64 levels');
  });
});
