import { isStructure, type FieldMeta } from './fields.js';
import type { RuleRef } from './rule.js';

/** A field definition met while walking a message, with its dotted path (`body.otp.value`). */
export interface FieldVisit {
  readonly path: readonly string[];
  readonly meta: FieldMeta;
}

export function pathText(path: readonly (string | number)[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** Depth-first over every field definition; array items appear under the segment `[]`. */
export function* walkFields(meta: FieldMeta, path: readonly string[] = []): Generator<FieldVisit> {
  yield { path, meta };
  if (meta.kind === 'object') {
    for (const [k, child] of Object.entries(meta.fields)) yield* walkFields(child, [...path, k]);
  } else if (meta.kind === 'array') {
    yield* walkFields(meta.item, [...path, '[]']);
  }
}

/** Every rule a field tree names, in every role, with the paths it governs. */
export function* ruleRefs(meta: FieldMeta): Generator<{ ref: RuleRef; role: 'schema' | 'presence' | 'profile' | 'advice'; paths: string[]; text?: string }> {
  for (const { path, meta: m } of walkFields(meta)) {
    if (!(m.kind === 'object' && m.structural)) yield { ref: m.rule, role: 'schema', paths: [pathText(path)] };
    for (const a of m.advice ?? []) yield { ref: a.rule, role: 'advice', paths: [pathText(path)], text: a.text };
    if (m.kind === 'object') {
      for (const [k, ref] of Object.entries(m.required)) if (!isStructure(ref)) yield { ref, role: 'presence', paths: [pathText([...path, k])] };
      for (const req of m.profileRequired) yield { ref: req.rule, role: 'profile', paths: req.keys.map((k) => pathText([...path, k])) };
    }
  }
}
