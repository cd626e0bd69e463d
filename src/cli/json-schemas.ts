import { z } from 'zod';
import { ClientCheckConfig } from '../client-side/client-check/config.js';
import { RunConfig } from '../core/config/run-config.js';
import { Report } from '../core/results/model.js';
import { WaiversFile } from '../core/results/waivers.js';
import { AttestationsFile } from '../core/results/attestations.js';
import { schemaUrl } from '../core/version.js';
import { SpecDiff } from '../core/spec-change/diff.js';
import { RulebookSnapshot } from '../core/spec-change/snapshot.js';
import { SCHEMA_FILES } from './init/starter-configs.js';

/**
 * The JSON Schemas the package publishes (schemas/), derived from the zod schemas the tool itself
 * validates with, so an editor and the tool can never disagree. `npm run schemas` writes them;
 * test/cli/json-schemas.test.ts fails when the committed files are not what this gives.
 */
const SOURCES: Record<string, { schema: z.ZodType; io: 'input' | 'output'; title: string; annotated: boolean }> = {
  [SCHEMA_FILES.server]: { schema: RunConfig, io: 'input', title: 'd1-conformance run configuration (issuer as server)', annotated: true },
  [SCHEMA_FILES.client]: {
    schema: ClientCheckConfig,
    io: 'input',
    title: 'd1-conformance client-check / simulate configuration (issuer as client)',
    annotated: true,
  },
  'report.schema.json': { schema: Report, io: 'output', title: 'd1-conformance report.json', annotated: false },
  'waivers.schema.json': { schema: WaiversFile, io: 'input', title: 'd1-conformance waivers file', annotated: false },
  'attestations.schema.json': { schema: AttestationsFile, io: 'input', title: 'd1-conformance attestations file', annotated: false },
  'rulebook.schema.json': { schema: RulebookSnapshot, io: 'input', title: 'd1-conformance rulebook JSON (import-openapi --out)', annotated: false },
  'diff.schema.json': { schema: SpecDiff, io: 'input', title: 'd1-conformance rulebook diff (diff --json, run --rules-from)', annotated: false },
};

export const PUBLISHED_SCHEMAS: readonly string[] = Object.keys(SOURCES);

/** One published schema, as JSON text. */
export function jsonSchemaText(file: string): string {
  const source = SOURCES[file];
  if (!source) throw new Error(`no published schema ${file}`);
  const schema = z.toJSONSchema(source.schema, { io: source.io }) as Record<string, unknown> & { properties?: Record<string, unknown> };
  // The loaders drop `$schema` and `//` (a comment) before validating: the schema must allow them too.
  if (source.annotated && schema.properties)
    schema.properties = { $schema: { type: 'string' }, '//': { description: 'a comment, ignored' }, ...schema.properties };
  return `${JSON.stringify({ $id: schemaUrl(file), title: source.title, ...schema }, null, 2)}\n`;
}
