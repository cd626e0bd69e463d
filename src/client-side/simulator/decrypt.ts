import { compactDecrypt } from 'jose';
import type { JweKey } from './keys.js';

/** Only D1's documented algorithms (IN-JWE-002/003): anything else is never even tried. */
const D1_ALGORITHMS = { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] };

/** Decryptions started for a request and not yet taken by its second reader; bounded per key. */
const pending = new WeakMap<JweKey, Map<string, Promise<Uint8Array>>>();
const MAX_PENDING = 64;

/**
 * One ECDH-ES decryption per JWE, the costliest step of a Register card call: the request's retry
 * identity (identity.ts) and its grading (jwe.ts) both read the plaintext. The first reader starts
 * the decryption and leaves it here; the second takes it out, so a PAN is held no longer than the
 * request (or, for a request refused before grading, until MAX_PENDING newer ones push it out).
 */
export function decryptJwe(jwe: string, key: JweKey): Promise<Uint8Array> {
  let held = pending.get(key);
  if (held === undefined) {
    held = new Map();
    pending.set(key, held);
  }
  const started = held.get(jwe);
  if (started !== undefined) {
    held.delete(jwe);
    return started;
  }
  const decryption = compactDecrypt(jwe, key.privateKey, D1_ALGORITHMS).then((r) => r.plaintext);
  // The second reader may never come: a rejection left here is not an unhandled one.
  decryption.catch(() => undefined);
  if (held.size >= MAX_PENDING) held.delete(held.keys().next().value as string);
  held.set(jwe, decryption);
  return decryption;
}
