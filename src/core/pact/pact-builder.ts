import './no-tracking.js';
import { MatchersV3, type Matcher, type PactV4 } from '@pact-foundation/pact';
import { Agent, request } from 'undici';
import { BEARER } from '../../../contracts/patterns.js';
import { endpoint } from '../../../contracts/endpoints.js';
import type { FieldMeta } from '../rulebook/fields.js';
import { escapeRegex, fieldAt, regexOf } from './field-rules.js';
import { template } from './matchers.js';
import { rulesOf, type InteractionSpec, type RequestExample } from './interactions.js';
import { toRustRegex } from './rust-regex.js';

/**
 * One interaction spec -> one PactV4 interaction, every matcher derived from the field metadata
 * of the endpoint's contracts; and the small client that sends the interaction's request (the
 * consumer side of the contract test, against the Pact mock server).
 */

type WithRequest = ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>;
export type WithResponse = ReturnType<WithRequest['willRespondWith']>;

function partMeta(spec: InteractionSpec, part: 'path' | 'query' | 'headers' | 'body'): FieldMeta | undefined {
  return fieldAt(spec.request.message.field.meta, part);
}

/** The matcher of a value that travels as a string (path, query, header): regex or type. */
function stringMatcher(meta: FieldMeta | undefined, value: string): unknown {
  const regex = meta ? regexOf(meta) : undefined;
  return regex === undefined ? MatchersV3.like(value) : MatchersV3.regex(regex, value);
}

export function examplePath(spec: InteractionSpec): string {
  return endpoint(spec.request.message.endpoint as Parameters<typeof endpoint>[0]).path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(spec.request.example.path[name] ?? ''),
  );
}

/** `^/banking/v2/issuers/[^/]{10}/consumers/[A-Za-z0-9_-]{1,64}$`: each path parameter by its field's pattern or length. */
export function pathRegex(spec: InteractionSpec): string {
  const params = partMeta(spec, 'path');
  const tpl = endpoint(spec.endpoint).path;
  let out = '^';
  let last = 0;
  for (const m of tpl.matchAll(/\{(\w+)\}/g)) {
    out += escapeRegex(tpl.slice(last, m.index));
    const name = m[1] ?? '';
    const meta = params ? fieldAt(params, name) : undefined;
    out += meta ? segmentRegex(meta) : '[^/]+';
    last = m.index + m[0].length;
  }
  return `${out}${escapeRegex(tpl.slice(last))}$`;
}

function segmentRegex(meta: FieldMeta): string {
  if (meta.kind === 'text' && meta.pattern) {
    const full = toRustRegex(meta.pattern.regex);
    if (!full.startsWith('^') || !full.endsWith('$')) throw new Error(`pattern ${meta.pattern.name} is not anchored`);
    return `(?:${full.slice(1, -1)})`;
  }
  if (meta.kind === 'text') return `[^/]{${meta.min ?? 1},${meta.max ?? ''}}`;
  return '[^/]+';
}

function pathOf(spec: InteractionSpec): unknown {
  const example = examplePath(spec);
  const fromState = Object.entries(spec.request.fromState ?? {}).filter(([p]) => p.startsWith('path.'));
  if (fromState.length === 0) return MatchersV3.regex(pathRegex(spec), example);
  const stateName = new Map(fromState.map(([p, name]) => [p.slice('path.'.length), name]));
  const expression = endpoint(spec.endpoint).path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const state = stateName.get(name);
    if (state === undefined) throw new Error(`${spec.description}: path parameter ${name} must come from the provider state too`);
    return `\${${state}}`;
  });
  return MatchersV3.fromProviderState(expression, example);
}

function bodyFromState(spec: InteractionSpec): Record<string, string> {
  return Object.fromEntries(
    Object.entries(spec.request.fromState ?? {})
      .filter(([p]) => p.startsWith('body.'))
      .map(([p, name]) => [p.slice('body.'.length), `\${${name}}`]),
  );
}

/** Adds the interaction to a PactV4 pact; the caller runs `executeTest` on what it returns. */
export function addInteraction(pact: PactV4, spec: InteractionSpec): WithResponse {
  const { request: req, response: res } = spec;
  let unconfigured = pact.addInteraction();
  if (spec.state) unconfigured = unconfigured.given(spec.state.name, { ...spec.state.params });
  unconfigured = unconfigured.uponReceiving(spec.description).comment(`d1-conformance: endpoint ${spec.endpoint}; rules ${rulesOf(spec).join(', ')}`);
  const method = endpoint(spec.endpoint).method;
  const withRequest = unconfigured.withRequest(method, pathOf(spec) as Matcher<string>, (b) => {
    const queryMeta = partMeta(spec, 'query');
    const query: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(req.example.query)) {
      const state = req.fromState?.[`query.${k}`];
      query[k] = state !== undefined ? MatchersV3.fromProviderState(`\${${state}}`, v) : stringMatcher(queryMeta ? fieldAt(queryMeta, k) : undefined, v);
    }
    if (Object.keys(query).length > 0) b.query(query as Parameters<typeof b.query>[0]);
    const headerMeta = partMeta(spec, 'headers');
    const headers: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(req.example.headers)) headers[k] = stringMatcher(headerMeta ? fieldAt(headerMeta, k) : undefined, v);
    if (req.bearer !== undefined) headers.authorization = MatchersV3.regex(toRustRegex(BEARER.regex), req.bearer);
    if (Object.keys(headers).length > 0) b.headers(headers as Parameters<typeof b.headers>[0]);
    const bodyMeta = partMeta(spec, 'body');
    if (req.example.body === undefined || !bodyMeta) return;
    if (req.form) {
      const form = req.example.body as Record<string, string>;
      b.body('application/x-www-form-urlencoded', Buffer.from(new URLSearchParams(form).toString()));
      const rules = Object.entries(form).map(([k, v]) => ({ path: `$.${k}`, rules: [stringMatcher(fieldAt(bodyMeta, k), v) as Matcher<unknown>] }));
      b.matchingRules({ body: rules });
    } else {
      b.jsonBody(template(bodyMeta, req.example.body, { fromState: bodyFromState(spec) }));
    }
  });
  return withRequest.willRespondWith(res.status, (b) => {
    if (res.message && res.example !== undefined) {
      const narrow = Object.fromEntries(Object.entries(res.narrow ?? {}).map(([p, n]) => [p, n.values]));
      b.jsonBody(template(res.message.field.meta, res.example, { narrow }));
    }
  });
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The outgoing request of an interaction, as its consumer sends it. */
export function requestOf(spec: InteractionSpec, baseUrl: string): { url: string; method: string; headers: Record<string, string>; body?: string } {
  const ex: RequestExample = spec.request.example;
  const query = new URLSearchParams(ex.query).toString();
  const url = `${baseUrl.replace(/\/$/, '')}${examplePath(spec)}${query === '' ? '' : `?${query}`}`;
  const headers: Record<string, string> = { accept: 'application/json', ...ex.headers };
  if (spec.request.bearer !== undefined) headers.authorization = spec.request.bearer;
  let body: string | undefined;
  if (ex.body !== undefined) {
    body = spec.request.form ? new URLSearchParams(ex.body as Record<string, string>).toString() : JSON.stringify(ex.body);
    headers['content-type'] = spec.request.form ? 'application/x-www-form-urlencoded' : 'application/json';
  }
  return { url, method: endpoint(spec.endpoint).method, headers, ...(body !== undefined ? { body } : {}) };
}

/** Sends an interaction's request to `baseUrl` (the Pact mock server) with undici and reads the answer. */
export async function exercise(spec: InteractionSpec, baseUrl: string): Promise<Answer> {
  const req = requestOf(spec, baseUrl);
  // One connection per call: each mock server lives for one interaction, and a pooled
  // keep-alive socket could reach the previous one on a reused port.
  const dispatcher = new Agent({ pipelining: 0 });
  try {
    const res = await request(req.url, {
      method: req.method as 'GET',
      headers: req.headers,
      ...(req.body !== undefined ? { body: req.body } : {}),
      dispatcher,
      signal: AbortSignal.timeout(10_000),
    });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    return { status: res.statusCode, headers, body: await res.body.text() };
  } finally {
    await dispatcher.close();
  }
}
