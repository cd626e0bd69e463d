import { base64url, CompactSign, compactVerify, decodeProtectedHeader } from 'jose';
import { ALG, type SigningKey } from '../../core/keys/keys.js';

/**
 * The manifest signature: a compact JWS (RFC 7515) with a detached payload (RFC 7515 Appendix F),
 * `HEADER..SIGNATURE`, signed over the exact bytes of manifest.json.
 *
 * Why this form: the payload stays base64url-encoded (no RFC 7797 `b64: false` / `crit`), so any
 * JOSE library can verify it by putting BASE64URL(manifest.json) back between the dots; detaching
 * it keeps a single source of truth (manifest.json), and the bytes signed are the bytes shipped.
 */
export const JWS_TYP = 'd1-conformance-manifest+jws';

export async function signDetached(payload: Uint8Array, signer: SigningKey): Promise<string> {
  const jws = await new CompactSign(payload).setProtectedHeader({ alg: ALG, kid: signer.kid, typ: JWS_TYP }).sign(signer.key);
  const [header, , signature] = jws.split('.');
  return `${header ?? ''}..${signature ?? ''}`;
}

/** Returns why the signature does not hold, or undefined when it does. */
export async function checkDetached(file: string, payload: Uint8Array, verifier: SigningKey): Promise<string | undefined> {
  // Exactly what signDetached writes: no other whitespace or bytes tolerated, so no byte of it can change unnoticed.
  const m = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)\n?$/.exec(file);
  const [, header = '', signature = ''] = m ?? [];
  if (!m) return 'manifest.jws is not a detached compact JWS (HEADER..SIGNATURE)';
  // base64url's last character has spare bits: two spellings of one signature would both verify.
  if (!isCanonicalBase64url(signature)) return 'manifest.jws signature is not canonical base64url';
  let protectedHeader: ReturnType<typeof decodeProtectedHeader>;
  try {
    protectedHeader = decodeProtectedHeader(`${header}..${signature}`);
  } catch {
    return 'manifest.jws has an unreadable protected header';
  }
  // Checked before any crypto: alg pinned (no "none", no HMAC with the public key as secret).
  if (protectedHeader.alg !== ALG) return `manifest.jws uses alg ${JSON.stringify(protectedHeader.alg ?? null)}; only ${ALG} is accepted`;
  if (protectedHeader.typ !== JWS_TYP) return `manifest.jws has typ ${JSON.stringify(protectedHeader.typ ?? null)}, not ${JWS_TYP}`;
  if (protectedHeader.kid !== verifier.kid)
    return `manifest.jws was signed by kid ${JSON.stringify(protectedHeader.kid ?? null)}, not by the given public key (kid ${verifier.kid})`;
  try {
    await compactVerify(`${header}.${base64url.encode(payload)}.${signature}`, verifier.key, { algorithms: [ALG] });
  } catch {
    return 'manifest.jws signature does not match manifest.json (manifest altered or signed by another key)';
  }
  return undefined;
}

function isCanonicalBase64url(text: string): boolean {
  try {
    return base64url.encode(base64url.decode(text)) === text;
  } catch {
    return false;
  }
}
