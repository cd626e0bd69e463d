import { mkdtempSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startReferenceTarget } from '../../src/cli/reference-target.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';
import { applyAttestations, loadAttestations } from '../../src/core/results/attestations.js';
import { ConfigurationError } from '../../src/core/errors/index.js';
import type { RuleResult } from '../../src/core/results/model.js';

/** Issue 15 point 3: what no check can establish, the operator attests, with evidence; reported ATTESTED, never PASSED. */

const dir = mkdtempSync(join(tmpdir(), 'd1c-attest-'));
const evidence = join(dir, 'thales-ca-issuance.pdf');
writeFileSync(evidence, 'the certificate issuance record\n');
const sha = createHash('sha256').update('the certificate issuance record\n').digest('hex');

function file(text: string): string {
  const path = join(dir, `a-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

const rule = (ruleId: string, status: RuleResult['status']): RuleResult => ({
  ruleId,
  title: ruleId,
  level: 'MUST',
  kind: 'behaviour',
  endpoints: ['issuer.token'],
  source: 'test',
  status,
  ...(status === 'SKIPPED' ? { reason: 'mTLS not configured', needs: 'a client certificate' } : {}),
  checks: status === 'PASSED' ? 1 : 0,
  failures: 0,
});

describe('attestations', () => {
  it('load: the evidence hashed (path from the file), and an untested rule becomes ATTESTED with who, when, what; a judged rule keeps its verdict', async () => {
    const list = await loadAttestations(
      file(
        'attestations:\n  - {ruleId: OUT-GEN-001, by: "J. Doe, network security", on: 2026-12-01, statement: "mTLS enforced at the edge", evidence: thales-ca-issuance.pdf}\n  - {ruleId: OUT-GEN-005, by: "J. Doe", on: 2026-12-01, statement: "x", evidence: thales-ca-issuance.pdf}\n',
      ),
    );
    expect(list[0]?.evidence).toEqual({ file: 'thales-ca-issuance.pdf', sha256: sha });
    const { rules, unused } = applyAttestations([rule('OUT-GEN-001', 'SKIPPED'), rule('OUT-GEN-005', 'PASSED')], list);
    expect(rules[0]).toMatchObject({ status: 'ATTESTED', attestation: { by: 'J. Doe, network security', on: '2026-12-01', evidence: { sha256: sha } } });
    expect(rules[0]).not.toHaveProperty('needs');
    expect(rules[1]?.status).toBe('PASSED');
    expect(unused).toEqual(["OUT-GEN-005 (by J. Doe): not applied, the rule was PASSED by the run's own checks"]);
  });

  it.each([
    [
      'a rule the rulebook does not have',
      '- {ruleId: OUT-XX-999, by: a, on: 2026-12-01, statement: s, evidence: thales-ca-issuance.pdf}\n',
      /attestation 1 names rule OUT-XX-999, which is not in rulebook/,
    ],
    [
      'an evidence file that is not there',
      '- {ruleId: OUT-GEN-001, by: a, on: 2026-12-01, statement: s, evidence: missing.pdf}\n',
      /attestation 1: its evidence file missing\.pdf cannot be read$/,
    ],
    [
      'no evidence',
      '- {ruleId: OUT-GEN-001, by: a, on: 2026-12-01, statement: s}\n',
      /attestation 1: evidence is missing; each attestation needs ruleId, by, on, statement and evidence$/,
    ],
  ])('refuses %s, in one line', async (_name, text, expected) => {
    const error = await loadAttestations(file(text)).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(expected);
  });
});

describe('attested rules, end to end', () => {
  it(
    'a run without mTLS: the untested MUST rules attested make it certifiable, reported ATTESTED in every output, and the signed bundle carries them',
    { timeout: 120_000 },
    async () => {
      const plain = await startReferenceTarget(undefined, { mtls: false });
      try {
        const work = mkdtempSync(join(tmpdir(), 'd1c-attested-run-'));
        const config = join(work, 'config.json');
        writeFileSync(config, JSON.stringify(plain.config));
        const first = await runMain(['run', '--config', config, '--out', join(work, 'first'), '--report', 'json', '--quiet']);
        const untested = Report.parse(JSON.parse(readFileSync(join(work, 'first', 'report.json'), 'utf8')))
          .rules.filter((r) => r.level === 'MUST' && r.status === 'SKIPPED')
          .map((r) => r.ruleId);
        expect(first.code).toBe(0);
        expect(untested).toContain('OUT-GEN-001');
        writeFileSync(join(work, 'edge-mtls.txt'), 'the edge proxy refuses handshakes without a client certificate: capture attached\n');
        const attestations = join(work, 'attestations.yaml');
        writeFileSync(
          attestations,
          `attestations:\n${untested.map((id) => `  - {ruleId: ${id}, by: "J. Doe, network security", on: 2026-12-01, statement: "checked at the edge", evidence: edge-mtls.txt}`).join('\n')}\n`,
        );
        const out = join(work, 'attested');
        const run = await runMain(['run', '--config', config, '--out', out, '--attestations', attestations]);
        expect(run.code).toBe(0);
        expect(run.stdout).toMatch(
          new RegExp(
            `^certifiable: yes \\(no failed, waived or untested MUST rule; ${untested.length} rules? attested by the operator, not tested by d1-conformance\\)$`,
            'm',
          ),
        );
        expect(run.stdout).toMatch(
          /^ {2}attested: OUT-GEN-001 by J\. Doe, network security on 2026-12-01: checked at the edge \(evidence edge-mtls\.txt, sha256 [0-9a-f]{16}\.\.\.\)$/m,
        );
        const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
        expect(report.summary.certifiable).toBe(true);
        expect(
          report.rules
            .filter((r) => r.status === 'ATTESTED')
            .map((r) => r.ruleId)
            .sort(),
        ).toEqual([...untested].sort());
        expect(report.rules.some((r) => r.status === 'PASSED' && r.attestation)).toBe(false);
        expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('- attested: OUT-GEN-001 by J. Doe, network security');
        expect(readFileSync(join(out, 'report.junit.xml'), 'utf8')).toContain('ATTESTED OUT-GEN-001 (MUST), not tested by d1-conformance: by J. Doe');
        expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<strong>Attested</strong> by the operator');
        // The certifier's bundle signs them.
        const keys = join(work, 'keys');
        expect((await runMain(['keys', '--out', keys])).code).toBe(0);
        const bundle = join(work, 'bundle.tar.gz');
        expect((await runMain(['bundle', '--key', join(keys, 'd1c-signing.private.jwk.json'), '--report', out, '--out', bundle])).code).toBe(0);
        const verified = await runMain(['verify', bundle, '--pub', join(keys, 'd1c-signing.public.jwk.json')]);
        expect(verified.code).toBe(0);
        const { extract } = await import('tar');
        const unpacked = join(work, 'unpacked');
        const { mkdirSync } = await import('node:fs');
        mkdirSync(unpacked);
        await extract({ file: bundle, cwd: unpacked });
        const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
          attestations: { ruleId: string; by: string; evidence: { sha256: string } }[];
        };
        expect(manifest.attestations.map((a) => a.ruleId).sort()).toEqual([...untested].sort());
        expect(manifest.attestations[0]?.evidence.sha256).toMatch(/^[0-9a-f]{64}$/);
      } finally {
        await plain.issuer.close();
      }
    },
  );
});
