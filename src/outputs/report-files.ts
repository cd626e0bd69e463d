import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../core/errors/index.js';
import { REPORT_FILES, writeReports } from './report/index.js';
import type { Report } from '../core/results/model.js';
import { endOfRunText, type OutputLevel } from './console-detail.js';

/**
 * The flags every command that writes a report shares (`--out --report --waivers --fail-on`),
 * parsed once, and the end every such command shares: write the reports, print the summary,
 * return the exit code.
 */

/** `--out`, or reports/<start time><suffix>. */
export function reportDir(out: string | undefined, startedAt: Date, suffix = ''): string {
  return resolve(out ?? join('reports', `${startedAt.toISOString().replace(/[:.]/g, '-')}${suffix}`));
}

/**
 * Makes `--out` ready before the run: created when absent; when it holds an earlier report (only
 * files d1-conformance writes there: REPORT_FILES and `ownFiles`), those files are removed, so
 * the new run's files never sit beside an older run's (a bundle of the mix would be signed).
 * Anything else in it: refused with one line, before the run, so nothing is lost.
 */
export async function prepareOutDir(outDir: string, ownFiles: readonly string[] = []): Promise<void> {
  let entries: { name: string; isFile(): boolean }[];
  try {
    entries = await readdir(outDir, { withFileTypes: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new UsageError(`--out ${outDir} cannot be used (${code ?? 'unreadable'})`);
    await mkdir(outDir, { recursive: true });
    return;
  }
  const ours = new Set([...REPORT_FILES, ...ownFiles]);
  const foreign = entries.filter((e) => !e.isFile() || (!ours.has(e.name) && !/^\..+\.tmp$/.test(e.name))).map((e) => e.name);
  if (foreign.length > 0) {
    throw new UsageError(
      `--out ${outDir} already holds ${foreign.length} file(s) that are not a d1-conformance report (e.g. ${JSON.stringify(foreign[0]?.slice(0, 60))}); choose a new or empty directory`,
    );
  }
  for (const e of entries) await rm(join(outDir, e.name), { force: true });
}

/** Writes the report in every format asked for and prints the summary; returns the paths written. */
export async function writeRunReport(
  report: Report,
  outDir: string,
  formats: readonly string[],
  out: (text: string) => void,
  level: OutputLevel = 'normal',
): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written = await writeReports(report, outDir, formats);
  out(endOfRunText(report, `${outDir} (${written.map((w) => basename(w)).join(', ')})`, level));
  return written;
}
