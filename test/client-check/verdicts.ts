import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** The exit code each written verdict must come with (issue 12 item 11). */
export const EXIT = { PASSED: 0, FAILED: 1, INCOMPLETE: 2 } as const;

/** The verdict as each report format writes it. */
export function verdicts(dir: string): Record<string, string | undefined> {
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  return {
    json: (JSON.parse(read('report.json')) as { summary: { verdict: string } }).summary.verdict,
    md: /^## \S+ d1-conformance: (\w+)/.exec(read('summary.md'))?.[1],
    junit: /name="verdict" value="(\w+)"/.exec(read('report.junit.xml'))?.[1],
    html: /Gate: (\w+)/.exec(read('report.html'))?.[1],
  };
}

/** The exit code is the verdict, and every report format writes that verdict. */
export function expectVerdict(dir: string, code: number, verdict: keyof typeof EXIT): void {
  expect(code).toBe(EXIT[verdict]);
  expect(verdicts(dir)).toEqual({ json: verdict, md: verdict, junit: verdict, html: verdict });
}
