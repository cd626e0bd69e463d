import fc from 'fast-check';
import { MESSAGES } from '../contracts/index.js';
import { checkMessage } from '../src/core/rulebook/check.js';
import { messageArb } from '../src/core/rulebook/generate.js';
import { invalidCases } from '../src/core/rulebook/mutate.js';

/**
 * Rulebook figures: generation and contract checks (printed, never asserted: timed tests are flaky on 2 cores).
 * Figures: message generation and contract checks per second over the whole rulebook.
 */

function perSecond(label: string, count: number, ms: number): void {
  console.log(
    `${label.padEnd(44)} ${String(count).padStart(7)} in ${ms.toFixed(0).padStart(6)} ms  = ${Math.round((count / ms) * 1000)
      .toLocaleString('en-US')
      .padStart(9)}/s`,
  );
}

function time<T>(fn: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = fn();
  return { value, ms: performance.now() - start };
}

const RUNS = 200;
const samples = time(() => MESSAGES.map((m) => ({ m, values: fc.sample(messageArb(m), { seed: 1, numRuns: RUNS }) })));
perSecond('valid messages generated', MESSAGES.length * RUNS, samples.ms);

const checks = time(() => {
  let n = 0;
  for (const { m, values } of samples.value) for (const v of values) n += checkMessage(m, v).ok ? 1 : 0;
  return n;
});
perSecond('valid messages checked', checks.value, checks.ms);

const invalid = time(() => MESSAGES.flatMap((m) => invalidCases(m).map((c) => ({ m, c, values: fc.sample(c.arb, { seed: 1, numRuns: 20 }) }))));
const invalidCount = invalid.value.reduce((n, x) => n + x.values.length, 0);
perSecond(`just-invalid messages generated (${invalid.value.length} cases)`, invalidCount, invalid.ms);

const refusals = time(() => {
  let n = 0;
  for (const { m, c, values } of invalid.value) for (const v of values) n += checkMessage(m, v, { profiles: c.profiles }).violations.length > 0 ? 1 : 0;
  return n;
});
perSecond('just-invalid messages checked', refusals.value, refusals.ms);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(1)} MiB`);
