import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/index.js';
import type { Report } from '../results/model.js';
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

/** Writes each format; JSON always, since it is what merge and bundle read. Returns the paths written. */
export async function writeReports(report: Report, outDir: string, formats: readonly string[]): Promise<string[]> {
  const written: string[] = [];
  for (const f of formats) {
    const reporter = REPORTERS[f];
    if (!reporter) continue;
    const path = join(outDir, reporter.FILE);
    await writeFile(path, reporter.render(report));
    written.push(path);
  }
  return written;
}
