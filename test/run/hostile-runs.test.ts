import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryLayouts, hostileConfig, startHostileTarget, type HostileMode, type HostileTarget } from '../../fixtures/hostile-target/index.js';
import { runMain } from '../cli/run-cli.js';
import { Report } from '../../src/core/results/model.js';

/**
 * Whole runs against the hostile target, in-process through main(): each ends within its
 * --max-time, the report's verdict and the exit code agree and name the behaviour, and no
 * canary (client secret, token in any layout, test PAN in any grouping) reaches the console or
 * any file written. The HTTP client's side of every mode: test/http/hostile-client.test.ts;
 * time and peak memory of every mode as a real process: `npm run bench`.
 */

const targets: HostileTarget[] = [];
afterAll(async () => {
  for (const t of targets) await t.close();
});

interface HostileRun {
  readonly code: number;
  readonly console: string;
  readonly files: Record<string, string>;
  readonly report: Report;
  readonly ms: number;
  readonly target: HostileTarget;
}

const MAX_TIME_S = 40;

async function runAgainst(mode: HostileMode, extra: readonly string[] = []): Promise<HostileRun> {
  const target = await startHostileTarget(mode);
  targets.push(target);
  const dir = mkdtempSync(join(tmpdir(), `d1c-hostile-${mode}-`));
  const config = join(dir, 'd1.json');
  writeFileSync(
    config,
    JSON.stringify(hostileConfig(target, { timeouts: { requestMs: 500 }, limits: { transportFailuresPerEndpoint: 2 }, cases: { propertyRuns: 1 } })),
  );
  const out = join(dir, 'out');
  const started = Date.now();
  const { code, stdout, stderr } = await runMain(['run', '--config', config, '--out', out, '--max-time', String(MAX_TIME_S), ...extra]);
  const ms = Date.now() - started;
  const files = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  const report = Report.parse(JSON.parse(files['report.json'] ?? '{}'));
  return { code, console: stdout + stderr, files, report, ms, target };
}

function expectNoCanary(run: HostileRun): void {
  const outputs = { console: run.console, ...run.files };
  for (const [where, text] of Object.entries(outputs))
    for (const canary of canaryLayouts(run.target)) expect(text.includes(canary), `${canary} in ${where}`).toBe(false);
}

function expectVerdictAgrees(run: HostileRun): void {
  expect(run.code).toBe({ PASSED: 0, FAILED: 1, INCOMPLETE: 2 }[run.report.summary.verdict]);
  expect(run.files['summary.md']).toContain(run.report.summary.verdict);
}

describe('whole runs against a hostile target', { timeout: 120_000 }, () => {
  it('hang: every endpoint stopped after its first calls timed out; the run ends long before --max-time, FAILED on the positive rules', async () => {
    const run = await runAgainst('hang');
    expectVerdictAgrees(run);
    expect(run.code).toBe(1);
    expect(run.ms).toBeLessThan(MAX_TIME_S * 1000);
    const unreachable = run.report.stops.filter((s) => s.kind === 'unreachable').map((s) => s.endpoint);
    expect(unreachable).toEqual(expect.arrayContaining(['issuer.getConsumerInfo', 'issuer.authenticate', 'issuer.deliverOtp']));
    expect(run.report.stops[0]?.reason).toContain('no response within 500 ms');
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
