import type { CaseResult, Evidence } from '../../../core/results/model.js';

/** Plain-text renderings of the (already redacted) evidence, shared by the JUnit and HTML reports. */

function headerLines(headers: Readonly<Record<string, string>>): string[] {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
}

export function requestText(e: Evidence): string {
  const { request } = e;
  const lines = [`${request.method} ${request.url}`, ...headerLines(request.headers)];
  if (request.body !== undefined) lines.push('', request.body);
  return lines.join('\n');
}

export function responseText(e: Evidence): string {
  const { response } = e;
  if (!response) return `no response${e.transportError !== undefined ? `: ${e.transportError}` : ''}`;
  const lines = [`HTTP ${response.status} (${response.durationMs} ms)`, ...headerLines(response.headers)];
  if (response.body !== undefined) lines.push('', response.body);
  if (e.transportError !== undefined) lines.push('', `transport error: ${e.transportError}`);
  return lines.join('\n');
}

/** One case as a text block: what was checked, what was expected and seen, the exchange, the replay. */
export function caseText(c: CaseResult): string {
  const lines = [`--- ${c.status} ${c.endpoint}: ${c.case}${c.count > 1 ? ` (x${c.count})` : ''}`];
  if (c.message !== undefined) lines.push(`message: ${c.message}`);
  if (c.expected !== undefined) lines.push(`expected: ${c.expected}`);
  if (c.actual !== undefined) lines.push(`actual: ${c.actual}`);
  if (c.seed !== undefined) lines.push(`seed: ${c.seed}`);
  if (c.counterexamplePath !== undefined) lines.push(`counterexample path: ${c.counterexamplePath}`);
  if (c.evidence) lines.push('request:', indent(requestText(c.evidence)), 'response:', indent(responseText(c.evidence)));
  if (c.repro !== undefined) lines.push('repro:', indent(c.repro));
  return lines.join('\n');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l === '' ? '' : `  ${l}`))
    .join('\n');
}
