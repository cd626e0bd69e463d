import { readFileSync } from 'node:fs';

/** The tool's version, as package.json states it (read once; reports and bundles carry it). */
export const TOOL_VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
