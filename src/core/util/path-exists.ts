import { access } from 'node:fs/promises';

/** Whether anything is at `path` (a file, a folder, a link), for refusing to overwrite. */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
