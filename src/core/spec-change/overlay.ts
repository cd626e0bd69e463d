import { fieldOf, type FieldMeta } from '../rulebook/fields.js';
import { defineMessage, type MessageDef } from '../rulebook/message.js';
import { definePattern } from '../rulebook/pattern.js';
import { isStructure } from '../rulebook/fields.js';
import type { RuleRef } from '../rulebook/rule.js';
import { constraintKey, type Constraint, type RulebookSnapshot } from './snapshot.js';

/**
 * A built-in message checked under another rulebook (`run --rulebook`): the same fields, with the
 * imported patterns, lengths, enums, required keys and closedness. Fields the imported rulebook
 * adds (new ids, OUT-OAS-*) are listed by `uncheckedAdditions`, never judged silently as passing.
 */

function patternOf(source: string, like: FieldMeta & { kind: 'text' }, origin: string) {
  const flags = like.pattern?.regex.flags ?? 'u';
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags.includes('u') ? flags : `${flags}u`);
  } catch {
    regex = new RegExp(source, flags.replace('u', ''));
  }
  return definePattern({ name: `${like.pattern?.name ?? 'pattern'} (${origin})`, regex, source: origin });
}

function rewrite(meta: FieldMeta, msg: string, path: string, at: ReadonlyMap<string, Constraint>, origin: string): FieldMeta {
  const value = (kind: Constraint['kind']) => at.get(constraintKey(msg, path, kind))?.value;
  const join = (key: string) => (path === '' ? key : `${path}.${key}`);
  switch (meta.kind) {
    case 'text': {
      const pattern = value('pattern');
      const min = value('minLength');
      const max = value('maxLength');
      const same = (pattern ?? undefined) === meta.pattern?.regex.source && min === meta.min && max === meta.max;
      if (same) return meta;
      const { pattern: _p, min: _min, max: _max, ...rest } = meta;
      return {
        ...rest,
        ...(typeof pattern === 'string' ? { pattern: pattern === meta.pattern?.regex.source ? meta.pattern : patternOf(pattern, meta, origin) } : {}),
        ...(typeof min === 'number' ? { min } : {}),
        ...(typeof max === 'number' ? { max } : {}),
      };
    }
    case 'enum': {
      const values = value('enum');
      if (!Array.isArray(values) || values.length === 0 || JSON.stringify([...meta.values].sort()) === JSON.stringify(values)) return meta;
      return { ...meta, values: values as [string, ...string[]] };
    }
    case 'number': {
      const min = value('minimum');
      const max = value('maximum');
      if (min === meta.min && max === meta.max) return meta;
      const { min: _min, max: _max, ...rest } = meta;
      return { ...rest, ...(typeof min === 'number' ? { min } : {}), ...(typeof max === 'number' ? { max } : {}) };
    }
    case 'textOrNumber':
      return meta;
    case 'array': {
      const item = rewrite(meta.item, msg, join('[]'), at, origin);
      return item === meta.item ? meta : { ...meta, item };
    }
    case 'object': {
      const fields = Object.fromEntries(Object.entries(meta.fields).map(([k, f]) => [k, rewrite(f, msg, join(k), at, origin)]));
      const required: Record<string, RuleRef> = {};
      for (const [key, field] of Object.entries(meta.fields)) {
        const ref = meta.required[key];
        // A structural part (path, query, headers, body holder) stays as the request builds it.
        if (ref && isStructure(ref)) required[key] = ref;
        else if (at.has(constraintKey(msg, join(key), 'required'))) required[key] = ref ?? field.rule;
      }
      const strict = meta.structural ? meta.strict : at.has(constraintKey(msg, path, 'closed'));
      const changed =
        strict !== meta.strict ||
        Object.keys(required).length !== Object.keys(meta.required).length ||
        Object.keys(required).some((k) => !(k in meta.required)) ||
        Object.entries(fields).some(([k, f]) => f !== meta.fields[k]);
      return changed ? { ...meta, fields, required, strict } : meta;
    }
  }
}

/** The messages whose constraints differ under `snapshot`, rebuilt; the others are left as they are. */
export function overlayMessages(messages: readonly MessageDef[], snapshot: RulebookSnapshot): Map<string, MessageDef> {
  const at = new Map(snapshot.constraints.map((c) => [c.key, c]));
  const out = new Map<string, MessageDef>();
  for (const msg of messages) {
    const meta = rewrite(msg.field.meta, msg.id, '', at, snapshot.source);
    if (meta !== msg.field.meta) out.set(msg.id, defineMessage({ ...msg, field: fieldOf(meta) }));
  }
  return out;
}

/** Constraints of `snapshot` on fields or endpoints the built-in messages do not have: what a run under it cannot judge yet (a new endpoint once, not each of its fields). */
export function uncheckedAdditions(base: RulebookSnapshot, snapshot: RulebookSnapshot): Constraint[] {
  const known = new Set(base.constraints.map((c) => `${c.message}|${c.path}`));
  const knownEndpoints = new Set(base.constraints.map((c) => c.endpoint));
  return snapshot.constraints.filter((c) => {
    if (c.kind === 'endpoint') return !knownEndpoints.has(c.endpoint);
    return c.kind === 'type' && knownEndpoints.has(c.endpoint) && !known.has(`${c.message}|${c.path}`);
  });
}
