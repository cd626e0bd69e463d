import type { Report, RuleResult } from '../../../core/results/model.js';

/**
 * Why a report is not certifiable, in the same words for the console summary, summary.md and the
 * HTML report: failed and waived rules, an incomplete run, and each untested MUST rule with why it
 * went untested and what it needs to be tested. What it needs comes from the rule data (the rule's
 * `needs`, carried by the report); this module only words it.
 */

/** What a SKIPPED rule needs when its data names nothing. */
export const GENERIC_NEEDS = 'the rulebook names nothing to provide for this rule';

export interface UntestedRule {
  readonly rule: RuleResult;
  /** Why it was not tested (the SKIPPED case's own reason, else the run's). */
  readonly reason: string;
  /** What the user must provide for it to be tested. */
  readonly needs: string;
}

/** A count and its noun: "1 MUST rule", "2 MUST rules". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** What a SKIPPED rule needs to be tested: its rule data, else a generic text. */
export function needsOf(rule: RuleResult): string {
  return rule.needs ?? GENERIC_NEEDS;
}

/** The MUST rules the run left untested (SKIPPED), in report order: each keeps a report from being certifiable. */
export function untestedMust(report: Report): UntestedRule[] {
  return report.rules
    .filter((r) => r.level === 'MUST' && r.status === 'SKIPPED')
    .map((rule) => ({ rule, reason: rule.reason ?? 'not exercised', needs: needsOf(rule) }));
}

/**
 * Untested MUST rules as the reports list them: one entry per rule, except the rules not judged
 * because their endpoint never answered a valid request (endpoint gating), which are one entry
 * per root-cause rule: they need that rule to pass first, and nothing of their own.
 */
export type UntestedEntry =
  { readonly kind: 'rule'; readonly untested: UntestedRule } | { readonly kind: 'behind'; readonly rootCause: string; readonly rules: readonly RuleResult[] };

export function untestedEntries(report: Report): UntestedEntry[] {
  const entries: UntestedEntry[] = [];
  const behind = new Map<string, RuleResult[]>();
  for (const u of untestedMust(report)) {
    const root = u.rule.rootCause;
    if (root === undefined) {
      entries.push({ kind: 'rule', untested: u });
      continue;
    }
    const rules = behind.get(root);
    if (rules) rules.push(u.rule);
    else {
      const list = [u.rule];
      behind.set(root, list);
      entries.push({ kind: 'behind', rootCause: root, rules: list });
    }
  }
  return entries;
}

/** How many rules an entry stands for. */
export function rulesIn(entry: UntestedEntry): number {
  return entry.kind === 'rule' ? 1 : entry.rules.length;
}

/**
 * Short phrases for why the report is not certifiable ("2 rules failed", "1 MUST rule untested"),
 * none when it is. `incomplete`: the run could not do its job.
 */
export function notCertifiableBecause(report: Report): string[] {
  if (report.summary.certifiable) return [];
  const count = (status: RuleResult['status']) => report.rules.filter((r) => r.status === status).length;
  const failed = count('FAILED');
  const waived = count('WAIVED');
  const untested = untestedMust(report).length;
  const parts: string[] = [];
  if (report.summary.incomplete.length > 0) parts.push('the run is incomplete');
  if (failed > 0) parts.push(`${plural(failed, 'rule')} failed`);
  if (waived > 0) parts.push(`${plural(waived, 'rule')} waived (a waiver is not a pass)`);
  if (untested > 0) parts.push(`${plural(untested, 'MUST rule')} untested`);
  const unchecked = report.rulebook.unchecked?.length ?? 0;
  if (unchecked > 0) parts.push(`${plural(unchecked, 'constraint')} of rulebook ${report.rulebook.version} this version cannot judge yet (new fields or endpoints)`);
  return parts.length > 0 ? parts : ['the summary says not certifiable'];
}

/**
 * Why not certifiable, in one phrase ("1 rule failed; 1 MUST rule untested"); when only untested
 * rules stand in the way, it adds that the gate verdict is not affected (a passing first run is
 * otherwise puzzling next to "certifiable: no").
 */
export function notCertifiableHeadline(report: Report): string {
  const because = notCertifiableBecause(report);
  const onlyUntested = because.length === 1 && untestedMust(report).length > 0;
  return `${because.join('; ')}${onlyUntested ? ' (a certifier needs every MUST rule tested; the verdict is not affected)' : ''}`;
}

/** An untested rule after its id, as one line of text: title, why, and what to provide ("to test it: ..."). */
export function untestedText(u: UntestedRule): string {
  return `(${u.rule.title}): ${u.reason} — to test it: ${u.needs}`;
}

/** Rules not judged behind a root cause, after their ids, as one line of text. */
export function behindText(rootCause: string, count: number): string {
  const one = count === 1;
  return `(${plural(count, 'MUST rule')}): not judged, ${one ? 'its' : 'their'} endpoint never answered a valid request successfully — to test ${one ? 'it' : 'them'}: ${rootCause} passing first`;
}

/** How a text output writes rule ids and escapes the rest (plain text by default; code and escaped cells in Markdown). */
export interface LineFormat {
  readonly id: (ruleId: string) => string;
  readonly text: (s: string) => string;
}

const PLAIN: LineFormat = { id: (x) => x, text: (x) => x };

/** An entry as one line of text. */
export function entryLine(entry: UntestedEntry, format: LineFormat = PLAIN): string {
  return entry.kind === 'rule'
    ? `${format.id(entry.untested.rule.ruleId)} ${format.text(untestedText(entry.untested))}`
    : `${entry.rules.map((r) => format.id(r.ruleId)).join(', ')} ${format.text(behindText(entry.rootCause, entry.rules.length))}`;
}

/** The first `max` entries' lines, then a line counting the rules of the rest, pointing to `where` (the report lists them all). */
export function entryLines(report: Report, max: number, where: string, format: LineFormat = PLAIN): string[] {
  const entries = untestedEntries(report);
  const lines = entries.slice(0, max).map((e) => entryLine(e, format));
  const more = entries.slice(max).reduce((n, e) => n + rulesIn(e), 0);
  if (more > 0) lines.push(`… and ${plural(more, 'more untested MUST rule')} (${where})`);
  return lines;
}

/**
 * The rules the operator attested rather than the tool tested, one line each ("OUT-GEN-001 by
 * J. Doe (network security) on 2026-12-01: ... (evidence x.pdf, sha256 3fa2...)"), then the
 * attestations not applied because a check judged the rule. Certifiable may be yes with them: a
 * certifier reads who vouched for what.
 */
export function attestedLines(report: Report): string[] {
  const lines = report.rules
    .filter((r) => r.status === 'ATTESTED' && r.attestation)
    .map((r) => {
      const a = r.attestation;
      return a ? `${r.ruleId} by ${a.by} on ${a.on}: ${a.statement} (evidence ${a.evidence.file}, sha256 ${a.evidence.sha256.slice(0, 16)}...)` : r.ruleId;
    });
  return [...lines, ...report.summary.unusedAttestations.map((u) => `unused attestation: ${u}`)];
}

/** "certifiable: yes" and what it stands on: every MUST rule tested, or attested where the tool could not test it. */
export function certifiableYesText(report: Report): string {
  const attested = report.rules.filter((r) => r.status === 'ATTESTED').length;
  return attested === 0
    ? 'no failed, waived or untested MUST rule'
    : `no failed, waived or untested MUST rule; ${plural(attested, 'rule')} attested by the operator, not tested by d1-conformance`;
}
