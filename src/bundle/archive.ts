import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { create, Parser, type ReadEntry } from 'tar';
import { UsageError } from '../errors/index.js';

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

/** Far above any report; stops a gzip bomb before it fills memory. */
const MAX_UNPACKED_BYTES = 256 * 1024 * 1024;

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
 * write anywhere. Throws UsageError (exit 2) when the bytes are not a gzip'd tar at all.
 */
export async function readTarGz(archive: Buffer, label: string): Promise<ArchiveEntry[]> {
  if (archive.length < 2 || archive[0] !== 0x1f || archive[1] !== 0x8b) throw new UsageError(`${label} is not a .tar.gz archive (no gzip header)`);
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(archive, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    const tooBig = e instanceof RangeError || (e instanceof Error && 'code' in e && e.code === 'ERR_BUFFER_TOO_LARGE');
    throw new UsageError(`${label} is not a readable .tar.gz archive (${tooBig ? `unpacks to more than ${MAX_UNPACKED_BYTES} bytes` : 'corrupt gzip data'})`);
  }
  return new Promise((resolve, reject) => {
    const entries: ArchiveEntry[] = [];
    const fail = (why: string) => {
      reject(new UsageError(`${label} is not a readable tar archive (${why})`));
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
    parser.end(tarBytes);
  });
}
