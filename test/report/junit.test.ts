import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/core/results/model.js';
import { FILE, render } from '../../src/outputs/report/junit.js';
import { clientSampleReport, HOSTILE_MESSAGE, sampleReport } from './sample-report.js';

const XMLLINT = '/usr/bin/xmllint';
const XSD = join(import.meta.dirname, 'junit.xsd');
const dir = mkdtempSync(join(tmpdir(), 'd1c-junit-'));
let n = 0;

/** Validates against the JUnit XSD with xmllint; a missing xmllint fails, it never skips. */
async function validate(xml: string): Promise<void> {
  if (!existsSync(XMLLINT))
    throw new Error(`${XMLLINT} is missing: the JUnit report is checked against its XSD with it; install it with \`apt-get install libxml2-utils\``);
  const file = join(dir, `report-${n++}.xml`);
  writeFileSync(file, xml);
  try {
    await promisify(execFile)(XMLLINT, ['--noout', '--schema', XSD, file]);
  } catch (e) {
    throw new Error(`xmllint rejects the JUnit report: ${(e as { stderr?: string }).stderr ?? String(e)}`);
  }
}

interface Problem {
  '@_message'?: string;
  '@_type'?: string;
  '#text'?: string;
}
interface TestCase {
  '@_name': string;
  '@_classname': string;
  '@_time': string;
  failure?: Problem[];
  error?: Problem[];
  skipped?: Problem[];
  'system-out'?: string[];
}
interface TestSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  properties: { property: { '@_name': string; '@_value': string }[] }[];
  testcase?: TestCase[];
}
interface Parsed {
  testsuites: { '@_tests': string; '@_failures': string; '@_errors': string; '@_skipped': string; '@_time': string; testsuite?: TestSuite[] }[];
}

function parse(xml: string): Parsed {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    alwaysCreateTextNode: false,
    htmlEntities: true,
    isArray: (name) => ['testsuites', 'testsuite', 'testcase', 'failure', 'error', 'skipped', 'system-out', 'properties', 'property'].includes(name),
  });
  return parser.parse(xml) as Parsed;
}

const problemText = (p: Problem | string | undefined): string => (typeof p === 'string' ? p : (p?.['#text'] ?? ''));

function suitesOf(xml: string): { root: Parsed['testsuites'][number]; suites: TestSuite[]; cases: TestCase[] } {
  const root = parse(xml).testsuites[0];
  if (!root) throw new Error('no <testsuites> root');
  const suites = root.testsuite ?? [];
  return { root, suites, cases: suites.flatMap((s) => s.testcase ?? []) };
}

function findCase(cases: readonly TestCase[], ruleId: string, endpoint: string): TestCase {
  const c = cases.find((x) => x['@_name'].startsWith(`${ruleId}: `) && x['@_classname'] === endpoint);
  if (!c) throw new Error(`no testcase for ${ruleId} on ${endpoint}`);
  return c;
}

describe('JUnit report', () => {
  const report = sampleReport();
  const xml = render(report);

  it('is named report.junit.xml and valid against the Jenkins/Ant JUnit XSD', async () => {
    expect(FILE).toBe('report.junit.xml');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')).toBe(true);
    await validate(xml);
  });

  it('has one testsuite per endpoint and one testcase per rule x endpoint, with consistent counts', () => {
    const { root, suites, cases } = suitesOf(xml);
    const endpoints = [...new Set(report.rules.flatMap((r) => r.endpoints))];
    expect(suites.map((s) => s['@_name'])).toEqual(endpoints);
    expect(cases.length).toBe(report.rules.reduce((k, r) => k + r.endpoints.length, 0));
    expect(Number(root['@_tests'])).toBe(cases.length);
    expect(Number(root['@_failures'])).toBe(cases.filter((c) => c.failure).length);
    expect(Number(root['@_skipped'])).toBe(cases.filter((c) => c.skipped).length);
    expect(root['@_errors']).toBe('0');
    expect(root['@_time']).toBe((report.durationMs / 1000).toFixed(3));
    for (const s of suites) {
      const own = s.testcase ?? [];
      expect(Number(s['@_tests'])).toBe(own.length);
      expect(Number(s['@_failures'])).toBe(own.filter((c) => c.failure).length);
      expect(Number(s['@_skipped'])).toBe(own.filter((c) => c.skipped).length);
      expect(own.every((c) => c['@_classname'] === s['@_name'])).toBe(true);
      const props = Object.fromEntries((s.properties[0]?.property ?? []).map((p) => [p['@_name'], p['@_value']]));
      expect(props).toMatchObject({ seed: String(report.seed), 'rulebook.hash': report.rulebook.hash, 'target.issuerId': 'ISSUER0001', verdict: 'FAILED' });
    }
    // Two failures: OUT-CI-009 on getConsumerInfo, OUT-GEN-008 on deliverOtp only (it passed on the other five).
    expect(cases.filter((c) => c.failure).map((c) => `${c['@_name'].split(':')[0] ?? ''}@${c['@_classname']}`)).toEqual([
      'OUT-CI-009@issuer.getConsumerInfo',
      'OUT-GEN-008@issuer.deliverOtp',
    ]);
    expect(findCase(cases, 'OUT-GEN-008', 'issuer.token').failure).toBeUndefined();
  });

  it("puts a failed rule's id, message, expected/actual, redacted exchange and repro in its <failure>", () => {
    const { cases } = suitesOf(xml);
    const tc = findCase(cases, 'OUT-CI-009', 'issuer.getConsumerInfo');
    expect(tc['@_name']).toBe(`OUT-CI-009: ${report.rules.find((r) => r.ruleId === 'OUT-CI-009')?.title ?? ''}`);
    const failure = tc.failure?.[0];
    expect(failure?.['@_type']).toBe('OUT-CI-009');
    expect(failure?.['@_message']).toContain('2 failed case(s)');
    expect(failure?.['@_message']).toContain('language: [OUT-CI-009] must be a string');
    const text = problemText(failure);
    for (const c of report.results.filter((x) => x.ruleId === 'OUT-CI-009' && x.status === 'FAILED')) {
      expect(text).toContain(c.case);
      expect(text).toContain(`expected: ${c.expected ?? ''}`);
      expect(text).toContain(`actual: ${c.actual ?? ''}`);
      expect(text).toContain(c.evidence?.request.url ?? 'no url');
      expect(text).toContain(c.evidence?.response?.body ?? 'no body');
      expect(text).toContain(c.repro ?? 'no repro');
    }
    expect(text).toContain('authorization: Bearer <redacted>');
    expect(text).toContain('HTTP 200 (12.4 ms)');
    expect(text).not.toContain('known consumer (5-char id)'); // a passed case is not a failure
    // A property failure carries the seed and path that replay its counterexample.
    const prop = problemText(findCase(cases, 'OUT-GEN-008', 'issuer.deliverOtp').failure?.[0]);
    expect(prop).toContain('seed: 1234567');
    expect(prop).toContain('counterexample path: 3:1:0');
  });

  it('reports SKIPPED and NOT_APPLICABLE as <skipped> with the reason, WARNING and WAIVED as passes with a <system-out>', () => {
    const { cases } = suitesOf(xml);
    expect(findCase(cases, 'OUT-ID-003', 'issuer.getConsumerInfo').skipped?.[0]?.['@_message']).toBe(
      'skipped: no test PAN configured for this consumer (testData.consumers[].pans)',
    );
    expect(findCase(cases, 'OUT-AUTHN-021', 'issuer.getAuthenticationResult').skipped?.[0]?.['@_message']).toMatch(/^skipped: not exercised/);
    expect(findCase(cases, 'OUT-CI-017', 'issuer.getConsumerInfo').skipped?.[0]?.['@_message']).toBe('not applicable: profile click-to-pay is not declared');
    const warning = findCase(cases, 'OUT-CI-010', 'issuer.getConsumerInfo');
    expect(warning.failure ?? warning.skipped).toBeUndefined();
    expect(warning['system-out']?.[0]).toMatch(/^WARNING OUT-CI-010 \(SHOULD\)/);
    expect(warning['system-out']?.[0]).toContain('actual: en-us');
    const waived = findCase(cases, 'OUT-NCO-001', 'issuer.notifyConsumerOperation');
    expect(waived.failure ?? waived.skipped).toBeUndefined();
    const out = waived['system-out']?.[0] ?? '';
    expect(out).toContain('owner payments-team');
    expect(out).toContain('expires 2099-12-31');
    expect(out).toContain('Fix scheduled in release 4.2 (PAY-1234)');
    expect(out).toContain('expected 204, got 200');
  });

  it('gives each endpoint its own verdict: a waiver on one endpoint of a rule still failing elsewhere', async () => {
    // What applyWaivers produces for a waiver scoped to one endpoint: WAIVED cases there, the rule
    // still FAILED, and no waiver record on the rule.
    const partial: Report = {
      ...report,
      results: report.results.map((c) => (c.ruleId === 'OUT-GEN-008' && c.endpoint === 'issuer.token' ? { ...c, status: 'WAIVED' as const } : c)),
    };
    const out = render(partial);
    await validate(out);
    const { cases } = suitesOf(out);
    const token = findCase(cases, 'OUT-GEN-008', 'issuer.token');
    expect(token.failure).toBeUndefined();
    expect(token['system-out']?.[0]).toContain('the rule still fails elsewhere');
    expect(findCase(cases, 'OUT-GEN-008', 'issuer.deliverOtp').failure).toHaveLength(1);
  });

  it('escapes <, &, " and drops characters XML 1.0 cannot carry', async () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0007');
    expect(xml).toContain('got &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; bell');
    const { cases } = suitesOf(xml);
    const failure = findCase(cases, 'OUT-GEN-008', 'issuer.deliverOtp').failure?.[0];
    const clean = HOSTILE_MESSAGE.replace('\u0007', '');
    expect(failure?.['@_message']).toBe(`1 failed case(s) on issuer.deliverOtp: ${clean}`);
    expect(problemText(failure)).toContain(`message: ${clean}`);
    expect(problemText(failure)).toContain('<html><body>Bad & "wrong" request</body></html>');

    const nasty = "nul\u0000 vt\u000b fffe\uFFFE lone\uD800 ok\u00e9\u{1F600} tab\tline\r\nend ]]> 'apos'";
    const hostile: Report = {
      ...report,
      results: report.results.map((c) => (c.ruleId === 'OUT-CI-009' && c.status === 'FAILED' ? { ...c, message: nasty, case: nasty } : c)),
    };
    const out = render(hostile);
    await validate(out);
    const parsed = findCase(suitesOf(out).cases, 'OUT-CI-009', 'issuer.getConsumerInfo').failure?.[0];
    expect(parsed?.['@_message']).toBe(`2 failed case(s) on issuer.getConsumerInfo: nul vt fffe lone ok\u00e9\u{1F600} tab\tline\r\nend ]]> 'apos'`);
    expect(problemText(parsed)).toContain('message: nul vt fffe lone ok\u00e9\u{1F600} tab\tline\r\nend ]]>');
  });

  it('adds a harness testsuite with one <error> per harness error', async () => {
    const withErrors: Report = { ...report, errors: ['suite issuer-api/otp.suite.ts crashed: TypeError: x is <undefined>', 'second error'] };
    const out = render(withErrors);
    await validate(out);
    const { root, suites } = suitesOf(out);
    expect(root['@_errors']).toBe('2');
    const harness = suites.find((s) => s['@_name'] === 'harness');
    expect(harness?.['@_errors']).toBe('2');
    expect(harness?.testcase?.[0]?.error?.[0]?.['@_message']).toBe('suite issuer-api/otp.suite.ts crashed: TypeError: x is <undefined>');
    expect(harness?.testcase?.[0]?.error?.[0]?.['@_type']).toBe('HarnessError');
  });

  it('is deterministic and adds nothing that is not in the model', () => {
    expect(render(structuredClone(report))).toBe(xml);
    expect(render(sampleReport())).toBe(xml);
    // No secret placeholder is ever filled in: the repro keeps $D1_ACCESS_TOKEN.
    expect(xml).toContain('$D1_ACCESS_TOKEN');
    expect(xml).not.toMatch(/authorization: Bearer (?!&lt;redacted&gt;|\$D1_ACCESS_TOKEN)/);
  });
});

describe('JUnit report of the issuer-as-client direction', () => {
  it('is valid against the XSD, names its direction, and lists NOT TESTED rules as skipped', async () => {
    const report = clientSampleReport();
    const xml = render(report);
    await validate(xml);
    expect(xml).toContain('(issuer-as-client)');
    expect(xml).toContain('NOT TESTED: ');
    expect(xml).toContain('IN-JWE-003');
  });
});
