import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ProfileId } from '../../contracts/profiles.js';
import { ConfigurationError, UsageError } from '../errors/index.js';
import { buildReport } from '../results/build-report.js';
import { Report, type Timing } from '../results/model.js';
import { REPORT_OPTIONS, reportFlags, writeRunReport } from './report-flags.js';
import type { CommandIo } from '../cli/command-io.js';
import { exitCodeOf } from './run-command.js';

/**
 * `d1-conformance merge REPORT... --out DIR`: the reports of the shards of one run (same target,
 * seed and rulebook) become one report, judged exactly as one run would be.
 */
export async function mergeCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: REPORT_OPTIONS,
    strict: true,
    allowPositionals: true,
  });
  if (positionals.length === 0) throw new UsageError('give the report.json files (or their directories) of the shards to merge');
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  const reports = await Promise.all(positionals.map(readReport));
  const first = reports[0];
  if (!first) throw new UsageError('nothing to merge');
  for (const r of reports) {
    if (r.rulebook.hash !== first.rulebook.hash) throw new ConfigurationError('the reports come from different rulebooks: merge shards of one run only');
    // The bundled reference issuer listens on a new port per run: there the issuerId identifies the target.
    const sameTarget = r.target.reference && first.target.reference ? r.target.issuerId === first.target.issuerId : r.target.baseUrl === first.target.baseUrl;
    if (r.seed !== first.seed || !sameTarget)
      throw new ConfigurationError('the reports come from different runs (seed or target differ): merge shards of one run only');
  }
  const { formats, failOn, waivers } = await reportFlags(values, first.summary.failOn);
  const report = buildReport({
    direction: first.direction,
    target: first.target,
    startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt)))),
    finishedAt: new Date(Math.max(...reports.map((r) => Date.parse(r.finishedAt)))),
    seed: first.seed,
    profiles: first.profiles as ProfileId[],
    policies: first.policies,
    configuration: first.configuration,
    results: reports.flatMap((r) => r.results.map((c) => (c.status === 'WAIVED' ? { ...c, status: 'FAILED' as const } : c))),
    timings: { figures: mergeTimings(reports.map((r) => r.timings)) },
    errors: reports.flatMap((r) => r.errors),
    waivers,
    failOn,
  });
  await writeRunReport(report, resolve(values.out), formats, io.out);
  return exitCodeOf(report);
}

async function readReport(path: string): Promise<Report> {
  const file = path.endsWith('.json') ? path : join(path, 'report.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigurationError(`cannot read report ${file}`);
  }
  const parsed = Report.safeParse(JSON.parse(text));
  if (!parsed.success) throw new ConfigurationError(`${file} is not a d1-conformance report`);
  return parsed.data;
}

/** Shards keep histograms, not samples: counts and buckets add up; percentiles come from the merged histogram's bounds. */
export function mergeTimings(all: readonly Record<string, Timing>[]): Record<string, Timing> {
  const out: Record<string, Timing> = {};
  for (const timings of all) {
    for (const [endpoint, t] of Object.entries(timings)) {
      const prev = out[endpoint];
      if (!prev) {
        out[endpoint] = t;
        continue;
      }
      const histogram = prev.histogram.map((b, i) => ({ leMs: b.leMs, count: b.count + (t.histogram[i]?.count ?? 0) }));
      const count = prev.count + t.count;
      const max = Math.max(prev.max, t.max);
      const at = (q: number) => {
        let seen = 0;
        for (const b of histogram) {
          seen += b.count;
          if (seen >= q * count) return b.leMs === -1 ? max : Math.min(b.leMs, max);
        }
        return max;
      };
      out[endpoint] = { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max, histogram };
    }
  }
  return out;
}
