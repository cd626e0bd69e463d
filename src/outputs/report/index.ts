import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors/index.js';
import type { Report } from '../../core/results/model.js';
import * as html from './html.js';
import * as json from './json.js';
import * as junit from './junit.js';
import * as markdown from './markdown.js';

/** A report format: one module, one file name, one pure function over the result model. */
export interface Reporter {
  readonly FILE: string;
  render(report: Report): string;
}

export const REPORTERS: Readonly<Record<string, Reporter>> = { json, junit, html, md: markdown };

export function parseFormats(value: string | undefined): string[] {
  if (value === undefined) return Object.keys(REPORTERS);
  const formats = value
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  for (const f of formats) if (!(f in REPORTERS)) throw new UsageError(`--report takes ${Object.keys(REPORTERS).join(', ')}; got "${f}"`);
  return formats.includes('json') ? formats : ['json', ...formats];
}

/** The file names a report can take (what `--out` may already hold from an earlier run). */
export const REPORT_FILES: readonly string[] = Object.values(REPORTERS).map((r) => r.FILE);

/**
 * Writes each format; JSON always, since it is what merge and bundle read. Every file is written
 * whole under a temporary name, then renamed into place, report.json last: an interrupted write
 * leaves no empty or half file, and a report.json means every other format is in place.
 */
export async function writeReports(report: Report, outDir: string, formats: readonly string[]): Promise<string[]> {
  const staged: { temp: string; path: string }[] = [];
  const removeStaged = () => {
    for (const s of staged) rmSync(s.temp, { force: true });
  };
  process.once('exit', removeStaged);
  try {
    const ordered = [...formats].sort((a, b) => Number(a === 'json') - Number(b === 'json'));
    for (const f of ordered) {
      const reporter = REPORTERS[f];
      if (!reporter) continue;
      const path = join(outDir, reporter.FILE);
      const temp = join(outDir, `.${reporter.FILE}.${randomBytes(4).toString('hex')}.tmp`);
      staged.push({ temp, path });
      await writeFile(temp, reporter.render(report));
    }
    for (const s of staged) await rename(s.temp, s.path);
    return staged.map((s) => s.path);
  } finally {
    removeStaged();
    process.off('exit', removeStaged);
  }
}
