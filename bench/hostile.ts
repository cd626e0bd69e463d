import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CANARY, HOSTILE_MODES, startHostileTarget, type HostileMode } from '../fixtures/hostile-target/index.js';
import { Report } from '../src/results/model.js';

/**
 * Every hostile-target mode as a real `d1-conformance run` process under /usr/bin/time -v: wall
 * time against --max-time, peak RSS against its bound, the verdict and exit code, and a canary
 * scan of the console and every file written (issue 12). Goals: every run ends within --max-time,
 * peak RSS under 512 MB, verdict and exit code agree, no canary anywhere.
 * D1C_BENCH_MODES=hang,echo picks modes.
 */

const MAX_TIME_S = 60;
const RSS_BOUND_MB = 512;
const modes = (process.env.D1C_BENCH_MODES?.split(',') ?? HOSTILE_MODES) as HostileMode[];
const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function layouts(): string[] {
  const { clientSecret, token, pan } = CANARY;
  return [clientSecret, token, token.replaceAll('/', '\\/'), encodeURIComponent(token), pan, pan.replace(/(\d{4})(?=\d)/g, '$1 '), pan.replace(/(\d{4})(?=\d)/g, '$1.')];
}

console.log(`mode               exit  verdict      wall s  (max ${MAX_TIME_S})  peak RSS MB (bound ${RSS_BOUND_MB})  stops  canaries found`);
for (const mode of modes) {
  const target = await startHostileTarget(mode);
  const dir = mkdtempSync(join(tmpdir(), `d1c-bench-hostile-${mode}-`));
  const config = join(dir, 'd1.json');
  writeFileSync(
    config,
    JSON.stringify({
      target: { baseUrl: target.baseUrl, issuerId: target.issuerId },
      auth: { mode: 'oauth', clientId: target.clientId, clientSecret: target.clientSecret },
      testData: { consumers: [{ consumerId: target.consumerId, pans: [CANARY.pan] }] },
      timeouts: { requestMs: 3_000 },
    }),
  );
  const out = join(dir, 'out');
  const args = ['bin/d1-conformance.js', 'run', '--config', config, '--out', out, '--max-time', String(MAX_TIME_S)];
  const started = performance.now();
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    const [cmd, argv] = time ? [time, ['-v', process.execPath, ...args]] : [process.execPath, args];
    execFile(cmd, argv, { maxBuffer: 64 * 1024 * 1024 }, (error, so, se) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout: so, stderr: se });
    });
  });
  const wall = (performance.now() - started) / 1000;
  await target.close();
  const rssKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN);
  const files = existsSync(out) ? readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8')) : [];
  const console_ = stdout + stderr.replace(/\n\s*Command being timed:[\s\S]*$/, '');
  const leaks = layouts().filter((c) => [console_, ...files].some((t) => t.includes(c))).length;
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
    `${mode.padEnd(18)} ${String(code).padStart(4)}  ${verdict.padEnd(11)}  ${wall.toFixed(1).padStart(6)}${wall > MAX_TIME_S ? ' OVER' : '     '}          ${Number.isNaN(rssKb) ? '   n/a' : (rssKb / 1024).toFixed(0).padStart(6)}${rssKb / 1024 > RSS_BOUND_MB ? ' OVER' : '     '}                 ${String(stops).padStart(5)}  ${leaks}`,
  );
}
