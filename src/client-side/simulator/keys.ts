import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';

/**
 * The simulator's keys: its JWE recipient key (ECDH-ES on P-256, inbound.md §4c), its access-token
 * signing key, and the issuer's registered assertion keys (ES256, inbound.md §1b). All made or
 * imported at start: a token or JWE from another instance is foreign.
 */

export interface JweKey {
  readonly kid: string;
  /** Public part only, with kid, alg and use: what the issuer encrypts to. */
  readonly publicJwk: JWK;
  readonly privateKey: CryptoKey;
}

export async function createJweKey(): Promise<JweKey> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
  const jwk = await exportJWK(publicKey);
  // The RFC 7638 thumbprint: a stable, value-free kid (base64url, no characters to escape).
  const kid = await calculateJwkThumbprint(jwk);
  return { kid, publicJwk: { ...jwk, kid, alg: 'ECDH-ES', use: 'enc' }, privateKey };
}

export interface SigningKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

export async function createSigningKey(): Promise<SigningKey> {
  return generateKeyPair('ES256');
}

export interface IssuerKey {
  readonly kid: string;
  readonly publicJwk: JWK;
}

/**
 * The issuer's registered assertion keys by kid. A key that is not a public P-256 EC key is a
 * configuration error (D1 stores public keys only; ES256 implies P-256), refused at start.
 */
export async function importIssuerKeys(keys: readonly IssuerKey[]): Promise<Map<string, CryptoKey>> {
  const out = new Map<string, CryptoKey>();
  for (const { kid, publicJwk } of keys) {
    if (kid === '') throw new Error('simulator: an issuer key has an empty kid');
    if (out.has(kid)) throw new Error(`simulator: issuer key kid ${kid} is registered twice`);
    if (publicJwk.kty !== 'EC' || publicJwk.crv !== 'P-256') throw new Error(`simulator: issuer key ${kid} is not an EC P-256 key`);
    if (publicJwk.d !== undefined) throw new Error(`simulator: issuer key ${kid} carries a private part; register the public key only`);
    const key = await importJWK({ kty: 'EC', crv: 'P-256', x: publicJwk.x, y: publicJwk.y }, 'ES256');
    if (key instanceof Uint8Array) throw new Error(`simulator: issuer key ${kid} is not an asymmetric key`);
    out.set(kid, key);
  }
  return out;
}
