/**
 * Route matching for the two servers this project runs on 127.0.0.1 (the reference issuer and the
 * D1 simulator), over paths read from the contracts' endpoint catalogue.
 */

export interface RouteTemplate {
  readonly method: string;
  /** Literal segments, and `{name}` for a path parameter. */
  readonly segments: readonly string[];
}

export type RouteMatch<R extends RouteTemplate> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  /** The path is known with other methods: `route` is the first of them (its method rule may be graded). */
  | { readonly kind: 'wrong-method'; readonly route: R; readonly allow: readonly string[] }
  | { readonly kind: 'bad-encoding' }
  | { readonly kind: 'none' };

/** `/a/{b}/c` as its segments, without the leading empty one. */
export function routeSegments(path: string): string[] {
  return path.split('/').slice(1);
}

const PARAM = /^\{(\w+)\}$/;

/** Matches raw segments; parameters are percent-decoded after the split, so `%2F` stays inside one. */
export function matchRoute<R extends RouteTemplate>(routes: readonly R[], method: string, segments: readonly string[]): RouteMatch<R> {
  let wrong: { route: R; allow: string[] } | undefined;
  for (const route of routes) {
    const raw = bindParams(route, segments);
    if (raw === undefined) continue;
    if (route.method !== method) {
      wrong ??= { route, allow: [] };
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
    return { kind: 'found', route, params };
  }
  return wrong ? { kind: 'wrong-method', ...wrong } : { kind: 'none' };
}

function bindParams(route: RouteTemplate, segments: readonly string[]): Record<string, string> | undefined {
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
