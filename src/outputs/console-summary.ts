import { table } from './table.js';
import { subjectOf } from './report/subject.js';
import type { Report } from '../core/results/model.js';
import { targetedLines } from './report/targeted.js';
import { attestedLines, certifiableYesText, entryLines, notCertifiableHeadline, untestedMust } from './report/html/certifiable.js';

/** Untested MUST rules listed one per line (rules behind one failed endpoint share one); the rest are counted. */
const MAX_UNTESTED_LINES = 8;

/** The end-of-run summary: verdict, counts, and one line per rule that did not pass. */
export function consoleSummary(report: Report, reportPath: string): string {
  const { summary } = report;
  const lines: string[] = [];
  const notPassed = report.rules.filter((r) => r.status === 'FAILED' || r.status === 'WARNING');
  if (notPassed.length > 0) {
    lines.push(
      table(
        ['STATUS', 'RULE', 'LEVEL', 'TITLE'],
        notPassed.map((r) => [r.status, r.ruleId, r.level, r.title]),
      ),
    );
    for (const r of notPassed.filter((x) => x.status === 'FAILED')) {
      const first = report.results.find((c) => c.ruleId === r.ruleId && c.status === 'FAILED');
      if (first)
        lines.push(`  ${r.ruleId} ${first.endpoint} "${first.case}": ${first.message ?? ''}${first.seed !== undefined ? ` (seed ${first.seed})` : ''}`);
    }
    lines.push('');
  }
  const r = summary.rules;
  lines.push(
    `rules: ${r.PASSED} passed, ${r.FAILED} failed, ${r.WAIVED} waived, ${r.ATTESTED > 0 ? `${r.ATTESTED} attested, ` : ''}${r.WARNING} warnings, ${r.SKIPPED} skipped, ${r.NOT_APPLICABLE} not applicable (of ${report.rules.length})`,
  );
  lines.push(
    `checks: ${report.results.reduce((n, c) => n + (c.status === 'PASSED' ? c.count : 0), 0)} passed, ${summary.cases.FAILED} failed, ${summary.cases.WARNING} warnings`,
  );
  const subject = subjectOf(report);
  lines.push(
    `${subject.label.toLowerCase()} ${subject.url} (issuerId ${report.target.issuerId}${subject.note !== undefined ? `, ${subject.note}` : ''}), seed ${report.seed}, ${(report.durationMs / 1000).toFixed(1)}s`,
  );
  lines.push(`verdict: ${summary.verdict}${summary.failedMust > 0 ? ` (${summary.failedMust} rule(s) failed)` : ''}`);
  for (const line of targetedLines(report)) lines.push(`  ${line}`);
  for (const reason of summary.incomplete) lines.push(`  incomplete: ${reason}`);
  for (const u of report.ungraded.slice(0, 5))
    lines.push(`  ungraded: ${u.method} ${u.path} (likely ${u.likelyApi}) x${u.count}: ${u.reason}${u.outOfScope ? ' [declared out of scope]' : ''}`);
  if (report.ungraded.length > 5) lines.push(`  ungraded: ${report.ungraded.length - 5} more (see the report)`);
  for (const p of summary.gateProblems) lines.push(`  gate: ${p}`);
  for (const w of summary.staleWaivers) lines.push(`  stale waiver: ${w}`);
  lines.push(...certifiableLines(report));
  lines.push(`reports: ${reportPath}`);
  lines.push(`replay: ${report.replay}`);
  // Why the run could not do its job, in the report's own (redacted) words.
  for (const e of report.errors.slice(0, 5)) lines.push(`error: ${e}`);
  if (report.errors.length > 5) lines.push(`errors: ${report.errors.length - 5} more (see the report)`);
  return lines.join('\n');
}

/**
 * Certifiable or why not: failed, waived or untested rules, then one line per untested MUST rule
 * with why it went untested and what it needs (from the rule data), so a first run against the
 * reference issuer says that mTLS is what is missing and why.
 */
function certifiableLines(report: Report): string[] {
  const attested = attestedLines(report).map((l) => `  attested: ${l}`);
  if (report.summary.certifiable) return [`certifiable: yes (${certifiableYesText(report)})`, ...attested];
  const untested = untestedMust(report);
  const lines = [`certifiable: no — ${notCertifiableHeadline(report)}${untested.length > 0 ? ':' : ''}`];
  for (const line of entryLines(report, MAX_UNTESTED_LINES, 'see the report')) lines.push(`  ${line}`);
  return [...lines, ...attested];
}
