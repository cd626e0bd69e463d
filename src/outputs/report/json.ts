import type { Report } from '../../core/results/model.js';

export const FILE = 'report.json';

/** The full result model, as data: the source every other format and `merge` read. */
export function render(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
