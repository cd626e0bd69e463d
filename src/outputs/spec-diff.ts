import type { Change, SpecDiff } from '../core/spec-change/diff.js';
import { table } from './table.js';

/**
 * A rulebook diff for people: a terminal table, or Markdown for a pull request comment. Breaking
 * changes first, then what the issuer must tolerate, then the compatible ones; the
 * re-certification scope last, as the command that re-checks it.
 */

const ORDER: Record<Change['classification'], number> = { breaking: 0, tolerate: 1, compatible: 2 };
const LABEL: Record<Change['classification'], string> = { breaking: 'BREAKING', tolerate: 'TOLERATE', compatible: 'compatible' };
const SIDE = (c: Change) => (c.direction === 'issuer-as-server' ? 'server' : 'client');

function ordered(diff: SpecDiff): Change[] {
  return [...diff.changes].sort((a, b) => ORDER[a.classification] - ORDER[b.classification] || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function headline(diff: SpecDiff): string {
  const { breaking, tolerate, compatible } = diff.summary;
  return diff.changes.length === 0
    ? `no change between ${diff.old.version} and ${diff.new.version}`
    : `${diff.changes.length} change(s) from ${diff.old.version} to ${diff.new.version}: ${breaking} breaking, ${tolerate} to tolerate, ${compatible} compatible`;
}

/** The command that re-runs the scope (`run --since OLD --rulebook NEW`). */
export function rerunHint(oldSpec: string, newSpec: string, diff: SpecDiff): string | undefined {
  const server = diff.changes.some((c) => c.direction === 'issuer-as-server');
  if (!server) return undefined;
  return `npx d1-conformance run --since ${oldSpec} --rulebook ${newSpec}`;
}

export function diffText(diff: SpecDiff, hint?: string): string {
  const lines = [headline(diff)];
  if (diff.changes.length > 0) {
    lines.push('');
    lines.push(table(['IMPACT', 'SIDE', 'RULE', 'ENDPOINT', 'CHANGE'], ordered(diff).map((c) => [LABEL[c.classification], SIDE(c), c.ruleId, c.endpoint, c.detail])));
    lines.push('');
    for (const c of ordered(diff).filter((x) => x.classification !== 'compatible')) lines.push(`  ${c.ruleId} ${c.detail}: ${c.reason}`);
    lines.push(`re-certification scope: ${diff.scope.rules.length} rule(s) on ${diff.scope.endpoints.join(', ')}`);
    if (diff.scope.newRules.length > 0) lines.push(`new rules (may run as pending): ${diff.scope.newRules.join(', ')}`);
    if (hint) lines.push(`re-check: ${hint}`);
  }
  return lines.join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function diffMarkdown(diff: SpecDiff, hint?: string): string {
  const lines = [`### D1 rulebook diff: ${cell(diff.old.version)} → ${cell(diff.new.version)}`, '', `**${headline(diff)}**`];
  if (diff.changes.length > 0) {
    lines.push('', '| Impact | Side | Rule | Endpoint | Change | Why |', '|---|---|---|---|---|---|');
    for (const c of ordered(diff))
      lines.push(`| ${c.classification === 'breaking' ? '🔴 breaking' : c.classification === 'tolerate' ? '🟡 tolerate' : '🟢 compatible'} | ${SIDE(c)} | \`${c.ruleId}\` | ${cell(c.endpoint)} | ${cell(c.detail)} | ${cell(c.reason)} |`);
    lines.push('', `Re-certification scope: ${diff.scope.rules.map((r) => `\`${r}\``).join(', ')} on ${diff.scope.endpoints.map((e) => `\`${e}\``).join(', ')}.`);
    if (diff.scope.newRules.length > 0) lines.push('', `New rules (may run as pending): ${diff.scope.newRules.map((r) => `\`${r}\``).join(', ')}.`);
    if (hint) lines.push('', '```sh', hint, '```');
  }
  return lines.join('\n');
}
