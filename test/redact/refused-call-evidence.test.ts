import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { personalInformation } from '../../fixtures/reference-client/data.js';
import { main } from '../../src/cli/main.js';

/**
 * Issue 12 item 1: the broken reference client `issuer-id-9-chars` has every banking call refused
 * (IN-PATH-001); its bodies still carry the consumer's personal data, which must not reach any
 * report or the console. In-process through main(); the reference client runs as its own process.
 */
describe('client-check: personal data of refused calls', () => {
  it('writes no name, street or phone of a refused call in report.json, report.html, report.junit.xml, summary.md or the console', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-refused-'));
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(
      ['client-check', '--variant', 'issuer-id-9-chars', '--out', dir],
      (t) => out.push(t),
      (t) => err.push(t),
    );
    expect(code).toBe(1);
    const report = readFileSync(join(dir, 'report.json'), 'utf8');
    expect(report).toContain('IN-PATH-001');
    const pi = personalInformation();
    const canaries = [pi.firstName, pi.lastName, pi.residencyAddress.line1, 'Lilas', pi.mobilePhoneNumber.phoneNumber, pi.email];
    for (const file of ['report.json', 'report.html', 'report.junit.xml', 'summary.md']) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const canary of canaries) expect(text, `${canary} in ${file}`).not.toContain(canary);
    }
    // The refused call is still shown, masked: the evidence is there, its personal fields are not.
    expect(report).toContain('<pii>');
    const console = [...out, ...err].join('\n');
    for (const canary of canaries) expect(console, canary).not.toContain(canary);
  });
});
