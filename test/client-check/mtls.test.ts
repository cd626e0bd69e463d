import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/core/results/model.js';
import { certificateFacts, createAuthority, issueCertificate, signCsr } from '../../src/core/tls/certificates.js';
import { Agent, request } from 'undici';
import { simulateCommand } from '../../src/cli/commands/simulate-command.js';
import { runMain } from '../cli/run-cli.js';

/**
 * `client-check --tls` and `keys --csr` through main() (issue 15 part 2): the bundled reference
 * client passes over mutual TLS with zero findings; the RSA-2048 variant warns on exactly
 * IN-TLS-002; an issuer's CSR is signed by the simulated Thales CA; a certificate brought from
 * another CA is let in with IN-TLS-001 SKIPPED; no private key appears in any output.
 */

function tmp(prefix = 'd1c-mtls-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function readReport(dir: string): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

const statusOf = (report: Report, id: string) => report.rules.find((r) => r.ruleId === id);
const findings = (report: Report) => report.rules.filter((r) => r.status === 'FAILED' || r.status === 'WARNING').map((r) => `${r.ruleId} ${r.status}`);

/** Everything a run left to read: its stdout, stderr and every report file. */
function everything(dir: string, result: { stdout: string; stderr: string }): string {
  return [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))].join('\n');
}

/** A command of the issuer's own: one token call over mutual TLS with the D1_TLS_* files, whatever the answer. */
const TLS_CALL = [
  process.execPath,
  '-e',
  [
    "const https = require('node:https'); const fs = require('node:fs'); const e = process.env;",
    'const req = https.request(e.D1_TOKEN_URL, { method: "POST", ca: fs.readFileSync(e.D1_TLS_CA), cert: fs.readFileSync(e.D1_TLS_CLIENT_CERT), key: fs.readFileSync(e.D1_TLS_CLIENT_KEY), minVersion: "TLSv1.2", headers: { "content-type": "application/x-www-form-urlencoded" } },',
    '  (res) => { res.resume(); res.on("end", () => console.log("token call answered " + res.statusCode)); });',
    'req.on("error", (err) => { console.log("failed " + err.code); process.exitCode = 3; }); req.end("grant_type=x");',
  ].join('\n'),
];

/** A command that calls D1 trusting its server but presenting no client certificate: on the token path and on a path D1 does not have. */
const NO_CERT_CALLS = [
  process.execPath,
  '-e',
  [
    "const https = require('node:https'); const fs = require('node:fs'); const e = process.env; const ca = fs.readFileSync(e.D1_TLS_CA);",
    'const one = (url) => new Promise((done) => { const req = https.request(url, { method: "POST", ca }, (res) => { res.resume(); res.on("end", () => { console.log("answered " + res.statusCode); done(); }); }); req.on("error", (err) => { console.log("failed " + err.code); done(); }); req.end("{}"); });',
    'one(e.D1_TOKEN_URL).then(() => one(e.D1_BASE_URL + "/no/such/api"));',
  ].join('\n'),
];

describe('client-check --tls', () => {
  it('the bundled reference client passes over mutual TLS with zero findings, IN-TLS-001..003 PASSED', { timeout: 120_000 }, async () => {
    const dir = tmp();
    const before = new Set(readdirSync(tmpdir()).filter((d) => d.startsWith(`d1c-tls-${process.pid}-`)));
    const result = await runMain(['client-check', '--tls', '--out', dir]);
    expect(result.stderr).toContain('https://127.0.0.1:');
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(report.summary.verdict).toBe('PASSED');
    expect(findings(report)).toEqual([]);
    for (const id of ['IN-TLS-001', 'IN-TLS-002', 'IN-TLS-003']) expect(statusOf(report, id)?.status, id).toBe('PASSED');
    expect(report.target.baseUrl).toMatch(/^https:/);
    expect(report.replay).toBe('npx d1-conformance client-check --tls');
    expect(existsSync(join(dir, 'd1-tls-ca.pem'))).toBe(true);
    expect(everything(dir, result)).not.toMatch(/PRIVATE KEY/);
    // The client key made for the command lived in a temporary directory that is gone.
    expect(readdirSync(tmpdir()).filter((d) => d.startsWith(`d1c-tls-${process.pid}-`) && !before.has(d))).toEqual([]);
  });

  it('without --tls the mTLS rules stay SKIPPED, saying what they need', async () => {
    const dir = tmp();
    const result = await runMain(['client-check', '--out', dir, '--report', 'json']);
    expect(result.code).toBe(0);
    const rule = statusOf(readReport(dir), 'IN-TLS-001');
    expect(rule?.status).toBe('SKIPPED');
    expect(rule?.reason).toContain('mTLS is not simulated');
    expect(rule?.needs).toContain('client-check --tls');
  });

  it('the client-cert-rsa-2048 variant (TLS on by itself) warns on exactly IN-TLS-002', { timeout: 120_000 }, async () => {
    const dir = tmp();
    const result = await runMain(['client-check', '--variant', 'client-cert-rsa-2048', '--out', dir, '--report', 'json']);
    const report = readReport(dir);
    expect(findings(report)).toEqual(['IN-TLS-002 WARNING']);
    expect(result.code).toBe(0);
  });

  it("signs the issuer's CSR (config tls.csr) with the simulated Thales CA: IN-TLS-001 PASSED for its own command", { timeout: 60_000 }, async () => {
    const keysDir = tmp();
    const made = await runMain(['keys', '--csr', '--out', keysDir, '--cn', 'TLSMA-EC/ISSUER0001/PPR']);
    expect(made.code).toBe(0);
    const dir = tmp();
    const config = join(keysDir, 'd1-client.json');
    writeFileSync(config, JSON.stringify({ tls: { csr: 'd1-tls-client.csr.pem', clientKey: 'd1-tls-client.key.pem' }, command: TLS_CALL }));
    const result = await runMain(['client-check', '--config', config, '--out', dir, '--report', 'json']);
    expect(result.stderr).toContain('token call answered');
    const report = readReport(dir);
    for (const id of ['IN-TLS-001', 'IN-TLS-002', 'IN-TLS-003']) expect(statusOf(report, id)?.status, id).toBe('PASSED');
    // The signed certificate is public and kept with the report; the key stays where the issuer put it.
    const facts = await certificateFacts(readFileSync(join(dir, 'd1-tls-client.cert.pem'), 'utf8'));
    expect(facts.commonName).toBe('TLSMA-EC/ISSUER0001/PPR');
    expect(facts.issuer).toContain('simulated Thales CA');
    expect(everything(dir, result)).not.toMatch(/PRIVATE KEY/);
  });

  it('lets a brought certificate in: graded on key, signature and CN, IN-TLS-001 SKIPPED saying why', { timeout: 60_000 }, async () => {
    const own = tmp();
    const ca = await createAuthority('bank own CA', { days: 1 });
    const pem = await issueCertificate(ca, { commonName: 'TLSMA-EC/ISSUER0001/PRD', usage: 'client' });
    writeFileSync(join(own, 'client.cert.pem'), pem.certPem);
    writeFileSync(join(own, 'client.key.pem'), pem.keyPem, { mode: 0o600 });
    const config = join(own, 'd1-client.json');
    writeFileSync(config, JSON.stringify({ tls: { clientCert: 'client.cert.pem', clientKey: 'client.key.pem' }, command: TLS_CALL }));
    const dir = tmp();
    const result = await runMain(['client-check', '--config', config, '--out', dir, '--report', 'json']);
    expect(result.stderr).toContain('token call answered');
    const report = readReport(dir);
    expect(statusOf(report, 'IN-TLS-001')).toMatchObject({ status: 'SKIPPED', reason: expect.stringMatching(/brought/) as unknown });
    expect(statusOf(report, 'IN-TLS-002')?.status).toBe('PASSED');
    expect(statusOf(report, 'IN-TLS-003')?.status).toBe('PASSED');
    expect(everything(dir, result)).not.toMatch(/PRIVATE KEY/);
  });

  it('a command presenting no client certificate is answered 403 and FAILED under IN-TLS-001 (exit 1)', { timeout: 60_000 }, async () => {
    const dir = tmp();
    const result = await runMain(['client-check', '--tls', '--out', dir, '--report', 'json', '--', ...NO_CERT_CALLS]);
    expect(result.stderr).toContain('answered 403');
    expect(result.stderr).not.toContain('failed');
    const report = readReport(dir);
    expect(findings(report)).toEqual(['IN-TLS-001 FAILED']);
    expect(report.summary.verdict).toBe('FAILED');
    expect(result.code).toBe(1);
  });

  it('refuses a config with both a CSR and a brought certificate, naming the key', async () => {
    const own = tmp();
    const config = join(own, 'd1-client.json');
    writeFileSync(config, JSON.stringify({ tls: { csr: 'a.csr', clientCert: 'c.pem', clientKey: 'k.pem' } }));
    const result = await runMain(['client-check', '--config', config, '--out', tmp()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/tls/);
  });
});

describe('simulate --tls', () => {
  it('prints the https URLs and the D1_TLS_* paths (never a key), grades a call over mutual TLS, and removes the client key when stopped', async () => {
    const dir = tmp();
    const out: string[] = [];
    let listening: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    const exited = simulateCommand(['--tls', '--out', dir, '--report', 'json'], {
      out: (t) => {
        out.push(t);
        if (t.includes('Stop with Ctrl-C')) listening();
      },
      err: () => undefined,
      stopped,
    });
    await Promise.race([ready, exited.then(() => Promise.reject(new Error('simulate ended early')))]);
    const printed = out.join('\n');
    expect(printed).not.toMatch(/PRIVATE KEY/);
    const env: Record<string, string | undefined> = Object.fromEntries([...printed.matchAll(/^export (D1_[A-Z_]+)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']));
    expect(env.D1_BASE_URL).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const agent = new Agent({
      connect: { ca: readFileSync(env.D1_TLS_CA ?? '', 'utf8'), cert: readFileSync(env.D1_TLS_CLIENT_CERT ?? '', 'utf8'), key: readFileSync(env.D1_TLS_CLIENT_KEY ?? '', 'utf8') },
    });
    const res = await request(env.D1_TOKEN_URL ?? '', { method: 'POST', body: 'grant_type=x', headers: { 'content-type': 'application/x-www-form-urlencoded' }, dispatcher: agent });
    await res.body.text();
    await agent.close();
    expect(res.statusCode).not.toBe(403);
    stop('SIGINT');
    await exited;
    const report = readReport(dir);
    for (const id of ['IN-TLS-001', 'IN-TLS-002', 'IN-TLS-003']) expect(statusOf(report, id)?.status, id).toBe('PASSED');
    expect(existsSync(env.D1_TLS_CLIENT_KEY ?? '')).toBe(false);
  });
});

describe('keys --csr', () => {
  it('writes a mode 0600 key and a CSR the simulated CA signs, printing no key', async () => {
    const dir = tmp();
    const result = await runMain(['keys', '--csr', '--out', dir, '--cn', 'TLSMA-EC/ISSUER0001/PPR']);
    expect(result.code).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/PRIVATE KEY|BEGIN/);
    const keyPath = join(dir, 'd1-tls-client.key.pem');
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const csr = readFileSync(join(dir, 'd1-tls-client.csr.pem'), 'utf8');
    expect(csr).toContain('-----BEGIN CERTIFICATE REQUEST-----');
    const ca = await createAuthority('simulated Thales CA', { days: 1 });
    const facts = await certificateFacts(await signCsr(ca, csr));
    expect(facts).toMatchObject({ commonName: 'TLSMA-EC/ISSUER0001/PPR', keyType: 'EC', curve: 'P-256', signatureAlgorithm: 'ecdsa-with-SHA256' });
    // Never overwrites.
    expect((await runMain(['keys', '--csr', '--out', dir])).code).toBe(2);
  });

  it('takes rsa-4096 and refuses a key type D1 does not allow', { timeout: 60_000 }, async () => {
    const dir = tmp();
    expect((await runMain(['keys', '--csr', '--key-type', 'rsa-4096', '--out', dir, '--cn', 'TLSMA-RSA/ISSUER0001/PRD'])).code).toBe(0);
    const ca = await createAuthority('simulated Thales CA', { days: 1 });
    const facts = await certificateFacts(await signCsr(ca, readFileSync(join(dir, 'd1-tls-client.csr.pem'), 'utf8')));
    expect(facts).toMatchObject({ keyType: 'RSA', keyBits: 4096 });
    const refused = await runMain(['keys', '--csr', '--key-type', 'rsa-2048', '--out', tmp()]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--key-type must be ec-p256 or rsa-4096/);
  });
});
