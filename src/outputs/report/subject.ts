import type { Report } from '../../core/results/model.js';

/**
 * What a report is about, in words every reporter shares: the issuer's server at a URL, or the
 * issuer's client (its command) calling the D1 simulator at a URL.
 */
export function subjectOf(report: Report): { readonly label: string; readonly url: string; readonly note?: string } {
  const { target } = report;
  if (report.direction === 'issuer-as-client') {
    const what = target.reference ? 'bundled reference client' : (report.command ?? 'issuer command');
    return { label: 'D1 simulator', url: target.baseUrl, note: `calls by ${what}` };
  }
  return { label: 'Target', url: target.baseUrl, ...(target.reference ? { note: 'bundled reference issuer' } : {}) };
}
