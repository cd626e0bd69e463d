import { CompactEncrypt, importJWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isRetryOf, requestIdentity } from '../../src/client-side/simulator/identity.js';
import { createJweKey, type JweKey } from '../../src/client-side/simulator/keys.js';
import { issuerKeys, makeAssertion, PAN, type IssuerKeys } from './helpers.js';

/** The retry identity on its own: what makes a call a retry of another, and what never does. */

let jweKey: JweKey;
let keys: IssuerKeys;
beforeAll(async () => {
  [jweKey, keys] = await Promise.all([createJweKey(), issuerKeys()]);
});

const CARD = '/banking/v2/issuers/ISSUER0001/cards/card-1';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const id = (method: string, target: string, body: Buffer, headers: Record<string, string> = {}) =>
  requestIdentity({ method, target, headers: { 'content-type': 'application/json', ...headers }, body }, jweKey);
async function jwe(plaintext: object, key: JweKey = jweKey): Promise<string> {
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(plaintext)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: key.kid })
    .encrypt(await importJWK(key.publicJwk, 'ECDH-ES'));
}
const card = async (pan: string, key?: JweKey) => json({ consumerId: 'c-1', cardProductId: 'p-1', encryptedData: await jwe({ pan, exp: '1230' }, key) });

describe('isRetryOf', () => {
  it('a re-encrypted card JWE with the same content is a retry; another PAN under the same cardId is not', async () => {
    const first = await id('PUT', CARD, await card(PAN));
    expect(isRetryOf(await id('PUT', CARD, await card(PAN)), first)).toBe(true);
    expect(isRetryOf(await id('PUT', CARD, await card('5555555555554444')), first)).toBe(false);
    expect(isRetryOf(await id('PUT', CARD.replace('card-1', 'card-2'), await card(PAN)), first)).toBe(false);
    expect(isRetryOf(await id('POST', CARD, await card(PAN)), first)).toBe(false);
  });

  it('JWEs the simulator cannot decrypt count as "a JWE", whatever their bytes', async () => {
    const other = await createJweKey();
    expect(isRetryOf(await id('PUT', CARD, await card(PAN, other)), await id('PUT', CARD, await card('5555555555554444', other)))).toBe(true);
  });

  it('x-correlation-id decides when both carry one; otherwise the body does', async () => {
    const body = json({ reason: 'closed' });
    const a = await id('POST', '/x/operations:delete', body, { 'x-correlation-id': 'op-1' });
    expect(isRetryOf(await id('POST', '/x/operations:delete', body, { 'x-correlation-id': 'op-2' }), a)).toBe(false);
    expect(isRetryOf(await id('POST', '/x/operations:delete', json({ reason: 'fixed' }), { 'x-correlation-id': 'op-1' }), a)).toBe(true);
    expect(isRetryOf(await id('POST', '/x/operations:delete', body), a)).toBe(true);
    expect(isRetryOf(await id('POST', '/x/operations:delete', json({ reason: 'other' })), a)).toBe(false);
  });

  it('ignores key order, per-attempt keys (timestamp, nonce, requestId, attempt) and query order', async () => {
    const a = await id('POST', '/x?b=2&a=1', json({ a: 1, b: { c: 2, requestTimestamp: 1 }, nonce: 'n1', attempt: 1 }));
    expect(isRetryOf(await id('POST', '/x?a=1&b=2', json({ b: { requestTimestamp: 9, c: 2 }, a: 1, nonce: 'n2', attempt: 2 })), a)).toBe(true);
    expect(isRetryOf(await id('POST', '/x?a=1&b=3', json({ a: 1, b: { c: 2 } })), a)).toBe(false);
    // dateOfBirth is data, not a per-attempt stamp.
    expect(isRetryOf(await id('PUT', '/y', json({ dateOfBirth: '1990-01-02' })), await id('PUT', '/y', json({ dateOfBirth: '1990-01-03' })))).toBe(false);
  });

  it('a re-signed assertion is the same token request; another issuer in it is not', async () => {
    const form = async (o: Parameters<typeof makeAssertion>[1]) =>
      requestIdentity(
        {
          method: 'POST',
          target: '/authz/v1/oauth2/token',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from(new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await makeAssertion(keys, o) }).toString()),
        },
        jweKey,
      );
    const first = await form({ nowMs: 1_700_000_000_000 });
    expect(isRetryOf(await form({ nowMs: 1_700_000_005_000, expIn: 600 }), first)).toBe(true);
    expect(isRetryOf(await form({ nowMs: 1_700_000_000_000, iss: 'ISSUER0002', sub: 'ISSUER0002' }), first)).toBe(false);
  });

  it('keeps digests only: no PAN nor correlation id in an identity', async () => {
    const text = JSON.stringify(await id('PUT', CARD, await card(PAN), { 'x-correlation-id': 'jo-smith-4111' }));
    expect(text).not.toContain(PAN);
    expect(text).not.toContain('jo-smith');
  });
});
