import type { Report } from '../core/results/model.js';
import { consoleSummary } from './console-summary.js';

/** How much a command prints: `--quiet`, the default, `--verbose`. */
export type OutputLevel = 'quiet' | 'normal' | 'verbose';

/** The end-of-run text at each output level; the verdict line is in all three. */
export function endOfRunText(report: Report, reportPath: string, level: OutputLevel): string {
  if (level === 'quiet')
    return [
      `verdict: ${report.summary.verdict}; reports: ${reportPath}`,
      ...report.summary.incomplete.map((r) => `  incomplete: ${r}`),
      ...report.errors.map((e) => `error: ${e}`),
    ].join('\n');
  const summary = consoleSummary(report, reportPath);
  return level === 'verbose' ? `${verboseDetail(report)}\n${summary}` : summary;
}

/** `--verbose`: every failed or warned case (the summary shows the first per rule) and the policies in use. */
function verboseDetail(report: Report): string {
  const lines = ['policies in use:'];
  for (const [name, value] of Object.entries(report.policies)) lines.push(`  ${name} = ${JSON.stringify(value)}`);
  const findings = report.results.filter((c) => c.status === 'FAILED' || c.status === 'WARNING' || c.status === 'WAIVED');
  lines.push(`findings (${findings.length}):`);
  for (const c of findings)
    lines.push(`  ${c.status} ${c.ruleId} ${c.endpoint} "${c.case}": ${c.message ?? ''}${c.seed !== undefined ? ` (seed ${c.seed})` : ''}`);
  return lines.join('\n');
}
