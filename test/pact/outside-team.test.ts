import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Verifier } from '@pact-foundation/pact';
import { describe, expect, it } from 'vitest';
import { startReferenceIssuer } from '../../fixtures/reference-issuer/index.js';

/**
 * The D1 -> issuer pact file as an issuer team would use it: nothing from this project but the
 * file itself (and the reference issuer standing in for their backend). Their state handlers and
 * token code, written here with fetch, and Pact's own Verifier.
 */

const PACT_FILE = fileURLToPath(new URL('../../contracts/pacts/D1-issuer-backend.json', import.meta.url));

describe('the generated D1 -> issuer pact, verified by an outside team', () => {
  it('is accepted by the Pact Verifier against a compliant issuer, with only state handlers and a token of their own', { timeout: 60_000 }, async () => {
    const issuer = await startReferenceIssuer();
    const basic = `Basic ${Buffer.from(`${issuer.clientId}:${issuer.clientSecret}`).toString('base64')}`;
    const tokenResponse = await fetch(`${issuer.baseUrl}/authz/d1/v1/oauth2/token`, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const consumer = issuer.consumers[0];
    if (!consumer?.cardIds[0]) throw new Error('the reference issuer needs a consumer with a card');
    const base = { issuerId: issuer.issuerId, consumerId: consumer.consumerId };
    const api = `${issuer.baseUrl}/banking/d1/v1/issuers/${issuer.issuerId}/consumers/${consumer.consumerId}/authentication`;
    const authenticate = async () => {
      const authenticationId = randomUUID();
      await fetch(api, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ authenticationId, operation: '3DS_CHALLENGE_OOB_ISSUER' }),
      });
      return authenticationId;
    };
    const statesSeen = new Set<string>();
    const seen = (state: string) => statesSeen.add(state);
    try {
      const output = await new Verifier({
        provider: 'issuer-backend',
        providerBaseUrl: issuer.baseUrl,
        pactUrls: [PACT_FILE],
        logLevel: 'error',
        stateHandlers: {
          'consumer {consumerId} exists': () => {
            seen('exists');
            return Promise.resolve({ ...base, authenticationId: randomUUID(), operationId: randomUUID() });
          },
          'consumer {consumerId} exists with card {cardId}': () => {
            seen('card');
            return Promise.resolve({ ...base, cardId: consumer.cardIds[0] ?? '' });
          },
          'consumer {consumerId} does not exist': () => {
            seen('unknown');
            return Promise.resolve({ ...base, consumerId: 'nobody-we-know' });
          },
          'authentication {authenticationId} is pending': async () => {
            seen('pending');
            return { ...base, authenticationId: await authenticate() };
          },
          'authentication {authenticationId} is final': async () => {
            seen('final');
            const authenticationId = await authenticate();
            for (let i = 0; i < 5; i++) {
              const res = await fetch(`${api}/${authenticationId}`, { headers: { authorization: `Bearer ${token}` } });
              if (((await res.json()) as { authenticationStatus: string }).authenticationStatus !== 'PENDING') break;
            }
            return { ...base, authenticationId };
          },
        },
        requestFilter: (req: { headers: Record<string, string | string[] | undefined>; body?: unknown }, _res: unknown, next: () => void) => {
          const auth = req.headers.authorization;
          if (typeof auth === 'string' && auth.startsWith('Bearer ')) req.headers.authorization = `Bearer ${token}`;
          if (typeof auth === 'string' && auth.startsWith('Basic ')) req.headers.authorization = basic;
          // The verifier's proxy parses forms; send the token request as the form it was.
          if (
            req.headers['content-type'] === 'application/x-www-form-urlencoded' &&
            typeof req.body === 'object' &&
            req.body !== null &&
            !Buffer.isBuffer(req.body)
          ) {
            req.body = Buffer.from(new URLSearchParams(req.body as Record<string, string>).toString());
          }
          next();
        },
      }).verifyProvider();
      const result = JSON.parse(output) as { result: boolean; interactionResults: { description: string; result: string }[] };
      expect(result.result).toBe(true);
      expect(result.interactionResults).toHaveLength(13);
      expect(result.interactionResults.every((r) => r.result === 'OK')).toBe(true);
      expect(statesSeen).toEqual(new Set(['exists', 'card', 'unknown', 'pending', 'final']));
    } finally {
      await issuer.close();
    }
  });
});
