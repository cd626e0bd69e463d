import type { Direction } from '../src/core/rulebook/rule.js';

/** Every D1 endpoint in scope, by direction. Paths are relative to the callee's base URL. */
export interface Endpoint {
  readonly id: string;
  readonly title: string;
  readonly direction: Direction;
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly path: string;
  /** The documented success status. */
  readonly success: number;
  /** Every status D1's OpenAPI documents for it (seed 004's responses), where D1 publishes one: what `diff` compares. */
  readonly statuses?: readonly number[];
  readonly source: string;
}

const ISSUER_BASE = '/banking/d1/v1/issuers/{issuerId}/consumers/{consumerId}';
const D1_BASE = '/banking/v2/issuers/{issuerId}';

export const ENDPOINTS = [
  // Issuer as server: D1 calls the issuer backend.
  { id: 'issuer.token', title: 'Issuer OAuth token (Get Authorization Token)', direction: 'issuer-as-server', method: 'POST', path: '/authz/d1/v1/oauth2/token', success: 200, source: 'outbound.md E1' },
  { id: 'issuer.getConsumerInfo', title: 'Get Consumer Information', direction: 'issuer-as-server', method: 'GET', path: ISSUER_BASE, success: 200, statuses: [200, 403, 404, 500], source: 'seed 004 Get Consumer Information' },
  { id: 'issuer.authenticate', title: 'Authenticate', direction: 'issuer-as-server', method: 'POST', path: `${ISSUER_BASE}/authentication`, success: 200, statuses: [200, 401, 403, 404, 500], source: 'seed 004 Authenticate' },
  { id: 'issuer.getAuthenticationResult', title: 'Get Authentication Result', direction: 'issuer-as-server', method: 'GET', path: `${ISSUER_BASE}/authentication/{authenticationId}`, success: 200, statuses: [200, 403, 404, 500], source: 'seed 004 Get Authentication Result' },
  { id: 'issuer.notifyConsumerOperation', title: 'Notify Consumer Operation (V1)', direction: 'issuer-as-server', method: 'POST', path: `${ISSUER_BASE}/notifications`, success: 204, statuses: [204, 400, 401, 404, 500], source: 'seed 004 Notify Consumer Operation (V1)' },
  { id: 'issuer.deliverOtp', title: 'Deliver OTP', direction: 'issuer-as-server', method: 'POST', path: `${ISSUER_BASE}/otp`, success: 204, statuses: [204, 400, 401, 403, 404, 500], source: 'seed 004 Deliver OTP' },
  // Issuer as client: the issuer backend calls D1.
  { id: 'd1.token', title: 'D1 OAuth token (JWT bearer assertion)', direction: 'issuer-as-client', method: 'POST', path: '/authz/v1/oauth2/token', success: 200, source: 'inbound.md §1' },
  { id: 'd1.registerConsumer', title: 'Register consumer', direction: 'issuer-as-client', method: 'PUT', path: `${D1_BASE}/consumers/{consumerId}`, success: 204, source: 'seed 001 Register consumer; inbound.md §2' },
  { id: 'd1.updateConsumer', title: 'Update consumer information', direction: 'issuer-as-client', method: 'POST', path: `${D1_BASE}/consumers/{consumerId}/operations:update`, success: 200, source: 'seed 001 Update consumer information' },
  { id: 'd1.deleteConsumer', title: 'Delete consumer', direction: 'issuer-as-client', method: 'POST', path: `${D1_BASE}/consumers/{consumerId}/operations:delete`, success: 200, source: 'seed 001 Delete' },
  { id: 'd1.getCardList', title: 'Get card list', direction: 'issuer-as-client', method: 'GET', path: `${D1_BASE}/consumers/{consumerId}/cards`, success: 200, source: 'seed 001 Get Card List' },
  { id: 'd1.registerCard', title: 'Register card', direction: 'issuer-as-client', method: 'PUT', path: `${D1_BASE}/cards/{cardId}`, success: 204, source: 'seed 002; inbound.md §4a' },
] as const satisfies readonly Endpoint[];

export type EndpointId = (typeof ENDPOINTS)[number]['id'];

export const ISSUER_ENDPOINTS = ENDPOINTS.filter((e) => e.direction === 'issuer-as-server').map((e) => e.id);
export const D1_ENDPOINTS = ENDPOINTS.filter((e) => e.direction === 'issuer-as-client').map((e) => e.id);

export function endpoint(id: EndpointId): Endpoint {
  const found = ENDPOINTS.find((e) => e.id === id);
  if (!found) throw new Error(`unknown endpoint ${id}`);
  return found;
}
