import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ISSUER_PACT_FILE } from '../../src/server-side/pact/verify.js';

/**
 * A Pact Broker on 127.0.0.1 (node:http), as much of one as the verifier and `pacts` use: the
 * HAL index, pacts for verification (the committed D1 -> issuer pact), the publishing of
 * verification results and of contracts. It records every request (the Authorization header,
 * the body) and answers the statuses a test asks for.
 */

export interface BrokerCall {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeBrokerOptions {
  /** Only this Authorization header is let in; anything else gets 401. */
  readonly authorization?: string;
  /** The status of every answer (e.g. 500: a broker that is down). */
  readonly everything?: number;
  /** The status of POST /contracts/publish (default 200). */
  readonly publishContracts?: number;
  /** The status of POST of the verification results (default 201). */
  readonly verificationResults?: number;
  /** The status of the POST for the pacts for verification (default 200). */
  readonly pactsForVerification?: number;
  /** The pact the broker gives is pending (verificationProperties.pending). */
  readonly pending?: boolean;
}

export interface FakeBroker {
  readonly url: string;
  readonly calls: BrokerCall[];
  close(): Promise<void>;
}

export async function startFakeBroker(options: FakeBrokerOptions = {}): Promise<FakeBroker> {
  const pact = JSON.parse(readFileSync(ISSUER_PACT_FILE, 'utf8')) as Record<string, unknown>;
  const calls: BrokerCall[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const method = req.method ?? 'GET';
      calls.push({ method, path, authorization: req.headers.authorization, headers: req.headers, body });
      const hal = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/hal+json' }).end(JSON.stringify(value));
      if (options.everything !== undefined) return hal(options.everything, { error: 'broker down' });
      if (options.authorization !== undefined && req.headers.authorization !== options.authorization) return hal(401, { error: 'Authentication required' });
      if (path === '/' && method === 'GET')
        return hal(200, {
          _links: {
            'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true },
            'pb:publish-contracts': { href: `${base}/contracts/publish`, title: 'Publish contracts' },
          },
        });
      if (path.endsWith('/for-verification') && method === 'GET') return hal(200, { _links: { self: { href: `${base}${path}` } } });
      if (path.endsWith('/for-verification') && options.pactsForVerification !== undefined && options.pactsForVerification >= 300)
        return hal(options.pactsForVerification, { errors: { consumerVersionSelectors: ['is not a valid selector'] } });
      if (path.endsWith('/for-verification'))
        return hal(200, {
          _embedded: {
            pacts: [
              {
                shortDescription: 'main',
                verificationProperties: { notices: [], pending: options.pending === true },
                _links: { self: { href: `${base}/pacts/1`, name: 'D1' } },
              },
            ],
          },
        });
      if (path === '/pacts/1')
        return hal(200, {
          ...pact,
          _links: {
            'pb:publish-verification-results': { href: `${base}/pacts/1/verification-results` },
            'pb:provider': { href: `${base}/pacticipants/issuer-backend`, name: 'issuer-backend' },
          },
        });
      // The provider's branch (--provider-branch): the verifier PUTs the version on it before the results.
      if (path === '/pacticipants/issuer-backend' && method === 'GET')
        return hal(200, {
          name: 'issuer-backend',
          _links: { 'pb:branch-version': { href: `${base}/pacticipants/issuer-backend/branches/{branch}/versions/{version}`, templated: true } },
        });
      if (path.startsWith('/pacticipants/issuer-backend/branches/') && method === 'PUT') return hal(200, { _links: {} });
      if (path === '/pacts/1/verification-results' && method === 'POST') {
        const status = options.verificationResults ?? 201;
        return hal(status, status < 300 ? { _links: {} } : { error: 'broker down' });
      }
      if (path === '/contracts/publish' && method === 'POST') {
        const status = options.publishContracts ?? 200;
        return hal(status, status < 300 ? { logs: [{ level: 'info', message: 'Pact published' }], _links: {} } : { errors: { contracts: ['refused'] } });
      }
      return hal(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    url: base,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}
