import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The package as a bank's pipeline gets it: `npm pack` (its prepack builds dist/ and the types),
 * the tarball installed in an empty folder from the registry (no network beyond it; the npm cache
 * first), and `run`, `client-check`, `rules` and the library entry used from there, with no
 * TypeScript loader and no vitest. Packed from a copy of the checkout, so the build it makes never
 * swaps the dist/ other tests' processes run from, and so private material can be planted in the
 * folders the allow-list must leave out.
 */

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const COPIED = [
  'package.json',
  'package-lock.json',
  'README.md',
  'tsconfig.json',
  'tsconfig.types.json',
  'bin',
  'scripts',
  'src',
  'contracts',
  'suites',
  'fixtures',
  'schemas',
  'examples',
  'docs',
];
/** Private material a careless allow-list would ship: each planted in the copy before packing. */
const PLANTED = ['keys/d1-issuer-assertion.private.jwk.json', 'reports/2026-12-01/report.json', 'fixtures/tls/server.key.pem', '.env', 'test/secret.test.ts'];

const work = mkdtempSync(join(tmpdir(), 'd1c-pack-'));
const source = join(work, 'source');
const app = join(work, 'app');
let files: string[] = [];
let tarball = '';

async function bin(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join(app, 'node_modules', '.bin', 'd1-conformance'), [...args], { cwd: app, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof failed.code === 'number' ? failed.code : -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

beforeAll(async () => {
  mkdirSync(source);
  for (const entry of COPIED) cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  for (const path of PLANTED) {
    mkdirSync(join(source, path, '..'), { recursive: true });
    writeFileSync(join(source, path), 'canary-private-material\n');
  }
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: source, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
  // prepack's own lines come first on stdout; the JSON after them.
  const json = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('\n['))) as { filename: string; files: { path: string }[] }[];
  files = json[0]?.files.map((f) => f.path) ?? [];
  tarball = join(work, json[0]?.filename ?? 'missing.tgz');
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'bank-pipeline', version: '1.0.0', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], { cwd: app, timeout: 300_000 });
}, 600_000);

afterAll(() => {
  // The folder stays for a look when a test failed; tmp is cleaned by the system.
});

describe('the npm package', () => {
  it('packs only the allow-list: the build, the bin, schemas, pacts, examples, docs; no planted private material, no sources or tests', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
    const allowed = [...pkg.files, 'package.json', 'README.md'];
    expect(files.length).toBeGreaterThan(100);
    expect(files.filter((f) => !allowed.some((a) => (a.endsWith('/') ? f.startsWith(a) : f === a)))).toEqual([]);
    for (const planted of PLANTED) expect(files).not.toContain(planted);
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(keys|reports|test|src|fixtures)\/|\.pem$|\.env$|private\.jwk/.test(f))).toEqual([]);
    for (const needed of [
      'bin/d1-conformance.js',
      'dist/src/cli/main.js',
      'dist/src/api/index.js',
      'dist/src/api/index.d.ts',
      'schemas/config.schema.json',
      'schemas/report.schema.json',
    ])
      expect(files).toContain(needed);
  });

  it('installs with its runtime dependencies only: no vitest, no TypeScript loader', () => {
    const installed = join(app, 'node_modules');
    expect(existsSync(join(installed, '@d1-conformance', 'harness', 'dist', 'src', 'cli', 'main.js'))).toBe(true);
    for (const dev of ['vitest', 'tsx', 'typescript', 'esbuild']) expect(existsSync(join(installed, dev)), dev).toBe(false);
  });

  it('run certifies the bundled reference issuer from the installed package', async () => {
    const out = join(work, 'run-report');
    const { code, stdout } = await bin(['run', '--out', out, '--runs', '2']);
    expect(stdout).toMatch(/^verdict: PASSED$/m);
    expect(code).toBe(0);
    expect((JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { summary: { verdict: string } }).summary.verdict).toBe('PASSED');
  });

  it('client-check runs the bundled reference client against the simulator from the installed package', async () => {
    const { code, stdout } = await bin(['client-check', '--out', join(work, 'client-report'), '--quiet']);
    expect(stdout).toMatch(/^verdict: PASSED; reports: /);
    expect(code).toBe(0);
  });

  it('rules, --version, diff and the library entry point (simulator, D1 Pact mock server, rulebook) work from there', async () => {
    const rules = await bin(['rules', '--json']);
    expect(rules.code).toBe(0);
    expect((JSON.parse(rules.stdout) as { rules: unknown[] }).rules.length).toBeGreaterThan(100);
    expect((await bin(['--version'])).stdout).toMatch(/^d1-conformance \d+\.\d+\.\d+ \(@d1-conformance\/harness\), rulebook /);
    // The seed the rulebook was written from ships with it: importing it changes nothing.
    const diff = await bin(['diff', 'builtin', join(app, 'node_modules', '@d1-conformance', 'harness', 'contracts', 'openapi', 'd1-seed-004.json')]);
    expect(diff.stdout).toContain('no change between');
    expect(diff.code).toBe(0);
    const script = [
      "import { startSimulator, withD1MockServer, RULES, RULEBOOK_VERSION, simulatedThalesTls, certificateFacts } from '@d1-conformance/harness';",
      "const sim = await startSimulator({ issuerId: 'ISSUER0001' });",
      'const { authority } = await simulatedThalesTls();',
      'const facts = await certificateFacts(authority.certPem);',
      'const ok = typeof withD1MockServer === "function" && RULES.length > 100 && typeof RULEBOOK_VERSION === "string" && facts.keyType === "EC";',
      'await sim.close();',
      "console.log(ok ? 'library ok' : 'library broken');",
    ].join('\n');
    writeFileSync(join(app, 'use.mjs'), script);
    const { stdout } = await run('node', ['use.mjs'], { cwd: app, timeout: 60_000 });
    expect(stdout.trim()).toBe('library ok');
    expect(readdirSync(join(app, 'node_modules', '@d1-conformance', 'harness', 'schemas'))).toContain('config.schema.json');
  });
});
