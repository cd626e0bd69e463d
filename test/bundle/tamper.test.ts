import { mkdir, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createWriteStream } from 'node:fs';
import { createGzip, gunzipSync, gzipSync } from 'node:zlib';
import { create } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ArchiveDamage, MAX_BUNDLE_BYTES, MAX_UNPACKED_BYTES, readTarGz } from '../../src/outputs/bundle/archive.js';
import { generateKeys, loadPrivateKey } from '../../src/core/keys/keys.js';
import { createBundle } from '../../src/outputs/bundle/pack.js';
import { main } from '../../src/cli/main.js';
import { sampleReport } from '../report/sample-report.js';

/**
 * `verify` against hostile archive bytes, in-process through main(): a bundle is exactly one gzip
 * member holding one tar stream ending with its end-of-archive marker, then zeros. Entries past
 * the marker, a second gzip member (both extracted by `tar -xizf`), damaged bytes and bombs are
 * all NOT VERIFIED, exit 1, one line; only a file that cannot be read at all is exit 2.
 */

let work: string;
let bundle: string;
let pub: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'd1c-bundle-tamper-'));
  const reportDir = join(work, 'report');
  await mkdir(reportDir);
  await writeFile(join(reportDir, 'report.json'), `${JSON.stringify(sampleReport(), null, 2)}\n`);
  const keys = await generateKeys(join(work, 'keys'));
  pub = keys.publicPath;
  bundle = (await createBundle({ reportDir, signer: await loadPrivateKey(keys.privatePath), out: join(work, 'bundle.tar.gz') })).path;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

async function verify(path: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['verify', path, '--pub', pub], (t) => out.push(t), (t) => err.push(t));
  return { code, out, err };
}

async function expectNotVerified(bytes: Buffer, name: string, pattern: RegExp): Promise<void> {
  const path = join(work, name);
  await writeFile(path, bytes);
  const { code, err } = await verify(path);
  expect(err, err.join('\n')).toHaveLength(1);
  expect(err[0]).toMatch(/^d1-conformance verify: NOT VERIFIED: /);
  expect(err[0]).toMatch(pattern);
  expect(code).toBe(1);
}

/** A tar stream (with its own end marker) of one smuggled file, as an attacker would append it. */
async function smuggledTar(): Promise<Buffer> {
  const stage = await mkdtemp(join(work, 'stage-'));
  await writeFile(join(stage, 'smuggled.sh'), 'echo owned\n');
  const chunks: Buffer[] = [];
  for await (const c of create({ cwd: stage, portable: true }, ['smuggled.sh'])) chunks.push(c);
  return Buffer.concat(chunks);
}

/** Where the tar's end-of-archive marker (the first all-zero 512-byte block) starts. */
function markerAt(tar: Buffer): number {
  for (let at = 0; at + 512 <= tar.length; at += 512) if (tar.subarray(at, at + 512).every((b) => b === 0)) return at;
  throw new Error('test setup: no end-of-archive marker');
}

describe('verify refuses archive bytes that are not exactly the bundle written', () => {
  it('verifies the untouched bundle (exit 0), and the same tar re-gzipped with trailing zero padding after the marker', async () => {
    expect((await verify(bundle)).code).toBe(0);
    const tar = gunzipSync(await readFile(bundle));
    const padded = join(work, 'padded.tar.gz');
    await writeFile(padded, gzipSync(Buffer.concat([tar, Buffer.alloc(10240)])));
    expect((await verify(padded)).code).toBe(0);
  });

  it('fails an entry appended after the tar end-of-archive marker (exit 1, one line naming it)', async () => {
    const tar = gunzipSync(await readFile(bundle));
    const smuggled = Buffer.concat([tar.subarray(0, markerAt(tar) + 1024), await smuggledTar()]);
    await expectNotVerified(gzipSync(smuggled), 'after-marker.tar.gz', /data after the tar end-of-archive marker.*tampered/);
  });

  it('fails a second gzip member appended (exit 1, one line naming it)', async () => {
    const appended = Buffer.concat([await readFile(bundle), gzipSync(await smuggledTar())]);
    await expectNotVerified(appended, 'two-members.tar.gz', /bytes after its gzip member \(a second gzip member appended\): tampered/);
    await expectNotVerified(Buffer.concat([await readFile(bundle), Buffer.from('junk')]), 'junk.tar.gz', /after its gzip member \(data appended\)/);
  });

  it('fails truncated and bit-flipped bundles with exit 1 (damaged), not exit 2', async () => {
    const bytes = await readFile(bundle);
    await expectNotVerified(bytes.subarray(0, 200), 'cut-200.tar.gz', /is damaged: corrupt or truncated gzip data/);
    await expectNotVerified(bytes.subarray(0, bytes.length - 4), 'cut-trailer.tar.gz', /is damaged: truncated gzip data/);
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(bytes.length / 2)] = (flipped[Math.floor(bytes.length / 2)] ?? 0) ^ 0x01;
    await expectNotVerified(flipped, 'flipped.tar.gz', /is damaged/);
    const crc = Buffer.from(bytes);
    crc[bytes.length - 8] = (crc[bytes.length - 8] ?? 0) ^ 0x01;
    await expectNotVerified(crc, 'bad-crc.tar.gz', /CRC-32 or size does not match/);
    await expectNotVerified(Buffer.from('{"not":"an archive"}\n'), 'not-gzip.tar.gz', /is not a \.tar\.gz archive \(no gzip header\)/);
    // A tar cut before its end-of-archive marker, properly gzipped: truncated, not "verified".
    const tar = gunzipSync(bytes);
    await expectNotVerified(gzipSync(tar.subarray(0, markerAt(tar))), 'no-marker.tar.gz', /no end-of-archive marker/);
  });

  it('keeps exit 2 for a file that cannot be read at all', async () => {
    const err: string[] = [];
    const code = await main(['verify', join(work, 'nope.tar.gz'), '--pub', pub], () => undefined, (t) => err.push(t));
    expect(code).toBe(2);
    expect(err).toEqual([`d1-conformance verify: cannot read ${join(work, 'nope.tar.gz')} (ENOENT)`]);
  });
});

describe('verify caps what it reads', () => {
  it('refuses a gzip bomb (200 MB of zeros, small on disk) at the unpacked cap, exit 1, one line', { timeout: 30_000 }, async () => {
    const bomb = join(work, 'bomb.tar.gz');
    const zeros = Buffer.alloc(1024 * 1024);
    await pipeline(
      Readable.from((function* () {
        for (let i = 0; i < 200; i++) yield zeros;
      })()),
      createGzip({ level: 9 }),
      createWriteStream(bomb),
    );
    const bytes = await readFile(bomb);
    expect(bytes.length).toBeLessThan(1024 * 1024);
    await expectNotVerified(bytes, 'bomb-copy.tar.gz', new RegExp(`unpacks to more than ${MAX_UNPACKED_BYTES} bytes: not a bundle d1-conformance wrote`));
  });

  it('stops unpacking at the cap given (the real bundle over a 4 KiB cap), and refuses input over the compressed cap', async () => {
    const bytes = await readFile(bundle);
    await expect(readTarGz(bytes, 'b', { compressed: MAX_BUNDLE_BYTES, unpacked: 4096 })).rejects.toThrow(ArchiveDamage);
    await expect(readTarGz(bytes, 'b', { compressed: MAX_BUNDLE_BYTES, unpacked: 4096 })).rejects.toThrow(/unpacks to more than 4096 bytes/);
    await expect(readTarGz(bytes, 'b', { compressed: 100, unpacked: MAX_UNPACKED_BYTES })).rejects.toThrow(/over the 100-byte cap/);
    // A sparse file over the cap: refused from its size, never read into memory.
    const huge = join(work, 'huge.tar.gz');
    await writeFile(huge, bytes);
    await truncate(huge, MAX_BUNDLE_BYTES + 1);
    const { code, err } = await verify(huge);
    expect(code).toBe(1);
    expect(err).toEqual([`d1-conformance verify: NOT VERIFIED: ${huge} is over the ${MAX_BUNDLE_BYTES}-byte cap: not a bundle d1-conformance wrote`]);
  });
});
