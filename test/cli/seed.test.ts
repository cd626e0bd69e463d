import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { seedFlag } from '../../src/cli/flags.js';
import { fastCheckSeed } from '../../src/server-side/harness/kit.js';
import { Report } from '../../src/core/results/model.js';

/** --seed takes a CI run id as it is (any whole number up to 2^53-1) and hashes a larger one. */
describe('--seed', () => {
  it('keeps every whole number up to 2^53-1 as it is, and hashes a larger one the same way every time', () => {
    expect(seedFlag('0')).toEqual({ seed: 0, hashed: false });
    expect(seedFlag('12345678901')).toEqual({ seed: 12345678901, hashed: false });
    expect(seedFlag(String(Number.MAX_SAFE_INTEGER))).toEqual({ seed: Number.MAX_SAFE_INTEGER, hashed: false });
    const big = seedFlag('99999999999999999999999');
    expect(big.hashed).toBe(true);
    expect(big.seed).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    expect(seedFlag('99999999999999999999999')).toEqual(big);
    // Leading zeros name the same number.
    expect(seedFlag('0099999999999999999999999')).toEqual(big);
    expect(seedFlag('99999999999999999999998').seed).not.toBe(big.seed);
  });

  it("gives fast-check the same seed below 2^31 (a case's printed seed replays), and a 31-bit one above", () => {
    expect(fastCheckSeed(7)).toBe(7);
    expect(fastCheckSeed(2 ** 31 - 1)).toBe(2 ** 31 - 1);
    const ci = fastCheckSeed(12345678901);
    expect(Number.isInteger(ci) && ci >= 0 && ci < 2 ** 31).toBe(true);
    expect(fastCheckSeed(ci)).toBe(ci);
  });

  it('runs with an 11-digit CI run id: the report and its replay carry it', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-seed-'));
    const err: string[] = [];
    const code = await main(
      ['run', '--seed', '12345678901', '--runs', '1', '--out', out, '--quiet'],
      () => undefined,
      (t) => err.push(t),
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.seed).toBe(12345678901);
    expect(report.replay).toContain('--seed 12345678901');
  });
});
