import type { Report } from '../../core/results/model.js';
import { attestedLines, certifiableYesText, entryLines, notCertifiableHeadline, untestedMust } from './html/certifiable.js';
import { subjectOf } from './subject.js';
import { targetedLines } from './targeted.js';

export const FILE = 'summary.md';

/** A table cell: pipes escaped, markup neutralised (a target's text must not become HTML in a PR comment), control characters dropped. */
const cell = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f]+/g, ' ');

/** Untested MUST rules listed one per bullet (rules behind one failed endpoint share one); the rest are counted. */
const MAX_UNTESTED_ITEMS = 10;

/**
 * A short Markdown summary for a GitHub Actions step summary or a pull-request comment: verdict,
 * counts, why it is not certifiable (one line per untested MUST rule, with what it needs), and one
 * line per failed rule.
 */
export function render(report: Report): string {
  const s = report.summary;
  const subject = subjectOf(report);
  const icon = s.verdict === 'PASSED' ? '✅' : s.verdict === 'INCOMPLETE' ? '⚠️' : '❌';
  const lines = [
    `## ${icon} d1-conformance: ${s.verdict}${s.certifiable ? ' (certifiable)' : ''}`,
    '',
    `${subject.label} \`${subject.url}\`${subject.note !== undefined ? ` (${subject.note})` : ''}, issuerId \`${report.target.issuerId}\`, rulebook ${report.rulebook.version}, seed \`${report.seed}\`, profiles: ${report.profiles.length > 0 ? report.profiles.join(', ') : 'all endpoints'}.`,
    '',
    '| passed | failed | waived | warnings | skipped | not applicable |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.rules.PASSED} | ${s.rules.FAILED} | ${s.rules.WAIVED} | ${s.rules.WARNING} | ${s.rules.SKIPPED} | ${s.rules.NOT_APPLICABLE} |`,
  ];
  const failed = report.rules.filter((r) => r.status === 'FAILED');
  if (failed.length > 0) {
    lines.push('', '### Failed rules', '', '| rule | level | endpoint | finding |', '|---|---|---|---|');
    for (const r of failed) {
      const first = report.results.find((c) => c.ruleId === r.ruleId && c.status === 'FAILED');
      lines.push(`| \`${r.ruleId}\` | ${r.level} | ${cell(first?.endpoint ?? r.endpoints.join(', '))} | ${cell(first?.message ?? r.title)} |`);
    }
  }
  for (const line of targetedLines(report)) lines.push('', `- 🎯 ${cell(line)}`);
  lines.push(...certifiable(report));
  for (const r of s.incomplete) lines.push('', `- ⚠️ incomplete: ${cell(r)}`);
  if (report.ungraded.length > 0) {
    lines.push('', '### Calls not graded', '', '| method | path | likely API | calls | why |', '|---|---|---|---:|---|');
    for (const u of report.ungraded)
      lines.push(`| ${u.method} | \`${cell(u.path)}\` | ${cell(u.likelyApi)} | ${u.count} | ${cell(u.reason)}${u.outOfScope ? ' (out of scope)' : ''} |`);
  }
  for (const p of s.gateProblems) lines.push('', `- ❌ ${cell(p)}`);
  for (const w of s.staleWaivers) lines.push('', `- ⚠️ stale waiver: ${cell(w)}`);
  // Where the spec is silent a named policy decided: the reader must see which ones were in force.
  const policies = Object.entries(report.policies).map(([name, value]) => `\`${name}=${cell(JSON.stringify(value))}\``);
  if (policies.length > 0) lines.push('', `<details><summary>Policies in force (${policies.length})</summary>`, '', policies.join(', '), '', '</details>');
  lines.push('', `Replay: \`${report.replay.replace(/`/g, "'")}\``);
  return `${lines.join('\n')}\n`;
}

/** Why not certifiable: failed, waived or untested rules, and each untested MUST rule with why and what it needs (rule data). */
function certifiable(report: Report): string[] {
  const attested = attestedLines(report).map((l) => `- attested: ${cell(l)}`);
  if (report.summary.certifiable) return attested.length > 0 ? ['', `**Certifiable: yes** — ${cell(certifiableYesText(report))}:`, '', ...attested] : [];
  const untested = untestedMust(report);
  const lines = ['', `**Certifiable: no** — ${cell(notCertifiableHeadline(report))}${untested.length > 0 ? ':' : ''}`];
  if (untested.length > 0) lines.push('');
  for (const line of entryLines(report, MAX_UNTESTED_ITEMS, 'see report.html', { id: (id) => `\`${id}\``, text: cell })) lines.push(`- ${line}`);
  return [...lines, ...attested];
}
