import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES, ruleById } from '../../contracts/index.js';
import { aggregateRules, summarize } from '../../src/core/results/aggregate.js';
import { buildReport } from '../../src/core/results/build-report.js';
import { Report, type CaseResult } from '../../src/core/results/model.js';
import type { Rule } from '../../src/core/rulebook/rule.js';
import { consoleSummary } from '../../src/outputs/console-summary.js';
import { GENERIC_NEEDS } from '../../src/outputs/report/html/certifiable.js';
import { esc } from '../../src/outputs/report/html/escape.js';
import { render as renderHtml } from '../../src/outputs/report/html.js';
import { render as renderMarkdown } from '../../src/outputs/report/markdown.js';
import { runMain } from '../cli/run-cli.js';
import { startReferenceTarget } from '../../src/cli/reference-target.js';
import { sampleReport } from './sample-report.js';

/**
 * Issue 14: "certifiable: no" says which MUST rules went untested, why, and what the user must
 * provide for each to be tested, in the console, summary.md and report.html; what to provide is
 * the rule's data (Rule.needs, carried by the report), a generic text when the rule names none.
 */

const MTLS_REASON = 'mTLS is not configured for this run: the run configuration has no TLS client material yet';

/** The first run against the reference issuer, by hand: every issuer rule passes but the mTLS ones, SKIPPED with the suite's reason. */
function firstRunReport(rules: readonly Rule[] = RULES): Report {
  const results: CaseResult[] = [];
  for (const rule of RULES) {
    if (rule.direction !== 'issuer-as-server' || rule.profile !== undefined) continue;
    const mtls = rule.id === 'OUT-GEN-001' || rule.id === 'OUT-GEN-002';
    for (const endpoint of rule.endpoints)
      results.push(
        mtls
          ? { ruleId: rule.id, endpoint, case: 'mTLS handshake', status: 'SKIPPED', message: MTLS_REASON, count: 1 }
          : { ruleId: rule.id, endpoint, case: 'every response', status: 'PASSED', count: 1 },
      );
  }
  const report = buildReport({
    target: { baseUrl: 'http://127.0.0.1:40000', issuerId: 'ISSUER0001', reference: true },
    startedAt: new Date('2026-11-23T12:00:00.000Z'),
    finishedAt: new Date('2026-11-23T12:00:04.000Z'),
    seed: 1,
    profiles: [],
    policies: {},
    configuration: {},
    results,
    timings: { samples: new Map() },
    errors: [],
    waivers: [],
    failOn: 'must',
  });
  if (rules === RULES) return report;
  // The same run judged with other rule data: the reports must follow it.
  const judged = aggregateRules(rules, report.results, 'issuer-as-server', []);
  return Report.parse({ ...report, rules: judged, summary: summarize(judged, report.results) });
}

const GEN001 = ruleById('OUT-GEN-001');
const TITLE = GEN001?.title ?? '?';
const NEEDS = GEN001?.needs ?? '?';

/** The three outputs of a report, as text. */
function outputs(report: Report): { console: string; markdown: string; html: string } {
  return { console: consoleSummary(report, 'out'), markdown: renderMarkdown(report), html: renderHtml(report) };
}

/** The HTML certifiable card. */
function card(html: string): string {
  const i = html.indexOf('id="certifiable"');
  return html.slice(i, html.indexOf('</div>\n</div>', i));
}

describe('the rule data', () => {
  it('says what each rule a default run or client-check leaves SKIPPED for lack of input needs', () => {
    for (const id of [
      'OUT-GEN-001',
      'OUT-GEN-002',
      'OUT-ID-003',
      'OUT-CI-004',
      'OUT-AUTHN-024',
      'IN-TLS-001',
      'IN-TLS-002',
      'IN-TLS-003',
      'IN-ID-004',
      'IN-ID-006',
      'IN-RES-001',
    ])
      expect(ruleById(id)?.needs, id).toMatch(/\S{3}/);
    expect(NEEDS).toContain('tls.clientCert');
  });
});

describe('certifiable: no, on the first run (only mTLS untested)', () => {
  const report = firstRunReport();
  const out = outputs(report);

  it('is a passing run that is not certifiable for one untested MUST rule, which carries its needs', () => {
    expect(report.summary.verdict).toBe('PASSED');
    expect(report.summary.certifiable).toBe(false);
    const gen001 = report.rules.find((r) => r.ruleId === 'OUT-GEN-001');
    expect(gen001).toMatchObject({ status: 'SKIPPED', reason: MTLS_REASON, needs: NEEDS });
    expect(report.rules.filter((r) => r.level === 'MUST' && r.status === 'SKIPPED').map((r) => r.ruleId)).toEqual(['OUT-GEN-001']);
  });

  it('console: names the rule, its title, why and what to provide, on one line, and that the verdict stands', () => {
    const lines = out.console.split('\n');
    const at = lines.findIndex((l) => l.startsWith('certifiable:'));
    expect(lines[at]).toBe('certifiable: no — 1 MUST rule untested (a certifier needs every MUST rule tested; the verdict is not affected):');
    expect(lines[at + 1]).toBe(`  OUT-GEN-001 (${TITLE}): ${MTLS_REASON} — to test it: ${NEEDS}`);
    expect(lines[at + 2]).toMatch(/^reports: /);
  });

  it('summary.md: the same, as a bullet', () => {
    expect(out.markdown).toContain('**Certifiable: no** — 1 MUST rule untested (a certifier needs every MUST rule tested; the verdict is not affected):');
    expect(out.markdown).toContain(`- \`OUT-GEN-001\` (${TITLE}): ${MTLS_REASON} — to test it: ${NEEDS}\n`);
  });

  it('report.html: the certifiable card lists the rule with its title, why and what to provide', () => {
    const c = card(out.html);
    expect(c).toContain('Certifiable: NO');
    expect(c).toContain('1 MUST rule untested');
    expect(c).toContain(`href="#rule-OUT-GEN-001">OUT-GEN-001</a> ${esc(TITLE)}`);
    expect(c).toContain(`<div class="reason">Not tested: ${esc(MTLS_REASON)}</div>`);
    expect(c).toContain(`<div class="needs">To test it: ${esc(NEEDS)}</div>`);
    // The rules table says it too, on the rule's row.
    const row = out.html.slice(out.html.indexOf('id="rule-OUT-GEN-001"'), out.html.indexOf('</tr>', out.html.indexOf('id="rule-OUT-GEN-001"')));
    expect(row).toContain(`<div class="needs">To test it: ${esc(NEEDS)}</div>`);
  });
});

describe('what to provide comes from the rule data', () => {
  const gen001 = RULES.find((r) => r.id === 'OUT-GEN-001');
  if (!gen001) throw new Error('OUT-GEN-001 is not in the rulebook');
  const withRules = (rule: Rule) => firstRunReport(RULES.map((r) => (r.id === rule.id ? rule : r)));

  it('other needs in the rule data: other text in every output', () => {
    const forged = 'SENTINEL-NEEDS a & <b>forged</b> requirement';
    const out = outputs(withRules({ ...gen001, needs: forged }));
    expect(out.console).toContain(`— to test it: ${forged}`);
    expect(out.markdown).toContain('— to test it: SENTINEL-NEEDS a &amp; &lt;b&gt;forged&lt;/b&gt; requirement');
    expect(card(out.html)).toContain(`To test it: ${esc(forged)}`);
    for (const text of [out.console, out.markdown, card(out.html)]) expect(text).not.toContain(NEEDS);
  });

  it('a rule without the field: a generic text, still with its title and reason', () => {
    const { needs: _dropped, ...bare } = gen001;
    const report = withRules(bare);
    expect(report.rules.find((r) => r.ruleId === 'OUT-GEN-001')?.needs).toBeUndefined();
    const out = outputs(report);
    expect(out.console).toContain(`  OUT-GEN-001 (${TITLE}): ${MTLS_REASON} — to test it: ${GENERIC_NEEDS}`);
    expect(out.markdown).toContain(`- \`OUT-GEN-001\` (${TITLE}): ${MTLS_REASON} — to test it: ${GENERIC_NEEDS}`);
    expect(card(out.html)).toContain(`To test it: ${esc(GENERIC_NEEDS)}`);
    for (const text of [out.console, out.markdown, card(out.html)]) expect(text).not.toContain(NEEDS);
  });
});

describe('certifiable: no, for failed and waived rules and many untested ones', () => {
  it('keeps saying failed and waived rules, and groups the rules hidden behind a dead endpoint', () => {
    const { console: text, markdown, html } = outputs(sampleReport());
    expect(text).toContain('certifiable: no — 2 rules failed; 1 rule waived (a waiver is not a pass); 15 MUST rules untested:');
    expect(text).not.toContain('the verdict is not affected');
    expect(text).toMatch(/^ {2}OUT-NCO-003, OUT-NCO-004, .*OUT-NCO-014 \(12 MUST rules\): not judged, .* — to test them: OUT-NCO-001 passing first$/m);
    expect(text).toContain(
      `  OUT-ID-003 (${ruleById('OUT-ID-003')?.title ?? '?'}): no test PAN configured for this consumer (testData.consumers[].pans) — to test it: ${ruleById('OUT-ID-003')?.needs ?? '?'}`,
    );
    expect(markdown).toContain('**Certifiable: no** — 2 rules failed; 1 rule waived (a waiver is not a pass); 15 MUST rules untested:');
    const c = card(html);
    expect(c).toContain('failed rules:');
    expect(c).toContain('waived rules (a waiver is not a pass):');
    expect(c).toContain('To test them: OUT-NCO-001 passing first');
  });

  it('lists a bounded number of untested rules and counts the rest', () => {
    // Nothing judged: every rule in scope is untested, each for its own reason.
    const report = buildReport({
      target: { baseUrl: 'http://127.0.0.1:40000', issuerId: 'ISSUER0001', reference: false },
      startedAt: new Date('2026-11-23T12:00:00.000Z'),
      finishedAt: new Date('2026-11-23T12:00:01.000Z'),
      seed: 1,
      profiles: [],
      policies: {},
      configuration: {},
      results: [],
      timings: { samples: new Map() },
      errors: [],
      waivers: [],
      failOn: 'must',
    });
    const untested = report.rules.filter((r) => r.level === 'MUST' && r.status === 'SKIPPED').length;
    expect(untested).toBeGreaterThan(20);
    const { console: text, markdown, html } = outputs(report);
    const entries = text.split('\n').filter((l) => /^ {2}(OUT|IN)-/.test(l));
    expect(entries).toHaveLength(8);
    expect(text).toContain(`  … and ${untested - 8} more untested MUST rules (see the report)`);
    expect(markdown.split('\n').filter((l) => l.startsWith('- `'))).toHaveLength(10);
    expect(markdown).toContain(`- … and ${untested - 10} more untested MUST rules (see report.html)`);
    expect(card(html)).toContain(`<details class="fold"><summary>${untested - 10} more untested MUST rules</summary>`);
    // Every one is still in the HTML.
    for (const r of report.rules.filter((x) => x.level === 'MUST' && x.status === 'SKIPPED')) expect(card(html)).toContain(`href="#rule-${r.ruleId}"`);
  });
});

describe('the first run, for real', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-certifiable-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it(
    'run against the reference issuer without mTLS: console, summary.md and report.html name OUT-GEN-001, its title and what to provide',
    { timeout: 120_000 },
    async () => {
      const out = tmp();
      const plain = await startReferenceTarget(undefined, { mtls: false });
      try {
        const config = join(out, '..', `${out.split('/').at(-1) ?? 'x'}-config.json`);
        writeFileSync(config, JSON.stringify(plain.config));
        const { code, stdout } = await runMain(['run', '--config', config, '--out', out]);
        expect(code).toBe(0);
        expect(stdout).toMatch(/^certifiable: no — \d+ MUST rules? untested \(a certifier needs every MUST rule tested; the verdict is not affected\):$/m);
        expect(stdout).toContain(`  OUT-GEN-001 (${TITLE}): `);
        expect(stdout).toContain(` — to test it: ${NEEDS}\n`);
        expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(`- \`OUT-GEN-001\` (${TITLE}): `);
        const html = readFileSync(join(out, 'report.html'), 'utf8');
        expect(card(html)).toContain(`To test it: ${esc(NEEDS)}`);
        expect(card(html)).toContain(esc(TITLE));
      } finally {
        await plain.issuer.close();
      }
    },
  );

  it('the default first run (the reference issuer over mTLS) is certifiable', { timeout: 120_000 }, async () => {
    const { code, stdout } = await runMain(['run', '--out', tmp()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^certifiable: yes \(no failed, waived or untested MUST rule\)$/m);
  });

  it('client-check with the bundled reference client: the untested MUST rules say what they need', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code, stdout } = await runMain(['client-check', '--out', out]);
    expect(code).toBe(0);
    for (const id of ['IN-TLS-001', 'IN-ID-004']) {
      const rule = ruleById(id);
      expect(stdout).toMatch(
        new RegExp(
          `^ {2}${id} \\(${(rule?.title ?? '?').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\): .* — to test it: ${(rule?.needs ?? '?').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`,
          'm',
        ),
      );
    }
  });
});
