import { describe, expect, it } from 'vitest';
import { render } from '../../src/outputs/report/html.js';
import { sampleReport } from './sample-report.js';

/**
 * Issue 14: the HTML report opens with what a reader came for. The verdict (gate and certifiable)
 * first, then the failed and warned rules with their first failing case, then the rest; the rules
 * table lists failures first; the policies in force are folded in a closed <details>. Checked on
 * the sample report (FAILED, WARNING, WAIVED, SKIPPED, PASSED and NOT_APPLICABLE rules).
 */

const report = sampleReport();
const html = render(report);
const RULE_ORDER = ['FAILED', 'WARNING', 'WAIVED', 'SKIPPED', 'ATTESTED', 'PASSED', 'NOT_APPLICABLE'];

/** Where `needle` first occurs; fails the test when it does not. */
function at(needle: string): number {
  const i = html.indexOf(needle);
  expect(i, needle).toBeGreaterThanOrEqual(0);
  return i;
}

/** The element opened by `start` up to its first `close` tag. */
function block(start: string, close: string): string {
  const i = at(start);
  return html.slice(i, html.indexOf(close, i) + close.length);
}

describe('the HTML report opens with the verdict and the failures', () => {
  it('has the failures this test needs: failed and warned rules, and passes', () => {
    const statuses = new Set(report.rules.map((r) => r.status));
    for (const st of RULE_ORDER.filter((s) => s !== 'ATTESTED')) expect(statuses.has(st as never), st).toBe(true);
  });

  it('puts the verdict before the failures, and the failures before any pass', () => {
    const gate = at('<div class="card bad" id="gate">');
    const certifiable = at('id="certifiable"');
    const failures = at('<section id="failures"');
    const firstFailed = at('id="finding-OUT-CI-009"');
    const firstPass = at('data-status="PASSED"');
    expect(gate).toBeLessThan(failures);
    expect(certifiable).toBeLessThan(failures);
    expect(failures).toBeLessThan(firstFailed);
    expect(firstFailed).toBeLessThan(firstPass);
    // Everything else comes after the failures: the run, the summary, the rules, coverage, timings.
    for (const later of ['<section id="run"', '<section id="summary"', '<section id="rules-section"', '<section id="coverage"', '<section id="timings"'])
      expect(at(later), later).toBeGreaterThan(failures);
  });

  it('lists the failed rules, then the warned ones, each with its first failing case in full', () => {
    const failedIds = report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId);
    const warnedIds = report.rules.filter((r) => r.status === 'WARNING').map((r) => r.ruleId);
    const findings = [...html.matchAll(/<article class="finding f-(\w+)" id="finding-([^"]+)"/g)].map((m) => [m[1], m[2]]);
    expect(findings).toEqual([...failedIds.map((id) => ['FAILED', id]), ...warnedIds.map((id) => ['WARNING', id])]);

    const ci009 = block('<article class="finding f-FAILED" id="finding-OUT-CI-009"', '</article>');
    const first = report.results.find((c) => c.ruleId === 'OUT-CI-009' && c.status === 'FAILED');
    expect(ci009).toContain(first?.case ?? '?');
    expect(ci009).toContain('2 failed cases on issuer.getConsumerInfo');
    expect(ci009).toContain('<pre class="req">GET https://issuer.example.test:8443/banking/d1/v1/issuers/ISSUER0001/consumers/cons-7f3a9c01');
    expect(ci009).toContain('href="#rule-OUT-CI-009"');
    // One case shown in full: the others are in the rule's evidence below.
    expect(ci009.match(/<div class="case"/g)).toHaveLength(1);
    // The shrunk property failure keeps its seed and path up front, its hostile text escaped.
    const gen008 = block('id="finding-OUT-GEN-008"', '</article>');
    expect(gen008).toContain('<dt>seed</dt><dd><code>1234567</code></dd>');
    expect(gen008).not.toContain('<script>alert');
    expect(block('id="finding-OUT-CI-010"', '</article>')).toContain('1 warning case on issuer.getConsumerInfo');
  });

  it('orders the rules table failures first: FAILED, WARNING, WAIVED, SKIPPED, then ATTESTED, PASSED and NOT_APPLICABLE, by id within each', () => {
    const rows = [...html.matchAll(/<tr class="main[^"]*" id="rule-([^"]+)" data-status="([A-Z_]+)"/g)].map((m) => ({ id: m[1] ?? '', status: m[2] ?? '' }));
    expect(rows).toHaveLength(report.rules.length);
    const expected = RULE_ORDER.flatMap((st) => report.rules.filter((r) => r.status === st).map((r) => ({ id: r.ruleId, status: st })));
    expect(rows).toEqual(expected);
    // The status filter lists the statuses in the same order.
    expect([...html.matchAll(/<input type="checkbox" name="status" value="([A-Z_]+)"/g)].map((m) => m[1])).toEqual(RULE_ORDER);
  });

  it('folds the policies in force in a closed <details>, below the failures', () => {
    const details = block('<details id="policies"', '</details>');
    expect(details).toMatch(/^<details id="policies" class="fold">/);
    expect(details).not.toMatch(/^<details[^>]*\sopen/);
    expect(details).toContain(`<summary>Policies in force (${Object.keys(report.policies).length})`);
    expect(details).toContain('<table class="policies">');
    for (const [k] of Object.entries(report.policies)) expect(details).toContain(`<tr><td><code>${k}</code></td>`);
    // The only policy table is the folded one, and it comes after the failures.
    expect(html.match(/<table class="policies">/g)).toHaveLength(1);
    expect(at('<details id="policies"')).toBeGreaterThan(at('<section id="failures"'));
  });

  it('says so when no rule failed or warned', () => {
    const clean = { ...report, rules: report.rules.filter((r) => r.status !== 'FAILED' && r.status !== 'WARNING') };
    const out = render(clean);
    expect(out).toContain('<h2 id="failures-h">Failures (0 failed, 0 warned)</h2>');
    expect(out).toContain('No rule failed or warned.');
    expect(out).not.toContain('<article class="finding');
  });
});
