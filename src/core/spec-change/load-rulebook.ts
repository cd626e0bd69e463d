import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RULEBOOK_VERSION } from '../../../contracts/index.js';
import { parseYamlText } from '../config/yaml-text.js';
import { ConfigurationError } from '../errors/index.js';
import { PACKAGE_ROOT } from '../util/module-paths.js';
import { BUILTIN_ENDPOINTS, builtinSnapshot } from './builtin.js';
import { importOpenApi, openApiDocuments, type ImportNote } from './openapi-import.js';
import { makeSnapshot, RulebookSnapshot } from './snapshot.js';

/**
 * A rulebook named on the command line: `builtin` (or the built-in version, e.g. 2026.12.2), an
 * earlier version shipped in contracts/rulebooks/, a
 * saved rulebook JSON (`import-openapi --out`), or D1 OpenAPI files (comma-separated), imported
 * onto the built-in rulebook.
 */

/** The D1 OpenAPI the built-in rulebook was written from (seed 004): what an import replaces. */
export const BASELINE_OPENAPI = join(PACKAGE_ROOT, 'contracts', 'openapi', 'd1-seed-004.json');
const MAX_SPEC_BYTES = 8 * 1024 * 1024;

/** The built-in rulebook of a released version, as `npm run rulebook-snapshot` wrote it. */
export function snapshotFile(version: string): string {
  return join(PACKAGE_ROOT, 'contracts', 'rulebooks', `${version}.json`);
}

export interface LoadedRulebook {
  readonly snapshot: RulebookSnapshot;
  readonly notes: readonly ImportNote[];
}

function readText(file: string): string {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    throw new ConfigurationError(`rulebook ${file}: no such file (give builtin, ${RULEBOOK_VERSION}, a rulebook JSON or D1 OpenAPI files)`);
  }
  if (size > MAX_SPEC_BYTES) throw new ConfigurationError(`rulebook ${file}: ${size} bytes, over the ${MAX_SPEC_BYTES / 1024 / 1024} MiB a D1 specification needs`);
  return readFileSync(file, 'utf8');
}

function documentsOf(file: string): Record<string, unknown>[] {
  const text = readText(file);
  try {
    return openApiDocuments(text, (t) => parseYamlText(t, `rulebook ${file}`, 64));
  } catch (e) {
    if (e instanceof ConfigurationError) throw e;
    throw new ConfigurationError(`rulebook ${file}: not JSON or YAML (${e instanceof Error ? e.message.split('\n')[0] ?? '' : String(e)})`);
  }
}

/**
 * The built-in rulebook with D1 OpenAPI documents in place of the seed it was written from: for the
 * endpoints the documents cover, every constraint an OpenAPI can carry comes from them; what the
 * rulebook adds beyond the seed (headers from the fact tables, hygiene and behaviour rules) stays.
 */
export function importRulebook(docs: readonly Record<string, unknown>[], label: string): LoadedRulebook {
  const base = builtinSnapshot();
  const baseline = importOpenApi(JSON.parse(readFileSync(BASELINE_OPENAPI, 'utf8')) as Record<string, unknown>[], base, BUILTIN_ENDPOINTS);
  const imported = importOpenApi(docs, base, BUILTIN_ENDPOINTS);
  const carried = new Set(baseline.constraints.map((c) => c.key));
  const covered = new Set(imported.covered);
  const kept = base.constraints.filter((c) => !(carried.has(c.key) && covered.has(c.endpoint)));
  const notes = [...imported.notes];
  for (const id of baseline.covered) if (!covered.has(id)) notes.push({ where: id, text: 'not in the documents: kept from the built-in rulebook' });
  const rules = [...base.rules, ...imported.newRules.map((r) => ({ id: r.id, title: r.title, level: 'MUST' as const, endpoints: [r.endpoint] }))];
  return { snapshot: makeSnapshot(label, `D1 OpenAPI ${label} imported onto rulebook ${base.version}`, rules, [...kept, ...imported.constraints]), notes };
}

/** `label`: the version an import is given (default: its file names). */
export function loadRulebook(spec: string, label?: string): LoadedRulebook {
  if (spec === 'builtin' || spec === RULEBOOK_VERSION) return { snapshot: builtinSnapshot(), notes: [] };
  // An earlier version by its name: the snapshot shipped with the package.
  if (/^\d{4}\.\d{1,2}\.\d+$/.test(spec)) {
    if (!existsSync(snapshotFile(spec))) throw new ConfigurationError(`rulebook ${spec}: no such version shipped (this is ${RULEBOOK_VERSION}); give a rulebook JSON or OpenAPI files`);
    return loadRulebook(snapshotFile(spec));
  }
  const files = spec.split(',').filter((f) => f !== '');
  if (files.length === 1 && files[0] !== undefined) {
    const text = readText(files[0]);
    if (text.includes('"d1-conformance-rulebook/1"')) {
      const parsed = RulebookSnapshot.safeParse(JSON.parse(text));
      if (!parsed.success) throw new ConfigurationError(`rulebook ${files[0]}: not a valid rulebook JSON (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return { snapshot: parsed.data, notes: [] };
    }
  }
  const docs = files.flatMap(documentsOf);
  if (docs.length === 0) throw new ConfigurationError(`rulebook ${spec}: no OpenAPI 3 document found (expected "openapi": "3.x" and paths)`);
  return importRulebook(docs, label ?? files.map((f) => f.split('/').slice(-2).join('/')).join('+'));
}
