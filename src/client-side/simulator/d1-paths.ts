/**
 * D1's documented issuer -> D1 paths, simulated or not, to name the API an ungraded call most
 * likely is (by path shape and method). From the d1-spec inbound API table (I1..I24), v1 and v2;
 * "path NF" marks a path the sources do not give in full (the shape is the likely one). Segments:
 * a literal, `{name}` for any one segment, `a|b` for alternatives, `clickToPay*` for a prefix;
 * a leading `/**` matches any base (the physical card paths' base is NF).
 */

interface KnownPath {
  readonly method: string;
  readonly path: string;
  readonly api: string;
}

const V1 = '/banking/v1/issuers/{issuerId}';
const V2 = '/banking/v2/issuers/{issuerId}';

const KNOWN: readonly KnownPath[] = [
  { method: 'POST', path: '/authz/v1/oauth2/token', api: 'Get Authorization Token (I1)' },
  { method: 'PUT', path: `${V2}/consumers/{consumerId}`, api: 'Register consumer v2 (I2)' },
  { method: 'GET', path: `${V2}/consumers/{consumerId}`, api: 'Get consumer v2 (I5, path NF)' },
  { method: 'POST', path: `${V2}/consumers/{consumerId}/operations:update`, api: 'Update consumer v2 (I3)' },
  { method: 'POST', path: `${V2}/consumers/{consumerId}/operations:delete`, api: 'Delete consumer v2 (I4)' },
  { method: 'GET', path: `${V2}/consumers/{consumerId}/cards`, api: 'Get card list v2 (I6)' },
  { method: 'PUT', path: `${V2}/cards/{cardId}`, api: 'Register card v2 (I9)' },
  { method: 'POST', path: `${V2}/cards`, api: 'Create card v2 (I10)' },
  { method: 'POST', path: `${V2}/cards/{cardId}/operations:renew|operations:replace`, api: 'Renew / Replace card v2 (I11)' },
  {
    method: 'POST',
    path: `${V2}/cards/{cardId}/operations:suspend|operations:resume|operations:delete`,
    api: 'Card suspend / resume / delete v2 (I13, path NF)',
  },
  { method: 'PUT', path: `${V1}/consumers/{consumerId}`, api: 'Register consumer v1 (I7)' },
  { method: 'PUT', path: `${V1}/consumers/{consumerId}/cards`, api: 'Register consumer with cards v1 (I8)' },
  { method: 'POST', path: `${V1}/consumers/{consumerId}/operations:delete`, api: 'Delete consumer v1 (I4)' },
  { method: 'POST', path: `${V1}/consumers/{consumerId}/operations:clickToPayUpdate`, api: 'Click to Pay update consumer v1 (I20)' },
  { method: 'GET', path: `${V1}/consumers/{consumerId}/clickToPay*`, api: 'Click to Pay get consumer profiles v1 (I21, path cut off)' },
  { method: 'GET', path: `${V1}/consumers/{consumerId}/operations`, api: 'Consumer operations list v1 (I16, path NF)' },
  { method: 'GET', path: `${V1}/cards/{cardId}`, api: 'Get card details v1 (I15)' },
  {
    method: 'POST',
    path: `${V1}/cards/{cardId}/operations:suspend|operations:resume|operations:delete|operations:renew`,
    api: 'Card suspend / resume / delete / renew v1 (I12)',
  },
  { method: 'POST', path: `${V1}/cards/{cardId}/operations:clickToPayEnrolment`, api: 'Click to Pay enrol v1 (I18)' },
  { method: 'POST', path: `${V1}/cards/{cardId}/operations:clickToPayUpdate`, api: 'Click to Pay update card v1 (I19)' },
  { method: 'POST', path: `${V1}/accounts/{accountId}/operations:delete`, api: 'Delete account v1 (I14)' },
  {
    method: 'POST',
    path: `${V1}/digitalCards/{digitalCardId}/operations:suspend|operations:resume|operations:delete`,
    api: 'Digital card suspend / resume / delete v1 (I17, path NF)',
  },
  { method: 'POST', path: '/**/issuers/{issuerId}/physicalCards/{cardId}/operations:production', api: 'Physical card order (I23, base NF)' },
  { method: 'GET', path: '/**/issuers/{issuerId}/physicalCards/{cardId}/productionStatus', api: 'Get card order status (I24, base NF)' },
];

const UNKNOWN = 'unknown';

function segmentMatches(template: string, actual: string): boolean {
  if (/^\{\w+\}$/.test(template)) return actual !== '';
  if (template.endsWith('*')) return actual.toLowerCase().startsWith(template.slice(0, -1).toLowerCase());
  return template.split('|').includes(actual);
}

/** The template's `{name}` for each matching segment, or undefined when the path does not fit. */
function fit(template: string, segments: readonly string[]): string[] | undefined {
  let parts = template.split('/').slice(1);
  let offset = 0;
  if (parts[0] === '**') {
    parts = parts.slice(1);
    offset = segments.length - parts.length;
    if (offset < 0) return undefined;
  } else if (parts.length !== segments.length) return undefined;
  const named = segments.slice(0, offset).map(() => '');
  for (const [i, part] of parts.entries()) {
    const actual = segments[offset + i] ?? '';
    if (!segmentMatches(part, actual)) return undefined;
    named.push(/^\{\w+\}$/.test(part) ? part : '');
  }
  return named;
}

export interface PathShape {
  /** The D1 API it most likely is, or "unknown". */
  readonly likelyApi: string;
  /** Per segment, the id name it stands for (`{consumerId}`) where a known path says so, else ''. */
  readonly ids: readonly string[];
}

/** The most likely D1 API for a method and path (raw segments): same shape and method first, then the shape alone. */
export function likelyApi(method: string, segments: readonly string[]): PathShape {
  let other: { known: KnownPath; ids: string[] } | undefined;
  for (const known of KNOWN) {
    const ids = fit(known.path, segments);
    if (ids === undefined) continue;
    if (known.method === method) return { likelyApi: known.api, ids };
    other ??= { known, ids };
  }
  if (other !== undefined) return { likelyApi: `${other.known.api}, which is ${other.known.method}`, ids: other.ids };
  return { likelyApi: UNKNOWN, ids: [] };
}
