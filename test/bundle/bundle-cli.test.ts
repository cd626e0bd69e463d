import { createHash, randomBytes } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base64url, calculateJwkThumbprint, CompactSign, decodeProtectedHeader, importJWK, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrivateKey, loadPublicKey } from '../../src/core/keys/keys.js';
import { signDetached } from '../../src/outputs/bundle/signature.js';
import { verifyEntries } from '../../src/outputs/bundle/verify.js';
import { runMain, type CliResult } from '../cli/run-cli.js';
import { editEntry, flipByte, readArchive, writeArchive, type TarFile } from './archive-edit.js';

/**
 * The bundle commands end to end, in-process through main(): one real report (a short run against
 * the bundled reference issuer), real keys, real archives, tampered with the tar package.
 */

let work: string;
let reportDir: string;
let keyDir: string;
let otherKeyDir: string;
let bundle: string;
let bundleOut: CliResult;
let report: { seed: number; rulebook: { version: string; hash: string }; target: { baseUrl: string; issuerId: string }; summary: { verdict: string; certifiable: boolean }; configuration: unknown };

const priv = (dir: string) => join(dir, 'd1c-signing.private.jwk.json');
const pub = (dir: string) => join(dir, 'd1c-signing.public.jwk.json');
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const lines = (text: string) => text.trim().split('\n');

function expectOneLine(result: CliResult | undefined, code: number, pattern: RegExp): void {
  if (!result) throw new Error('no CLI result');
  expect(result.code, result.stderr).toBe(code);
  expect(lines(result.stderr)).toHaveLength(1);
  expect(result.stderr).toMatch(pattern);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'd1c-bundle-test-'));
  reportDir = join(work, 'report');
  keyDir = join(work, 'keys');
  otherKeyDir = join(work, 'other-keys');
  const [run, keys, otherKeys] = await Promise.all([
    runMain(['run', '--runs', '2', '--out', reportDir]),
    runMain(['keys', '--out', keyDir]),
    runMain(['keys', '--out', otherKeyDir]),
  ]);
  expect(run.code, run.stderr).toBe(0);
  expect(keys.code, keys.stderr).toBe(0);
  expect(otherKeys.code, otherKeys.stderr).toBe(0);
  // The HTML and JUnit reports are optional parts: stand-ins if this run did not write them, so the round trip carries them.
  for (const [name, text] of [['report.html', '<!doctype html><title>report</title>\n'], ['report.junit.xml', '<testsuites/>\n']] as const) {
    await writeFile(join(reportDir, name), text, { flag: 'wx' }).catch((e: unknown) => {
      if (!(e instanceof Error && 'code' in e && e.code === 'EEXIST')) throw e;
    });
  }
  report = JSON.parse(await readFile(join(reportDir, 'report.json'), 'utf8')) as typeof report;
  bundle = join(work, 'bundle.tar.gz');
  bundleOut = await runMain(['bundle', '--key', priv(keyDir), '--report', reportDir, '--out', bundle]);
  expect(bundleOut.code, bundleOut.stderr).toBe(0);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('d1-conformance keys', () => {
  it('writes an ES256 pair: private 0600 with d, public without, both with the RFC 7638 thumbprint as kid', async () => {
    const privateJwk = JSON.parse(await readFile(priv(keyDir), 'utf8')) as JWK;
    const publicJwk = JSON.parse(await readFile(pub(keyDir), 'utf8')) as JWK;
    expect((await stat(priv(keyDir))).mode & 0o777).toBe(0o600);
    expect(privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(typeof privateJwk.d).toBe('string');
    expect(publicJwk.d).toBeUndefined();
    const kid = await calculateJwkThumbprint(publicJwk, 'sha256');
    expect(publicJwk.kid).toBe(kid);
    expect(privateJwk.kid).toBe(kid);
    expect(privateJwk.x).toBe(publicJwk.x);
  });

  it('refuses to overwrite an existing key pair: exit 2, one line, files untouched', async () => {
    const before = await readFile(priv(keyDir));
    const result = await runMain(['keys', '--out', keyDir]);
    expectOneLine(result, 2, /already exists; refusing to overwrite/);
    expect(await readFile(priv(keyDir))).toEqual(before);
    expect(result.stdout + result.stderr).not.toContain((JSON.parse(before.toString()) as JWK).d);
  });
});

describe('d1-conformance bundle', () => {
  it('prints the archive path and the SHA-256 of the manifest it signed', async () => {
    const files = await readArchive(bundle);
    const manifest = files.find((f) => f.name === 'manifest.json');
    expect(bundleOut.stdout).toContain(`bundle: ${bundle}`);
    expect(manifest).toBeDefined();
    expect(bundleOut.stdout).toContain(`manifest sha256: ${sha256(manifest?.data ?? Buffer.alloc(0))}`);
  });

  it('packs exactly the manifest, its signature and the report parts, each listed with size and SHA-256', async () => {
    const files = await readArchive(bundle);
    expect(files.map((f) => f.name)).toEqual(['manifest.json', 'manifest.jws', 'report.json', 'configuration.json', 'report.html', 'report.junit.xml', 'summary.md']);
    const byName = new Map(files.map((f) => [f.name, f.data]));
    const manifest = JSON.parse(byName.get('manifest.json')?.toString() ?? '') as { parts: { name: string; size: number; sha256: string }[]; [k: string]: unknown };
    expect(manifest).toMatchObject({
      format: 'd1-conformance-bundle/1',
      tool: { name: 'd1-conformance' },
      rulebook: report.rulebook,
      seed: report.seed,
      target: report.target,
      verdict: report.summary.verdict,
      certifiable: report.summary.certifiable,
    });
    expect(manifest.parts.map((p) => p.name)).toEqual(files.slice(2).map((f) => f.name));
    for (const part of manifest.parts) {
      const data = byName.get(part.name) ?? Buffer.alloc(0);
      expect(part).toEqual({ name: part.name, size: data.length, sha256: sha256(data) });
    }
    // The report files are the run's bytes, unchanged; the configuration is the report's, secret-free.
    expect(byName.get('report.json')).toEqual(await readFile(join(reportDir, 'report.json')));
    expect(JSON.parse(byName.get('configuration.json')?.toString() ?? '')).toEqual(report.configuration);
    expect(byName.get('configuration.json')?.toString()).toContain('"clientSecret": "<removed>"');
  });

  it('signs manifest.json as a detached compact ES256 JWS naming the key by kid', async () => {
    const jws = (await readArchive(bundle)).find((f) => f.name === 'manifest.jws')?.data.toString() ?? '';
    expect(jws).toMatch(/^[\w-]+\.\.[\w-]+\n$/);
    const publicJwk = JSON.parse(await readFile(pub(keyDir), 'utf8')) as JWK;
    expect(decodeProtectedHeader(jws.trim())).toEqual({ alg: 'ES256', kid: publicJwk.kid, typ: 'd1-conformance-manifest+jws' });
  });

  it('refuses a report whose configuration still holds a secret, naming the key but not the value', async () => {
    const dir = join(work, 'leaky-report');
    await cp(reportDir, dir, { recursive: true });
    const leaky = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as { configuration: { auth: Record<string, unknown> } };
    leaky.configuration.auth.clientSecret = 'hunter2-not-removed';
    await writeFile(join(dir, 'report.json'), JSON.stringify(leaky));
    const out = join(work, 'leaky.tar.gz');
    const result = await runMain(['bundle', '--key', priv(keyDir), '--report', dir, '--out', out]);
    expectOneLine(result, 2, /refusing to bundle: configuration\.auth\.clientSecret still holds a value/);
    expect(result.stdout + result.stderr).not.toContain('hunter2');
    await expect(stat(out)).rejects.toThrow();
  });

  it('bundles the newest report under reports/ into the current directory when not told otherwise', async () => {
    const cwd = join(work, 'cwd');
    const older = join(cwd, 'reports', '2026-01-01T00-00-00-000Z');
    const newer = join(cwd, 'reports', '2025-12-31T00-00-00-000Z');
    await mkdir(join(cwd, 'reports', 'interrupted'), { recursive: true });
    await cp(reportDir, older, { recursive: true });
    await cp(reportDir, newer, { recursive: true });
    // "newest" is when the report was written, not the name: the later-named directory is older here.
    const newest = { ...report, seed: 4242 };
    await writeFile(join(newer, 'report.json'), JSON.stringify(newest));
    await utimes(join(older, 'report.json'), new Date('2026-01-01'), new Date('2026-01-01'));
    const result = await runMain(['bundle', '--key', priv(keyDir)], { cwd });
    expect(result.code, result.stderr).toBe(0);
    const [archive] = (await readdir(cwd)).filter((n) => n.endsWith('.tar.gz'));
    expect(archive).toMatch(/^d1-conformance-127\.0\.0\.1-\d{4}-\d{2}-\d{2}\.tar\.gz$/);
    expect(result.stdout).toContain(join(cwd, archive ?? ''));
    const manifest = (await readArchive(join(cwd, archive ?? ''))).find((f) => f.name === 'manifest.json');
    expect(JSON.parse(manifest?.data.toString() ?? '{}')).toMatchObject({ seed: 4242 });
  });

  it('gives exit 2 and one line, without quoting the file, for a private key file that is not a JWK', async () => {
    const broken = join(work, 'broken.private.jwk.json');
    await writeFile(broken, '{"kty":"EC","d":"TOPSECRET-d-value", oops');
    const result = await runMain(['bundle', '--key', broken, '--report', reportDir, '--out', join(work, 'never.tar.gz')]);
    expectOneLine(result, 2, /is not a JWK \(not JSON\)/);
    expect(result.stderr).not.toContain('TOPSECRET');
  });
});

describe('d1-conformance verify', () => {
  it('verifies an untouched bundle and summarizes verdict, certifiable, target, rulebook and seed', async () => {
    const result = await runMain(['verify', bundle, '--pub', pub(keyDir)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^verified: /);
    expect(result.stdout).toContain('5 parts intact');
    expect(result.stdout).toContain(`verdict ${report.summary.verdict}, certifiable ${report.summary.certifiable ? 'yes' : 'no'}`);
    expect(result.stdout).toContain(`target ${report.target.baseUrl} (issuerId ${report.target.issuerId}`);
    expect(result.stdout).toContain(`rulebook ${report.rulebook.version}`);
    expect(result.stdout).toContain(`seed ${report.seed}`);
  });

  it('fails (exit 1, one line) when one byte of report.json changed, naming the part', async () => {
    const tampered = join(work, 'tampered-report.tar.gz');
    await editEntry(bundle, tampered, 'report.json', (d) => flipByte(d));
    expectOneLine(await runMain(['verify', tampered, '--pub', pub(keyDir)]), 1, /NOT VERIFIED: part "report\.json": SHA-256 .* does not match/);
  });

  it('fails (exit 1, one line) when one byte of manifest.json changed: the signature', async () => {
    const tampered = join(work, 'tampered-manifest.tar.gz');
    await editEntry(bundle, tampered, 'manifest.json', (d) => flipByte(d));
    expectOneLine(await runMain(['verify', tampered, '--pub', pub(keyDir)]), 1, /NOT VERIFIED: signature: .*does not match manifest\.json/);
  });

  it('fails when a file is added to the archive, naming it', async () => {
    const files = await readArchive(bundle);
    const extended = join(work, 'extended.tar.gz');
    await writeArchive(extended, [...files, { name: 'extra-evidence.txt', data: Buffer.from('trust me\n') }]);
    expectOneLine(await runMain(['verify', extended, '--pub', pub(keyDir)]), 1, /unexpected file "extra-evidence\.txt" not listed in manifest\.json/);
  });

  it('fails when a listed part is missing, a part appears twice, or a directory entry is smuggled in', async () => {
    const files = await readArchive(bundle);
    const cases: [string, TarFile[], RegExp][] = [
      ['missing', files.filter((f) => f.name !== 'summary.md'), /missing part "summary\.md"/],
      ['duplicate', [...files, ...files.filter((f) => f.name === 'report.json')], /duplicate entry "report\.json"/],
      ['directory', [...files, { name: 'evidence/', data: Buffer.alloc(0) }], /unexpected Directory entry "evidence\/"/],
    ];
    const results = await Promise.all(
      cases.map(async ([label, entries]) => {
        const path = join(work, `${label}.tar.gz`);
        await writeArchive(path, entries);
        return runMain(['verify', path, '--pub', pub(keyDir)]);
      }),
    );
    cases.forEach(([, , pattern], i) => {
      expectOneLine(results[i], 1, pattern);
    });
  });

  it("fails with another key's public key", async () => {
    expectOneLine(await runMain(['verify', bundle, '--pub', pub(otherKeyDir)]), 1, /NOT VERIFIED: signature: manifest\.jws was signed by kid .*not by the given public key/);
  });

  it('fails a forgery: report and manifest edited consistently, re-signed by another key claiming the real kid', async () => {
    const files = await readArchive(bundle);
    const realKid = (JSON.parse(await readFile(pub(keyDir), 'utf8')) as JWK).kid;
    const forgedReport = Buffer.from((files.find((f) => f.name === 'report.json')?.data.toString() ?? '').replace('"certifiable": false', '"certifiable": true'));
    const manifest = JSON.parse(files.find((f) => f.name === 'manifest.json')?.data.toString() ?? '') as { certifiable: boolean; parts: { name: string; size: number; sha256: string }[] };
    manifest.certifiable = true;
    manifest.parts = manifest.parts.map((p) => (p.name === 'report.json' ? { name: p.name, size: forgedReport.length, sha256: sha256(forgedReport) } : p));
    const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const attackerKey = await importJWK(JSON.parse(await readFile(priv(otherKeyDir), 'utf8')) as JWK, 'ES256');
    const [h, , s] = (await new CompactSign(manifestBytes).setProtectedHeader({ alg: 'ES256', kid: realKid, typ: 'd1-conformance-manifest+jws' }).sign(attackerKey)).split('.');
    const forged = join(work, 'forged.tar.gz');
    await writeArchive(
      forged,
      files.map((f) => (f.name === 'manifest.json' ? { name: f.name, data: manifestBytes } : f.name === 'manifest.jws' ? { name: f.name, data: Buffer.from(`${h ?? ''}..${s ?? ''}\n`) } : f.name === 'report.json' ? { name: f.name, data: forgedReport } : f)),
    );
    expectOneLine(await runMain(['verify', forged, '--pub', pub(keyDir)]), 1, /NOT VERIFIED: signature: manifest\.jws signature does not match/);
  });

  it('refuses a signature with any alg but ES256 (an HMAC keyed by anything)', async () => {
    const files = await readArchive(bundle);
    const manifestBytes = files.find((f) => f.name === 'manifest.json')?.data ?? Buffer.alloc(0);
    const realKid = (JSON.parse(await readFile(pub(keyDir), 'utf8')) as JWK).kid;
    const [h, , s] = (await new CompactSign(manifestBytes).setProtectedHeader({ alg: 'HS256', kid: realKid, typ: 'd1-conformance-manifest+jws' }).sign(randomBytes(32))).split('.');
    const path = join(work, 'hs256.tar.gz');
    await writeArchive(path, files.map((f) => (f.name === 'manifest.jws' ? { name: f.name, data: Buffer.from(`${h ?? ''}..${s ?? ''}\n`) } : f)));
    expectOneLine(await runMain(['verify', path, '--pub', pub(keyDir)]), 1, /signature: manifest\.jws uses alg "HS256"; only ES256 is accepted/);
  });

  it('notices every single-byte change of manifest.json and manifest.jws', async () => {
    const files = await readArchive(bundle);
    const verifier = await loadPublicKey(pub(keyDir));
    const entries = files.map((f) => ({ name: f.name, type: 'File', bytes: f.data }));
    expect((await verifyEntries(entries, verifier)).ok).toBe(true);
    let checked = 0;
    for (const name of ['manifest.json', 'manifest.jws']) {
      const original = entries.find((e) => e.name === name)?.bytes ?? Buffer.alloc(0);
      for (let at = 0; at < original.length; at++) {
        for (const mask of [0x01, 0x20, 0x80]) {
          const changed = Buffer.from(original);
          changed[at] = (changed[at] ?? 0) ^ mask;
          const result = await verifyEntries(entries.map((e) => (e.name === name ? { ...e, bytes: changed } : e)), verifier);
          expect(result.ok, `${name} byte ${at} ^ ${mask}`).toBe(false);
          checked++;
        }
      }
    }
    // Any byte value, not just bit flips, for the signature's last character: its spare bits must not be free.
    const jws = entries.find((e) => e.name === 'manifest.jws')?.bytes ?? Buffer.alloc(0);
    const last = jws.length - 2; // before the trailing newline
    for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_') {
      if (c.charCodeAt(0) === jws[last]) continue;
      const changed = Buffer.from(jws);
      changed[last] = c.charCodeAt(0);
      expect((await verifyEntries(entries.map((e) => (e.name === 'manifest.jws' ? { ...e, bytes: changed } : e)), verifier)).ok, `last char ${c}`).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('refuses a validly signed manifest that omits a required part or contradicts report.json', async () => {
    const files = await readArchive(bundle);
    const [signer, verifier] = await Promise.all([loadPrivateKey(priv(keyDir)), loadPublicKey(pub(keyDir))]);
    const original = JSON.parse(files.find((f) => f.name === 'manifest.json')?.data.toString() ?? '') as { certifiable: boolean; parts: { name: string }[] };
    const resigned = async (manifest: object, drop?: string) => {
      const bytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
      const jws = Buffer.from(`${await signDetached(bytes, signer)}\n`);
      const entries = files
        .filter((f) => f.name !== drop)
        .map((f) => ({ name: f.name, type: 'File', bytes: f.name === 'manifest.json' ? bytes : f.name === 'manifest.jws' ? jws : f.data }));
      return verifyEntries(entries, verifier);
    };
    expect(await resigned(original)).toMatchObject({ ok: true });
    expect(await resigned({ ...original, parts: original.parts.filter((p) => p.name !== 'configuration.json') }, 'configuration.json')).toEqual({ ok: false, problems: ['manifest.json does not list configuration.json'] });
    expect(await resigned({ ...original, certifiable: !original.certifiable })).toEqual({ ok: false, problems: ['manifest.json disagrees with report.json on certifiable'] });
  });

  it('gives exit 2 and one line for a key file that is not a JWK, or a private key as --pub', async () => {
    const notJson = join(work, 'not-json.jwk');
    const notJwk = join(work, 'not-jwk.json');
    await writeFile(notJson, 'this is not a key\n');
    await writeFile(notJwk, JSON.stringify({ kty: 'RSA', n: 'abc', e: 'AQAB' }));
    const [badJson, badJwk, asPub] = await Promise.all([notJson, notJwk, priv(keyDir)].map((key) => runMain(['verify', bundle, '--pub', key])));
    expectOneLine(badJson, 2, /--pub .* is not a JWK \(not JSON\)/);
    expectOneLine(badJwk, 2, /--pub .* is not an ES256 JWK/);
    expectOneLine(asPub, 2, /holds a private key; pass the public key/);
    expect(asPub?.stderr).not.toContain((JSON.parse(await readFile(priv(keyDir), 'utf8')) as JWK).d);
  });

  it('gives exit 2 for a missing bundle; exit 1 (not verified) for a file that is not an archive or is truncated', async () => {
    const notArchive = join(work, 'report-not-archive.tar.gz');
    await cp(join(reportDir, 'report.json'), notArchive);
    const truncated = join(work, 'truncated.tar.gz');
    await writeFile(truncated, (await readFile(bundle)).subarray(0, 200));
    const [missing, plain, cut] = await Promise.all([join(work, 'nope.tar.gz'), notArchive, truncated].map((path) => runMain(['verify', path, '--pub', pub(keyDir)])));
    expectOneLine(missing, 2, /cannot read .*nope\.tar\.gz \(ENOENT\)/);
    expectOneLine(plain, 1, /NOT VERIFIED: .* is not a \.tar\.gz archive/);
    expectOneLine(cut, 1, /NOT VERIFIED: .* is damaged: corrupt or truncated gzip data/);
  });

  it('round-trips the JWS through plain jose: BASE64URL(manifest.json) re-inserted verifies', async () => {
    const files = await readArchive(bundle);
    const manifestBytes = files.find((f) => f.name === 'manifest.json')?.data ?? Buffer.alloc(0);
    const [h, , s] = (files.find((f) => f.name === 'manifest.jws')?.data.toString().trim() ?? '').split('.');
    const { compactVerify } = await import('jose');
    const key = await importJWK(JSON.parse(await readFile(pub(keyDir), 'utf8')) as JWK, 'ES256');
    const { payload } = await compactVerify(`${h ?? ''}.${base64url.encode(manifestBytes)}.${s ?? ''}`, key);
    expect(Buffer.from(payload)).toEqual(manifestBytes);
  });
});
