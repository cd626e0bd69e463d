import type { Report } from './model.js';

/** The exit code is the written verdict: 2 INCOMPLETE (the run could not do its job), 1 FAILED, 0 PASSED. */
export function exitCodeOf(report: Report): number {
  return EXIT_CODES[report.summary.verdict];
}

const EXIT_CODES: { readonly [V in Report['summary']['verdict']]: number } = { INCOMPLETE: 2, FAILED: 1, PASSED: 0 };
