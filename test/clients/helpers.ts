import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { ClientEnv } from '../../fixtures/reference-client/index.js';
import type { CaseResult } from '../../src/core/results/model.js';
import { startSimulator, type RunningSimulator } from '../../src/client-side/simulator/index.js';

/** The issuer under test: its D1 id and its assertion key pair, made with jose for each test file. */
export const ISSUER_ID = 'ISSUER0001';
export const SIGNING_KID = 'issuer-key-1';

export interface IssuerKeyPair {
  readonly publicJwk: JWK;
  readonly privateJwk: JWK;
}

export async function issuerKeyPair(): Promise<IssuerKeyPair> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { publicJwk: await exportJWK(publicKey), privateJwk: await exportJWK(privateKey) };
}

export function simulatorFor(keys: IssuerKeyPair, options: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> {
  return startSimulator({ issuerKeys: [{ kid: SIGNING_KID, publicJwk: keys.publicJwk }], ...options });
}

/** The client's configuration for a simulator, in memory (what readClientEnv builds from files); `tls` for a simulator speaking mutual TLS. */
export function envFor(sim: RunningSimulator, keys: IssuerKeyPair, tls?: ClientEnv['tls']): ClientEnv {
  return {
    ...(tls !== undefined ? { tls } : {}),
    baseUrl: sim.baseUrl,
    tokenUrl: sim.tokenUrl,
    issuerId: ISSUER_ID,
    jwePublicJwk: sim.jwePublicJwk,
    jweKid: sim.jweKid,
    signingKid: SIGNING_KID,
    signingPrivateJwk: keys.privateJwk,
  };
}

/** The rule ids with this status among results, sorted, once each. */
export function ruleIds(results: readonly CaseResult[], status: 'FAILED' | 'WARNING'): string[] {
  return [...new Set(results.filter((r) => r.status === status).map((r) => r.ruleId))].sort();
}

// --- a stub D1 for the resilience tests -----------------------------------------------------

export interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** performance.now() when the request arrived. */
  readonly at: number;
}

export interface StubReply {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

/** 'destroy' drops the connection without an answer. */
export type StubHandler = (request: Seen, index: number) => StubReply | 'destroy';

export interface Stub {
  readonly url: string;
  /** Banking calls (every request but the token call), in order. */
  readonly calls: Seen[];
  /** Token calls, in order. */
  readonly tokenCalls: Seen[];
  close(): Promise<void>;
}

export const STUB_TOKEN_PATH = '/authz/v1/oauth2/token';

/**
 * A real HTTP server on 127.0.0.1: the token call answers tok-1, tok-2... (unless `token` answers
 * otherwise for that call); the rest goes to `handler`.
 */
export async function stubD1(handler: StubHandler, o: { token?: (index: number) => StubReply | undefined } = {}): Promise<Stub> {
  const calls: Seen[] = [];
  const tokenCalls: Seen[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      };
      let reply: StubReply | 'destroy';
      if (seen.url === STUB_TOKEN_PATH) {
        tokenCalls.push(seen);
        reply = o.token?.(tokenCalls.length - 1) ?? { status: 200, body: { access_token: `tok-${tokenCalls.length}`, expires_in: 900, token_type: 'Bearer' } };
      } else {
        calls.push(seen);
        reply = handler(seen, calls.length - 1);
      }
      if (reply === 'destroy') {
        req.socket.destroy();
        return;
      }
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
      res.writeHead(reply.status, { ...(text === '' ? {} : { 'content-type': 'application/json' }), ...reply.headers });
      res.end(text === '' ? undefined : text);
    });
  });
  await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    tokenCalls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}

/** A ClientEnv pointing at a stub (real keys: the client signs and encrypts for real). */
export async function envForStub(stub: Stub, keys: IssuerKeyPair): Promise<ClientEnv> {
  const { publicKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  return {
    baseUrl: stub.url,
    tokenUrl: `${stub.url}${STUB_TOKEN_PATH}`,
    issuerId: ISSUER_ID,
    jwePublicJwk: await exportJWK(publicKey),
    jweKid: 'stub-jwe-key',
    signingKid: SIGNING_KID,
    signingPrivateJwk: keys.privateJwk,
  };
}
