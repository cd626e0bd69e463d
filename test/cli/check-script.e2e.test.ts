import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run check` (scripts/check.mjs), the first half of `npm test`: one TypeScript program for the
 * type-check and the type-aware lint. Strictness is enforced, not claimed: a type error, a lint
 * error (a floating promise only the type-aware rules see) and a plain-JS lint error each fail it
 * with exit 1 and name the file; a clean project passes. Run in a small project of its own (the
 * repository's node_modules linked in): an exit code is what only a process shows.
 */

const ROOT = join(import.meta.dirname, '../..');
const SCRIPT = join(ROOT, 'scripts/check.mjs');
const run = promisify(execFile);
const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const CONFIG = `import tseslint from 'typescript-eslint';
export default tseslint.config(
  ...tseslint.configs.strictTypeChecked,
  { languageOptions: { parserOptions: { project: ['./tsconfig.json'], tsconfigRootDir: import.meta.dirname } } },
  { files: ['**/*.js', '**/*.mjs'], extends: [tseslint.configs.disableTypeChecked], rules: { 'no-unused-vars': 'error' } },
);
`;

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'd1c-check-'));
  roots.push(root);
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  writeFileSync(
    join(root, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2023', noEmit: true, skipLibCheck: true, types: [] }, include: ['src'] }),
  );
  writeFileSync(join(root, 'eslint.config.js'), CONFIG);
  mkdirSync(join(root, 'src'));
  for (const [name, text] of Object.entries({ 'src/ok.ts': 'export const answer: number = 42;\n', ...files })) writeFileSync(join(root, name), text);
  return root;
}

async function check(root: string): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [SCRIPT], { cwd: root, timeout: 120_000 });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, out: (failed.stdout ?? '') + (failed.stderr ?? '') };
  }
}

describe('npm run check (scripts/check.mjs)', () => {
  it('passes a clean project, and fails on a type error, a type-aware lint error and a plain-JS lint error, naming each', { timeout: 120_000 }, async () => {
    const clean = project({});
    const ok = await check(clean);
    expect(ok.out).toContain('0 type error(s)');
    expect(ok.code).toBe(0);

    const broken = project({
      'src/typed.ts': "export const n: number = 'not a number';\n",
      'src/floating.ts': 'async function later(): Promise<void> {}\nexport function go(): void {\n  later();\n}\n',
      'tool.mjs': 'const unused = 1;\n',
    });
    const bad = await check(broken);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/src\/typed\.ts\(1,14\): error TS2322/);
    expect(bad.out).toContain('@typescript-eslint/no-floating-promises');
    expect(bad.out).toMatch(/tool\.mjs[\s\S]*no-unused-vars/);
    expect(bad.out).toContain('1 type error(s)');
    expect(bad.out).toContain('3 lint error(s)');
  });
});
