import { createHash } from 'node:crypto';
import { z } from 'zod';
import { isStructure, type FieldMeta } from '../rulebook/fields.js';
import type { MessageDef } from '../rulebook/message.js';
import { Direction, Level, type Rule } from '../rulebook/rule.js';
import { pathKey, walkFields } from '../rulebook/walk.js';

/**
 * A rulebook as comparable data: every constraint D1 states (a field's type, pattern, lengths,
 * enum, whether it is required, an endpoint and its documented statuses), each under a stable key
 * (message, path, kind) and the rule that enforces it. The built-in rulebook, a saved snapshot
 * and an import of D1's OpenAPI all come down to this, so `diff` compares like with like and a
 * constraint keeps its rule id from version to version.
 */

export const ConstraintKind = z.enum(['endpoint', 'status', 'type', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'required', 'closed']);
export type ConstraintKind = z.infer<typeof ConstraintKind>;

export const Constraint = z.strictObject({
  /** `message|path|kind`: what the constraint is about, the same in every version. */
  key: z.string().min(1),
  ruleId: z.string().min(1),
  endpoint: z.string().min(1),
  direction: Direction,
  /** The message id (`issuer.getConsumerInfo.response.200`), or the endpoint id for endpoint and status constraints. */
  message: z.string().min(1),
  /** Who sends the message: a request, a response, or the endpoint itself. */
  part: z.enum(['request', 'response', 'endpoint']),
  /** Dotted field path in the message (`body.otp.value`); '' for the message itself. */
  path: z.string(),
  kind: ConstraintKind,
  value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
});
export type Constraint = z.infer<typeof Constraint>;

export const SnapshotRule = z.strictObject({ id: z.string(), title: z.string(), level: Level, endpoints: z.array(z.string()) });
export type SnapshotRule = z.infer<typeof SnapshotRule>;

export const RulebookSnapshot = z.strictObject({
  format: z.literal('d1-conformance-rulebook/1'),
  /** The built-in rulebook's version, or what an import was made from. */
  version: z.string().min(1),
  /** sha256 of the constraints: same constraints, same hash. */
  hash: z.string(),
  source: z.string(),
  rules: z.array(SnapshotRule),
  constraints: z.array(Constraint),
});
export type RulebookSnapshot = z.infer<typeof RulebookSnapshot>;

export function constraintKey(message: string, path: string, kind: ConstraintKind): string {
  return `${message}|${path}|${kind}`;
}

/** The JSON type a field's definition accepts. */
export function jsonType(meta: FieldMeta): string {
  switch (meta.kind) {
    case 'text':
    case 'enum':
      return 'string';
    case 'number':
      return meta.int ? 'integer' : 'number';
    case 'textOrNumber':
      return 'string|number';
    case 'object':
      return 'object';
    case 'array':
      return 'array';
  }
}

/** The constraints a message's field definitions state. */
export function messageConstraints(msg: MessageDef): Constraint[] {
  const out: Constraint[] = [];
  const part = msg.part;
  const add = (path: string, kind: ConstraintKind, ruleId: string, value: Constraint['value']) =>
    out.push({ key: constraintKey(msg.id, path, kind), ruleId, endpoint: msg.endpoint, direction: msg.direction, message: msg.id, part, path, kind, value });
  for (const { path, meta } of walkFields(msg.field.meta)) {
    const p = pathKey(path);
    // A structural grouping (the request's path/query/headers/body holder) states nothing itself.
    if (meta.kind === 'object' && meta.structural) {
      for (const [key, ref] of Object.entries(meta.required)) if (!isStructure(ref)) add(p === '' ? key : `${p}.${key}`, 'required', ref.id, true);
      continue;
    }
    const id = meta.rule.id;
    add(p, 'type', id, jsonType(meta));
    if (meta.kind === 'text') {
      if (meta.pattern) add(p, 'pattern', id, meta.pattern.regex.source);
      if (meta.min !== undefined) add(p, 'minLength', id, meta.min);
      if (meta.max !== undefined) add(p, 'maxLength', id, meta.max);
    }
    if (meta.kind === 'number') {
      if (meta.min !== undefined) add(p, 'minimum', id, meta.min);
      if (meta.max !== undefined) add(p, 'maximum', id, meta.max);
    }
    if (meta.kind === 'enum') add(p, 'enum', id, [...meta.values].sort());
    if (meta.kind === 'object') {
      for (const [key, ref] of Object.entries(meta.required)) if (!isStructure(ref)) add(p === '' ? key : `${p}.${key}`, 'required', ref.id, true);
      if (meta.strict) add(p, 'closed', id, true);
    }
  }
  return out;
}

export interface SnapshotEndpoint {
  readonly id: string;
  readonly direction: Direction;
  readonly method: string;
  readonly path: string;
  readonly statuses?: readonly number[];
}

/** The endpoint constraints: its method and path, and each documented status, under the endpoint's positive rule. */
export function endpointConstraints(endpoints: readonly SnapshotEndpoint[], rules: readonly Pick<Rule, 'id' | 'role' | 'endpoints'>[]): Constraint[] {
  const out: Constraint[] = [];
  for (const e of endpoints) {
    const ruleId = (rules.find((r) => r.role === 'positive' && r.endpoints.includes(e.id)) ?? rules.find((r) => r.endpoints.includes(e.id)))?.id;
    if (ruleId === undefined) continue;
    const base = { ruleId, endpoint: e.id, direction: e.direction, message: e.id, part: 'endpoint' as const };
    out.push({ ...base, key: constraintKey(e.id, '', 'endpoint'), path: '', kind: 'endpoint', value: `${e.method} ${e.path}` });
    for (const s of e.statuses ?? []) out.push({ ...base, key: constraintKey(e.id, `responses.${s}`, 'status'), path: `responses.${s}`, kind: 'status', value: s });
  }
  return out;
}

export function hashConstraints(constraints: readonly Constraint[]): string {
  const sorted = [...constraints].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // Fields in one order whatever order an object was built in: same constraints, same hash.
  const rows = sorted.map((c) => [c.key, c.ruleId, c.endpoint, c.direction, c.message, c.part, c.path, c.kind, c.value]);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

export function makeSnapshot(version: string, source: string, rules: readonly Pick<Rule, 'id' | 'title' | 'level' | 'endpoints'>[], constraints: readonly Constraint[]): RulebookSnapshot {
  const sorted = [...constraints].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    format: 'd1-conformance-rulebook/1',
    version,
    hash: hashConstraints(sorted),
    source,
    // Sorted: the order the contracts' modules load in is not part of the rulebook.
    rules: rules
      .map((r) => ({ id: r.id, title: r.title, level: r.level, endpoints: [...r.endpoints].sort() }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    constraints: sorted,
  };
}
