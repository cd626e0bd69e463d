import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../contracts/index.js';
import { group, isStructure, list, num, obj, request, text, type FieldMeta } from '../../src/core/rulebook/fields.js';
import { rule, type RuleRef } from '../../src/core/rulebook/rule.js';
import { pathText, walkFields, type FieldVisit, type Role, type WalkOptions } from '../../src/core/rulebook/walk.js';

/** The one walker: each field once, its rules in their four roles, its path in one form. */

const r = (n: number): RuleRef => rule(`OUT-TST-${String(n).padStart(3, '0')}`, 'walk.test');
const R = {
  header: r(1),
  headerPresence: r(2),
  body: r(3),
  name: r(4),
  namePresence: r(5),
  nameAdvice: r(6),
  phone: r(7),
  phoneProfile: r(8),
  tags: r(9),
  tag: r(10),
  tagV: r(11),
  tagVPresence: r(12),
};

const TINY = request({
  headers: group({ fields: { 'x-id': text({ rule: R.header, max: 8 }) }, required: { 'x-id': R.headerPresence } }),
  body: obj({
    rule: R.body,
    fields: {
      name: text({ rule: R.name, max: 5, advice: [{ rule: R.nameAdvice, text: 'a short name', holds: (v) => v !== 'long', counterexample: 'long' }] }),
      phone: text({ rule: R.phone }),
      tags: list({ rule: R.tags, item: obj({ rule: R.tag, fields: { v: num({ rule: R.tagV, int: true }) }, required: { v: R.tagVPresence } }) }),
    },
    required: { name: R.namePresence },
    profileRequired: [{ profile: 'click-to-pay', rule: R.phoneProfile, keys: ['phone', 'name'] }],
  }),
}).meta;

/** A visit as text: `path: role id -> governed paths`, plus the rule that requires the key and the wire flag. */
function rows(meta: FieldMeta, options?: WalkOptions): string[] {
  return [...walkFields(meta, options)].flatMap((v: FieldVisit) => [
    `${pathText(v.path)}${v.requiredBy ? ` required by ${v.requiredBy.id}` : ''}${v.onWire ? ' on wire' : ''}`,
    ...v.rules.map((u) => `  ${u.role} ${u.ref.id} -> ${u.paths.map(pathText).join(', ')}${u.role === 'profile' ? ` (${u.profile}; alone: ${u.keys.filter((k) => k.alone).map((k) => k.key).join(',')})` : ''}`),
  ]);
}

describe('walkFields', () => {
  it('visits every definition once, parents first, with its rules in role order', () => {
    expect(rows(TINY)).toEqual([
      '(root)',
      'headers',
      '  presence OUT-TST-002 -> headers.x-id',
      'headers.x-id required by OUT-TST-002 on wire',
      '  schema OUT-TST-001 -> headers.x-id',
      'body',
      '  schema OUT-TST-003 -> body',
      '  presence OUT-TST-005 -> body.name',
      '  profile OUT-TST-008 -> body.phone, body.name (click-to-pay; alone: phone)',
      'body.name required by OUT-TST-005',
      '  schema OUT-TST-004 -> body.name',
      '  advice OUT-TST-006 -> body.name',
      'body.phone required by OUT-TST-008',
      '  schema OUT-TST-007 -> body.phone',
      'body.tags',
      '  schema OUT-TST-009 -> body.tags',
      'body.tags.[]',
      '  schema OUT-TST-010 -> body.tags.[]',
      '  presence OUT-TST-012 -> body.tags.[].v',
      'body.tags.[].v required by OUT-TST-012',
      '  schema OUT-TST-011 -> body.tags.[].v',
    ]);
  });

  it('walks a value: only the documented fields it carries, items by index (or only the first, as `[]`)', () => {
    const value = { headers: { 'x-id': 'a' }, body: { name: 'n', tags: [{ v: 1 }, {}], extra: 1 } };
    const paths = (options: WalkOptions) => [...walkFields(TINY, options)].map((v) => pathText(v.path));
    expect(paths({ value })).toEqual(['(root)', 'headers', 'headers.x-id', 'body', 'body.name', 'body.tags', 'body.tags.0', 'body.tags.0.v', 'body.tags.1']);
    expect(paths({ value, firstItem: true })).toEqual(['(root)', 'headers', 'headers.x-id', 'body', 'body.name', 'body.tags', 'body.tags.[]', 'body.tags.[].v']);
    const item = [...walkFields(TINY, { value })].find((v) => pathText(v.path) === 'body.tags.1');
    expect(item?.value).toEqual({});
    // The presence rule of a key governs the object that lacks it: the grading needs it to judge the absence.
    expect(item?.rules.map((u) => `${u.role} ${pathText(u.paths[0] ?? [])}`)).toEqual(['schema body.tags.1', 'presence body.tags.1.v']);
  });

  it('gives a value that is not an object its schema rule only, and nothing below it', () => {
    expect(rows(TINY, { value: { headers: {}, body: 'not an object' } })).toEqual([
      '(root)',
      'headers',
      '  presence OUT-TST-002 -> headers.x-id',
      'body',
      '  schema OUT-TST-003 -> body',
    ]);
    expect([...walkFields(TINY, { value: undefined })]).toEqual([]);
  });
});

/** Every rule reference reachable in a field tree, found without the walker (any object with an id and a source). */
function referencedIds(meta: FieldMeta): Set<string> {
  const ids = new Set<string>();
  const seen = new Set<object>();
  const scan = (node: unknown): void => {
    if (typeof node !== 'object' || node === null || seen.has(node) || node instanceof RegExp) return;
    seen.add(node);
    const ref = node as Partial<RuleRef>;
    if (typeof ref.id === 'string' && typeof ref.source === 'string' && !isStructure(ref as RuleRef)) ids.add(ref.id);
    Object.values(node).forEach(scan);
  };
  scan(meta);
  return ids;
}

/** The rules a field tree names that the walk (less the dropped role) never yields. */
function unwalked(meta: FieldMeta, drop?: Role): string[] {
  const walked = new Set([...walkFields(meta)].flatMap((v) => v.rules.filter((u) => u.role !== drop).map((u) => u.ref.id)));
  return [...referencedIds(meta)].filter((id) => !walked.has(id)).sort();
}

describe('the walk names every rule of the field tree', () => {
  it('of the tiny message, and a walk missing a role would leave that role\u2019s rules out', () => {
    expect(unwalked(TINY)).toEqual([]);
    expect(unwalked(TINY, 'schema')).toEqual(['OUT-TST-001', 'OUT-TST-003', 'OUT-TST-004', 'OUT-TST-007', 'OUT-TST-009', 'OUT-TST-010', 'OUT-TST-011']);
    expect(unwalked(TINY, 'presence')).toEqual(['OUT-TST-002', 'OUT-TST-005', 'OUT-TST-012']);
    expect(unwalked(TINY, 'profile')).toEqual(['OUT-TST-008']);
    expect(unwalked(TINY, 'advice')).toEqual(['OUT-TST-006']);
  });

  it.each(MESSAGES.map((m) => [m.id, m] as const))('of %s', (_id, msg) => {
    expect(unwalked(msg.field.meta)).toEqual([]);
  });
});
