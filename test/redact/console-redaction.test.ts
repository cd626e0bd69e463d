import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';

/**
 * Issue 12 item 3 on the client-check console: the issuer's command output is passed on through
 * the redactor, so a PAN it prints in any layout is masked there, and its own words are kept.
 * In-process through main(); the command is a one-line node script making no call (exit 2).
 */
describe('client-check console', () => {
  it('masks PANs the command prints dotted, double-spaced, tab-separated or escaped; keeps its words', async () => {
    const lines = [
      'card 5555.5555.5555.4444',
      'amex 3782  822463  10005',
      'tabs 4111\t1111\t1111\t1111',
      'json {"pan":"4111\\t1111\\t1111\\t1111"}',
      'Tarjeta no existe: bearer token missing',
    ];
    const script = `for (const l of ${JSON.stringify(lines)}) console.log(l); process.exit(3);`;
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['client-check', '--out', mkdtempSync(join(tmpdir(), 'd1c-console-')), '--', process.execPath, '-e', script],
      (t) => out.push(t),
      (t) => err.push(t),
    );
    expect(code).toBe(2);
    const console = [...out, ...err].join('\n');
    for (const leak of ['5555.5555.5555', '822463', '1111\t1111', '1111\\t1111']) expect(console, leak).not.toContain(leak);
    expect(console).toContain('5555.55**.****.4444');
    expect(console).toContain('Tarjeta no existe: bearer token missing');
  });
});
