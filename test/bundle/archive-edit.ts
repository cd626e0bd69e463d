import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create, list } from 'tar';

/** One entry of a test archive; a name ending in `/` is a directory entry. */
export interface TarFile {
  readonly name: string;
  readonly data: Buffer;
}

/** Every entry of a .tar.gz, in order, read with the tar package (independently of src/bundle). */
export async function readArchive(path: string): Promise<TarFile[]> {
  const files: TarFile[] = [];
  await list({
    file: path,
    onReadEntry: (entry) => {
      const chunks: Buffer[] = [];
      entry.on('data', (c: Buffer) => chunks.push(c));
      entry.on('end', () => files.push({ name: entry.path, data: Buffer.concat(chunks) }));
    },
  });
  return files;
}

/**
 * Writes FILES, in order, as a new .tar.gz with the tar package: how an attacker would rebuild a
 * bundle after editing it. A name listed twice becomes two entries (with the last data given).
 */
export async function writeArchive(path: string, files: readonly TarFile[]): Promise<void> {
  const stage = await mkdtemp(join(tmpdir(), 'd1c-test-stage-'));
  try {
    for (const f of files) {
      if (f.name.endsWith('/')) await mkdir(join(stage, f.name), { recursive: true });
      else {
        await mkdir(dirname(join(stage, f.name)), { recursive: true });
        await writeFile(join(stage, f.name), f.data);
      }
    }
    await create({ gzip: true, file: path, cwd: stage, portable: true }, files.map((f) => f.name));
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}

/** A copy of DATA with one bit of one byte flipped (the middle byte unless told). */
export function flipByte(data: Buffer, at = Math.floor(data.length / 2)): Buffer {
  const copy = Buffer.from(data);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
}

/** Rebuilds ARCHIVE into OUT with the entry NAME replaced by EDIT(its data). */
export async function editEntry(archive: string, out: string, name: string, edit: (data: Buffer) => Buffer): Promise<void> {
  const files = await readArchive(archive);
  if (!files.some((f) => f.name === name)) throw new Error(`test setup: ${name} is not in ${archive}`);
  await writeArchive(
    out,
    files.map((f) => (f.name === name ? { name, data: edit(f.data) } : f)),
  );
}
