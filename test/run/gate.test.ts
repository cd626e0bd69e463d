import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/** The CI gate, in-process through main(): waivers, --fail-on, --max-failures, shards merged. */

const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-gate-'));
const read = (dir: string) => Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
const statuses = (r: Report) => Object.fromEntries(r.rules.map((x) => [x.ruleId, x.status]));
const VARIANT = ['--variant', 'consumer-info-bad-language', '--seed', '99', '--runs', '3'];

function waivers(expires: string): string {
  const file = join(tmp(), 'waivers.yaml');
  writeFileSync(file, `- ruleId: OUT-CI-009\n  reason: language mapping fix in release 42\n  owner: cards-team\n  expires: ${expires}\n`);
  return file;
}

/** The variant run with a valid waiver: its own test, and the whole run the merged shards are compared with. */
const waived = (() => {
  const out = tmp();
  const file = waivers('2999-01-01');
  let started: Promise<{ code: number; stdout: string }> | undefined;
  return {
    out,
    file,
    get run() {
      started ??= runMain(['run', ...VARIANT, '--out', out, '--waivers', file]);
      return started;
    },
  };
})();

describe('the CI gate', () => {
  it('a valid waiver turns the failure into WAIVED and the gate passes', { timeout: 120_000 }, async () => {
    const { code, stdout } = await waived.run;
    expect(code).toBe(0);
    const report = read(waived.out);
    expect(statuses(report)['OUT-CI-009']).toBe('WAIVED');
    expect(report.summary.certifiable).toBe(false);
    expect(stdout).toContain('1 waived');
  });

  it('an expired waiver fails the gate with a clear message', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code, stdout } = await runMain(['run', ...VARIANT, '--out', out, '--waivers', waivers('2020-01-01')]);
    expect(code).toBe(1);
    expect(stdout).toContain('waiver for OUT-CI-009 (owner cards-team) expired on 2020-01-01');
    expect(statuses(read(out))['OUT-CI-009']).toBe('FAILED');
  });

  it('a waiver whose failure is gone is flagged for removal', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code, stdout } = await runMain(['run', '--seed', '99', '--runs', '2', '--out', out, '--waivers', waivers('2999-01-01')]);
    expect(code).toBe(0);
    expect(stdout).toContain('stale waiver: OUT-CI-009');
    expect(read(out).summary.staleWaivers).toHaveLength(1);
  });

  it('--max-failures stops early and says so', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code } = await runMain(['run', '--variant', 'no-auth-enforced', '--seed', '99', '--runs', '2', '--max-failures', '1', '--out', out]);
    expect(code).toBe(1);
    const report = read(out);
    expect(report.rules.some((r) => r.status === 'SKIPPED' && r.reason?.includes('--max-failures'))).toBe(true);
  });

  it('--fail-on should fails the gate on a warning', { timeout: 120_000 }, async () => {
    const config = join(tmp(), 'd1.json');
    // A 200/202 where 204 is documented is a warning under notificationSuccessStatus=any-2xx.
    writeFileSync(config, JSON.stringify({ policies: { notificationSuccessStatus: 'any-2xx' } }));
    const base = ['run', '--variant', 'notify-200-instead-of-204', '--config', config, '--seed', '99', '--runs', '2'];
    const must = await runMain([...base, '--out', tmp()]);
    expect(must.code).toBe(0);
    const should = await runMain([...base, '--out', tmp(), '--fail-on', 'should', '--report', 'json']);
    expect(should.code).toBe(1);
  });

  it('two shards merged give the verdict of one run, judged with the same waivers', { timeout: 180_000 }, async () => {
    const [s1, s2, merged] = [tmp(), tmp(), tmp()];
    // The whole run is the valid-waiver run above (same variant, seed and runs): one run fewer.
    const results = [
      await runMain(['run', ...VARIANT, '--shard', '1/2', '--out', s1]),
      await runMain(['run', ...VARIANT, '--shard', '2/2', '--out', s2]),
    ];
    expect(results.map((r) => r.code)).toEqual([expect.any(Number), expect.any(Number)]);
    expect((await waived.run).code).toBe(0);
    const merge = await runMain(['merge', s1, s2, '--out', merged, '--waivers', waived.file]);
    expect(merge.code).toBe(0);
    const one = read(waived.out);
    const both = read(merged);
    expect(read(s1).shard).toEqual({ index: 1, total: 2 });
    expect(both.summary.verdict).toBe(one.summary.verdict);
    expect(statuses(both)).toEqual(statuses(one));
    expect(statuses(both)['OUT-CI-009']).toBe('WAIVED');
    // Without the waiver, the merged shards fail the gate on the variant's rule, as the run does.
    const unwaived = tmp();
    expect((await runMain(['merge', s1, s2, '--out', unwaived])).code).toBe(1);
    expect(statuses(read(unwaived))['OUT-CI-009']).toBe('FAILED');
  });
});
