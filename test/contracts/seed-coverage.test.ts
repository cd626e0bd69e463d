import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { message, RULES } from '../../contracts/index.js';
import { isStructure, type FieldMeta } from '../../src/core/rulebook/fields.js';
import { pathText, walkFields } from '../../src/core/rulebook/walk.js';

/**
 * Every field constraint of seed 004's OpenAPI JSON (pattern, minLength, maxLength, enum,
 * required entry, additionalProperties: false) must be enforced by a rule of the rulebook with
 * exactly the seed's value. The JSON is parsed out of the seed file here, so a constraint the
 * contracts miss, or a value that drifts, fails this test.
 */

// The seeds live in the repository (fixtures/spec-sources/): a clone has nothing beside it.
const SPEC_DIR = join(import.meta.dirname, '../../fixtures/spec-sources/seeds');
const seedFile = readdirSync(SPEC_DIR).find((f) => f.startsWith('004_'));
if (!seedFile) throw new Error('seed 004 not found in fixtures/spec-sources/seeds');
const seedText = readFileSync(join(SPEC_DIR, seedFile), 'utf8');

type Json = Record<string, unknown>;
const docs: Json[] = [...seedText.matchAll(/```json\n(.*?)\n```/gs)].map((m) => JSON.parse(m[1] ?? '{}') as Json);

interface Constraint {
  readonly where: string;
  readonly path: string;
  readonly kind: 'pattern' | 'minLength' | 'maxLength' | 'enum' | 'required' | 'additionalProperties';
  readonly value: unknown;
}

function resolve(doc: Json, node: Json): Json {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  let target: unknown = doc;
  for (const seg of ref.replace(/^#\//, '').split('/')) target = (target as Json)[seg];
  if (!target) throw new Error(`unresolved ${ref}`);
  return resolve(doc, target as Json);
}

/** Walks a JSON schema (resolving $ref, merging oneOf variants) and lists its constraints by dotted path. */
function constraints(doc: Json, schema: Json, where: string, path: string[] = []): Constraint[] {
  const node = resolve(doc, schema);
  const out: Constraint[] = [];
  const p = path.join('.');
  if (typeof node.pattern === 'string') out.push({ where, path: p, kind: 'pattern', value: node.pattern });
  if (typeof node.minLength === 'number') out.push({ where, path: p, kind: 'minLength', value: node.minLength });
  if (typeof node.maxLength === 'number') out.push({ where, path: p, kind: 'maxLength', value: node.maxLength });
  if (Array.isArray(node.enum)) out.push({ where, path: p, kind: 'enum', value: node.enum });
  if (node.additionalProperties === false) out.push({ where, path: p, kind: 'additionalProperties', value: false });
  if (Array.isArray(node.required)) for (const key of node.required as string[]) out.push({ where, path: [...path, key].join('.'), kind: 'required', value: true });
  const variants = Array.isArray(node.oneOf) ? (node.oneOf as Json[]) : [node];
  for (const variant of variants) {
    const v = resolve(doc, variant);
    if (v !== node) out.push(...constraints(doc, v, where, path));
    else for (const [key, child] of Object.entries((v.properties ?? {}) as Record<string, Json>)) out.push(...constraints(doc, child, where, [...path, key]));
  }
  return out;
}

function operation(summary: string): { doc: Json; op: Json } {
  for (const doc of docs) {
    for (const item of Object.values(doc.paths as Record<string, Record<string, Json>>)) {
      for (const op of Object.values(item)) if (op.summary === summary) return { doc, op };
    }
  }
  throw new Error(`operation ${summary} not in seed 004`);
}

const content = (doc: Json, holder: Json | undefined): Json => {
  const json = ((holder?.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
  if (!json) throw new Error('no application/json schema');
  return resolve(doc, json as Json);
};

/** Where each seed 004 schema lives in the contracts: message id and the path of its root there. */
function seedConstraints(): (Constraint & { messageId: string; root: string })[] {
  const all: (Constraint & { messageId: string; root: string })[] = [];
  const add = (messageId: string, root: string, list: Constraint[]) => {
    for (const c of list) all.push({ ...c, messageId, root });
  };
  const gci = operation('Get Consumer Information');
  const schemas = (gci.doc.components as Json).schemas as Json;
  add('issuer.getConsumerInfo.response.200', '', constraints(gci.doc, content(gci.doc, (gci.op.responses as Json)['200'] as Json), 'GCI 200'));
  add('issuer.getConsumerInfo.request', 'path.issuerId', constraints(gci.doc, schemas.issuerId as Json, 'issuerId'));
  add('issuer.getConsumerInfo.request', 'path.consumerId', constraints(gci.doc, schemas.consumerId as Json, 'consumerId'));
  add('issuer.getConsumerInfo.request', 'query.cardId', constraints(gci.doc, schemas.cardId as Json, 'cardId'));
  add('issuer.getConsumerInfo.response.404', '', constraints(gci.doc, content(gci.doc, (gci.op.responses as Json)['404'] as Json), 'GCI 404'));

  const authn = operation('Authenticate');
  add('issuer.authenticate.request', 'body', constraints(authn.doc, content(authn.doc, authn.op.requestBody as Json), 'Authenticate body'));
  add('issuer.authenticate.response.200', '', constraints(authn.doc, content(authn.doc, (authn.op.responses as Json)['200'] as Json), 'Authenticate 200'));

  const result = operation('Get Authentication Result');
  add('issuer.getAuthenticationResult.response.200', '', constraints(result.doc, content(result.doc, (result.op.responses as Json)['200'] as Json), 'Result 200'));

  const notify = operation('Notify Consumer Operation (V1)');
  add('issuer.notifyConsumerOperation.request', 'body', constraints(notify.doc, content(notify.doc, notify.op.requestBody as Json), 'Notify body'));

  const otp = operation('Deliver OTP');
  add('issuer.deliverOtp.request', 'body', constraints(otp.doc, content(otp.doc, otp.op.requestBody as Json), 'Deliver OTP body'));
  return all;
}

function metaAt(messageId: string, path: string): { meta: FieldMeta; parent: FieldMeta | undefined } | undefined {
  const visits = [...walkFields(message(messageId).field.meta)];
  const found = visits.find((v) => pathText(v.path) === (path === '' ? '(root)' : path));
  if (!found) return undefined;
  const parent = visits.find((v) => pathText(v.path) === (found.path.length <= 1 ? '(root)' : found.path.slice(0, -1).join('.')));
  return { meta: found.meta, parent: parent?.meta };
}

const ruleIds = new Set(RULES.map((r) => r.id));
const CONSTRAINTS = seedConstraints();

describe('seed 004 coverage', () => {
  it('parses every operation of seed 004', () => {
    expect(docs.length).toBe(5);
    expect(CONSTRAINTS.length).toBeGreaterThan(60);
  });

  it.each(CONSTRAINTS.map((c) => [`${c.where} ${c.path || '(root)'} ${c.kind}=${JSON.stringify(c.value)}`, c] as const))('%s is enforced by a rule', (_name, c) => {
    const full = [c.root, c.path].filter((s) => s !== '').join('.');
    if (c.kind === 'required') {
      const parentPath = full.split('.').slice(0, -1).join('.');
      const key = full.split('.').at(-1) ?? '';
      const parent = metaAt(c.messageId, parentPath)?.meta;
      expect(parent?.kind, `${parentPath} should be an object`).toBe('object');
      if (parent?.kind !== 'object') return;
      const ref = parent.required[key];
      expect(ref, `${full} should be required`).toBeDefined();
      if (!ref) return;
      expect(isStructure(ref)).toBe(false);
      expect(ruleIds.has(ref.id)).toBe(true);
      return;
    }
    const found = metaAt(c.messageId, full);
    expect(found, `${full} should be a field of ${c.messageId}`).toBeDefined();
    if (!found) return;
    const { meta } = found;
    expect(ruleIds.has(meta.rule.id), `${meta.rule.id} should be in the rulebook`).toBe(true);
    switch (c.kind) {
      case 'pattern':
        expect(meta.kind === 'text' ? meta.pattern?.regex.source : undefined).toBe(c.value);
        break;
      case 'minLength':
        expect(meta.kind === 'text' ? meta.min : undefined).toBe(c.value);
        break;
      case 'maxLength':
        expect(meta.kind === 'text' ? meta.max : undefined).toBe(c.value);
        break;
      case 'enum':
        expect(meta.kind === 'enum' ? [...meta.values].sort() : undefined).toEqual([...(c.value as string[])].sort());
        break;
      case 'additionalProperties':
        expect(meta.kind === 'object' && meta.strict).toBe(true);
        break;
    }
  });

  it('the contracts add no constraint to these messages beyond the seed, except the documented additions', () => {
    // Constraints from the fact tables where seed 004 is silent, each with its rule's source.
    const DOCUMENTED = new Set(['path.authenticationId minLength', 'headers.x-correlation-id pattern', 'headers.x-correlation-id minLength', 'headers.x-correlation-id maxLength']);
    const seedKeys = new Set(CONSTRAINTS.map((c) => `${c.messageId} ${[c.root, c.path].filter((s) => s !== '').join('.')} ${c.kind}`));
    const extra: string[] = [];
    for (const id of new Set(CONSTRAINTS.map((c) => c.messageId))) {
      const msg = message(id);
      const requestLike = msg.part === 'request';
      for (const { path, meta } of walkFields(msg.field.meta)) {
        if (meta.kind !== 'text') continue;
        const p = pathText(path) === '(root)' ? '' : pathText(path);
        for (const kind of ['pattern', 'minLength', 'maxLength'] as const) {
          const has = kind === 'pattern' ? meta.pattern !== undefined : kind === 'minLength' ? meta.min !== undefined : meta.max !== undefined;
          if (!has || seedKeys.has(`${id} ${p} ${kind}`)) continue;
          if (requestLike && DOCUMENTED.has(`${p} ${kind}`)) continue;
          // cardId / consumerId / issuerId are seed-004 component schemas reused in several messages.
          const reused = CONSTRAINTS.some((c) => c.kind === kind && (c.where === 'cardId' || c.where === 'consumerId' || c.where === 'issuerId') && p.endsWith(c.where));
          if (!reused) extra.push(`${id} ${p} ${kind}`);
        }
      }
    }
    expect(extra).toEqual([]);
  });
});
