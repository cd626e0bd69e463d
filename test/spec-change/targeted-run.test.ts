import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MESSAGES, message } from '../../contracts/index.js';
import { checkMessage } from '../../src/core/rulebook/check.js';
import { builtinSnapshot } from '../../src/core/spec-change/builtin.js';
import { loadRulebook } from '../../src/core/spec-change/load-rulebook.js';
import { overlayMessages } from '../../src/core/spec-change/overlay.js';
import { makeSnapshot } from '../../src/core/spec-change/snapshot.js';
import { runMain } from '../cli/run-cli.js';
import { readReport } from '../run/variant-runs.js';

/**
 * After a D1 spec change: a run under the new rulebook (`--rulebook`) checks with its constraints,
 * a targeted re-run (`--since OLD`) calls only the endpoints the changes touch and says what it
 * did not judge, and a rule new since OLD can be pending until a date (`--pending-until`).
 */

const V1 = join(import.meta.dirname, '../../fixtures/spec-versions/2027-01-language-widened/openapi.json');
const V4 = join(import.meta.dirname, '../../fixtures/spec-versions/2027-04-tighter-consumer-info/openapi.json');
const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-targeted-'));

describe('a message under another rulebook (overlay)', () => {
  it('the built-in rulebook changes nothing; 2027-01 rebuilds only the consumer information response', () => {
    expect(overlayMessages(MESSAGES, builtinSnapshot()).size).toBe(0);
    const overlay = overlayMessages(MESSAGES, loadRulebook(V1).snapshot);
    expect([...overlay.keys()]).toEqual(['issuer.getConsumerInfo.response.200']);
    const builtin = message('issuer.getConsumerInfo.response.200');
    const widened = overlay.get(builtin.id);
    const info = { firstName: 'Ana', lastName: 'Reyes', language: 'fil-PH' };
    expect(checkMessage(builtin, info).violations.map((v) => v.ruleId)).toEqual(['OUT-CI-009']);
    expect(widened && checkMessage(widened, info).violations).toEqual([]);
    // The country is upper case only now: what passed before fails under the new pattern.
    expect(widened && checkMessage(widened, { ...info, language: 'en-gb' }).violations.map((v) => v.ruleId)).toEqual(['OUT-CI-009']);
  });

  it('2027-04 makes dateOfBirth required and middleName shorter, under their own rules', () => {
    const tighter = overlayMessages(MESSAGES, loadRulebook(V4).snapshot).get('issuer.getConsumerInfo.response.200');
    const rules = tighter ? checkMessage(tighter, { firstName: 'Ana', lastName: 'Reyes', middleName: 'M'.repeat(100) }).violations.map((v) => v.ruleId) : [];
    expect(rules.sort()).toEqual(['OUT-CI-012', 'OUT-CI-015']);
  });
});

describe('d1-conformance run after a spec change', { timeout: 120_000 }, () => {
  it('the reference issuer updated for 2027-01: a targeted re-run under the new rulebook calls only Get Consumer Information, and passes', async () => {
    const out = tmp();
    const { code, stdout, stderr } = await runMain(['run', '--variant', 'language-3-letter', '--since', 'builtin', '--rulebook', V1, '--runs', '2', '--seed', '7', '--out', out]);
    expect(stderr).toContain('targeted re-run: 2 change(s) since builtin (1 breaking): 1 rule(s) on issuer.getConsumerInfo');
    expect(stderr).toContain('pact verification: not run: a targeted re-run');
    expect(code).toBe(0);
    const report = readReport(out);
    expect(report.summary.verdict).toBe('PASSED');
    expect(report.rulebook).toEqual({ version: '2027-01-language-widened/openapi.json', hash: loadRulebook(V1).snapshot.hash });
    expect(report.targeted).toMatchObject({ since: 'builtin', rules: ['OUT-CI-009'], endpoints: ['issuer.getConsumerInfo'], stale: ['OUT-CI-009'], pending: [] });
    expect(report.rules.find((r) => r.ruleId === 'OUT-CI-009')?.status).toBe('PASSED');
    // Only the changed endpoint was called: no other endpoint has a judged case but the TLS posture of the one connection.
    const elsewhere = report.results.filter((r) => r.endpoint !== 'issuer.getConsumerInfo' && !r.ruleId.startsWith('OUT-TLS-'));
    expect(elsewhere).toEqual([]);
    const notify = report.rules.find((r) => r.ruleId === 'OUT-NCO-001');
    expect(notify?.status).toBe('SKIPPED');
    expect(notify?.reason).toContain('not judged in this targeted re-run');
    expect(report.summary.certifiable).toBe(false);
    // Every output says what the run re-checked and which earlier passes are stale.
    const said = 'targeted re-run since builtin under rulebook 2027-01-language-widened/openapi.json: 1 changed rule(s) (OUT-CI-009) on issuer.getConsumerInfo';
    const stale = 'stale: earlier passes of OUT-CI-009 (changed since builtin) no longer count';
    expect(stdout).toContain(said);
    expect(stdout).toContain(stale);
    for (const file of ['summary.md', 'report.html']) {
      const text = readFileSync(join(out, file), 'utf8');
      expect(text, file).toContain(said);
      expect(text, file).toContain(stale);
    }
  });

  it('--rules-from takes a saved diff: refused when it leads to another rulebook than the run\'s, else it scopes the run the same way', async () => {
    // Under the built-in rulebook the same issuer fails OUT-CI-009: test/run/variant-runs.ts runs every variant, this one included.
    const diffFile = join(tmp(), 'diff.json');
    expect((await runMain(['diff', 'builtin', V1, '--out', diffFile])).code).toBe(0);
    const mismatch = await runMain(['run', '--variant', 'language-3-letter', '--rules-from', diffFile, '--out', tmp()]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("not the run's");
    const out = tmp();
    const scoped = await runMain(['run', '--variant', 'language-3-letter', '--rules-from', diffFile, '--rulebook', V1, '--runs', '2', '--out', out]);
    expect(scoped.code).toBe(0);
    expect(readReport(out).targeted?.endpoints).toEqual(['issuer.getConsumerInfo']);
  });

  it('a rule new since OLD is pending until --pending-until: reported, not failing the gate; after the date it fails', async () => {
    const base = builtinSnapshot();
    const older = makeSnapshot(
      '2026.11.0',
      'the rulebook before OUT-CI-009',
      base.rules.filter((r) => r.id !== 'OUT-CI-009'),
      base.constraints.filter((c) => c.ruleId !== 'OUT-CI-009'),
    );
    const oldFile = join(tmp(), 'rulebook-2026.11.0.json');
    writeFileSync(oldFile, JSON.stringify(older));
    const args = ['run', '--variant', 'consumer-info-bad-language', '--since', oldFile, '--runs', '2', '--seed', '7'];
    const during = tmp();
    const pending = await runMain([...args, '--pending-until', '2999-12-31', '--out', during]);
    expect(pending.code).toBe(0);
    const report = readReport(during);
    expect(report.targeted?.pending).toEqual(['OUT-CI-009']);
    const rule = report.rules.find((r) => r.ruleId === 'OUT-CI-009');
    expect(rule?.status).toBe('WAIVED');
    expect(rule?.waiver?.reason).toContain('pending: new since');
    expect(report.summary.staleWaivers).toEqual([]);
    const after = tmp();
    const ended = await runMain([...args, '--pending-until', '2020-01-01', '--out', after]);
    expect(ended.code).toBe(1);
    expect(readReport(after).rules.find((r) => r.ruleId === 'OUT-CI-009')?.status).toBe('FAILED');
  });

  it('client-check --since: the report names the changed rules, and a rule new since OLD is pending until its date', async () => {
    const base = builtinSnapshot();
    const older = makeSnapshot('2026.11.0', 'the rulebook before IN-AUTH-005', base.rules.filter((r) => r.id !== 'IN-AUTH-005'), base.constraints.filter((c) => c.ruleId !== 'IN-AUTH-005'));
    const oldFile = join(tmp(), 'rulebook-2026.11.0.json');
    writeFileSync(oldFile, JSON.stringify(older));
    const out = tmp();
    const pending = await runMain(['client-check', '--variant', 'assertion-hs256', '--since', oldFile, '--pending-until', '2999-12-31', '--out', out]);
    expect(pending.stderr).toContain('targeted re-check:');
    expect(pending.code).toBe(0);
    const report = readReport(out);
    expect(report.targeted?.rules).toContain('IN-AUTH-005');
    expect(report.targeted).toMatchObject({ pending: ['IN-AUTH-005'], endpoints: ['d1.token'] });
    expect(report.rules.find((r) => r.ruleId === 'IN-AUTH-005')?.status).toBe('WAIVED');
    const ended = await runMain(['client-check', '--variant', 'assertion-hs256', '--since', oldFile, '--pending-until', '2020-01-01', '--out', tmp()]);
    expect(ended.code).toBe(1);
  });

  it('a change D1 makes to what it sends is re-tested with it: an issuer refusing the new enum value fails, the reference passes', async () => {
    const V3 = join(import.meta.dirname, '../../fixtures/spec-versions/2027-03-new-status-values/openapi.json');
    const args = ['run', '--since', 'builtin', '--rulebook', V3, '--runs', '4', '--seed', '7'];
    const reference = await runMain([...args, '--out', tmp()]);
    expect(reference.code).toBe(0);
    const strictOut = tmp();
    const strict = await runMain([...args, '--variant', 'new-enum-value-rejected', '--out', strictOut]);
    expect(strict.code).toBe(1);
    // Every valid notification may now carry status PENDING: the issuer's 400s fail the tolerance rule and the success rules, all on that endpoint.
    const failed = readReport(strictOut).results.filter((r) => r.status === 'FAILED');
    expect(failed.map((r) => r.ruleId)).toContain('OUT-GEN-022');
    expect(failed.map((r) => r.ruleId)).toContain('OUT-NCO-001');
    expect(failed.every((r) => r.endpoint === 'issuer.notifyConsumerOperation' && (r.message ?? '').startsWith('got 400'))).toBe(true);
  });

  it('client-check --rulebook grades what the issuer sends under the new rulebook: a firstName longer than its new maximum fails', async () => {
    const base = builtinSnapshot();
    const key = 'd1.registerConsumer.request|body.personalInformation.firstName|maxLength';
    const shorter = makeSnapshot('2027.2.0', 'firstName at most 3 characters', base.rules, base.constraints.map((c) => (c.key === key ? { ...c, value: 3 } : c)));
    const file = join(tmp(), 'rulebook-2027.2.0.json');
    writeFileSync(file, JSON.stringify(shorter));
    const out = tmp();
    const { code } = await runMain(['client-check', '--rulebook', file, '--out', out]);
    expect(code).toBe(1);
    const report = readReport(out);
    expect(report.rulebook).toEqual({ version: '2027.2.0', hash: shorter.hash });
    expect(report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['IN-CON-004']);
    // The same client under the built-in rulebook passes (test/client-check/client-check.test.ts).
  });

  it('what the new rulebook adds and no check of this version judges is listed, and keeps the run from being certifiable', async () => {
    const V2 = join(import.meta.dirname, '../../fixtures/spec-versions/2027-02-new-optional-fields/openapi.json');
    const out = tmp();
    const { code, stdout, stderr } = await runMain(['run', '--rulebook', V2, '--runs', '2', '--out', out]);
    expect(code).toBe(0);
    expect(stderr).toContain('not judged by this version (new in the rulebook):');
    const report = readReport(out);
    expect(report.summary.verdict).toBe('PASSED');
    expect(report.rulebook.unchecked).toEqual([
      expect.stringMatching(/^OUT-OAS-[0-9A-F]{6} issuer\.authenticate body\.channel$/),
      expect.stringMatching(/^OUT-OAS-[0-9A-F]{6} issuer\.getConsumerInfo preferredName$/),
      expect.stringMatching(/^OUT-OAS-[0-9A-F]{6} openapi\.notify-consumer-preferences \(endpoint\)$/),
    ]);
    expect(report.summary.certifiable).toBe(false);
    expect(stdout).toContain('3 constraints of rulebook 2027-02-new-optional-fields/openapi.json this version cannot judge yet');
    // The signed bundle carries the same rulebook (version, hash, what it could not judge) and verifies.
    const keys = tmp();
    expect((await runMain(['keys', '--out', keys])).code).toBe(0);
    const bundle = join(tmp(), 'bundle.tar.gz');
    expect((await runMain(['bundle', '--key', join(keys, 'd1c-signing.private.jwk.json'), '--report', out, '--out', bundle])).code).toBe(0);
    const verified = await runMain(['verify', bundle, '--pub', join(keys, 'd1c-signing.public.jwk.json')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('2027-02-new-optional-fields/openapi.json');
  });

  it('bad input: one line, exit 2', async () => {
    for (const args of [
      ['run', '--since', 'no-such-rulebook.json'],
      ['run', '--since', 'builtin', '--rules-from', 'diff.json'],
      ['run', '--pending-until', '2027-01-01'],
      ['run', '--since', 'builtin', '--pending-until', 'tomorrow'],
      ['run', '--rulebook', join(import.meta.dirname, '../../fixtures/spec-versions/README.md')],
    ]) {
      const { code, stderr } = await runMain(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
