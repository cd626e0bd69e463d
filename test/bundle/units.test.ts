import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors/index.js';
import { loadPrivateKey, loadPublicKey } from '../../src/core/keys/keys.js';
import { defaultName } from '../../src/outputs/bundle/pack.js';
import { isSecretKey, unremovedSecrets } from '../../src/outputs/bundle/secrets.js';
import { checkDetached, signDetached } from '../../src/outputs/bundle/signature.js';

describe('secret check on the configuration', () => {
  it('treats keys ending in secret/password/token/pans as secrets, but not tokenUrl and the token policies', () => {
    for (const key of ['clientSecret', 'client_secret', 'password', 'dbPassword', 'accessToken', 'token', 'apiKey', 'privateKey', 'pans', 'secrets']) expect(isSecretKey(key), key).toBe(true);
    for (const key of ['tokenUrl', 'tokenMissingAuthStatus', 'tokenReuseMinRemainingSeconds', 'issuerTokenGrantType', 'clientId', 'mode', 'cardIds', 'spans']) expect(isSecretKey(key), key).toBe(false);
  });

  it('reports the path of every secret value that is not "<removed>", and nothing for a sanitized configuration', () => {
    const sanitized = { auth: { mode: 'oauth', tokenUrl: '/token', clientId: 'c', clientSecret: '<removed>' }, testData: { consumers: [{ consumerId: 'x', pans: ['<removed>', '<removed>'] }] }, usePassword: true, refreshToken: null };
    expect(unremovedSecrets(sanitized)).toEqual([]);
    const leaky = { auth: { clientSecret: 's3cr3t' }, testData: { consumers: [{ pans: ['<removed>', '4111111111111111'] }] }, nested: { db: { password: { value: 'pw' } } }, pin: 1234, apiToken: 99 };
    expect(unremovedSecrets(leaky)).toEqual(['configuration.auth.clientSecret', 'configuration.testData.consumers[0].pans', 'configuration.nested.db.password', 'configuration.apiToken']);
  });
});

describe('default archive name', () => {
  it('is d1-conformance-<host>-<date>.tar.gz with the host made file-system safe', () => {
    const date = new Date('2026-03-04T23:59:00Z');
    expect(defaultName('https://issuer.bank.example:8443/d1', date)).toBe('d1-conformance-issuer.bank.example-2026-03-04.tar.gz');
    expect(defaultName('http://[::1]:8080', date)).toBe('d1-conformance-1-2026-03-04.tar.gz');
    expect(defaultName('not a url', date)).toBe('d1-conformance-target-2026-03-04.tar.gz');
  });
});

describe('key files and the detached signature', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'd1c-keys-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function pair() {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const pub = await exportJWK(publicKey);
    return { priv: await exportJWK(privateKey), pub, kid: await calculateJwkThumbprint(pub) };
  }

  it('refuses a key file whose kid is not its thumbprint', async () => {
    const { pub } = await pair();
    const path = join(dir, 'wrong-kid.json');
    await writeFile(path, JSON.stringify({ ...pub, kid: 'someone-else' }));
    await expect(loadPublicKey(path)).rejects.toThrow(UsageError);
    await expect(loadPublicKey(path)).rejects.toThrow(/is not the key's RFC 7638 thumbprint/);
  });

  it('refuses a public key as the signing key, and a key for another alg', async () => {
    const { pub } = await pair();
    const pubPath = join(dir, 'pub.json');
    const es384Path = join(dir, 'es384.json');
    await writeFile(pubPath, JSON.stringify(pub));
    await writeFile(es384Path, JSON.stringify({ ...pub, alg: 'ES384' }));
    await expect(loadPrivateKey(pubPath)).rejects.toThrow(/is a public key/);
    await expect(loadPublicKey(es384Path)).rejects.toThrow(/is a key for ES384/);
  });

  it('signs detached and verifies only the exact bytes, with the right kid', async () => {
    const signer = await pair();
    const privPath = join(dir, 'signer.private.json');
    const pubPath = join(dir, 'signer.public.json');
    await writeFile(privPath, JSON.stringify(signer.priv), { mode: 0o600 });
    await writeFile(pubPath, JSON.stringify(signer.pub));
    const [key, verifier] = await Promise.all([loadPrivateKey(privPath), loadPublicKey(pubPath)]);
    expect(key.kid).toBe(signer.kid);
    expect(key.groupReadable).toBe(false);
    const payload = Buffer.from('{"a":1}\n');
    const jws = await signDetached(payload, key);
    expect(jws.split('.')[1]).toBe('');
    expect(await checkDetached(`${jws}\n`, payload, verifier)).toBeUndefined();
    expect(await checkDetached(`${jws}\n`, Buffer.from('{"a":2}\n'), verifier)).toMatch(/does not match/);
    expect(await checkDetached(` ${jws}`, payload, verifier)).toMatch(/not a detached compact JWS/);
    expect(await checkDetached(jws.replace('..', '.e30.'), payload, verifier)).toMatch(/not a detached compact JWS/);
  });
});
