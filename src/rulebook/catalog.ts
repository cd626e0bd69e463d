import type { MessageDef } from './message.js';
import { Rule, type RuleRef } from './rule.js';
import { describeText, type FieldMeta } from './fields.js';
import { pathText, ruleRefs, walkFields } from './walk.js';

const KIND_RANK = ['schema', 'presence', 'profile', 'advice', 'hygiene', 'behaviour'] as const;

/** A title derived from the constraint itself, so the rulebook's words never drift from the check. */
function derivedTitle(meta: FieldMeta, path: string): string {
  switch (meta.kind) {
    case 'text':
      return `${path}: ${describeText(meta)}`;
    case 'enum':
      return `${path}: one of ${meta.values.join(', ')}`;
    case 'number':
      return `${path}: ${meta.int ? 'integer' : 'number'}${meta.min !== undefined ? ` >= ${meta.min}` : ''}`;
    case 'textOrNumber':
      return `${path}: string (or number, per policy)`;
    case 'object':
      return `${path}: ${meta.strict ? 'object with no undocumented properties' : 'object'}`;
    case 'array':
      return `${path}: array`;
  }
}

/**
 * The rulebook: every rule named by a message's fields (schema, presence, profile, advice), merged
 * by id across messages and paths, plus the behavioural rules. A behavioural entry with the same
 * id as a field rule gives it its title and kind; a level or source conflict is a contract bug.
 */
export function buildRulebook(messages: readonly MessageDef[], behaviour: readonly Rule[]): Rule[] {
  const byId = new Map<string, Rule>();
  const metaAt = new Map<string, FieldMeta>();

  const merge = (incoming: Rule) => {
    const existing = byId.get(incoming.id);
    if (!existing) {
      byId.set(incoming.id, incoming);
      return;
    }
    if (existing.level !== incoming.level) throw new Error(`rule ${incoming.id}: level ${existing.level} vs ${incoming.level}`);
    if (existing.direction !== incoming.direction) throw new Error(`rule ${incoming.id}: used in both directions`);
    const kind = KIND_RANK.indexOf(incoming.kind) < KIND_RANK.indexOf(existing.kind) ? incoming.kind : existing.kind;
    byId.set(incoming.id, {
      ...existing,
      kind,
      endpoints: [...new Set([...existing.endpoints, ...incoming.endpoints])],
      fields: [...new Set([...existing.fields, ...incoming.fields])],
    });
  };

  for (const msg of messages) {
    metaAt.clear();
    for (const { path, meta } of walkFields(msg.field.meta)) metaAt.set(pathText(path), meta);
    // A response message is its body: name its fields `body.x` like a request's.
    const shown = (p: string) => (msg.part === 'request' ? p : p === '(root)' ? 'body' : `body.${p}`);
    for (const { ref, role, paths, text } of ruleRefs(msg.field.meta)) {
      const first = paths[0] ?? '(root)';
      const meta = metaAt.get(first);
      merge(fromRef(ref, role, msg, paths.map(shown), titleFor(ref, role, shown(first), meta, text)));
    }
  }
  for (const b of behaviour) {
    const existing = byId.get(b.id);
    if (existing) {
      if (existing.level !== b.level) throw new Error(`rule ${b.id}: level ${existing.level} vs ${b.level}`);
      byId.set(b.id, { ...existing, title: b.title, kind: b.kind, endpoints: [...new Set([...existing.endpoints, ...b.endpoints])] });
    } else byId.set(b.id, b);
  }
  return [...byId.values()].map((r) => Rule.parse(r)).sort((a, b) => compareIds(a.id, b.id));
}

function titleFor(ref: RuleRef, role: string, path: string, meta: FieldMeta | undefined, text: string | undefined): string {
  if (ref.title !== undefined) return ref.title;
  if (role === 'advice' && text !== undefined) return `${path}: ${text}`;
  if (role === 'presence') return `${path} is present`;
  if (role === 'schema' && meta) return derivedTitle(meta, path);
  return path;
}

function fromRef(ref: RuleRef, role: 'schema' | 'presence' | 'profile' | 'advice', msg: MessageDef, paths: string[], title: string): Rule {
  return {
    id: ref.id,
    title,
    level: ref.level ?? 'MUST',
    kind: role,
    direction: msg.direction,
    endpoints: [msg.endpoint],
    fields: paths,
    source: ref.source,
    confidence: ref.confidence ?? 'V',
    ...(ref.profile !== undefined ? { profile: ref.profile } : {}),
    ...(ref.policies ? { policies: [...ref.policies] } : {}),
    ...(ref.note !== undefined ? { note: ref.note } : {}),
  };
}

/** OUT before IN, then family, then number. */
export function compareIds(a: string, b: string): number {
  const [da = '', fa = '', na = '0'] = a.split('-');
  const [db = '', fb = '', nb = '0'] = b.split('-');
  if (da !== db) return da === 'OUT' ? -1 : 1;
  if (fa !== fb) return fa < fb ? -1 : 1;
  return Number(na) - Number(nb);
}
