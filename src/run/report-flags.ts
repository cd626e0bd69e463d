import { mkdir } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../errors/index.js';
import { loadWaivers, type Waiver } from '../gate/waivers.js';
import { parseFormats, writeReports } from '../report/index.js';
import type { Report } from '../results/model.js';
import { consoleSummary } from './console-summary.js';

/**
 * The flags every command that writes a report shares (`--out --report --waivers --fail-on`),
 * parsed once, and the end every such command shares: write the reports, print the summary,
 * return the exit code.
 */

export const REPORT_OPTIONS = {
  out: { type: 'string' },
  report: { type: 'string' },
  waivers: { type: 'string' },
  'fail-on': { type: 'string' },
} as const;

export interface ReportFlags {
  readonly out: string | undefined;
  readonly formats: readonly string[];
  readonly failOn: 'must' | 'should';
  readonly waivers: readonly Waiver[];
}

export async function reportFlags(
  values: { out?: string | undefined; report?: string | undefined; waivers?: string | undefined; 'fail-on'?: string | undefined },
  failOnDefault: string = 'must',
): Promise<ReportFlags> {
  const formats = parseFormats(values.report);
  const failOn = values['fail-on'] ?? failOnDefault;
  if (failOn !== 'must' && failOn !== 'should') throw new UsageError(`--fail-on must be must or should; got "${failOn}"`);
  const waivers = values.waivers !== undefined ? await loadWaivers(values.waivers) : [];
  return { out: values.out, formats, failOn, waivers };
}

/** `--out`, or reports/<start time><suffix>. */
export function reportDir(out: string | undefined, startedAt: Date, suffix = ''): string {
  return resolve(out ?? join('reports', `${startedAt.toISOString().replace(/[:.]/g, '-')}${suffix}`));
}

/** Writes the report in every format asked for and prints the summary; returns the paths written. */
export async function writeRunReport(report: Report, outDir: string, formats: readonly string[], out: (text: string) => void): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written = await writeReports(report, outDir, formats);
  out(consoleSummary(report, `${outDir} (${written.map((w) => basename(w)).join(', ')})`));
  return written;
}
