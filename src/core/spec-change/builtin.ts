import { ENDPOINTS, MESSAGES, RULEBOOK_VERSION, RULES } from '../../../contracts/index.js';
import { endpointConstraints, makeSnapshot, messageConstraints, type RulebookSnapshot, type SnapshotEndpoint } from './snapshot.js';

/** The endpoints of the built-in rulebook, as snapshots and imports compare them. */
export const BUILTIN_ENDPOINTS: readonly SnapshotEndpoint[] = ENDPOINTS;

let cached: RulebookSnapshot | undefined;

/** The built-in rulebook as comparable constraints (its version: contracts/version.ts). */
export function builtinSnapshot(): RulebookSnapshot {
  cached ??= makeSnapshot(
    RULEBOOK_VERSION,
    `d1-conformance built-in rulebook ${RULEBOOK_VERSION}`,
    RULES,
    [...endpointConstraints(ENDPOINTS, RULES), ...MESSAGES.flatMap(messageConstraints)],
  );
  return cached;
}
