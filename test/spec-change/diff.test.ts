import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinSnapshot } from '../../src/core/spec-change/builtin.js';
import { comparePatterns, diffRulebooks, SpecDiff } from '../../src/core/spec-change/diff.js';
import { loadRulebook } from '../../src/core/spec-change/load-rulebook.js';
import { makeSnapshot, type Constraint } from '../../src/core/spec-change/snapshot.js';
import { runMain } from '../cli/run-cli.js';

/**
 * `diff OLD NEW` on the spec versions of fixtures/spec-versions/: every expected change found,
 * nothing else reported, each classification (breaking, tolerate, compatible) right for an issuer
 * under D1's change policy; then the command's three outputs and its exit codes.
 */

const VERSIONS = join(import.meta.dirname, '../../fixtures/spec-versions');
const versions = readdirSync(VERSIONS, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

interface Expected {
  readonly against: string;
  readonly changes: readonly { key: string; change: string; classification: string; ruleId: string }[];
}

describe('diff on the spec versions', () => {
  it('has at least three edited versions of seed 004, each with its expected diff', () => {
    expect(versions.length).toBeGreaterThanOrEqual(3);
  });

  it.each(versions)('%s: every expected change, nothing else, each classified right', (version) => {
    const expected = JSON.parse(readFileSync(join(VERSIONS, version, 'expected-diff.json'), 'utf8')) as Expected;
    const diff = diffRulebooks(loadRulebook(expected.against).snapshot, loadRulebook(join(VERSIONS, version, 'openapi.json')).snapshot);
    const got = diff.changes.map((c) => ({ key: c.key, change: c.change, classification: c.classification, ruleId: c.ruleId }));
    expect(got).toEqual([...expected.changes].sort((a, b) => (a.key < b.key ? -1 : 1)));
    // The scope is the changed rules and their endpoints; a rule new in NEW is listed as such.
    expect(diff.scope.rules).toEqual([...new Set(expected.changes.map((c) => c.ruleId))].sort());
    expect(diff.scope.endpoints).toEqual([...new Set(got.map((c) => c.key.split('|')[0]?.split('.').slice(0, 2).join('.')))].sort());
  });

  it('the reverse diff flips additions and removals and judges them from the same side', () => {
    const tighter = loadRulebook(join(VERSIONS, '2027-04-tighter-consumer-info', 'openapi.json')).snapshot;
    const back = diffRulebooks(tighter, builtinSnapshot());
    // dateOfBirth no longer required, middleName longer again: what the issuer sends only gets looser.
    expect(back.changes.map((c) => [c.change, c.classification])).toEqual([
      ['removed', 'compatible'],
      ['changed', 'compatible'],
    ]);
  });

  it('judges what D1 sends from the other side: a field D1 stops guaranteeing is breaking, a narrower one is not', () => {
    const base = builtinSnapshot();
    const edit = (f: (c: Constraint) => Constraint | undefined) => makeSnapshot('edited', 'test', base.rules, base.constraints.flatMap((c) => f(c) ?? []));
    // The OTP value D1 sends: no longer required (breaking for the issuer reading it), a shorter maximum (compatible).
    const otp = edit((c) => (c.key === 'issuer.deliverOtp.request|body.otp.value|required' ? undefined : c));
    const change = diffRulebooks(base, otp).changes;
    expect(change.map((c) => [c.detail, c.classification])).toEqual([['body.otp.value made optional', 'breaking']]);
    const narrower = edit((c) => (c.key === 'issuer.getConsumerInfo.request|path.consumerId|maxLength' ? { ...c, value: 32 } : c));
    expect(diffRulebooks(base, narrower).changes.map((c) => c.classification)).toEqual(['compatible']);
    const wider = edit((c) => (c.key === 'issuer.getConsumerInfo.request|path.consumerId|maxLength' ? { ...c, value: 128 } : c));
    expect(diffRulebooks(base, wider).changes.map((c) => c.classification)).toEqual(['tolerate']);
  });

  it('tells a widened pattern from a narrowed one and from one that is neither', () => {
    expect(comparePatterns('^[a-z]{2}-[A-Z]{2}$', '^[a-z]{2,3}-[A-Z]{2}$')).toBe('looser');
    expect(comparePatterns('^[a-z]{2,3}-[A-Z]{2}$', '^[a-z]{2}-[A-Z]{2}$')).toBe('tighter');
    expect(comparePatterns('^[a-z]{2}-[a-zA-Z]{2}$', '^[a-z]{2,3}-[A-Z]{2}$')).toBe('different');
  });

  it('finds nothing between the built-in rulebook and itself', () => {
    expect(diffRulebooks(builtinSnapshot(), builtinSnapshot()).changes).toEqual([]);
  });
});

describe('d1-conformance diff', () => {
  const v1 = join(VERSIONS, '2027-01-language-widened', 'openapi.json');

  it('prints a table for a terminal, the breaking change first, and the command that re-checks the scope', async () => {
    const { code, stdout } = await runMain(['diff', 'builtin', v1]);
    expect(code).toBe(0);
    expect(stdout).toContain('2 change(s) from');
    expect(stdout).toMatch(/BREAKING\s+server\s+OUT-CI-009\s+issuer\.getConsumerInfo\s+language: pattern changed/);
    expect(stdout.indexOf('\nBREAKING ')).toBeLessThan(stdout.indexOf('\ncompatible '));
    expect(stdout.indexOf('\nBREAKING ')).toBeGreaterThan(0);
    expect(stdout).toContain('re-certification scope: 1 rule(s) on issuer.getConsumerInfo');
    expect(stdout).toContain(`re-check: npx d1-conformance run --since builtin --rulebook ${v1}`);
  });

  it('--json is a diff the schema reads back (and --out writes it), --md a pull request comment', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'd1c-diff-')), 'diff.json');
    const json = await runMain(['diff', 'builtin', v1, '--json', '--out', out]);
    expect(json.code).toBe(0);
    const parsed = SpecDiff.parse(JSON.parse(json.stdout));
    expect(SpecDiff.parse(JSON.parse(readFileSync(out, 'utf8')))).toEqual(parsed);
    expect(parsed.summary).toEqual({ breaking: 1, tolerate: 0, compatible: 1 });
    const md = await runMain(['diff', 'builtin', v1, '--md']);
    expect(md.stdout).toMatch(/^### D1 rulebook diff: /);
    expect(md.stdout).toContain('| 🔴 breaking | server | `OUT-CI-009` |');
  });

  it('--fail-on-breaking exits 1 on a breaking change, 0 on a compatible one', async () => {
    expect((await runMain(['diff', 'builtin', v1, '--fail-on-breaking'])).code).toBe(1);
    expect((await runMain(['diff', 'builtin', join(VERSIONS, '2027-03-new-status-values', 'openapi.json'), '--fail-on-breaking'])).code).toBe(0);
  });

  it('bad input: one line and exit 2', async () => {
    for (const args of [['diff', 'builtin'], ['diff', 'builtin', 'no-such-file.json'], ['diff', 'builtin', join(VERSIONS, 'README.md')]]) {
      const { code, stderr } = await runMain(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });
});
