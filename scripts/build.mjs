// The build the bin runs: every TypeScript module of the package (src, contracts, suites,
// fixtures) transpiled file by file to dist/, same layout, no bundling, no type check (`npm test`
// type-checks). esbuild (tsx's own transformer) takes well under a second, so the bin can rebuild
// a stale dist/ in a checkout before it runs: it never runs code older than the sources.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['src', 'contracts', 'suites', 'fixtures'];
/** Written last in the build: its time is the build's (an interrupted build leaves none, so it is redone). */
const STAMP = '.built';

/** The package's TypeScript modules, and every folder walked (`root`: the package, this script's by default). */
function sources(root) {
  const files = [];
  const dirs = [];
  const walk = (dir) => {
    dirs.push(dir);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(root, dir))) walk(join(root, dir));
  return { files, dirs };
}

/** Whether dist/ is missing or older than a module, a folder (a module added, removed or renamed) or this script. */
export function isStale(root = ROOT) {
  let built;
  try {
    built = statSync(join(root, 'dist', STAMP)).mtimeMs;
  } catch {
    return true;
  }
  const { files, dirs } = sources(root);
  const script = join(root, 'scripts', 'build.mjs');
  return [...files, ...dirs, ...(existsSync(script) ? [script] : [])].some((path) => statSync(path).mtimeMs > built);
}

/**
 * Builds into a folder of its own, then swaps it in: a run already going (or a second bin
 * rebuilding at the same moment) never imports a half-written dist/.
 */
export async function build(root = ROOT) {
  const { build: esbuild } = await import('esbuild');
  const out = join(root, 'dist');
  const fresh = `${out}.tmp-${process.pid}`;
  const old = `${out}.old-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  mkdirSync(fresh, { recursive: true });
  await esbuild({
    entryPoints: sources(root).files,
    outdir: fresh,
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  writeFileSync(join(fresh, STAMP), `${new Date().toISOString()}\n`);
  try {
    renameSync(out, old);
  } catch {
    // No dist/ yet.
  }
  renameSync(fresh, out);
  rmSync(old, { recursive: true, force: true });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  await build();
  console.log(`built ${relative(process.cwd(), join(ROOT, 'dist')) || 'dist'}/ in ${Math.round(performance.now() - started)} ms`);
}
