import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { tokenResponse } from '../../contracts/issuer-api/oauth.js';
import type { Kit } from '../../src/server-side/harness/kit.js';
import { inspectResponse, parseJson } from '../../src/server-side/harness/oracle.js';
import type { Exchange } from '../../src/core/http/client.js';

/** E1: the issuer's OAuth token endpoint (outbound.md E1, OUT-AUTH-*). */

const E = 'issuer.token';
const TOKEN_RULES = [
  'OUT-AUTH-001',
  'OUT-AUTH-007',
  'OUT-AUTH-008',
  'OUT-AUTH-009',
  'OUT-AUTH-010',
  'OUT-AUTH-011',
  'OUT-AUTH-012',
  'OUT-AUTH-013',
  'OUT-AUTH-015',
  'OUT-AUTH-016',
];

/** Runs `body` when outbound OAuth is on; otherwise records why the token rules are skipped. */
function withOAuth(kit: Kit, body: (oauth: NonNullable<Kit['session']['oauth']>) => Promise<void>): Promise<void> {
  const oauth = kit.session.oauth;
  if (!oauth) {
    for (const id of TOKEN_RULES) kit.rec.skip(id, E, 'token endpoint', 'outbound OAuth is off (auth.mode none)');
    return Promise.resolve();
  }
  if (!kit.inScope(E)) return Promise.resolve();
  return body(oauth);
}

async function call(kit: Kit, options: Parameters<Kit['session']['tokenCall']>[0]): Promise<Exchange> {
  const exchange = await kit.session.tokenCall(options);
  inspectResponse(kit.rec, exchange, E, { slowAfterMs: kit.policies.responseTimeoutMs });
  return exchange;
}

function issuedNoToken(exchange: Exchange): boolean {
  const json = exchange.response ? parseJson(exchange.response.body) : { ok: false as const };
  return !(json.ok && typeof json.value === 'object' && json.value !== null && 'access_token' in json.value);
}

describe('issuer OAuth token endpoint (outbound.md E1)', () => {
  conformanceTest('valid Basic credentials and a form body give 200 with a Bearer token', (kit) =>
    withOAuth(kit, async (oauth) => {
      const name = 'valid credentials';
      const exchange = await call(kit, {});
      kit.expectStatus(exchange, 'OUT-AUTH-001', E, name, [200], '200');
      kit.expectStatus(exchange, 'OUT-AUTH-012', E, name, [200], '200 for an application/x-www-form-urlencoded body');
      kit.expectStatus(exchange, 'OUT-AUTH-013', E, name, [200], '200 for standard base64 credentials with padding');
      kit.expectBody(exchange, tokenResponse, name);
      kit.rec.check(!(exchange.response?.body ?? '').includes(oauth.clientSecret), 'OUT-AUTH-015', E, name, () => ({
        message: 'the token response echoes the client secret',
        exchange,
      }));
      const scoped = await call(kit, { body: new URLSearchParams({ grant_type: kit.policies.issuerTokenGrantType, scope: oauth.scope ?? 'd1' }).toString() });
      kit.expectStatus(scoped, 'OUT-AUTH-011', E, 'with a scope parameter', [200], '200');
    }),
  );

  conformanceTest('a wrong client secret is refused and no token is issued', (kit) =>
    withOAuth(kit, async (oauth) => {
      const exchange = await call(kit, { authorization: kit.session.basicCredentials(oauth.clientId, `${oauth.clientSecret}-wrong`) });
      const name = 'wrong client secret';
      kit.expectStatus(exchange, 'OUT-AUTH-008', E, name, [400, 401], '400 or 401');
      kit.rec.check(issuedNoToken(exchange), 'OUT-AUTH-008', E, `${name}: no token`, () => ({ message: 'a token was issued for a wrong secret', exchange }));
    }),
  );

  conformanceTest('a request without Authorization is refused', (kit) =>
    withOAuth(kit, async () => {
      const exchange = await call(kit, { authorization: null });
      kit.expectDocumentedStatus(exchange, 'OUT-AUTH-007', E, 'no Authorization header', 400);
      kit.rec.check(issuedNoToken(exchange), 'OUT-AUTH-007', E, 'no Authorization header: no token', () => ({
        message: 'a token was issued without credentials',
        exchange,
      }));
    }),
  );

  conformanceTest('a malformed Authorization header is refused', (kit) =>
    withOAuth(kit, async (oauth) => {
      for (const [name, authorization] of [
        ['Bearer instead of Basic', `Bearer ${Buffer.from(`${oauth.clientId}:${oauth.clientSecret}`).toString('base64')}`],
        ['Basic without credentials', 'Basic'],
        ['credentials not base64', 'Basic !!!not-base64!!!'],
      ] as const) {
        const exchange = await call(kit, { authorization });
        // 400 documented; the rule's data accepts OAuth's 401 invalid_client (RFC 6749 §5.2).
        kit.expectDocumentedStatus(exchange, 'OUT-AUTH-016', E, name, 400);
      }
    }),
  );

  conformanceTest('a request without grant_type is refused with 400', (kit) =>
    withOAuth(kit, async () => {
      const exchange = await call(kit, { body: 'scope=d1' });
      kit.expectStatus(exchange, 'OUT-AUTH-009', E, 'no grant_type', [400], '400');
    }),
  );

  conformanceTest('an unsupported grant_type is refused with 400', (kit) =>
    withOAuth(kit, async () => {
      for (const grant of ['password', 'authorization_code', 'CLIENT_CREDENTIALS']) {
        const exchange = await call(kit, { body: new URLSearchParams({ grant_type: grant }).toString() });
        kit.expectStatus(exchange, 'OUT-AUTH-010', E, `grant_type ${grant}`, [400], '400 (unsupported_grant_type)');
      }
    }),
  );
});
