import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import layers, { layerOf, LAYERS } from '../../eslint-rules/layers.js';

/**
 * The picture of docs/architecture.md holds: every source file is in a layer, imports point down
 * (the lint rule, proved here both ways on the real rule), and no module imports itself back
 * through others (a cycle makes load order, and so the layers, a matter of luck).
 */

const ROOT = join(import.meta.dirname, '../..');
const SOURCE_ROOTS = ['src', 'contracts', 'fixtures', 'suites'];

function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The modules a file loads when it runs: `import type` and `export type` load nothing. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'(\.[^']+)'/gms), ...text.matchAll(/import\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1] as string);
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** An import statement of `spec` (built here, so that no tool rewriting imports touches the samples). */
let names = 0;
function importOf(spec: string, form: 'import' | 'export' | 'dynamic' = 'import'): string {
  const quoted = `'${spec}'`;
  const name = `a${String(names++)}`;
  return form === 'dynamic' ? `const ${name} = await import(${quoted});\n` : `${form} { a as ${name} } from ${quoted};\n`;
}

function lint(filename: string, code: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(code, [{ files: ['**/*.ts'], plugins: { layers }, rules: { 'layers/import-direction': 'error' } }], { filename: join(ROOT, filename) });
  return messages.map((m) => m.message);
}

describe('the layers', () => {
  const files = SOURCE_ROOTS.flatMap(filesUnder);

  it('every file under src/ is in a layer, and src/ has only the layer folders (api, the library entry, on top)', () => {
    const outside = files.filter((f) => f.startsWith('src/') && layerOf(f) === undefined);
    expect(outside).toEqual([]);
    expect(readdirSync(join(ROOT, 'src')).sort()).toEqual(['api', 'cli', 'client-side', 'core', 'outputs', 'server-side']);
    expect(LAYERS.map((l) => l.name)).toContain('core');
  });

  it('the lint rule refuses an upward import and lets a downward one through', () => {
    expect(lint('src/core/results/x.ts', importOf('../../cli/main.js'))).toEqual([expect.stringMatching(/^upward import: core .* may not import cli/)]);
    expect(lint('src/server-side/x.ts', importOf('../client-side/simulator/index.js'))).toEqual([expect.stringMatching(/^upward import: /)]);
    expect(lint('src/core/pact/x.ts', importOf('../../../fixtures/reference-issuer/index.js', 'export'))).toEqual([expect.stringMatching(/^upward import: /)]);
    expect(lint('src/core/x.ts', importOf('../outputs/report/index.js', 'dynamic'))).toEqual([expect.stringMatching(/^upward import: /)]);
    expect(lint('contracts/x.ts', importOf('../src/server-side/harness/kit.js'))).toEqual([expect.stringMatching(/^upward import: /)]);
    expect(lint('src/core/x.ts', importOf('../../test/cli/run-cli.js'))).toEqual([expect.stringMatching(/tests and benchmarks sit on top/)]);
    expect(lint('src/cli/x.ts', importOf('../core/results/model.js') + importOf('../../fixtures/reference-issuer/index.js'))).toEqual([]);
    expect(lint('suites/issuer-api/x.ts', importOf('../../src/server-side/harness/kit.js'))).toEqual([]);
    expect(lint('test/x.test.ts', importOf('../src/cli/main.js'))).toEqual([]);
  });

  it('no module imports itself back through others (runtime imports)', () => {
    const graph = new Map(files.map((f) => [f, runtimeImports(f).filter((t) => t !== f)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, path: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...path.slice(path.indexOf(f)), f].map((p) => relative(ROOT, join(ROOT, p))).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycles).toEqual([]);
    // The walk saw real edges (a parser that found none would pass vacuously).
    expect([...graph.values()].reduce((n, list) => n + list.length, 0)).toBeGreaterThan(500);
  });
});
