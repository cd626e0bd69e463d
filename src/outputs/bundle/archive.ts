import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, createInflateRaw } from 'node:zlib';
import { create, Parser, type ReadEntry } from 'tar';

export interface ArchiveFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ArchiveEntry {
  readonly name: string;
  /** tar's entry type: only 'File' (or the equivalent 'OldFile') is acceptable in a bundle. */
  readonly type: string;
  readonly bytes: Buffer;
}

/**
 * Caps on what `verify` reads: far above any report we write (a few MiB), far below what would
 * hurt. A bundle over either cap is not one d1-conformance wrote, and a gzip bomb stops at the cap.
 */
export const MAX_BUNDLE_BYTES = 64 * 1024 * 1024;
export const MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

export interface ReadLimits {
  /** Largest archive file accepted, in bytes. */
  readonly compressed: number;
  /** Largest tar stream the gzip may unpack to, in bytes. */
  readonly unpacked: number;
}

export const DEFAULT_LIMITS: ReadLimits = { compressed: MAX_BUNDLE_BYTES, unpacked: MAX_UNPACKED_BYTES };

/** The bytes are not an intact bundle archive (damaged, tampered with, or too big): `verify` exits 1. */
export class ArchiveDamage extends Error {}

/**
 * Packs files, in the given order, into a .tar.gz held in memory. tar packs from disk, so the files
 * are staged in a private temporary directory that is always removed.
 */
export async function packTarGz(files: readonly ArchiveFile[], mtime: Date): Promise<Buffer> {
  const stage = await mkdtemp(join(tmpdir(), 'd1c-bundle-'));
  try {
    for (const f of files) await writeFile(join(stage, f.name), f.bytes, { mode: 0o644 });
    // portable: no uid/gid/user names of the signer's machine; one mtime for every entry.
    const chunks: Buffer[] = [];
    for await (const chunk of create(
      { gzip: true, cwd: stage, portable: true, mtime },
      files.map((f) => f.name),
    ))
      chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/**
 * Reads every entry of a .tar.gz in memory; nothing touches the disk, so a hostile archive cannot
 * write anywhere. The archive must be exactly what packTarGz writes: one gzip member (nothing
 * after it) holding one tar stream that ends with its end-of-archive marker, then zeros only.
 * Anything else throws ArchiveDamage: `tar -xiz` would extract a second member or an entry after
 * the marker, which node-tar (and so this check) would otherwise silently skip.
 */
export async function readTarGz(archive: Buffer, label: string, limits: ReadLimits = DEFAULT_LIMITS): Promise<ArchiveEntry[]> {
  const damaged = (why: string) => new ArchiveDamage(`${label} ${why}`);
  if (archive.length > limits.compressed) throw damaged(`is ${archive.length} bytes, over the ${limits.compressed}-byte cap: not a bundle d1-conformance wrote`);
  const body = gzipBodyStart(archive);
  if (typeof body === 'string') throw damaged(body);
  const { tar, deflateBytes } = await inflateCapped(archive.subarray(body), limits.unpacked).catch((e: unknown) => {
    throw damaged(e instanceof RangeError ? `unpacks to more than ${limits.unpacked} bytes: not a bundle d1-conformance wrote` : 'is damaged: corrupt or truncated gzip data');
  });
  const trailerAt = body + deflateBytes;
  if (archive.length < trailerAt + 8) throw damaged('is damaged: truncated gzip data (no CRC-32 and size trailer)');
  if (archive.readUInt32LE(trailerAt) !== crc32(tar) || archive.readUInt32LE(trailerAt + 4) !== tar.length % 2 ** 32)
    throw damaged("is damaged: the gzip CRC-32 or size does not match the data");
  if (archive.length > trailerAt + 8)
    throw damaged(`has ${archive.length - trailerAt - 8} bytes after its gzip member (${archive[trailerAt + 8] === 0x1f ? 'a second gzip member appended' : 'data appended'}): tampered`);
  const end = tarEnd(tar);
  if (typeof end === 'string') throw damaged(end);
  return parseTar(tar.subarray(0, end), label);
}

/** Where the deflate data of a gzip member starts (RFC 1952 header), or why there is no member. */
function gzipBodyStart(archive: Buffer): number | string {
  if (archive.length < 10 || archive[0] !== 0x1f || archive[1] !== 0x8b) return 'is not a .tar.gz archive (no gzip header)';
  if (archive[2] !== 8) return 'is damaged: unknown gzip compression method';
  const flags = archive[3] ?? 0;
  let at = 10;
  if (flags & 0x04) at += 2 + (archive.length >= 12 ? archive.readUInt16LE(10) : 0); // FEXTRA
  for (const flag of [0x08, 0x10]) {
    // FNAME, FCOMMENT: zero-terminated
    if (flags & flag) {
      const zero = archive.indexOf(0, at);
      if (zero < 0) return 'is damaged: truncated gzip header';
      at = zero + 1;
    }
  }
  if (flags & 0x02) at += 2; // FHCRC
  return at < archive.length ? at : 'is damaged: truncated gzip header';
}

/** Raw-inflates one deflate stream, streaming, and stops (RangeError) as soon as the output passes the cap. */
function inflateCapped(data: Buffer, cap: number): Promise<{ tar: Buffer; deflateBytes: number }> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    const chunks: Buffer[] = [];
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        inflate.destroy();
        reject(new RangeError('over the cap'));
      } else chunks.push(chunk);
    });
    inflate.on('error', reject);
    // The raw stream ends at the deflate end-of-stream; bytesWritten is the input it consumed.
    inflate.on('end', () => {
      resolve({ tar: Buffer.concat(chunks), deflateBytes: inflate.bytesWritten });
    });
    inflate.end(data);
  });
}

const BLOCK = 512;
const isZero = (bytes: Buffer) => bytes.every((b) => b === 0);

/**
 * The length of the tar stream up to and including its end-of-archive marker (two zero blocks),
 * walking the headers' size fields; or why the stream is not one. After the marker, only zeros.
 */
function tarEnd(tar: Buffer): number | string {
  let at = 0;
  while (at + BLOCK <= tar.length) {
    const header = tar.subarray(at, at + BLOCK);
    if (isZero(header)) {
      if (at + 2 * BLOCK > tar.length || !isZero(tar.subarray(at + BLOCK, at + 2 * BLOCK))) return 'is damaged: a lone zero block inside the tar stream';
      const end = at + 2 * BLOCK;
      return isZero(tar.subarray(end)) ? end : 'has data after the tar end-of-archive marker (an entry smuggled past it): tampered';
    }
    const size = entrySize(header);
    if (size === undefined) return 'is damaged: a tar header with an unreadable size';
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return 'is damaged: the tar stream has no end-of-archive marker (truncated)';
}

/** An entry's data size from its header: octal text, or GNU base-256 for huge values (never ours). */
function entrySize(header: Buffer): number | undefined {
  const field = header.subarray(124, 136);
  if ((field[0] ?? 0) & 0x80) return undefined;
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').trim();
  return /^[0-7]{1,11}$/.test(text) ? parseInt(text, 8) : text === '' ? 0 : undefined;
}

/** node-tar, strict, on a tar stream already known to be well framed: entries with name, type and bytes. */
function parseTar(tar: Buffer, label: string): Promise<ArchiveEntry[]> {
  return new Promise((resolve, reject) => {
    const entries: ArchiveEntry[] = [];
    const fail = (why: string) => {
      reject(new ArchiveDamage(`${label} is damaged: not a readable tar archive (${why})`));
    };
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        const chunks: Buffer[] = [];
        entry.on('data', (c: Buffer) => chunks.push(c));
        entry.on('end', () => entries.push({ name: entry.path, type: entry.type, bytes: Buffer.concat(chunks) }));
      },
    });
    // tar skips entries of unknown type, but GNU tar extracts them as files: they must not slip past.
    parser.on('ignoredEntry', (entry: ReadEntry) => {
      entries.push({ name: entry.path, type: `ignored ${entry.type}`, bytes: Buffer.alloc(0) });
    });
    parser.on('warn', (code: unknown) => {
      fail(String(code));
    });
    parser.on('error', (e: unknown) => {
      fail(e instanceof Error && 'code' in e ? String(e.code) : 'parse error');
    });
    parser.on('end', () => {
      resolve(entries);
    });
    parser.end(tar);
  });
}
