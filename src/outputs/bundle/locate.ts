import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../core/errors/index.js';

/**
 * The newest report under ROOT (`reports/` by default, where `run` writes): the directory whose
 * report.json was written last. Directories without a report.json (an interrupted run) are skipped.
 */
export async function newestReportDir(root: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    throw new UsageError(`no ${root}/ directory here; pass --report DIR`);
  }
  let best: { dir: string; mtimeMs: number } | undefined;
  for (const name of names) {
    const dir = join(root, name);
    const mtimeMs = await stat(join(dir, 'report.json')).then(
      (s) => s.mtimeMs,
      () => undefined,
    );
    if (mtimeMs === undefined) continue;
    // Ties (same mtime) go to the later name: run names directories by their start time.
    if (!best || mtimeMs > best.mtimeMs || (mtimeMs === best.mtimeMs && dir > best.dir)) best = { dir, mtimeMs };
  }
  if (!best) throw new UsageError(`no report under ${root}/ (run \`d1-conformance run\` first, or pass --report DIR)`);
  return best.dir;
}
