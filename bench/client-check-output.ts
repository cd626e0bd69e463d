import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MAX_LINE_BYTES, runIssuerCommand } from '../src/client-side/client-check/issuer-command.js';

/**
 * client-check relaying a command that prints 8 lines of 50 MB (issue 12 item 14: that took
 * 844 MB when lines were kept whole). Measured in a fresh process doing only that, so the peak
 * RSS printed is this case's own. Goal: bounded, about a baseline Node process plus a few MB.
 */

const LINES = 8;
const LINE_MB = 50;

if (process.env.D1C_BENCH_OUTPUT_CHILD === '1') {
  const script = `const line = 'x'.repeat(${LINE_MB} * 1024 * 1024) + '\\n'; let i = 0; const next = () => { if (i++ < ${LINES}) process.stdout.write(line, next); }; next();`;
  let relayed = 0;
  const started = performance.now();
  const outcome = await runIssuerCommand([process.execPath, '-e', script], {
    env: {},
    timeoutMs: 120_000,
    redact: (l) => l,
    echo: (l) => {
      relayed += l.length;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${LINES} lines of ${LINE_MB} MB: exit ${String(outcome.exitCode)} in ${seconds.toFixed(1)} s, ${outcome.lastLines.length} lines relayed (${(relayed / 1024).toFixed(0)} KiB, cut at ${MAX_LINE_BYTES} bytes), peak RSS ${peakMb.toFixed(0)} MB`,
  );
} else {
  const self = fileURLToPath(import.meta.url);
  process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', self], { env: { ...process.env, D1C_BENCH_OUTPUT_CHILD: '1' }, encoding: 'utf8' }));
}
