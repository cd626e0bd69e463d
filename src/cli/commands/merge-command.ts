import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { ProfileId } from '../../../contracts/profiles.js';
import { ConfigurationError, UsageError } from '../../core/errors/index.js';
import { buildReport } from '../../core/results/build-report.js';
import { Report, type Timing } from '../../core/results/model.js';
import { prepareOutDir, writeRunReport } from '../../outputs/report-files.js';
import { reportFlags } from '../flags.js';
import type { CommandIo } from '../command-io.js';
import { exitCodeOf } from '../../core/results/exit-code.js';
import { parseCommand } from '../parse-command.js';
import { outputLevel } from '../output.js';
import { COMMAND_SPECS } from '../command-specs.js';

/**
 * `d1-conformance merge REPORT... --out DIR`: the reports of the shards of one run (same target,
 * seed and rulebook) become one report, judged exactly as one run would be.
 */
export async function mergeCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommand(COMMAND_SPECS['merge'], args);
  if (positionals.length === 0) throw new UsageError('give the report.json files (or their directories) of the shards to merge');
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  const inputs = positionals.map(reportFile);
  const outDir = resolve(values.out);
  // Writing the merged report over a shard would destroy the evidence it is built from.
  for (const file of inputs)
    if (dirname(file) === outDir) throw new UsageError(`--out ${values.out} holds an input report (${file}): merge into another folder`);
  const reports = await Promise.all(inputs.map(readReport));
  const first = reports[0];
  if (!first) throw new UsageError('nothing to merge');
  if (reports.some((r) => r.shard === undefined))
    throw new ConfigurationError('a report is not a shard (run with --shard i/n): only the shards of one split run can be merged');
  checkOneRun(reports, first);
  checkCompleteSet(reports);
  const { formats, failOn, waivers, attestations } = await reportFlags(values, first.summary.failOn);
  const report = buildReport({
    direction: first.direction,
    target: first.target,
    startedAt: new Date(Math.min(...reports.map((r) => Date.parse(r.startedAt)))),
    finishedAt: new Date(Math.max(...reports.map((r) => Date.parse(r.finishedAt)))),
    seed: first.seed,
    // The merged run is the whole run: the shard flag leaves its replay.
    replay: first.replay.replace(/ --shard \d+\/\d+/, ''),
    profiles: first.profiles as ProfileId[],
    policies: first.policies,
    configuration: first.configuration,
    results: reports.flatMap((r) => r.results.map((c) => (c.status === 'WAIVED' ? { ...c, status: 'FAILED' as const } : c))),
    timings: { figures: mergeTimings(reports.map((r) => r.timings)) },
    errors: reports.flatMap((r) => r.errors),
    stops: reports.flatMap((r) => r.stops),
    waivers,
    attestations,
    failOn,
  });
  await prepareOutDir(resolve(values.out));
  await writeRunReport(report, resolve(values.out), formats, io.out, outputLevel(values));
  return exitCodeOf(report);
}

function reportFile(path: string): string {
  return resolve(path.endsWith('.json') ? path : join(path, 'report.json'));
}

async function readReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new ConfigurationError(`cannot read report ${file}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The parser's message quotes the file: a shard may hold redacted evidence, never echo it.
    throw new ConfigurationError(`${file} is not valid JSON (a truncated or corrupt report)`);
  }
  const parsed = Report.safeParse(json);
  if (!parsed.success) throw new ConfigurationError(`${file} is not a d1-conformance report`);
  return parsed.data;
}

/** What makes reports shards of one run: every one of these must be equal. */
const RUN_IDENTITY: readonly [string, (r: Report) => unknown][] = [
  ['tool version', (r) => r.tool.version],
  ['rulebook', (r) => r.rulebook.hash],
  ['direction', (r) => r.direction],
  // The bundled reference issuer listens on a new port per run: there the issuerId identifies the target.
  ['target', (r) => (r.target.reference ? `reference ${r.target.issuerId}` : r.target.baseUrl)],
  ['seed', (r) => r.seed],
  ['profiles', (r) => JSON.stringify([...r.profiles].sort())],
  ['policies', (r) => JSON.stringify(r.policies)],
  ['shard count', (r) => r.shard?.total],
];

function checkOneRun(reports: readonly Report[], first: Report): void {
  for (const [what, of] of RUN_IDENTITY)
    if (reports.some((r) => of(r) !== of(first)))
      throw new ConfigurationError(`the reports come from different runs (their ${what} differ): merge the shards of one run only`);
}

/** Every shard 1..n exactly once: a missing one would merge into a green verdict on rules never run, a repeated one would count twice. */
function checkCompleteSet(reports: readonly Report[]): void {
  const total = reports[0]?.shard?.total ?? 0;
  const seen = new Set<number>();
  for (const r of reports) {
    const index = r.shard?.index ?? 0;
    if (seen.has(index)) throw new ConfigurationError(`shard ${index}/${total} is given twice`);
    seen.add(index);
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) throw new ConfigurationError(`incomplete set: shard ${missing.map((i) => `${i}/${total}`).join(', ')} missing`);
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
