import fc from 'fast-check';
import { checkMessage } from '../rulebook/check.js';
import type { FieldMeta } from '../rulebook/fields.js';
import { messageArb, type GenerateOptions } from '../rulebook/generate.js';
import type { MessageDef } from '../rulebook/message.js';

/**
 * Example values for the pact files: drawn from the rulebook's own generators with a fixed seed
 * (so the files are reproducible byte for byte) or taken from the reference issuer's test data,
 * and always checked against their contract before they are used.
 */

/** The seed of every generated example: change it and the committed pact files change. */
export const PACT_SEED = 20_261_100;

/** One generated valid value of a message, the same on every run. */
export function sample(msg: MessageDef, options: GenerateOptions = {}): Record<string, unknown> {
  const [value] = fc.sample(messageArb(msg, options), { seed: PACT_SEED, numRuns: 1 });
  if (typeof value !== 'object' || value === null) throw new Error(`generator of ${msg.id} gave no object`);
  return value as Record<string, unknown>;
}

/**
 * Keeps only the keys an object must carry: its required keys and, for the given profiles, the
 * keys the profile makes mandatory (recursively). That is what D1 relies on, so it is what an
 * interaction expects: optional data the issuer does not hold must not fail a verification.
 */
export function project(meta: FieldMeta, value: unknown, profiles: readonly string[] = []): unknown {
  if (meta.kind !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const keep = new Set(Object.keys(meta.required));
  for (const req of meta.profileRequired) if (profiles.includes(req.profile)) req.keys.forEach((k) => keep.add(k));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const child = meta.fields[k];
    if (child && keep.has(k)) out[k] = project(child, v, profiles);
  }
  return out;
}

/** Throws unless the value satisfies its contract (errors only; advice does not block an example). */
export function checked<T>(msg: MessageDef, value: T, profiles: readonly string[] = []): T {
  const result = checkMessage(msg, value, { profiles });
  if (!result.ok) {
    const first = result.violations.find((v) => v.severity === 'error');
    throw new Error(`pact example for ${msg.id} breaks ${first?.ruleId ?? '?'} at ${first?.path ?? '?'}`);
  }
  return value;
}
