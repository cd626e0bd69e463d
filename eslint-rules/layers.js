// The architecture as a lint rule: each layer names what it may import, so an upward import fails
// `npm test` (docs/architecture.md draws the same picture). Plain JS: ESLint loads it as it is.
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

/** Bottom to top. A file belongs to the first layer whose path prefix it starts with. */
export const LAYERS = [
  { name: 'core-base', paths: ['src/core/util/', 'src/core/errors/', 'src/core/rulebook/', 'src/core/hygiene/'], imports: [] },
  { name: 'contracts', paths: ['contracts/'], imports: ['core-base'] },
  { name: 'core', paths: ['src/core/'], imports: ['core-base', 'contracts'] },
  { name: 'server-side', paths: ['src/server-side/'], imports: ['core-base', 'contracts', 'core'] },
  { name: 'client-side', paths: ['src/client-side/'], imports: ['core-base', 'contracts', 'core'] },
  { name: 'outputs', paths: ['src/outputs/'], imports: ['core-base', 'contracts', 'core'] },
  { name: 'suites', paths: ['suites/'], imports: ['core-base', 'contracts', 'core', 'server-side'] },
  { name: 'fixtures', paths: ['fixtures/'], imports: ['core-base', 'contracts', 'core'] },
  // The CLI wires everything, the bundled reference issuer and client included.
  { name: 'cli', paths: ['src/cli/'], imports: ['core-base', 'contracts', 'core', 'server-side', 'client-side', 'outputs', 'fixtures'] },
  // The package's library entry point: re-exports, nothing of its own.
  { name: 'api', paths: ['src/api/'], imports: ['core-base', 'contracts', 'core', 'server-side', 'client-side', 'outputs'] },
];

/** The layer of a repository-relative path, or undefined (tests, benchmarks, scripts, the launcher). */
export function layerOf(path) {
  return LAYERS.find((l) => l.paths.some((p) => path.startsWith(p)));
}

/** Why `from` may not import `to` (both repository-relative), or undefined when it may. */
export function refusal(from, to) {
  const a = layerOf(from);
  if (!a) return undefined;
  const b = layerOf(to);
  // Outside the layers (test/, bench/, a package): nothing in a layer imports the project's tests or benchmarks.
  if (!b) return /^(test|bench|scripts)\//.test(to) ? `${a.name} may not import ${to} (tests and benchmarks sit on top)` : undefined;
  if (a === b || a.imports.includes(b.name)) return undefined;
  return `${a.name} (${from}) may not import ${b.name} (${to}): ${a.name} imports only ${[a.name, ...a.imports].join(', ')}`;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'imports point down the layers of docs/architecture.md' }, schema: [] },
  create(context) {
    const from = relative(ROOT, context.filename).split(sep).join('/');
    const check = (node, source) => {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const to = relative(ROOT, resolve(dirname(context.filename), source)).split(sep).join('/');
      const why = refusal(from, to);
      if (why !== undefined) context.report({ node, message: `upward import: ${why}` });
    };
    const fromSource = (node) => {
      if (node.source) check(node, node.source.value);
    };
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => {
        if (node.source.type === 'Literal') check(node, node.source.value);
      },
    };
  },
};

export default { rules: { 'import-direction': rule } };
