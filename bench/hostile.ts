import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canaryLayouts, HOSTILE_MODES, hostileConfig, startHostileTarget, type HostileMode } from '../fixtures/hostile-target/index.js';
import { Report } from '../src/core/results/model.js';

/**
 * Every hostile-target mode as a real `d1-conformance run` process under /usr/bin/time -v: wall
 * time against --max-time, peak RSS against its bound, the verdict and exit code, and a canary
 * scan of the console and every file written (issue 12). First row: a run against the bundled
 * reference issuer, the baseline. Goals: every run ends within --max-time, peak RSS within
 * baseline + 128 MB (bodies are cut at 64 KiB; nothing hostile may grow with the target's size),
 * no canary anywhere. D1C_BENCH_MODES=hang,echo picks modes.
 */

const MAX_TIME_S = 60;
const RSS_MARGIN_MB = 128;
const modes = (process.env.D1C_BENCH_MODES?.split(',') ?? HOSTILE_MODES) as HostileMode[];
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

interface Measured {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly wall: number;
  readonly rssMb: number;
}

async function measure(args: readonly string[]): Promise<Measured> {
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const [cmd, argv] = time ? [time, ['-v', process.execPath, ...args]] : [process.execPath, [...args]];
    execFile(cmd, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, so, se) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout: so, stderr: se });
    });
  });
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
  return { code, stdout, stderr: stderr.replace(/\n\s*Command being timed:[\s\S]*$/, ''), wall: (performance.now() - started) / 1000, rssMb: rssKb / 1024 };
}

const baseline = await measure(['bin/d1-conformance.js', 'run', '--out', mkdtempSync(join(tmpdir(), 'd1c-bench-baseline-')), '--seed', '1']);
const bound = baseline.rssMb + RSS_MARGIN_MB;
console.log(`mode               exit  verdict      wall s  (max ${MAX_TIME_S})  peak RSS MB (bound ${bound.toFixed(0)})  stops  canaries found`);
console.log(
  `${'(reference run)'.padEnd(18)} ${String(baseline.code).padStart(4)}  ${'baseline'.padEnd(11)}  ${baseline.wall.toFixed(1).padStart(6)}               ${baseline.rssMb.toFixed(0).padStart(6)}`,
);
for (const mode of modes) {
  const target = await startHostileTarget(mode);
  const dir = mkdtempSync(join(tmpdir(), `d1c-bench-hostile-${mode}-`));
  const config = join(dir, 'd1.json');
  writeFileSync(config, JSON.stringify(hostileConfig(target, { timeouts: { requestMs: 3_000 } })));
  const out = join(dir, 'out');
  const args = ['bin/d1-conformance.js', 'run', '--config', config, '--out', out, '--max-time', String(MAX_TIME_S)];
  const { code, stdout, stderr, wall, rssMb } = await measure(args);
  await target.close();
  const files = existsSync(out) ? readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')) : [];
  const leaks = canaryLayouts(target).filter((c) => [stdout, stderr, ...files].some((t) => t.includes(c))).length;
  let verdict = '(no report)';
  let stops = 0;
  try {
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    verdict = report.summary.verdict;
    stops = report.stops.length;
  } catch {
    // No report is itself the figure: the run lost its results.
  }
  console.log(
    `${mode.padEnd(18)} ${String(code).padStart(4)}  ${verdict.padEnd(11)}  ${wall.toFixed(1).padStart(6)}${wall > MAX_TIME_S ? ' OVER' : '     '}          ${Number.isNaN(rssMb) ? '   n/a' : rssMb.toFixed(0).padStart(6)}${rssMb > bound ? ' OVER' : '     '}                 ${String(stops).padStart(5)}  ${leaks}`,
  );
}
