import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../contracts/index.js';
import { Report } from '../../src/core/results/model.js';
import { simulateCommand } from '../../src/cli/commands/simulate-command.js';
import { runMain, type CliResult } from '../cli/run-cli.js';
import { expectVerdict } from './verdicts.js';

/**
 * `client-check` and `simulate` end to end, in-process through main() (the issuer's command is a
 * real process): the bundled reference client passes, a broken one fails on its rule, a failing
 * command with no finding is exit 2 with its exit code and last lines, bad input is one line.
 * Signals (Ctrl-C of client-check and simulate) are the e2e tests: client-check.e2e.test.ts.
 */

const CLIENT_RULES = RULES.filter((r) => r.direction === 'issuer-as-client').map((r) => r.id);

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'd1c-client-check-'));
}

function readReport(dir: string): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

function ruleStatus(report: Report, id: string): string | undefined {
  return report.rules.find((r) => r.ruleId === id)?.status;
}

function failed(report: Report): string[] {
  return report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId);
}

/** The temporary key directories client-check makes for the reference client, in this process (other test files run client-checks of their own meanwhile). */
function keyDirs(): string[] {
  return readdirSync(tmpdir()).filter((d) => d.startsWith(`d1c-client-${process.pid}-`));
}

/** One client-check of the bundled reference client (all report formats), shared by the tests that read it. */
let reference: Promise<{ dir: string; result: CliResult }> | undefined;
function referenceRun(): Promise<{ dir: string; result: CliResult }> {
  reference ??= (async () => {
    const dir = outDir();
    return { dir, result: await runMain(['client-check', '--out', dir]) };
  })();
  return reference;
}

describe('client-check with the bundled reference client', () => {
  it('passes: every call graded, nothing failed, untested rules NOT TESTED, mTLS and fault rules said why', async () => {
    const before = new Set(keyDirs());
    const { dir, result } = await referenceRun();
    expect(result.stderr).not.toMatch(/\n\s+at /);
    // The exit code is the written verdict, PASSED in every format (issue 12 item 11).
    expectVerdict(dir, result.code, 'PASSED');
    const report = readReport(dir);
    expect(report.direction).toBe('issuer-as-client');
    expect(report.target.reference).toBe(true);
    expect(report.rules.map((r) => r.ruleId).sort()).toEqual([...CLIENT_RULES].sort());
    expect(failed(report)).toEqual([]);
    for (const id of [
      'IN-AUTH-005',
      'IN-AUTH-007',
      'IN-AUTH-011',
      'IN-AUTH-016',
      'IN-CON-004',
      'IN-JWE-001',
      'IN-JWE-003',
      'IN-ID-001',
      'IN-ID-002',
      'IN-JWE-008',
      'IN-CARD-001',
    ]) {
      expect(ruleStatus(report, id), id).toBe('PASSED');
    }
    const tls = report.rules.find((r) => r.ruleId === 'IN-TLS-001');
    expect(tls?.status).toBe('SKIPPED');
    expect(tls?.reason).toContain('mTLS is not simulated');
    expect(report.rules.find((r) => r.ruleId === 'IN-RES-002')).toMatchObject({
      status: 'NOT_APPLICABLE',
      reason: 'fault injection is off (run with --faults)',
    });
    expect(report.rules.find((r) => r.ruleId === 'IN-AUTH-012')?.status).toBe('NOT_APPLICABLE');
    const notTested = report.rules.filter((r) => r.status === 'SKIPPED' && !r.ruleId.startsWith('IN-TLS-'));
    for (const r of notTested) expect(r.reason, r.ruleId).toMatch(/^NOT TESTED: /);
    expect(report.summary.certifiable).toBe(false);
    for (const file of ['report.json', 'report.junit.xml', 'report.html', 'summary.md', 'd1-jwe-public.jwk.json'])
      expect(existsSync(join(dir, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'd1-jwe-public.jwk.json'), 'utf8'))).not.toHaveProperty('d');
    // The reference client's private key lived in a temporary directory that is gone.
    expect(keyDirs().filter((d) => !before.has(d))).toEqual([]);
    // Nothing in clear: no PAN, no JWT, no email anywhere in the output or the reports.
    const everything = [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))].join('\n');
    expect(everything).not.toMatch(/4111111111111111|eyJ[A-Za-z0-9_-]{10,}\.eyJ/);
    expect(everything).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[a-z]{2,}/);
    expect(result.stdout).toContain('verdict: PASSED');
  });

  it('with --faults: survives the default fault plan with no finding, and leaves no MUST rule untested but mTLS', async () => {
    const dir = outDir();
    const result = await runMain(['client-check', '--faults', '--out', dir, '--report', 'json']);
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(failed(report)).toEqual([]);
    expect(report.rules.filter((r) => r.status === 'WARNING').map((r) => r.ruleId)).toEqual([]);
    for (const id of ['IN-RES-002', 'IN-RES-003', 'IN-RES-004', 'IN-COMPAT-001']) expect(ruleStatus(report, id), id).toBe('PASSED');
    const untestedMust = report.rules.filter((r) => r.level === 'MUST' && r.status === 'SKIPPED').map((r) => r.ruleId);
    expect(untestedMust).toEqual(['IN-TLS-001']);
  });

  it('bundles and verifies like a server report, the bundle saying which side it certifies', async () => {
    // The passing reference run above: bundled as it was written.
    const { dir, result } = await referenceRun();
    expect(result.code).toBe(0);
    const keysDir = join(outDir(), 'keys');
    expect((await runMain(['keys', '--out', keysDir])).code).toBe(0);
    const bundle = join(outDir(), 'client.tar.gz');
    expect((await runMain(['bundle', '--key', join(keysDir, 'd1c-signing.private.jwk.json'), '--report', dir, '--out', bundle])).code).toBe(0);
    const verified = await runMain(['verify', bundle, '--pub', join(keysDir, 'd1c-signing.public.jwk.json')]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('issuer as client, D1 simulator http://127.0.0.1:');
    expect(verified.stdout).toContain('bundled reference client');
  });

  it('fails a broken reference client on its rule (--variant assertion-hs256: IN-AUTH-005)', async () => {
    const dir = outDir();
    const result = await runMain(['client-check', '--variant', 'assertion-hs256', '--out', dir]);
    expectVerdict(dir, result.code, 'FAILED');
    expect(failed(readReport(dir))).toEqual(['IN-AUTH-005']);
    expect(result.stdout).toContain('IN-AUTH-005');
  });
});

describe('client-check with a command of the issuer', () => {
  it('gives the command D1_* variables; a failing command with no finding is exit 2 with its exit code and last lines', async () => {
    const dir = outDir();
    // Fetches D1's JWE key (an ungraded call), prints where D1 is, then fails on its own.
    const script = `
      const res = await fetch(process.env.D1_BASE_URL + '/.well-known/d1-jwe-key.json');
      const key = await res.json();
      const file = JSON.parse(require('node:fs').readFileSync(process.env.D1_JWE_PUBLIC_KEY, 'utf8'));
      console.log('kid matches', key.kid === process.env.D1_JWE_KID && file.kid === key.kid, process.env.D1_ISSUER_ID, process.env.D1_TOKEN_URL.endsWith('/authz/v1/oauth2/token'));
      console.log('assertion failed: expected 200, got 500');
      process.exit(3);`;
    const result = await runMain(['client-check', '--out', dir, '--', process.execPath, '--input-type=commonjs', '-e', `(async () => { ${script} })()`]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('kid matches true ISSUER0001 true');
    expect(result.stdout).toContain('error: the command made no call to the D1 simulator');
    expect(result.stdout).toContain('incomplete');
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const report = readReport(dir);
    expect(report.errors.join(' ')).toContain('made no call');
  });

  it('a command that calls D1 with a registered key and then fails with no finding: exit 2 naming exit code 5 and its last lines', async () => {
    const dir = outDir();
    const keysDir = join(outDir(), 'keys');
    expect((await runMain(['keys', '--for', 'issuer', '--out', keysDir])).code).toBe(0);
    const config = join(outDir(), 'client-check.json');
    writeFileSync(config, JSON.stringify({ issuerKeys: [{ publicKey: join(keysDir, 'd1-issuer-assertion.public.jwk.json') }], timeoutSeconds: 60 }));
    const script = `
      const { importJWK, SignJWT } = await import('jose');
      const jwk = JSON.parse(require('node:fs').readFileSync(process.env.PRIVATE_KEY, 'utf8'));
      const key = await importJWK(jwk, 'ES256');
      const id = process.env.D1_ISSUER_ID;
      const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).setIssuer(id).setSubject(id).setIssuedAt().setExpirationTime('5m').sign(key);
      const res = await fetch(process.env.D1_TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
      console.log('token status', res.status);
      console.log('my own assertion failed');
      process.exit(5);`;
    const result = await runMain(
      ['client-check', '--config', config, '--out', dir, '--', process.execPath, '--input-type=commonjs', '-e', `(async () => { ${script} })()`],
      {
        env: { PRIVATE_KEY: join(keysDir, 'd1-issuer-assertion.private.jwk.json') },
      },
    );
    expect(result.stderr).toContain('token status 200');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the command failed (exit code 5) and no finding explains it');
    expect(result.stderr).toContain('my own assertion failed');
    const report = readReport(dir);
    expect(failed(report)).toEqual([]);
    expect(ruleStatus(report, 'IN-AUTH-007')).toBe('PASSED');
    expect(report.command).toBe('node (+3 arguments)');
    // The written verdict agrees with the exit code, and says why.
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.errors).toEqual(['the command failed (exit code 5) and no finding explains it']);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('INCOMPLETE');
    // The replay names the user's config and their command, never its arguments.
    expect(report.replay).toBe(`npx d1-conformance client-check --config ${config} -- <your command>`);
  });

  it('registers an issuer key given as a PEM (SPKI) file', async () => {
    const dir = outDir();
    const work = outDir();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(join(work, 'issuer.pem'), await exportSPKI(publicKey));
    writeFileSync(join(work, 'issuer.private.jwk.json'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'pem-key-1' }));
    // Relative key paths are read from the config file's directory.
    writeFileSync(join(work, 'c.json'), JSON.stringify({ issuerKeys: [{ publicKey: 'issuer.pem', kid: 'pem-key-1' }] }));
    const script = `
      const { importJWK, SignJWT } = await import('jose');
      const jwk = JSON.parse(require('node:fs').readFileSync(process.env.PRIVATE_KEY, 'utf8'));
      const id = process.env.D1_ISSUER_ID;
      const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).setIssuer(id).setSubject(id).setIssuedAt().setExpirationTime('5m').sign(await importJWK(jwk, 'ES256'));
      const res = await fetch(process.env.D1_TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
      process.exit(res.status === 200 ? 0 : 1);`;
    const result = await runMain(
      [
        'client-check',
        '--config',
        join(work, 'c.json'),
        '--out',
        dir,
        '--report',
        'json',
        '--',
        process.execPath,
        '--input-type=commonjs',
        '-e',
        `(async () => { ${script} })()`,
      ],
      {
        env: { PRIVATE_KEY: join(work, 'issuer.private.jwk.json') },
      },
    );
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(ruleStatus(report, 'IN-AUTH-006')).toBe('PASSED');
    expect(ruleStatus(report, 'IN-AUTH-007')).toBe('PASSED');
    expect(report.configuration.issuerKeys).toEqual([{ kid: 'pem-key-1' }]);
  });

  it('a command that fails after answers with compat extras: IN-COMPAT-001 warning, exit 2 naming it', async () => {
    const dir = outDir();
    const work = outDir();
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    writeFileSync(join(work, 'issuer.pem'), await exportSPKI(publicKey));
    writeFileSync(join(work, 'issuer.private.jwk.json'), JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'k1' }));
    writeFileSync(join(work, 'c.json'), JSON.stringify({ issuerKeys: [{ publicKey: 'issuer.pem', kid: 'k1' }], faults: { compat: true } }));
    // A strict client: an unknown field in the token answer makes it give up.
    const script = `
      const { importJWK, SignJWT } = await import('jose');
      const jwk = JSON.parse(require('node:fs').readFileSync(process.env.PRIVATE_KEY, 'utf8'));
      const id = process.env.D1_ISSUER_ID;
      const assertion = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).setIssuer(id).setSubject(id).setIssuedAt().setExpirationTime('5m').sign(await importJWK(jwk, 'ES256'));
      const res = await fetch(process.env.D1_TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }) });
      const known = ['access_token', 'expires_in', 'token_type', 'scope'];
      const unknown = Object.keys(await res.json()).filter((k) => !known.includes(k));
      if (unknown.length > 0) { console.log('unexpected field in the token answer'); process.exit(1); }`;
    const result = await runMain(
      ['client-check', '--config', join(work, 'c.json'), '--out', dir, '--', process.execPath, '--input-type=commonjs', '-e', `(async () => { ${script} })()`],
      {
        env: { PRIVATE_KEY: join(work, 'issuer.private.jwk.json') },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the command failed (exit code 1) and no failed rule explains it (warnings that may: IN-COMPAT-001)');
    expect(result.stderr).toContain('unexpected field in the token answer');
    expect(ruleStatus(readReport(dir), 'IN-COMPAT-001')).toBe('WARNING');
  });

  it('stops a command that outlives --timeout (exit 2, report written)', async () => {
    const dir = outDir();
    const result = await runMain(['client-check', '--timeout', '1', '--out', dir, '--', process.execPath, '-e', 'setTimeout(() => {}, 30000)']);
    expect(result.code).toBe(2);
    expect(readReport(dir).errors.join(' ')).toContain('did not finish within 1 s');
  });
});

describe('client-check and simulate with bad input: one line, exit 2', () => {
  const oneLine = (r: { code: number; stderr: string }, fragment: string) => {
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(fragment);
  };

  it('an unknown config key', async () => {
    const config = join(outDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ issuerKey: [] }));
    oneLine(await runMain(['client-check', '--config', config, '--out', outDir()]), 'config key issuerKey: unknown key');
  });

  it('a private key registered as an issuer key', async () => {
    const keysDir = join(outDir(), 'keys');
    await runMain(['keys', '--for', 'issuer', '--out', keysDir]);
    const config = join(outDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ issuerKeys: [{ publicKey: join(keysDir, 'd1-issuer-assertion.private.jwk.json') }] }));
    const r = await runMain(['client-check', '--config', config, '--out', outDir()]);
    oneLine(r, 'holds a private key; register the public key only');
    expect(r.stderr).not.toMatch(/"d"\s*:/);
  });

  it('a command that does not exist (after the progress lines, one error line)', async () => {
    const r = await runMain(['client-check', '--out', outDir(), '--', '/nonexistent/integration-tests']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe('d1-conformance client-check: cannot start /nonexistent/integration-tests (ENOENT); no report written');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a bad fault plan', async () => {
    const config = join(outDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ faults: { faults: [{ endpoint: 'd1.nothing', nth: 1, kind: 'unavailable' }] } }));
    const r = await runMain(['client-check', '--config', config, '--out', outDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('--variant with a command of ones own', async () => {
    oneLine(await runMain(['client-check', '--variant', 'assertion-hs256', '--', 'true']), '--variant picks a broken reference client');
  });
});

describe('client-check with the independent client (fixtures/independent-client)', () => {
  const MAIN = join(import.meta.dirname, '../../fixtures/independent-client/main.ts');

  async function setUp(extra: Record<string, unknown> = {}) {
    const keysDir = join(outDir(), 'keys');
    expect((await runMain(['keys', '--for', 'issuer', '--out', keysDir])).code).toBe(0);
    const config = join(outDir(), 'client-check.json');
    writeFileSync(config, JSON.stringify({ issuerKeys: [{ publicKey: join(keysDir, 'd1-issuer-assertion.public.jwk.json') }], timeoutSeconds: 60, ...extra }));
    return { config, env: { ISSUER_SIGNING_KEY: join(keysDir, 'd1-issuer-assertion.private.jwk.json') } };
  }

  it('--faults: unrelated calls back to back and real retries, exit 0 with no IN-RES finding', async () => {
    const dir = outDir();
    const { config, env } = await setUp();
    const result = await runMain(['client-check', '--faults', '--config', config, '--out', dir, '--', process.execPath, '--import', 'tsx', MAIN], { env });
    expect(result.stderr).toContain('onboarding done');
    expect(result.code).toBe(0);
    const report = readReport(dir);
    expect(failed(report)).toEqual([]);
    for (const id of ['IN-RES-002', 'IN-RES-003', 'IN-RES-004']) expect(ruleStatus(report, id), id).toBe('PASSED');
    expect(report.ungraded).toEqual([]);
  });

  it('a call to an unsimulated D1 path (v1 consumer cards): listed in every report format, INCOMPLETE, exit 2', async () => {
    const dir = outDir();
    const { config, env } = await setUp();
    const result = await runMain(['client-check', '--config', config, '--out', dir, '--', process.execPath, '--import', 'tsx', MAIN], {
      env: { ...env, INDEPENDENT_CLIENT_MODE: 'v1-cards' },
    });
    expect(result.stderr).toContain('v1 registration with cards: 404');
    expect(result.code).toBe(2);
    const report = readReport(dir);
    expect(failed(report)).toEqual([]);
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.ungraded.map((u) => [u.method, u.path, u.likelyApi, u.count, u.outOfScope])).toEqual([
      ['PUT', '/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards', 'Register consumer with cards v1 (I8)', 1, false],
    ]);
    const files = readdirSync(dir).filter((f) => /\.(json|md|html|xml)$/.test(f) && f !== 'd1-jwe-public.jwk.json');
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).toContain('/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards');
    expect(result.stdout).toContain('Register consumer with cards v1 (I8)');
  });
});

describe('simulate and a call it does not simulate', () => {
  it('lists it in the report written when stopped: INCOMPLETE, exit 2', async () => {
    const dir = outDir();
    const out: string[] = [];
    let listening: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (listening = resolve));
    let stop: (signal: string) => void = () => undefined;
    const stopped = new Promise<string>((resolve) => (stop = resolve));
    // The command itself, told when to stop (how Ctrl-C stops it: client-check.e2e.test.ts).
    const exited = simulateCommand(['--out', dir, '--report', 'json,md'], {
      out: (t) => {
        out.push(t);
        if (t.includes('Stop with Ctrl-C')) listening();
      },
      err: () => undefined,
      stopped,
    });
    await Promise.race([ready, exited.then(() => Promise.reject(new Error('simulate ended early')))]);
    const base = /export D1_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(out.join('\n'))?.[1] ?? '';
    const res = await fetch(`${base}/banking/v1/issuers/ISSUER0001/cards/card-1/operations:suspend`, { method: 'POST' });
    expect(res.status).toBe(404);
    stop('SIGINT');
    expect(await exited).toBe(2);
    const report = readReport(dir);
    expect(report.ungraded.map((u) => u.likelyApi)).toEqual(['Card suspend / resume / delete / renew v1 (I12)']);
    expect(report.errors).toEqual([]);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('Card suspend / resume / delete / renew v1 (I12)');
  });
});

describe('client-check redaction (canary values)', () => {
  // A Luhn-valid test PAN the reference client registers instead of a random one, and its fixed consumer.
  const CANARY_PAN = '4111110000007208';
  const CANARIES = [CANARY_PAN, 'Camille', 'Durand-Lefevre', 'camille.durand', '612345678', 'Rue des Lilas', 'Quai Saint-Vincent'];

  it.each(['pan-in-clear-body', 'card-id-is-pan', 'consumer-id-email', 'new-token-per-call'])(
    '%s: findings with evidence, and no canary nor token in any output or report file',
    async (variant) => {
      const dir = outDir();
      const result = await runMain(['client-check', '--variant', variant, '--out', dir], { env: { D1_CLIENT_PAN: CANARY_PAN } });
      expect([0, 1]).toContain(result.code);
      const report = readReport(dir);
      expect(report.results.some((r) => r.evidence !== undefined)).toBe(true);
      const everything = [result.stdout, result.stderr, ...readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))].join('\n');
      for (const canary of CANARIES) expect(everything.toLowerCase(), canary).not.toContain(canary.toLowerCase());
      // The PAN did reach the evidence, masked: the scan above looked at the places it would be.
      if (variant === 'pan-in-clear-body' || variant === 'card-id-is-pan') expect(everything).toContain('411111******7208');
      expect(everything).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/);
    },
  );
});
