import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { build, isStale } from '../../scripts/build.mjs';

/**
 * The build the bin runs (scripts/build.mjs): every module transpiled to dist/ in the same layout,
 * and stale as soon as a module or a folder of modules is newer than it, so that a checkout never
 * runs code older than its sources.
 */

const roots: string[] = [];
afterEach(() => {
  for (const r of roots.splice(0)) rmSync(r, { recursive: true, force: true });
});

function fakePackage(): string {
  const root = mkdtempSync(join(tmpdir(), 'd1c-build-'));
  roots.push(root);
  mkdirSync(join(root, 'src', 'core'), { recursive: true });
  mkdirSync(join(root, 'suites', 'issuer-api'), { recursive: true });
  writeFileSync(join(root, 'src', 'core', 'a.ts'), 'export const answer: number = 42;\nexport type Unused = { a: string };\n');
  writeFileSync(join(root, 'suites', 'issuer-api', 'x.suite.ts'), "import { answer } from '../../src/core/a.js';\nexport const x = answer satisfies number;\n");
  return root;
}

/** Dates the sources two minutes back and the last build one minute back: only what changes next is newer than the build. */
function ageBuild(root: string): void {
  const at = (seconds: number) => new Date(Date.now() - seconds * 1000);
  for (const path of ['src', 'src/core', 'src/core/a.ts', 'suites', 'suites/issuer-api', 'suites/issuer-api/x.suite.ts'])
    utimesSync(join(root, path), at(120), at(120));
  utimesSync(join(root, 'dist', '.built'), at(60), at(60));
  expect(isStale(root)).toBe(false);
}

describe('the build (scripts/build.mjs)', () => {
  it('transpiles every module to dist/ in the same layout, types removed, imports kept', async () => {
    const root = fakePackage();
    expect(isStale(root)).toBe(true);
    await build(root);
    const a = readFileSync(join(root, 'dist', 'src', 'core', 'a.js'), 'utf8');
    expect(a).toContain('const answer = 42;');
    expect(a).not.toContain('Unused');
    expect(readFileSync(join(root, 'dist', 'suites', 'issuer-api', 'x.suite.js'), 'utf8')).toMatch(/from ["']..\/..\/src\/core\/a.js["']/);
    expect(isStale(root)).toBe(false);
    // Built in a folder of its own, then swapped in: nothing left beside dist/.
    expect(existsSync(join(root, `dist.tmp-${process.pid}`))).toBe(false);
  });

  it('is stale when a module is edited, and fresh again once rebuilt', async () => {
    const root = fakePackage();
    await build(root);
    ageBuild(root);
    writeFileSync(join(root, 'src', 'core', 'a.ts'), 'export const answer: number = 43;\n');
    expect(isStale(root)).toBe(true);
    await build(root);
    expect(readFileSync(join(root, 'dist', 'src', 'core', 'a.js'), 'utf8')).toContain('43');
    expect(isStale(root)).toBe(false);
  });

  it('is stale when a module is removed (its folder changed), and the rebuild drops it', async () => {
    const root = fakePackage();
    await build(root);
    ageBuild(root);
    rmSync(join(root, 'suites', 'issuer-api', 'x.suite.ts'));
    expect(isStale(root)).toBe(true);
    await build(root);
    expect(existsSync(join(root, 'dist', 'suites', 'issuer-api', 'x.suite.js'))).toBe(false);
  });

  it('is stale with no build at all', () => {
    expect(isStale(fakePackage())).toBe(true);
  });
});
