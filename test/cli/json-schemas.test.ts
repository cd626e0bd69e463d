import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { jsonSchemaText, PUBLISHED_SCHEMAS } from '../../src/cli/json-schemas.js';
import { SCHEMA_FILES } from '../../src/cli/init/starter-configs.js';

/** The published JSON Schemas are the zod schemas the tool validates with: committed, current, and named by the starters. */
const dir = new URL('../../schemas/', import.meta.url);

describe('published JSON Schemas', () => {
  it('schemas/ holds exactly the published ones, each what the zod schemas give today (else: npm run schemas)', () => {
    expect(readdirSync(dir).sort()).toEqual([...PUBLISHED_SCHEMAS].sort());
    for (const file of PUBLISHED_SCHEMAS) expect(readFileSync(new URL(file, dir), 'utf8'), `${file}: run npm run schemas`).toBe(jsonSchemaText(file));
  });

  it('the config schemas allow the $schema and // keys the loaders drop, and refuse unknown keys as the tool does', () => {
    for (const file of Object.values(SCHEMA_FILES)) {
      const schema = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as {
        properties: Record<string, unknown>;
        additionalProperties: unknown;
        $id: string;
      };
      expect(schema.properties).toHaveProperty('$schema');
      expect(schema.properties).toHaveProperty('//');
      expect(schema.additionalProperties).toBe(false);
      expect(schema.$id).toMatch(new RegExp(`^https://unpkg\\.com/@d1-conformance/harness@[^/]+/schemas/${file.replace('.', '\\.')}$`));
    }
  });
});
