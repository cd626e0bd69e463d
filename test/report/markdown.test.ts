import { describe, expect, it } from 'vitest';
import { render } from '../../src/report/markdown.js';
import { sampleReport } from './sample-report.js';

describe('the Markdown summary', () => {
  const md = render(sampleReport());

  it('matches its snapshot (verdict, counts, one line per failed rule)', () => {
    expect(md).toMatchSnapshot();
  });

  it('stays short and escapes table cells', () => {
    expect(md.split('\n').length).toBeLessThan(40);
    expect(md).toContain('## ❌ d1-conformance: FAILED');
    expect(md).toContain('`OUT-CI-009`');
    for (const line of md.split('\n').filter((l) => l.startsWith('| `'))) expect(line.split(/(?<!\\)\|/).length).toBe(6);
  });
});
