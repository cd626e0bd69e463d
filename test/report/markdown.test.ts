import { describe, expect, it } from 'vitest';
import { render } from '../../src/outputs/report/markdown.js';
import { clientSampleReport, sampleReport } from './sample-report.js';

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

describe('the Markdown summary of a client-check', () => {
  it('names the D1 simulator and the command whose calls were graded, and its failed rule', () => {
    const md = render(clientSampleReport());
    expect(md).toContain('D1 simulator `http://127.0.0.1:41234` (calls by mvn (+2 arguments))');
    expect(md).toContain('`IN-JWE-003`');
  });
});
