import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Report } from '../../src/core/results/model.js';

/** The run's limits as flags: --concurrency, --rate-limit, --max-time, and their bad values (in-process through main()). */

async function run(args: readonly string[]): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await main(
    ['run', ...args],
    () => undefined,
    (t) => err.push(t),
  );
  return { code, err };
}

describe('run limits', () => {
  it(
    '--concurrency 4 with a --rate-limit: the bundled reference issuer still passes with zero findings, and the report records the limits',
    { timeout: 120_000 },
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'd1c-limits-'));
      const { code } = await run(['--out', out, '--seed', '7', '--concurrency', '4', '--rate-limit', '500/s', '--runs', '2']);
      const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
      expect(report.rules.filter((r) => r.status === 'FAILED' || r.status === 'WARNING').map((r) => r.ruleId)).toEqual([]);
      expect(code).toBe(0);
      expect(report.configuration).toMatchObject({ limits: { concurrency: 4, ratePerSecond: 500 } });
      expect(report.stops).toEqual([]);
    },
  );

  it.each([
    [['--seed=-3'], '--seed must be a whole number; got "-3"'],
    [['--seed', '1e9'], '--seed must be a whole number; got "1e9"'],
    [['--rate-limit', 'fast'], '--rate-limit must be requests per second, e.g. 5/s (at most 10000); got "fast"'],
    [['--concurrency', '64'], '--concurrency must be at most 32; got 64'],
    [['--max-time', '1.5'], '--max-time must be a whole number; got "1.5"'],
  ])('%j: one line naming the limit, exit 2', async (args, message) => {
    const { code, err } = await run(args);
    expect(code).toBe(2);
    expect(err).toEqual([`d1-conformance run: ${message}`]);
  });
});
