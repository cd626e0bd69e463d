import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { render as renderHtml } from '../../src/outputs/report/html.js';
import { render as renderJunit } from '../../src/outputs/report/junit.js';
import { render as renderMarkdown } from '../../src/outputs/report/markdown.js';
import { buildReport } from '../../src/core/results/build-report.js';
import type { CaseResult, UngradedCall } from '../../src/core/results/model.js';
import { consoleSummary } from '../../src/outputs/console-summary.js';
import { exitCodeOf } from '../../src/core/results/exit-code.js';

/**
 * A green verdict on calls the tool never judged is worse than a red one: ungraded calls and
 * harness errors make the verdict INCOMPLETE (exit 2) and are named in every format.
 */

const PASSING: CaseResult[] = [{ ruleId: 'IN-AUTH-005', endpoint: 'd1.token', case: 'assertion.header.alg', status: 'PASSED', count: 2 }];
const V1_CARDS: UngradedCall = {
  method: 'POST',
  path: '/banking/d1/v1/issuers/ISSUER0001/consumers/<id>/cards',
  likelyApi: 'Register card (v1)',
  reason: 'not simulated, not graded',
  count: 3,
  outOfScope: false,
};

function report(over: { ungraded?: UngradedCall[]; errors?: string[]; results?: CaseResult[] }) {
  return buildReport({
    direction: 'issuer-as-client',
    target: { baseUrl: 'http://127.0.0.1:40000', issuerId: 'ISSUER0001', reference: false },
    startedAt: new Date('2026-12-01T10:00:00Z'),
    finishedAt: new Date('2026-12-01T10:00:01Z'),
    seed: 0,
    profiles: [],
    policies: { invalidRequestHandling: 'warn', assertionAudience: null },
    configuration: {},
    results: over.results ?? PASSING,
    timings: { samples: new Map() },
    errors: over.errors ?? [],
    ...(over.ungraded ? { ungraded: over.ungraded } : {}),
    waivers: [],
    failOn: 'must',
  });
}

describe('INCOMPLETE verdict', () => {
  it('is PASSED with exit 0 when every call was graded and nothing failed', () => {
    const r = report({});
    expect(r.summary.verdict).toBe('PASSED');
    expect(exitCodeOf(r)).toBe(0);
    // The policies in force are printed in every format, not only JSON and HTML.
    expect(renderMarkdown(r)).toContain('`invalidRequestHandling="warn"`, `assertionAudience=null`');
    expect(renderJunit(r)).toContain('name="policy.invalidRequestHandling" value="&quot;warn&quot;"');
  });

  it('is INCOMPLETE with exit 2, not PASSED, when a call could not be graded; every format names the call', () => {
    const r = report({ ungraded: [V1_CARDS] });
    expect(r.summary.verdict).toBe('INCOMPLETE');
    expect(r.summary.certifiable).toBe(false);
    expect(exitCodeOf(r)).toBe(2);
    expect(r.summary.incomplete.join()).toContain('3 call(s) could not be graded (Register card (v1))');
    for (const text of [renderMarkdown(r), renderHtml(r), consoleSummary(r, 'out'), JSON.stringify(r)]) {
      expect(text).toContain('INCOMPLETE');
      // The HTML escapes the placeholder's angle brackets; the other formats keep them.
      expect(text.replace(/&lt;/g, '<').replace(/&gt;/g, '>')).toContain(V1_CARDS.path);
      expect(text).toContain('Register card (v1)');
    }
    const xml = new XMLParser({ ignoreAttributes: false }).parse(renderJunit(r)) as { testsuites: { '@_errors': string } };
    expect(Number(xml.testsuites['@_errors'])).toBe(1);
    expect(renderJunit(r)).toContain('name="verdict" value="INCOMPLETE"');
  });

  it('stays PASSED when the user declared such calls out of scope, and still lists them', () => {
    const r = report({ ungraded: [{ ...V1_CARDS, outOfScope: true }] });
    expect(r.summary.verdict).toBe('PASSED');
    expect(exitCodeOf(r)).toBe(0);
    expect(renderMarkdown(r)).toContain('(out of scope)');
  });

  it('wins over FAILED when the run had a harness error, and over PASSED when nothing was judged', () => {
    const failed: CaseResult = { ruleId: 'IN-AUTH-005', endpoint: 'd1.token', case: 'x', status: 'FAILED', message: 'bad', count: 1 };
    expect(report({ errors: ['the command did not finish'], results: [failed] }).summary.verdict).toBe('INCOMPLETE');
    const skipped: CaseResult = { ruleId: 'IN-AUTH-005', endpoint: 'd1.token', case: 'x', status: 'SKIPPED', message: 'n/a', count: 1 };
    const nothing = report({ results: [skipped] });
    expect(nothing.summary.verdict).toBe('INCOMPLETE');
    expect(nothing.summary.incomplete).toEqual(['nothing was judged: every check was skipped']);
  });
});
