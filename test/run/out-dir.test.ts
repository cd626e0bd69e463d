import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusingTarget } from './refusing-target.js';
import { main } from '../../src/cli/main.js';
import { writeReports } from '../../src/outputs/report/index.js';
import type { Report } from '../../src/core/results/model.js';
import { sampleReport } from '../report/sample-report.js';

/**
 * `--out` never mixes runs and never holds a half-written file: an earlier report's files are
 * removed before a run, anything else there is refused before the run starts, and each file is
 * renamed into place whole (report.json last). A run that is cheap to end: the target refuses
 * the token, so the run ends at its token diagnosis with a full report (exit 2).
 */

const { config } = refusingTarget();

async function run(args: readonly string[]): Promise<{ code: number; err: string }> {
  const err: string[] = [];
  const code = await main(
    ['run', '--config', config(), ...args],
    () => undefined,
    (t) => err.push(t),
  );
  return { code, err: err.join('\n') };
}

describe('--out', () => {
  it("an earlier run's files are removed: `--report json` into an old report directory leaves report.json alone", async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-outdir-'));
    for (const f of ['report.json', 'report.html', 'report.junit.xml', 'summary.md']) writeFileSync(join(out, f), 'OLD RUN');
    const { code } = await run(['--out', out, '--report', 'json']);
    expect(code).toBe(2);
    expect(readdirSync(out)).toEqual(['report.json']);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).not.toContain('OLD RUN');
  });

  it('a directory holding anything else is refused in one line before the run, and left as it was', async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-outdir-'));
    writeFileSync(join(out, 'thesis.docx'), 'precious');
    mkdirSync(join(out, 'report.html'));
    const { code, err } = await run(['--out', out]);
    expect(code).toBe(2);
    expect(err.split('\n')).toHaveLength(1);
    expect(err).toMatch(/--out .* already holds 2 file\(s\) that are not a d1-conformance report/);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'thesis.docx']);
    expect(readFileSync(join(out, 'thesis.docx'), 'utf8')).toBe('precious');
  });

  it('a new directory is created; every file is whole and no temporary file stays', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'd1c-outdir-')), 'a', 'b');
    const { code } = await run(['--out', out]);
    expect(code).toBe(2);
    expect(readdirSync(out).sort()).toEqual(['report.html', 'report.json', 'report.junit.xml', 'summary.md']);
    for (const f of readdirSync(out)) expect(readFileSync(join(out, f), 'utf8').length).toBeGreaterThan(100);
  });

  it('a render that fails midway leaves nothing: no partial file, no report.json, no temporary file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-outdir-'));
    const broken = { ...sampleReport(), rules: null } as unknown as Report;
    await expect(writeReports(broken, out, ['json', 'md', 'html'])).rejects.toThrow();
    expect(readdirSync(out)).toEqual([]);
  });
});
