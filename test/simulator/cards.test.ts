import { createHash } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, cardPath, consumerPath, encryptCard, type EncryptOptions, json, OTHER_PANS, PAN, simulatorPerTest } from './helpers.js';

/** Register card: the JWE, the cardId and the PAN's whereabouts, each breach named by its rule. */

const s = simulatorPerTest();

const failed = () => s.failed();
const warned = () => s.warned();

async function registerCard(
  cardId: string,
  o: { pan?: string; exp?: string; consumerId?: string; product?: string; jwe?: EncryptOptions; extra?: Record<string, unknown> } = {},
) {
  const encryptedData = await encryptCard(s.sim, { pan: o.pan ?? PAN, exp: o.exp ?? '1230' }, o.jwe);
  return call(s.sim, 'PUT', cardPath(cardId), {
    token: s.token,
    body: { consumerId: o.consumerId ?? 'cons-0001', cardProductId: o.product ?? 'prod-classic-01', encryptedData, ...o.extra },
  });
}

describe('cardId hygiene (IN-ID-001)', () => {
  it('passes an opaque cardId', async () => {
    expect((await registerCard('crd_h2otddwm5uwujlye3qyxmjkpha')).status).toBe(204);
    expect(failed()).toEqual([]);
    expect(s.sim.results().find((r) => r.ruleId === 'IN-ID-001')?.status).toBe('PASSED');
  });

  it('flags the PAN as cardId (and the PAN in clear in the URL, IN-JWE-008)', async () => {
    await registerCard(PAN);
    expect(failed()).toEqual(['IN-ID-001', 'IN-JWE-008']);
  });

  it('flags a SHA-256 of the PAN as cardId', async () => {
    const digest = createHash('sha256').update(PAN).digest();
    await registerCard(digest.toString('base64url'));
    expect(failed()).toEqual(['IN-ID-001']);
    await s.sim.close();
    await s.restart();
    // In hex it is also too long for a cardId (64 > 48).
    const hex = await registerCard(digest.toString('hex'));
    expect(hex.status).toBe(400);
    expect(json(hex)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'cardId' });
    expect(failed()).toEqual(['IN-ID-001', 'IN-PATH-003']);
  });

  it('flags BIN + last 4 of the PAN as cardId', async () => {
    await registerCard(`card-${PAN.slice(0, 6)}${PAN.slice(-4)}`);
    expect(failed()).toEqual(['IN-ID-001']);
  });
});

describe('the PAN travels only in the JWE (IN-JWE-008)', () => {
  it('flags a PAN in clear in the body', async () => {
    const answer = await registerCard('card-0001', { extra: { pan: PAN } });
    expect(answer.status).toBe(204);
    expect(failed()).toEqual(['IN-JWE-008']);
    expect(s.sim.results().find((r) => r.ruleId === 'IN-JWE-008' && r.status === 'FAILED')?.message).toBe('a PAN appears in clear in the body');
  });

  it('flags a known PAN in a header or the query on a later call', async () => {
    await registerCard('card-0001');
    await call(s.sim, 'GET', `${consumerPath('cons-0001', '/cards')}?pan=${PAN}`, { token: s.token });
    await call(s.sim, 'GET', consumerPath('cons-0001', '/cards'), { token: s.token, headers: { 'x-card': `xx${PAN}xx` } });
    expect(failed()).toEqual(['IN-JWE-008']);
    expect(
      s.sim
        .results()
        .filter((r) => r.ruleId === 'IN-JWE-008' && r.status === 'FAILED')
        .map((r) => r.message),
    ).toEqual(['a PAN appears in clear in the URL', 'a PAN appears in clear in a header']);
  });
});

describe('the card data JWE', () => {
  it('refuses RSA-OAEP-256 key management (IN-JWE-002)', async () => {
    const rsa = await generateKeyPair('RSA-OAEP-256');
    const answer = await registerCard('card-0001', { jwe: { alg: 'RSA-OAEP-256', key: rsa.publicKey } });
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'encryptedData' });
    // No ephemeral key either (RSA has none): that is the alg's breach, not a second one.
    expect(failed()).toEqual(['IN-JWE-002']);
    expect(s.sim.state.cards()).toEqual([]);
  });

  it('refuses A128GCM content encryption (IN-JWE-003)', async () => {
    const answer = await registerCard('card-0001', { jwe: { enc: 'A128GCM' } });
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'encryptedData' });
    expect(failed()).toEqual(['IN-JWE-003']);
  });

  it("refuses a kid that is not the simulator's (IN-JWE-004)", async () => {
    expect((await registerCard('card-0001', { jwe: { kid: 'old-d1-key' } })).status).toBe(400);
    expect(failed()).toEqual(['IN-JWE-004']);
  });

  it('refuses a JWE made for another P-256 key (IN-JWE-001: it does not decrypt)', async () => {
    const other = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
    expect((await registerCard('card-0001', { jwe: { key: await exportJWK(other.publicKey) } })).status).toBe(400);
    expect(failed()).toEqual(['IN-JWE-001']);
  });

  it('refuses a plaintext pan with spaces or an exp with a slash (IN-JWE-006); warns on a bad month (IN-JWE-007)', async () => {
    expect((await registerCard('card-0001', { pan: '4111 1111 1111 1111' })).status).toBe(400);
    expect((await registerCard('card-0002', { pan: OTHER_PANS[0], exp: '12/30' })).status).toBe(400);
    expect(failed()).toEqual(['IN-JWE-006']);
    expect((await registerCard('card-0003', { pan: OTHER_PANS[1], exp: '1399' })).status).toBe(204);
    expect(warned()).toEqual(['IN-JWE-007']);
  });

  it('reads the JWE from the field the registerCardJweField policy names', async () => {
    await s.sim.close();
    await s.restart({ policies: { registerCardJweField: 'encryptedCard' } });
    const encryptedCard = await encryptCard(s.sim, { pan: PAN, exp: '1230' });
    const answer = await call(s.sim, 'PUT', cardPath('card-0001'), {
      token: s.token,
      body: { consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedCard },
    });
    expect(answer.status).toBe(204);
    expect(failed()).toEqual([]);
    const missing = await call(s.sim, 'PUT', cardPath('card-0002'), {
      token: s.token,
      body: { consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedData: encryptedCard },
    });
    expect(json(missing)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'encryptedCard' });
    expect(failed()).toEqual(['IN-CARD-002']);
  });
});

describe('register card rules', () => {
  it('refuses an unknown cardProductId (IN-CARD-003) and a missing consumerId (IN-CARD-002)', async () => {
    const product = await registerCard('card-0001', { product: 'prod-gold-99' });
    expect(product.status).toBe(400);
    expect(json(product)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'cardProductId' });
    expect(failed()).toEqual(['IN-CARD-003']);
    const noConsumer = await call(s.sim, 'PUT', cardPath('card-0002'), {
      token: s.token,
      body: { cardProductId: 'prod-classic-01', encryptedData: await encryptCard(s.sim, { pan: PAN, exp: '1230' }) },
    });
    expect(json(noConsumer)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'consumerId' });
    expect(failed()).toEqual(['IN-CARD-002', 'IN-CARD-003']);
  });

  it('accepts a repeated PUT; refuses an active cardId for another PAN (IN-ID-004) and a deleted PAN (IN-ID-005)', async () => {
    expect((await registerCard('card-0001')).status).toBe(204);
    expect((await registerCard('card-0001')).status).toBe(204);
    expect(failed()).toEqual([]);
    const reuse = await registerCard('card-0001', { pan: OTHER_PANS[0] });
    expect(json(reuse)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'cardId' });
    expect(failed()).toEqual(['IN-ID-004']);

    expect((await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: s.token, body: {} })).status).toBe(200);
    // The cardId of a deleted card may be reused, for another PAN...
    expect((await registerCard('card-0001', { pan: OTHER_PANS[0], consumerId: 'cons-0002' })).status).toBe(204);
    // ...but the deleted PAN never comes back.
    const deletedPan = await registerCard('card-0009', { consumerId: 'cons-0002' });
    expect(json(deletedPan)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'encryptedData' });
    expect(failed()).toEqual(['IN-ID-004', 'IN-ID-005']);
    expect(s.sim.state.cards().map((c) => [c.cardId, c.consumerId, c.state])).toEqual([['card-0001', 'cons-0002', 'ACTIVE']]);
  });
});
