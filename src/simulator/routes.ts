import { ENDPOINTS } from '../../contracts/endpoints.js';

/** The issuer -> D1 endpoints, read from the contracts' catalogue: paths are never retyped here. */
type D1Endpoint = Extract<(typeof ENDPOINTS)[number], { direction: 'issuer-as-client' }>;
export type D1EndpointId = D1Endpoint['id'];
export type D1ApiEndpointId = Exclude<D1EndpointId, 'd1.token'>;

/** Where the simulator publishes its JWE recipient key (D1 hands it over at onboarding; here, over HTTP). */
export const JWE_KEY_PATH = '/.well-known/d1-jwe-key.json';

interface Route {
  readonly endpoint: D1EndpointId;
  readonly method: string;
  /** Literal segments, and `{name}` for a path parameter. */
  readonly segments: readonly string[];
}

const D1_ENDPOINTS_LIST = ENDPOINTS.filter((e): e is D1Endpoint => e.direction === 'issuer-as-client');

/** The endpoint ids the simulator serves, in catalogue order (what a fault plan may name). */
export const D1_ENDPOINT_IDS: readonly D1EndpointId[] = D1_ENDPOINTS_LIST.map((e) => e.id);

const ROUTES: readonly Route[] = D1_ENDPOINTS_LIST.map((e) => ({
  endpoint: e.id,
  method: e.method,
  segments: e.path.split('/').slice(1),
}));

export type RouteMatch =
  | { readonly kind: 'found'; readonly endpoint: D1EndpointId; readonly params: Readonly<Record<string, string>> }
  /** A D1 path with another method: the endpoint is named so its method rule can be graded. */
  | { readonly kind: 'wrong-method'; readonly endpoint: D1EndpointId; readonly allow: readonly string[] }
  | { readonly kind: 'jwe-key' }
  | { readonly kind: 'bad-encoding' }
  | { readonly kind: 'none' };

const PARAM = /^\{(\w+)\}$/;

/** Matches raw segments; parameters are percent-decoded after the split, so `%2F` stays inside one. */
export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  if (method === 'GET' && `/${segments.join('/')}` === JWE_KEY_PATH) return { kind: 'jwe-key' };
  let wrong: { endpoint: D1EndpointId; allow: string[] } | undefined;
  for (const route of ROUTES) {
    const raw = bindParams(route, segments);
    if (raw === undefined) continue;
    if (route.method !== method) {
      wrong ??= { endpoint: route.endpoint, allow: [] };
      wrong.allow.push(route.method);
      continue;
    }
    const params: Record<string, string> = {};
    for (const [name, value] of Object.entries(raw)) {
      try {
        params[name] = decodeURIComponent(value);
      } catch {
        return { kind: 'bad-encoding' };
      }
    }
    return { kind: 'found', endpoint: route.endpoint, params };
  }
  return wrong ? { kind: 'wrong-method', ...wrong } : { kind: 'none' };
}

function bindParams(route: Route, segments: readonly string[]): Record<string, string> | undefined {
  if (route.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, template] of route.segments.entries()) {
    const actual = segments[i] ?? '';
    const name = PARAM.exec(template)?.[1];
    if (name !== undefined) params[name] = actual;
    else if (template !== actual) return undefined;
  }
  return params;
}
