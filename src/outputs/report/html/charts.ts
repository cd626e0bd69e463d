import type { Status, Timing } from '../../../core/results/model.js';
import { esc } from './escape.js';
import { STATUS_ORDER } from './per-endpoint.js';

/** Small inline SVG charts, drawn here (no chart library, no script), deterministic to the pixel. */

export const STATUS_COLOR: Readonly<Record<Status, string>> = {
  PASSED: '#1a7f37',
  WARNING: '#b35900',
  WAIVED: '#8250df',
  ATTESTED: '#0969da',
  FAILED: '#cf222e',
  SKIPPED: '#6e7781',
  NOT_APPLICABLE: '#afb8c1',
};

export const STATUS_LABEL: Readonly<Record<Status, string>> = {
  PASSED: 'passed',
  WARNING: 'warning',
  WAIVED: 'waived',
  ATTESTED: 'attested',
  FAILED: 'failed',
  SKIPPED: 'skipped',
  NOT_APPLICABLE: 'not applicable',
};

const n1 = (x: number) => String(Math.round(x * 10) / 10);

/** Stacked horizontal bars: per endpoint, how many rules ended in each status on it. */
export function resultsChart(rows: readonly { endpoint: string; counts: Readonly<Record<Status, number>> }[]): string {
  const labelW = 230;
  const barW = 420;
  const rowH = 26;
  const top = 8;
  const legendH = 28;
  const width = labelW + barW + 60;
  const height = top + rows.length * rowH + legendH + 8;
  const max = Math.max(1, ...rows.map((r) => STATUS_ORDER.reduce((n, s) => n + r.counts[s], 0)));
  const parts: string[] = [];
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const total = STATUS_ORDER.reduce((n, s) => n + r.counts[s], 0);
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end" class="lbl">${esc(r.endpoint)}</text>`);
    let x = labelW;
    for (const s of STATUS_ORDER) {
      const c = r.counts[s];
      if (c === 0) continue;
      const w = (c / max) * barW;
      parts.push(
        `<rect x="${n1(x)}" y="${y + 3}" width="${n1(w)}" height="${rowH - 8}" fill="${STATUS_COLOR[s]}"><title>${esc(`${r.endpoint}: ${c} ${STATUS_LABEL[s]}`)}</title></rect>`,
      );
      x += w;
    }
    parts.push(`<text x="${n1(x + 6)}" y="${y + 15}" class="num">${total}</text>`);
  });
  const ly = top + rows.length * rowH + 14;
  let lx = labelW;
  for (const s of STATUS_ORDER) {
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${STATUS_COLOR[s]}"/><text x="${lx + 14}" y="${ly}" class="legend">${esc(STATUS_LABEL[s])}</text>`,
    );
    lx += 24 + STATUS_LABEL[s].length * 6.2;
  }
  return svg(width, height, 'Rule results per endpoint, stacked by status', parts);
}

function boundLabel(leMs: number, previous: number | undefined): string {
  if (leMs === -1) return previous === undefined ? 'all' : `>${ms(previous)}`;
  return `≤${ms(leMs)}`;
}

function ms(value: number): string {
  return value >= 1000 ? `${n1(value / 1000)}s` : n1(value);
}

/** The bucket a duration falls in: the first bound at or above it, else the open last bucket. */
function bucketOf(histogram: Timing['histogram'], value: number): number {
  const i = histogram.findIndex((b) => b.leMs !== -1 && value <= b.leMs);
  if (i >= 0) return i;
  const open = histogram.findIndex((b) => b.leMs === -1);
  return open >= 0 ? open : histogram.length - 1;
}

/** A response-time histogram for one endpoint, with the buckets p50, p90 and p99 fall in marked. */
export function timingChart(endpoint: string, t: Timing): string {
  const width = 380;
  const height = 196;
  const left = 34;
  const right = 8;
  const top = 62;
  const bottom = 30;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const buckets = t.histogram;
  const slot = plotW / Math.max(1, buckets.length);
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const parts: string[] = [
    `<text x="0" y="13" class="ttl">${esc(endpoint)}</text>`,
    `<text x="0" y="27" class="sub">${esc(`n=${t.count} · p50 ${t.p50} ms · p90 ${t.p90} ms · p99 ${t.p99} ms · max ${t.max} ms`)}</text>`,
    `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" class="axis"/>`,
    `<text x="${left - 4}" y="${top + 8}" text-anchor="end" class="tick">${max}</text>`,
    `<text x="${left - 4}" y="${top + plotH}" text-anchor="end" class="tick">0</text>`,
  ];
  const marks = new Map<number, string[]>();
  if (t.count > 0) {
    for (const [name, value] of [
      ['p50', t.p50],
      ['p90', t.p90],
      ['p99', t.p99],
    ] as const) {
      const b = bucketOf(buckets, value);
      marks.set(b, [...(marks.get(b) ?? []), name]);
    }
  }
  buckets.forEach((b, i) => {
    const x = left + i * slot;
    const h = (b.count / max) * plotH;
    const label = boundLabel(b.leMs, buckets[i - 1]?.leMs);
    const mark = marks.get(i);
    if (mark) {
      parts.push(`<rect x="${n1(x)}" y="${top - 2 - mark.length * 10}" width="${n1(slot)}" height="${plotH + 2 + mark.length * 10}" class="pmark"/>`);
      // Labels stacked above the plot, bottom-aligned, so no bar covers them.
      mark.forEach((m, j) =>
        parts.push(`<text x="${n1(x + slot / 2)}" y="${top - 3 - (mark.length - 1 - j) * 10}" text-anchor="middle" class="plbl">${m}</text>`),
      );
    }
    if (b.count > 0) {
      parts.push(
        `<rect x="${n1(x + 2)}" y="${n1(top + plotH - h)}" width="${n1(slot - 4)}" height="${n1(h)}" class="bar"><title>${esc(`${endpoint} ${label} ms: ${b.count} response(s)`)}</title></rect>`,
      );
    }
    parts.push(`<text x="${n1(x + slot / 2)}" y="${top + plotH + 12}" text-anchor="middle" class="tick">${esc(label)}</text>`);
  });
  parts.push(`<text x="${width - right}" y="${height - 2}" text-anchor="end" class="tick">ms (upper bound of each bucket)</text>`);
  return svg(width, height, `Response times of ${endpoint}: n=${t.count}, p50 ${t.p50} ms, p90 ${t.p90} ms, p99 ${t.p99} ms`, parts);
}

function svg(width: number, height: number, label: string, parts: readonly string[]): string {
  return `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(label)}"><title>${esc(label)}</title>${parts.join('')}</svg>`;
}
