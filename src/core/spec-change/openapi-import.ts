import { createHash } from 'node:crypto';
import type { Direction } from '../rulebook/rule.js';
import { constraintKey, type Constraint, type ConstraintKind, type RulebookSnapshot, type SnapshotEndpoint } from './snapshot.js';

/**
 * D1's own OpenAPI 3 documents (the format of seed 004) turned into constraints. D1's pages have
 * quirks an importer must take as they come: a query string inside a path key
 * (`/consumers/{consumerId}?cardId=<cardId>`), a `$ref` to a parameter the document never defines
 * (x-correlation-id), `oneOf` detail objects (their properties are merged: each is optional). An
 * operation is matched to a known endpoint by method and path template; a constraint keeps the
 * rule id the base rulebook gives the same key (message, path, kind), else the rule of the same
 * field, else a new id derived from the key, so it is the same in every version.
 */

type Json = Record<string, unknown>;

export interface ImportNote {
  readonly where: string;
  readonly text: string;
}

export interface OpenApiImport {
  readonly constraints: Constraint[];
  /** Endpoints the documents define that the base rulebook does not know (new endpoints). */
  readonly newEndpoints: SnapshotEndpoint[];
  /** Ids of the base endpoints the documents cover. */
  readonly covered: string[];
  /** What the import could not take and why (an undefined $ref, a non-JSON body). */
  readonly notes: ImportNote[];
  /** Rules the import had to name (fields the base rulebook does not have). */
  readonly newRules: { id: string; title: string; endpoint: string }[];
}

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** A template with its parameter names blanked: `/a/{x}/b` and `/a/{y}/b` are the same path. */
function shape(path: string): string {
  return (path.split('?')[0] ?? path).replace(/\{[^}]+\}/g, '{}').replace(/\/+$/, '');
}

/** The direction of an endpoint D1 documents but the rulebook does not know, from where it lives. */
function directionOf(path: string): Direction {
  return path.startsWith('/banking/d1/') || path.startsWith('/authz/d1/') ? 'issuer-as-server' : 'issuer-as-client';
}

/** A rule id for a key no version of the base rulebook names: derived from the key, so stable. */
export function derivedRuleId(direction: Direction, seed: string): string {
  const hex = createHash('sha256').update(seed).digest('hex').slice(0, 6).toUpperCase();
  return `${direction === 'issuer-as-server' ? 'OUT' : 'IN'}-OAS-${hex}`;
}

export function importOpenApi(docs: readonly Json[], base: RulebookSnapshot, baseEndpoints: readonly SnapshotEndpoint[]): OpenApiImport {
  const byKey = new Map(base.constraints.map((c) => [c.key, c]));
  const fieldRule = new Map<string, string>();
  for (const c of base.constraints) if (c.kind === 'type' || c.kind === 'endpoint') fieldRule.set(`${c.message}|${c.path}`, c.ruleId);
  const constraints: Constraint[] = [];
  const notes: ImportNote[] = [];
  const newEndpoints: SnapshotEndpoint[] = [];
  const covered = new Set<string>();
  const newRules = new Map<string, { id: string; title: string; endpoint: string }>();

  for (const doc of docs) {
    const resolve = (node: unknown, where: string): Json | undefined => {
      let cur = node;
      for (let hops = 0; isRecord(cur) && typeof cur.$ref === 'string'; hops++) {
        const ref = cur.$ref;
        if (hops > 32 || !ref.startsWith('#/')) return undefined;
        let target: unknown = doc;
        for (const seg of ref.slice(2).split('/')) target = isRecord(target) ? target[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined;
        if (target === undefined) {
          notes.push({ where, text: `${ref} is not defined in the document: skipped (the rulebook keeps its own rule for it)` });
          return undefined;
        }
        cur = target;
      }
      return isRecord(cur) ? cur : undefined;
    };

    for (const [rawPath, item] of Object.entries(isRecord(doc.paths) ? doc.paths : {})) {
      if (!isRecord(item)) continue;
      const [pathOnly = rawPath, queryPart] = rawPath.split('?');
      for (const method of METHODS) {
        const op = item[method];
        if (!isRecord(op)) continue;
        const upper = method.toUpperCase();
        const known = baseEndpoints.find((e) => e.method === upper && shape(e.path) === shape(pathOnly));
        const direction = known?.direction ?? directionOf(pathOnly);
        const endpoint = known?.id ?? `openapi.${typeof op.operationId === 'string' ? op.operationId : `${method}${shape(pathOnly).replace(/[^A-Za-z0-9]+/g, '.')}`}`;
        if (known) covered.add(known.id);
        else newEndpoints.push({ id: endpoint, direction, method: upper, path: pathOnly });
        const where = `${upper} ${rawPath}`;

        const ruleFor = (message: string, path: string, kind: ConstraintKind, title: string): string => {
          const same = byKey.get(constraintKey(message, path, kind));
          if (same) return same.ruleId;
          const field = fieldRule.get(`${message}|${kind === 'status' ? '' : path}`) ?? (kind === 'required' ? fieldRule.get(`${message}|${path.split('.').slice(0, -1).join('.')}`) : undefined);
          if (field) return field;
          const id = derivedRuleId(direction, `${message}|${path}`);
          if (!newRules.has(id)) newRules.set(id, { id, title, endpoint });
          return id;
        };
        const add = (message: string, part: Constraint['part'], path: string, kind: ConstraintKind, value: Constraint['value']) => {
          const key = constraintKey(message, path, kind);
          if (constraints.some((c) => c.key === key)) return;
          const title = `${path || message}: ${kind} ${JSON.stringify(value)} (D1 OpenAPI ${where})`;
          constraints.push({ key, ruleId: ruleFor(message, path, kind, title), endpoint, direction, message, part, path, kind, value });
        };

        /** The constraints of a JSON schema, `oneOf` variants merged, under `path` of `message`. */
        const walk = (message: string, part: Constraint['part'], schema: unknown, path: string, depth = 0): void => {
          const node = resolve(schema, where);
          if (!node || depth > 32) return;
          const variants = Array.isArray(node.oneOf) ? node.oneOf.map((v) => resolve(v, where)).filter((v): v is Json => v !== undefined) : [];
          const type = typeof node.type === 'string' ? node.type : variants.length > 0 || isRecord(node.properties) ? 'object' : undefined;
          if (type !== undefined) add(message, part, path, 'type', type);
          if (typeof node.pattern === 'string') add(message, part, path, 'pattern', node.pattern);
          if (typeof node.minLength === 'number') add(message, part, path, 'minLength', node.minLength);
          if (typeof node.maxLength === 'number') add(message, part, path, 'maxLength', node.maxLength);
          if (typeof node.minimum === 'number') add(message, part, path, 'minimum', node.minimum);
          if (typeof node.maximum === 'number') add(message, part, path, 'maximum', node.maximum);
          if (Array.isArray(node.enum)) add(message, part, path, 'enum', node.enum.map(String).sort());
          if (node.additionalProperties === false) add(message, part, path, 'closed', true);
          const join = (key: string) => (path === '' ? key : `${path}.${key}`);
          for (const holder of [node, ...variants]) {
            if (Array.isArray(holder.required)) for (const key of holder.required) if (typeof key === 'string') add(message, part, join(key), 'required', true);
            if (isRecord(holder.properties)) for (const [key, child] of Object.entries(holder.properties)) walk(message, part, child, join(key), depth + 1);
          }
          if (type === 'array' && node.items !== undefined) walk(message, part, node.items, join('[]'), depth + 1);
        };

        const request = `${endpoint}.request`;
        const params = Array.isArray(op.parameters) ? op.parameters : [];
        const named = new Set<string>();
        for (const raw of params) {
          const p = resolve(raw, where);
          if (!p || typeof p.name !== 'string') continue;
          const holder = p.in === 'path' ? 'path' : p.in === 'query' ? 'query' : p.in === 'header' ? 'headers' : undefined;
          if (!holder) continue;
          const name = holder === 'headers' ? p.name.toLowerCase() : p.name;
          named.add(`${holder}.${name}`);
          walk(request, 'request', p.schema, `${holder}.${name}`);
          if (p.required === true && holder !== 'path') add(request, 'request', `${holder}.${name}`, 'required', true);
        }
        // The query string written into the path key names parameters too (seed 004's `?cardId=<cardId>`).
        for (const q of (queryPart ?? '').split('&').filter((s) => s !== '')) {
          const name = q.split('=')[0] ?? '';
          if (name !== '' && !named.has(`query.${name}`)) notes.push({ where, text: `query parameter ${name} is named in the path key only: its type is unknown` });
        }
        const body = isRecord(op.requestBody) ? resolve(op.requestBody, where) : undefined;
        if (body) {
          const json = isRecord(body.content) && isRecord(body.content['application/json']) ? body.content['application/json'].schema : undefined;
          if (json === undefined) notes.push({ where, text: 'the request body is not application/json: not imported' });
          else walk(request, 'request', json, 'body');
          if (body.required === true) add(request, 'request', 'body', 'required', true);
        }
        for (const [status, rawResponse] of Object.entries(isRecord(op.responses) ? op.responses : {})) {
          const code = Number(status);
          if (!Number.isInteger(code)) continue;
          add(endpoint, 'endpoint', `responses.${code}`, 'status', code);
          // Success bodies are the endpoint's own messages; error bodies share D1's error schema (OUT-GEN-008).
          const message = `${endpoint}.response.${code}`;
          const modelled = base.constraints.some((c) => c.message === message);
          if (!(code >= 200 && code < 300) && !modelled) continue;
          const response = resolve(rawResponse, where);
          const json = response && isRecord(response.content) && isRecord(response.content['application/json']) ? response.content['application/json'].schema : undefined;
          if (json !== undefined) walk(message, 'response', json, '');
        }
        add(endpoint, 'endpoint', '', 'endpoint', `${upper} ${known?.path ?? pathOnly}`);
      }
    }
  }
  return { constraints, newEndpoints, covered: [...covered], notes, newRules: [...newRules.values()] };
}

/** The JSON documents of a file's text: an OpenAPI document (JSON or YAML), or a D1 page holding them in ```json blocks. */
export function openApiDocuments(text: string, parseYaml: (t: string) => unknown): Json[] {
  const blocks = [...text.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => m[1] ?? '');
  const candidates: unknown[] = blocks.length > 0 ? blocks.map((b) => JSON.parse(b) as unknown) : [/^\s*[[{]/.test(text) ? (JSON.parse(text) as unknown) : parseYaml(text)];
  const docs = candidates.flatMap((c): unknown[] => (Array.isArray(c) ? (c as unknown[]) : [c])).filter(isRecord);
  return docs.filter((d) => typeof d.openapi === 'string' && d.openapi.startsWith('3') && isRecord(d.paths));
}
