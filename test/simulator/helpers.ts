import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { request } from 'undici';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import type { CaseResult } from '../../src/core/results/model.js';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../../src/client-side/simulator/index.js';

/** A test issuer talking to the D1 simulator: its keys, its assertions, its calls. */

export const ISSUER_ID = 'ISSUER0001';
export const PAN = '4111111111111111';
export const OTHER_PANS = ['5555555555554444', '4000056655665556', '6011111111111117', '378282246310005'] as const;
export const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export const PERSONAL = {
  language: 'en-US',
  firstName: 'Johanna',
  lastName: 'Smithfield',
  email: 'johanna.smithfield@example.com',
  mobilePhoneNumber: { countryCode: '+33', phoneNumber: '612345678' },
  residencyAddress: { line1: '1 Rue de la Paix', zipCode: '75002', city: 'Paris', countryCode: 'FR' },
} as const;

export interface IssuerKeys {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

export async function issuerKeys(kid = 'issuer-key-1'): Promise<IssuerKeys> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  return { kid, privateKey, publicJwk: await exportJWK(publicKey) };
}

export async function simulatorFor(keys: IssuerKeys, options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ issuerKeys: [{ kid: keys.kid, publicJwk: keys.publicJwk }], ...options });
}

export interface AssertionOptions {
  readonly alg?: string;
  /** null: no kid at all. */
  readonly kid?: string | null;
  readonly iss?: string;
  readonly sub?: string;
  /** Seconds from `nowMs` to exp. */
  readonly expIn?: number;
  readonly aud?: string;
  /** Another signing key (HS256 secret, RSA key...). */
  readonly key?: CryptoKey | Uint8Array;
  readonly nowMs?: number;
}

export async function makeAssertion(keys: IssuerKeys, o: AssertionOptions = {}): Promise<string> {
  const now = Math.floor((o.nowMs ?? Date.now()) / 1000);
  const header: { alg: string; kid?: string; typ: string } = { alg: o.alg ?? 'ES256', typ: 'JWT' };
  const kid = o.kid === undefined ? keys.kid : o.kid;
  if (kid !== null) header.kid = kid;
  const jwt = new SignJWT(o.aud === undefined ? {} : { aud: o.aud })
    .setProtectedHeader(header)
    .setIssuer(o.iss ?? ISSUER_ID)
    .setSubject(o.sub ?? ISSUER_ID)
    .setIssuedAt(now)
    .setExpirationTime(now + (o.expIn ?? 900));
  return jwt.sign(o.key ?? keys.privateKey);
}

export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly text: string;
}

export interface CallOptions {
  readonly headers?: Readonly<Record<string, string>>;
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
  readonly token?: string;
}

export async function call(sim: RunningSimulator, method: 'GET' | 'PUT' | 'POST' | 'DELETE', path: string, o: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token !== undefined) headers.authorization = `Bearer ${o.token}`;
  let body: string | Buffer | undefined;
  if (typeof o.body === 'string' || Buffer.isBuffer(o.body)) body = o.body;
  else if (o.body !== undefined) {
    body = JSON.stringify(o.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${sim.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await res.body.text();
  const flat: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, text };
}

export function json(answer: Answer): Record<string, unknown> {
  return JSON.parse(answer.text) as Record<string, unknown>;
}

export function tokenCall(
  sim: RunningSimulator,
  assertion: string,
  o: { json?: boolean; grantType?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const grant = o.grantType ?? JWT_BEARER;
  return o.json === true
    ? call(sim, 'POST', '/authz/v1/oauth2/token', { headers: o.headers, body: { grant_type: grant, assertion } })
    : call(sim, 'POST', '/authz/v1/oauth2/token', {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...o.headers },
        body: new URLSearchParams({ grant_type: grant, assertion }).toString(),
      });
}

export async function accessToken(sim: RunningSimulator, keys: IssuerKeys, o: AssertionOptions = {}): Promise<string> {
  const answer = await tokenCall(sim, await makeAssertion(keys, o));
  if (answer.status !== 200) throw new Error(`token call answered ${answer.status}: ${answer.text}`);
  return json(answer).access_token as string;
}

export const consumerPath = (consumerId: string, suffix = '', issuerId = ISSUER_ID) =>
  `/banking/v2/issuers/${encodeURIComponent(issuerId)}/consumers/${encodeURIComponent(consumerId)}${suffix}`;
export const cardPath = (cardId: string, issuerId = ISSUER_ID) => `/banking/v2/issuers/${encodeURIComponent(issuerId)}/cards/${encodeURIComponent(cardId)}`;

export interface EncryptOptions {
  readonly alg?: string;
  readonly enc?: string;
  readonly kid?: string;
  /** The recipient key to encrypt to (default: the simulator's). */
  readonly key?: CryptoKey | JWK;
}

/** The card data JWE as a compliant issuer makes it: ECDH-ES, A256GCM, the simulator's kid. */
export async function encryptCard(sim: RunningSimulator, plaintext: object, o: EncryptOptions = {}): Promise<string> {
  const key = o.key ?? (await importJWK(sim.jwePublicJwk, 'ECDH-ES'));
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(plaintext)))
    .setProtectedHeader({ alg: o.alg ?? 'ECDH-ES', enc: o.enc ?? 'A256GCM', kid: o.kid ?? sim.jweKid })
    .encrypt(key);
}

/** The rule ids of findings with this status among results. */
export function ruleIds(results: readonly CaseResult[], status: 'FAILED' | 'WARNING' = 'FAILED'): string[] {
  return [...new Set(results.filter((r) => r.status === status).map((r) => r.ruleId))].sort();
}

/** Results recorded after a mark (the recorder keeps insertion order; findings are always new entries). */
export function since(sim: RunningSimulator, mark: number): CaseResult[] {
  return sim.results().slice(mark);
}

/** The simulator's clock in a test: starts at a fixed instant, moves only when told. */
export class FakeClock {
  ms = Date.UTC(2026, 10, 22, 12, 0, 0);
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** The body of a fault answer, checked to be D1's error shape: `{error}` and nothing else. */
export function faultBody(answer: Answer): string {
  const body = json(answer);
  if (Object.keys(body).join() !== 'error' || typeof body.error !== 'string') throw new Error(`not a D1 fault body: ${answer.text}`);
  return body.error;
}

/** A fresh simulator and access token for every test of a file (vitest hooks); `restart` changes its options. */
export interface SimulatorPerTest {
  readonly sim: RunningSimulator;
  readonly token: string;
  readonly keys: IssuerKeys;
  restart(options?: SimulatorOptions): Promise<void>;
  /** Rule ids with FAILED (or WARNING) findings so far. */
  failed(): string[];
  warned(): string[];
}

export function simulatorPerTest(): SimulatorPerTest {
  let keys: IssuerKeys | undefined;
  let sim: RunningSimulator | undefined;
  let token = '';
  const started = (): RunningSimulator => {
    if (!sim) throw new Error('the simulator is not started (use it inside a test)');
    return sim;
  };
  const start = async (options: SimulatorOptions = {}) => {
    keys ??= await issuerKeys();
    sim = await simulatorFor(keys, options);
    token = await accessToken(sim, keys);
  };
  beforeAll(async () => {
    keys = await issuerKeys();
  });
  beforeEach(() => start());
  afterEach(() => started().close());
  return {
    get sim() {
      return started();
    },
    get token() {
      return token;
    },
    get keys() {
      if (!keys) throw new Error('no keys yet');
      return keys;
    },
    restart: async (options = {}) => {
      await started().close();
      await start(options);
    },
    failed: () => ruleIds(started().results(), 'FAILED'),
    warned: () => ruleIds(started().results(), 'WARNING'),
  };
}

/** The rules a compliant journey (token, register, card, update, list, delete) exercises, checks on the simulator's own answers included. */
export const JOURNEY_RULES: readonly string[] = [
  'IN-AUTH-001',
  'IN-AUTH-002',
  'IN-AUTH-003',
  'IN-AUTH-004',
  'IN-AUTH-005',
  'IN-AUTH-006',
  'IN-AUTH-007',
  'IN-AUTH-008',
  'IN-AUTH-009',
  'IN-AUTH-010',
  'IN-AUTH-011',
  'IN-AUTH-014',
  'IN-AUTH-015',
  'IN-AUTH-016',
  'IN-AUTH-017',
  'IN-CARD-001',
  'IN-CARD-002',
  'IN-CARD-003',
  'IN-CARD-007',
  'IN-CON-001',
  'IN-CON-002',
  'IN-CON-004',
  'IN-CON-007',
  'IN-CON-009',
  'IN-CON-014',
  'IN-CON-015',
  'IN-CON-016',
  'IN-HDR-001',
  'IN-HDR-003',
  'IN-HDR-005',
  'IN-ID-001',
  'IN-ID-002',
  'IN-ID-003',
  'IN-JWE-001',
  'IN-JWE-002',
  'IN-JWE-003',
  'IN-JWE-004',
  'IN-JWE-005',
  'IN-JWE-006',
  'IN-JWE-007',
  'IN-JWE-008',
  'IN-PATH-001',
  'IN-PATH-002',
  'IN-PATH-003',
];
