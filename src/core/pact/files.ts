import { join } from 'node:path';
import { PACKAGE_ROOT } from '../util/module-paths.js';
import type { PactSpec } from './interactions.js';

/** Where the generated pact files are kept in the repository (`npm run pacts` rewrites them). */
export const COMMITTED_PACTS_DIR = `${join(PACKAGE_ROOT, 'contracts', 'pacts')}/`;

/**
 * A pact file without what changes when nothing in the rulebook did: the versions of pact-js
 * and of the Pact Rust core that wrote it. The drift test compares files in this form.
 */
export function normalisePact(json: unknown): unknown {
  if (typeof json !== 'object' || json === null) return json;
  const pact = structuredClone(json) as { metadata?: Record<string, unknown> };
  if (pact.metadata) {
    Reflect.deleteProperty(pact.metadata, 'pact-js');
    Reflect.deleteProperty(pact.metadata, 'pactRust');
  }
  return pact;
}

/** Pact's own file naming: `<consumer>-<provider>.json`. */
export function pactFileName(pact: PactSpec): string {
  return `${pact.consumer}-${pact.provider}.json`;
}
