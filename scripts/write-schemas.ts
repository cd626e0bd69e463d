// `npm run schemas`: writes the published JSON Schemas (schemas/) from the zod schemas.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsonSchemaText, PUBLISHED_SCHEMAS } from '../src/cli/json-schemas.js';

const dir = join(import.meta.dirname, '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const file of PUBLISHED_SCHEMAS) writeFileSync(join(dir, file), jsonSchemaText(file));
console.log(`wrote ${PUBLISHED_SCHEMAS.length} schemas to schemas/`);
