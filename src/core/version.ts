import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from './util/module-paths.js';

const PACKAGE = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

/** The tool's version, as package.json states it (read once; reports and bundles carry it). */
export const TOOL_VERSION: string = PACKAGE.version;

/** The npm package the tool is published as (its JSON Schemas are addressed by it). */
export const PACKAGE_NAME: string = PACKAGE.name;

/** Where a published JSON Schema of this version is: the package's own file, as the npm CDN serves it. */
export function schemaUrl(file: string): string {
  return `https://unpkg.com/${PACKAGE_NAME}@${TOOL_VERSION}/schemas/${file}`;
}
