import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Report } from '../../src/core/results/model.js';
import { sampleReport } from '../report/sample-report.js';

/**
 * `merge` judges shards as one run only when they are one run: every shard 1..n exactly once, the
 * same tool, rulebook, target, seed, profiles and policies, and never written over an input.
 * In-process through main().
 */

const root = mkdtempSync(join(tmpdir(), 'd1c-merge-'));
let n = 0;

/** A shard report on disk (the sample report, stamped i/n and the run's replay). */
function shard(index: number, total: number, change: (r: Report) => Report = (r) => r): string {
  const dir = join(root, `s${n++}`);
  mkdirSync(dir);
  const base = sampleReport();
  const report = change({ ...base, shard: { index, total }, replay: `npx d1-conformance run --config d1.json --seed ${base.seed} --shard ${index}/${total}` });
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

async function merge(...args: string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(
    ['merge', ...args],
    () => undefined,
    (t) => err.push(t),
  );
  return { code, err: err.join('\n') };
}

function refused(result: { code: number; err: string }, fragment: string): void {
  expect(result.code).toBe(2);
  expect(result.err.trim().split('\n')).toHaveLength(1);
  expect(result.err).toContain(fragment);
}

describe('merge refuses what is not one whole run', () => {
  it('merges a complete set into one report, counted once, replayed without --shard', async () => {
    const out = join(root, 'merged-ok');
    const { code } = await merge(shard(1, 2), shard(2, 2), '--out', out, '--report', 'json');
    const merged = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(code).toBe(merged.summary.verdict === 'FAILED' ? 1 : 0);
    expect(merged.shard).toBeUndefined();
    expect(merged.replay).toBe(`npx d1-conformance run --config d1.json --seed ${merged.seed}`);
    const one = sampleReport();
    // Both shards hold the sample's results: each case is there twice, never more.
    expect(merged.results.length).toBe(2 * one.results.length);
  });

  it('the same shard twice', async () => {
    const s1 = shard(1, 2);
    refused(await merge(s1, s1, '--out', join(root, 'dup')), 'shard 1/2 is given twice');
  });

  it('an incomplete set, a shard alone included', async () => {
    refused(await merge(shard(1, 2), '--out', join(root, 'alone')), 'incomplete set: shard 2/2 missing');
    refused(await merge(shard(1, 3), shard(3, 3), '--out', join(root, 'gap')), 'incomplete set: shard 2/3 missing');
  });

  it('a report that is not a shard', async () => {
    const dir = join(root, 'whole');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.json'), JSON.stringify(sampleReport()));
    refused(await merge(dir, shard(1, 1), '--out', join(root, 'whole-out')), 'is not a shard');
  });

  it('shards of different runs: seed, profiles, policies, tool version or shard count', async () => {
    const other = (change: (r: Report) => Report) => merge(shard(1, 2), shard(2, 2, change), '--out', join(root, `mix${n}`));
    refused(await other((r) => ({ ...r, seed: r.seed + 1 })), 'their seed differ');
    refused(await other((r) => ({ ...r, profiles: ['click-to-pay'] })), 'their profiles differ');
    refused(await other((r) => ({ ...r, policies: { ...r.policies, invalidRequestHandling: 'reject' } })), 'their policies differ');
    refused(await other((r) => ({ ...r, tool: { ...r.tool, version: '9.9.9' } })), 'their tool version differ');
    refused(await merge(shard(1, 2), shard(2, 3), '--out', join(root, 'counts')), 'their shard count differ');
  });

  it('--out onto an input, which stays as it was', async () => {
    const s1 = shard(1, 2);
    const before = readFileSync(join(s1, 'report.json'), 'utf8');
    refused(await merge(s1, shard(2, 2), '--out', s1), 'holds an input report');
    expect(readFileSync(join(s1, 'report.json'), 'utf8')).toBe(before);
  });

  it('a corrupt shard is named, never quoted', async () => {
    const dir = join(root, 'corrupt');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.json'), '{"evidence": "canary-merge-secret-7f3a", ');
    const result = await merge(dir, shard(2, 2), '--out', join(root, 'corrupt-out'));
    refused(result, 'is not valid JSON');
    expect(result.err).not.toContain('canary-merge-secret-7f3a');
  });
});
