import { ENDPOINTS } from '../../../contracts/endpoints.js';
import { matchRoute as matchRoutes, routeSegments, type RouteMatch as GenericMatch, type RouteTemplate } from '../../core/http/routes.js';

/** The issuer -> D1 endpoints, read from the contracts' catalogue: paths are never retyped here. */
type D1Endpoint = Extract<(typeof ENDPOINTS)[number], { direction: 'issuer-as-client' }>;
export type D1EndpointId = D1Endpoint['id'];
export type D1ApiEndpointId = Exclude<D1EndpointId, 'd1.token'>;

/** Where the simulator publishes its JWE recipient key (D1 hands it over at onboarding; here, over HTTP). */
export const JWE_KEY_PATH = '/.well-known/d1-jwe-key.json';

interface Route extends RouteTemplate {
  readonly endpoint: D1EndpointId;
}

const D1_ENDPOINTS_LIST = ENDPOINTS.filter((e): e is D1Endpoint => e.direction === 'issuer-as-client');

/** The endpoint ids the simulator serves, in catalogue order (what a fault plan may name). */
export const D1_ENDPOINT_IDS: readonly D1EndpointId[] = D1_ENDPOINTS_LIST.map((e) => e.id);

const ROUTES: readonly Route[] = D1_ENDPOINTS_LIST.map((e) => ({
  endpoint: e.id,
  method: e.method,
  segments: routeSegments(e.path),
}));

export type RouteMatch = GenericMatch<Route> | { readonly kind: 'jwe-key' };

export function matchRoute(method: string, segments: readonly string[]): RouteMatch {
  if (method === 'GET' && `/${segments.join('/')}` === JWE_KEY_PATH) return { kind: 'jwe-key' };
  return matchRoutes(ROUTES, method, segments);
}
