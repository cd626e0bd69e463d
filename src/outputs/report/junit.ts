import type { CaseResult, Report, RuleResult } from '../../core/results/model.js';
import { caseText } from './html/evidence.js';
import { endpointsOf, ruleOnEndpoints, type RuleOnEndpoint } from './html/per-endpoint.js';

export const FILE = 'report.junit.xml';

/**
 * JUnit XML for CI systems (GitHub, GitLab, Jenkins): one testsuite per endpoint, one testcase per
 * rule x endpoint (classname = endpoint, name = "RULEID: title"), plus a "harness" testsuite when
 * the run itself had errors. FAILED is a <failure> carrying every failed case's evidence and repro
 * command; SKIPPED and NOT_APPLICABLE are <skipped>; WARNING and WAIVED pass with a <system-out>.
 * Only what the (already redacted) model holds is written.
 */
export function render(report: Report): string {
  const byEndpoint = new Map<string, RuleOnEndpoint[]>();
  for (const e of endpointsOf(report)) byEndpoint.set(e, []);
  for (const entry of ruleOnEndpoints(report)) byEndpoint.get(entry.endpoint)?.push(entry);

  const suites: Suite[] = [];
  for (const [endpoint, entries] of byEndpoint) {
    if (entries.length === 0) continue;
    suites.push(endpointSuite(endpoint, entries));
  }
  if (report.errors.length > 0) suites.push(harnessSuite(report.errors));
  if (report.ungraded.length > 0) suites.push(ungradedSuite(report.ungraded));

  const total = (k: 'tests' | 'failures' | 'errors' | 'skipped') => suites.reduce((n, s) => n + s[k], 0);
  const props = properties(report);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attrs({ name: `d1-conformance ${report.target.issuerId} (${report.direction})`, tests: total('tests'), failures: total('failures'), errors: total('errors'), skipped: total('skipped'), time: seconds(report.durationMs) })}>`,
  ];
  for (const s of suites) {
    lines.push(
      `  <testsuite${attrs({ name: s.name, tests: s.tests, failures: s.failures, errors: s.errors, skipped: s.skipped, time: seconds(s.ms), timestamp: report.startedAt.slice(0, 19) })}>`,
    );
    lines.push('    <properties>', ...props.map(([name, value]) => `      <property${attrs({ name, value })}/>`), '    </properties>');
    lines.push(...s.body);
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

interface Suite {
  readonly name: string;
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  readonly ms: number;
  readonly body: string[];
}

function endpointSuite(endpoint: string, entries: readonly RuleOnEndpoint[]): Suite {
  const body: string[] = [];
  let failures = 0;
  let skipped = 0;
  let ms = 0;
  for (const entry of entries) {
    const caseMs = entry.cases.reduce((n, c) => n + (c.durationMs ?? 0), 0);
    ms += caseMs;
    const open = `    <testcase${attrs({ name: `${entry.rule.ruleId}: ${entry.rule.title}`, classname: endpoint, time: seconds(caseMs) })}`;
    switch (entry.status) {
      case 'PASSED':
        body.push(`${open}/>`);
        break;
      case 'FAILED': {
        failures++;
        const failed = entry.cases.filter((c) => c.status === 'FAILED');
        const first = failed[0];
        const message = `${failed.length} failed case(s) on ${endpoint}: ${first?.message ?? first?.case ?? entry.rule.title}`;
        body.push(
          `${open}>`,
          `      <failure${attrs({ message, type: entry.rule.ruleId })}>${text(failureText(entry.rule, failed))}</failure>`,
          '    </testcase>',
        );
        break;
      }
      case 'SKIPPED':
      case 'NOT_APPLICABLE':
        skipped++;
        body.push(
          `${open}>`,
          `      <skipped${attrs({ message: `${entry.status === 'NOT_APPLICABLE' ? 'not applicable' : 'skipped'}: ${entry.reason ?? ''}` })}/>`,
          '    </testcase>',
        );
        break;
      case 'WARNING':
        body.push(`${open}>`, `      <system-out>${text(warningText(entry.rule, entry.cases))}</system-out>`, '    </testcase>');
        break;
      case 'WAIVED':
        body.push(`${open}>`, `      <system-out>${text(waivedText(entry.rule, entry.cases))}</system-out>`, '    </testcase>');
        break;
      case 'ATTESTED': {
        // Not a pass of the tool's: the CI view shows it as passed, the text says who vouched.
        const a = entry.rule.attestation;
        const said = a ? `by ${a.by} on ${a.on}: ${a.statement} (evidence ${a.evidence.file}, sha256 ${a.evidence.sha256})` : '';
        body.push(`${open}>`, `      <system-out>${text(`ATTESTED ${entry.rule.ruleId} (${entry.rule.level}), not tested by d1-conformance: ${said}`)}</system-out>`, '    </testcase>');
        break;
      }
    }
  }
  return { name: endpoint, tests: entries.length, failures, errors: 0, skipped, ms, body };
}

function harnessSuite(errors: readonly string[]): Suite {
  const body = errors.flatMap((e, i) => [
    `    <testcase${attrs({ name: `harness error ${i + 1}`, classname: 'harness', time: seconds(0) })}>`,
    `      <error${attrs({ message: e.split('\n')[0] ?? e, type: 'HarnessError' })}>${text(e)}</error>`,
    '    </testcase>',
  ]);
  return { name: 'harness', tests: errors.length, failures: 0, errors: errors.length, skipped: 0, ms: 0, body };
}

/** Calls the tool could not judge: an <error> each (a <skipped> when declared out of scope), never silence. */
function ungradedSuite(ungraded: Report['ungraded']): Suite {
  const body = ungraded.flatMap((u) => {
    const name = `${u.method} ${u.path} (likely ${u.likelyApi}), ${u.count} call(s)`;
    const inner = u.outOfScope
      ? `      <skipped${attrs({ message: `declared out of scope: ${u.reason}` })}/>`
      : `      <error${attrs({ message: `not graded: ${u.reason}`, type: 'Ungraded' })}>${text(`${name}\n${u.reason}`)}</error>`;
    return [`    <testcase${attrs({ name, classname: 'ungraded', time: seconds(0) })}>`, inner, '    </testcase>'];
  });
  const errors = ungraded.filter((u) => !u.outOfScope).length;
  return { name: 'ungraded calls', tests: ungraded.length, failures: 0, errors, skipped: ungraded.length - errors, ms: 0, body };
}

function failureText(rule: RuleResult, failed: readonly CaseResult[]): string {
  return [`${rule.ruleId} (${rule.level}, ${rule.kind}): ${rule.title}`, `source: ${rule.source}`, '', ...failed.map(caseText)].join('\n');
}

function warningText(rule: RuleResult, cases: readonly CaseResult[]): string {
  const warned = cases.filter((c) => c.status === 'WARNING');
  return [
    `WARNING ${rule.ruleId} (${rule.level}): ${rule.title}`,
    `${warned.length} case(s) warned; a warning does not fail the gate under --fail-on must.`,
    `source: ${rule.source}`,
    '',
    ...warned.map(caseText),
  ].join('\n');
}

function waivedText(rule: RuleResult, cases: readonly CaseResult[]): string {
  const waived = cases.filter((c) => c.status === 'WAIVED');
  const w = rule.waiver;
  const head = w
    ? `WAIVED ${rule.ruleId} (${rule.level}): a failure covered by a waiver (owner ${w.owner}, expires ${w.expires}): ${w.reason}`
    : `WAIVED ${rule.ruleId} (${rule.level}): failures on this endpoint are covered by a waiver; the rule still fails elsewhere, and the report does not record this waiver's owner, expiry or reason.`;
  return [head, `title: ${rule.title}`, `source: ${rule.source}`, '', ...waived.map(caseText)].join('\n');
}

function properties(report: Report): [string, string][] {
  return [
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['rulebook.version', report.rulebook.version],
    ['rulebook.hash', report.rulebook.hash],
    ['target.baseUrl', report.target.baseUrl],
    ['target.issuerId', report.target.issuerId],
    ['seed', String(report.seed)],
    ['profiles', report.profiles.join(',')],
    ['failOn', report.summary.failOn],
    ['verdict', report.summary.verdict],
    ...report.summary.incomplete.map((r, i): [string, string] => [`incomplete.${i + 1}`, r]),
    ...Object.entries(report.policies).map(([name, value]): [string, string] => [`policy.${name}`, JSON.stringify(value)]),
    ['certifiable', String(report.summary.certifiable)],
    ...(report.shard ? [['shard', `${report.shard.index}/${report.shard.total}`] as [string, string]] : []),
  ];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** Characters XML 1.0 cannot carry at all, not even as references: removed. */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function text(value: string): string {
  return value.replace(ILLEGAL_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute values: also quotes, and whitespace as references so parsers do not normalize it away. */
function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attrs(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${attr(String(v))}"`)
    .join('');
}
