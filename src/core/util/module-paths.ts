import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the running code and the package's files are, the same from the TypeScript sources
 * (tsx, vitest) and from the build in dist/ (what the bin runs): the package's own files
 * (package.json, the committed pacts) are found from its root, and a module started as a process
 * of its own (the Pact verifier's child, the reference client) with its file's extension.
 */

/** `.ts` when running from the sources, `.js` when running the build. */
export const MODULE_EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The folder holding the package's package.json (dist/ has none: the build sits inside the package). */
export const PACKAGE_ROOT = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('d1-conformance: package.json not found above the running code');
    dir = up;
  }
  return dir;
})();

/** A module of this package to run as a process, by its path without extension (`new URL('./x', import.meta.url)`). */
export function moduleFile(withoutExtension: URL): string {
  return `${fileURLToPath(withoutExtension)}${MODULE_EXT}`;
}

/** The Node options that run `file`: a TypeScript module needs tsx's loader (resolved from this package). */
export function nodeOptionsFor(file: string): string[] {
  return file.endsWith('.ts') ? ['--import', import.meta.resolve('tsx')] : [];
}
