import type { Report } from '../../core/results/model.js';

/**
 * What a targeted re-run after a D1 spec change says of itself, in words every reporter shares:
 * what it re-checked, whose earlier passes are stale, what is pending, what it could not judge.
 */
export function targetedLines(report: Report): string[] {
  const t = report.targeted;
  if (!t) return [];
  const lines = [
    `targeted re-run since ${t.since} under rulebook ${t.rulebook}: ${t.rules.length} changed rule(s) (${t.rules.join(', ')}) on ${t.endpoints.join(', ') || 'no endpoint'}; a full run certifies`,
  ];
  if (t.stale.length > 0) lines.push(`stale: earlier passes of ${t.stale.join(', ')} (changed since ${t.since}) no longer count; this run's verdict on them replaces them`);
  if (t.pending.length > 0) lines.push(`pending until ${t.pendingUntil ?? '?'}: ${t.pending.join(', ')} (new since ${t.since}; a failure does not fail the gate before then)`);
  if (t.unchecked.length > 0) lines.push(`not judged by this version (new in the rulebook): ${t.unchecked.join('; ')}`);
  return lines;
}
