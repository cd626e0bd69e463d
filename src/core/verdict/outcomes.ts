import { RULES } from '../../../contracts/index.js';
import type { Direction, Rule } from '../rulebook/rule.js';

/** How a rule can end, for the rule-outcomes table: the simulator's own checks stand apart. */
export type OutcomeRow = 'can fail' | 'warning only' | 'informational' | 'simulator self-check';
const ROWS: readonly OutcomeRow[] = ['can fail', 'warning only', 'informational', 'simulator self-check'];
const DIRECTIONS: readonly Direction[] = ['issuer-as-server', 'issuer-as-client'];

export function outcomeRow(rule: Rule): OutcomeRow {
  if (rule.judges === 'simulator') return 'simulator self-check';
  return rule.outcome.class === 'can-fail' ? 'can fail' : rule.outcome.class === 'warning-only' ? 'warning only' : 'informational';
}

/** docs/rule-outcomes.md, generated from RULES (test/rulebook/kill-matrix.test.ts keeps it current). */
export function renderRuleOutcomes(rules: readonly Rule[] = RULES): string {
  const count = (row: OutcomeRow, d?: Direction) => rules.filter((r) => outcomeRow(r) === row && (d === undefined || r.direction === d)).length;
  const lines = [
    '# Rule outcomes',
    '',
    'How each rule of the rulebook can end, per direction. Generated from `contracts/`:',
    '`UPDATE_DOCS=1 npx vitest run test/rulebook/kill-matrix.test.ts` rewrites it, and that test fails when it is stale.',
    'A rule that can fail is proven to fail in the kill matrix (`fixtures/kill-matrix.ts`) or listed there as a known gap.',
    'Warning-only and informational rules never fail a run; simulator self-checks are never in the issuer\'s pass count.',
    '',
    '| outcome | issuer-as-server | issuer-as-client | total |',
    '| --- | ---: | ---: | ---: |',
    ...ROWS.map((row) => `| ${row} | ${count(row, 'issuer-as-server')} | ${count(row, 'issuer-as-client')} | ${count(row)} |`),
    `| all | ${DIRECTIONS.map((d) => rules.filter((r) => r.direction === d).length).join(' | ')} | ${rules.length} |`,
    '',
    '## Rules that do not fail, and why',
    '',
    '| rule | outcome | reason |',
    '| --- | --- | --- |',
    ...rules
      .filter((r) => outcomeRow(r) !== 'can fail' && r.level !== 'SHOULD')
      .map((r) => `| ${r.id} | ${outcomeRow(r)} | ${(r.outcome.reason ?? '').replace(/\|/g, '\\|')} |`),
    '',
    'Every SHOULD rule is warning only: a breach is a warning (not listed one by one).',
    '',
  ];
  return lines.join('\n');
}
