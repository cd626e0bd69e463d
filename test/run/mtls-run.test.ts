import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issuerPki, startReferenceIssuer, type IssuerPki, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { runMain } from '../cli/run-cli.js';
import { readReport, tmp } from './variant-runs.js';

/**
 * Whole runs over mutual TLS (issue 15), in-process through main(): the bundled reference issuer
 * speaks mTLS by default and certifies; a user's configuration names D1's identity as files
 * (relative to the configuration file, the key encrypted under a passphrase from the environment),
 * the suites, the token diagnosis and the Pact verification all go through it, and neither the key
 * nor the passphrase appears in any output; without `tls`, the transport rules say what they need.
 */

const TLS_RULES = ['OUT-GEN-001', 'OUT-GEN-002', 'OUT-TLS-001', 'OUT-TLS-002', 'OUT-TLS-003', 'OUT-TLS-004', 'OUT-TLS-005', 'OUT-TLS-006'];
/** OUT-TLS-007 is judged only under the policy selfSignedServerCertMaxDays (the D1 sources set no limit). */
const POLICY_NULL = 'policy selfSignedServerCertMaxDays is null: the D1 sources set no limit, so none is judged';
const CANARY_PASSPHRASE = 'canary-TLS-passphrase-7c1f0e93';

const running: RunningIssuer[] = [];
afterAll(async () => {
  await Promise.all(running.map((i) => i.close()));
});

/** Every file the run wrote, as text. */
function outputs(dir: string): string {
  return readdirSync(dir)
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n');
}

const keyBody = (pem: string) => pem.split('\n').filter((l) => l !== '' && !l.startsWith('-----'))[1] ?? 'unset';

/** A run configuration file for `issuer`, its TLS files next to it (relative paths), the key encrypted. */
function userConfig(issuer: RunningIssuer, pki: IssuerPki, options: { pfx?: boolean } = {}): { dir: string; file: string; encryptedKey: string } {
  const dir = tmp();
  const encryptedKey = createPrivateKey(pki.d1.clientKey).export({
    format: 'pem',
    type: 'pkcs8',
    cipher: 'aes-256-cbc',
    passphrase: CANARY_PASSPHRASE,
  }) as string;
  writeFileSync(join(dir, 'd1.crt'), pki.d1.clientCert);
  writeFileSync(join(dir, 'd1.key'), encryptedKey, { mode: 0o600 });
  writeFileSync(join(dir, 'issuer-ca.pem'), pki.d1.ca);
  let identity: Record<string, string> = { clientCert: 'd1.crt', clientKey: 'd1.key' };
  if (options.pfx === true) {
    execFileSync('openssl', ['pkcs12', '-export', '-in', 'd1.crt', '-inkey', 'd1.key', '-passin', 'env:P', '-passout', 'env:P', '-out', 'd1.p12'], {
      cwd: dir,
      env: { ...process.env, P: CANARY_PASSPHRASE },
    });
    identity = { pfx: 'd1.p12' };
  }
  const config = {
    target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
    auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
    tls: { ...identity, ca: 'issuer-ca.pem', passphrase: '${env:D1C_TLS_PASSPHRASE}' },
    testData: { consumers: [{ consumerId: 'cons-7f3a9c01', cardIds: [] }] },
  };
  const file = join(dir, 'd1.json');
  writeFileSync(file, JSON.stringify(config));
  return { dir, file, encryptedKey };
}

describe('d1-conformance run over mutual TLS', () => {
  it('the bundled reference issuer speaks mTLS by default and is certifiable; its TLS files are gone after', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code, stdout, stderr } = await runMain(['run', '--out', out, '--seed', '1234', '--runs', '2']);
    expect(code).toBe(0);
    expect(stdout).toContain('certifiable: yes');
    expect(stderr).toContain('https://127.0.0.1:');
    const report = readReport(out);
    for (const id of TLS_RULES) expect([id, report.rules.find((r) => r.ruleId === id)?.status]).toEqual([id, 'PASSED']);
    expect(report.rules.find((r) => r.ruleId === 'OUT-TLS-007')).toMatchObject({ status: 'NOT_APPLICABLE', reason: POLICY_NULL });
    // The Pact verification reached the https target through the request filter, with D1's identity.
    const pact = report.results.filter((r) => r.case.startsWith('pact:'));
    expect(pact.length).toBeGreaterThan(0);
    expect(pact.filter((r) => r.status === 'FAILED')).toEqual([]);
    // The configuration names the files, never their content.
    const text = outputs(out);
    expect(text).not.toContain('PRIVATE KEY');
    const keyFile = (report.configuration as { tls?: { clientKey?: string } }).tls?.clientKey ?? '';
    expect(keyFile).toMatch(/d1c-reference-tls-.+\/d1-client\.key\.pem$/);
    // The run's private TLS folder is removed when the issuer closes.
    expect(existsSync(dirname(keyFile))).toBe(false);
  });

  it.each([
    ['PEM files', false],
    ['a PKCS#12 file', true],
  ])(
    "a user's configuration with D1's identity as %s, relative paths and a passphrase: every check passes, the passphrase and key are never printed",
    { timeout: 120_000 },
    async (_what, pfx) => {
      const pki = await issuerPki();
      const issuer = await startReferenceIssuer({ tls: pki.server });
      running.push(issuer);
      const { file, encryptedKey } = userConfig(issuer, pki, { pfx });
      const out = tmp();
      const { code, stdout, stderr } = await runMain(['run', '--config', file, '--out', out, '--seed', '42', '--runs', '2', '--verbose'], {
        env: { D1C_TLS_PASSPHRASE: CANARY_PASSPHRASE },
      });
      expect(stderr).not.toContain('not usable');
      expect(code).toBe(0);
      const report = readReport(out);
      expect(report.rules.filter((r) => r.status === 'FAILED')).toEqual([]);
      for (const id of TLS_RULES) expect([id, report.rules.find((r) => r.ruleId === id)?.status]).toEqual([id, 'PASSED']);
      expect(report.results.some((r) => r.case.startsWith('pact:') && r.status === 'PASSED')).toBe(true);
      const tls = (report.configuration as { tls?: Record<string, unknown> }).tls;
      expect(tls?.passphrase).toBe('<removed>');
      // Resolved from the configuration file's folder.
      expect(String(tls?.[pfx ? 'pfx' : 'clientKey'])).toMatch(/^\/.+\/d1\.(key|p12)$/);
      for (const text of [stdout, stderr, outputs(out)]) {
        expect(text).not.toContain(CANARY_PASSPHRASE);
        expect(text).not.toContain('PRIVATE KEY');
        expect(text).not.toContain(keyBody(encryptedKey));
        expect(text).not.toContain(keyBody(pki.d1.clientKey));
      }
    },
  );

  it('a configuration whose tls.ca does not verify the server: one line naming TLS and tls.ca, exit 2', { timeout: 60_000 }, async () => {
    const pki = await issuerPki();
    const stranger = await issuerPki();
    const issuer = await startReferenceIssuer({ tls: pki.server });
    running.push(issuer);
    const { file, dir } = userConfig(issuer, pki);
    writeFileSync(join(dir, 'issuer-ca.pem'), stranger.d1.ca);
    const { code, stderr } = await runMain(['run', '--config', file, '--out', tmp(), '--seed', '1'], { env: { D1C_TLS_PASSPHRASE: CANARY_PASSPHRASE } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/TLS handshake failed \([A-Z_]+\).*tls\.ca/);
    expect(stderr).not.toContain(CANARY_PASSPHRASE);
  });

  it('a tls file that cannot be read is refused with its key named, exit 2', async () => {
    const pki = await issuerPki();
    const issuer = await startReferenceIssuer({ tls: pki.server });
    running.push(issuer);
    const { file, dir } = userConfig(issuer, pki);
    const config = JSON.parse(readFileSync(file, 'utf8')) as { tls: Record<string, string> };
    config.tls.ca = 'missing-ca.pem';
    writeFileSync(file, JSON.stringify(config));
    const { code, stderr } = await runMain(['run', '--config', file, '--out', tmp()], { env: { D1C_TLS_PASSPHRASE: CANARY_PASSPHRASE } });
    expect(code).toBe(2);
    expect(stderr).toContain('tls.ca');
    expect(stderr).toContain(join(dir, 'missing-ca.pem'));
  });

  it('without tls, every transport rule is SKIPPED saying what it needs (a plain http target)', { timeout: 120_000 }, async () => {
    const issuer = await startReferenceIssuer();
    running.push(issuer);
    const dir = tmp();
    const file = join(dir, 'd1.json');
    writeFileSync(
      file,
      JSON.stringify({
        target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
        auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
        testData: { consumers: [{ consumerId: 'cons-7f3a9c01', cardIds: [] }] },
      }),
    );
    const out = tmp();
    const { code, stdout } = await runMain(['run', '--config', file, '--out', out, '--seed', '3', '--runs', '1']);
    expect(code).toBe(0);
    expect(stdout).toContain('certifiable: no');
    const report = readReport(out);
    for (const id of TLS_RULES) {
      const rule = report.rules.find((r) => r.ruleId === id);
      expect([id, rule?.status]).toEqual([id, 'SKIPPED']);
      expect(rule?.reason).toContain('mutual TLS is not configured');
      expect(rule?.needs).toContain('tls.clientCert');
    }
    expect(report.rules.find((r) => r.ruleId === 'OUT-TLS-007')?.status).toBe('NOT_APPLICABLE');
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });
});
