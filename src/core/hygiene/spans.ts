// Shared span helpers: detectors report [start, end) offsets into the scanned
// text so that callers can redact exactly what was found.
export interface Span {
  start: number;
  end: number;
}

export function byPosition(a: Span, b: Span): number {
  return a.start - b.start || b.end - a.end;
}

/** Sorts spans and drops every span lying inside an earlier kept one (exact duplicates included). */
export function dropContained<T extends Span>(spans: readonly T[]): T[] {
  const sorted = [...spans].sort(byPosition);
  const kept: T[] = [];
  let maxEnd = -1;
  for (const s of sorted) {
    if (s.end <= maxEnd) continue;
    kept.push(s);
    maxEnd = s.end;
  }
  return kept;
}
