import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { canaryLayouts, hostileConfig, startHostileTarget, type HostileMode, type HostileTarget } from '../../fixtures/hostile-target/index.js';
import { runMain } from '../cli/run-cli.js';
import { Report } from '../../src/core/results/model.js';

/**
 * Whole runs against the hostile target, in-process through main() (hostile-runs.test.ts and
 * hostile-leaks.test.ts, split so that two workers share them): each ends within its --max-time,
 * the report's verdict and the exit code agree and name the behaviour, and no canary (client
 * secret, token in any layout, test PAN in any grouping) reaches the console or any file
 * written. The HTTP client's side of every mode: test/http/hostile-client.test.ts; time and
 * peak memory of every mode as a real process: `npm run bench`.
 */

const targets: HostileTarget[] = [];
/** Stops the targets a test file started (call at the top of the file). */
export function closeTargetsAfterAll(): void {
  afterAll(async () => {
    for (const t of targets.splice(0)) await t.close();
  });
}

export interface HostileRun {
  readonly code: number;
  readonly console: string;
  readonly files: Record<string, string>;
  readonly report: Report;
  readonly ms: number;
  readonly target: HostileTarget;
}

export const MAX_TIME_S = 40;

/** `requestMs`: the per-request timeout (a hanging target costs it per call, so its test takes a shorter one). */
export async function runAgainst(mode: HostileMode, extra: readonly string[] = [], requestMs = 500): Promise<HostileRun> {
  const target = await startHostileTarget(mode);
  targets.push(target);
  const dir = mkdtempSync(join(tmpdir(), `d1c-hostile-${mode}-`));
  const config = join(dir, 'd1.json');
  writeFileSync(
    config,
    JSON.stringify(hostileConfig(target, { timeouts: { requestMs }, limits: { transportFailuresPerEndpoint: 2 }, cases: { propertyRuns: 1 } })),
  );
  const out = join(dir, 'out');
  const started = Date.now();
  const { code, stdout, stderr } = await runMain(['run', '--config', config, '--out', out, '--max-time', String(MAX_TIME_S), ...extra]);
  const ms = Date.now() - started;
  const files = Object.fromEntries(readdirSync(out).map((f) => [f, readFileSync(join(out, f), 'utf8')]));
  const report = Report.parse(JSON.parse(files['report.json'] ?? '{}'));
  return { code, console: stdout + stderr, files, report, ms, target };
}

export function expectNoCanary(run: HostileRun): void {
  const outputs = { console: run.console, ...run.files };
  for (const [where, text] of Object.entries(outputs))
    for (const canary of canaryLayouts(run.target)) expect(text.includes(canary), `${canary} in ${where}`).toBe(false);
}

export function expectVerdictAgrees(run: HostileRun): void {
  expect(run.code).toBe({ PASSED: 0, FAILED: 1, INCOMPLETE: 2 }[run.report.summary.verdict]);
  expect(run.files['summary.md']).toContain(run.report.summary.verdict);
}
