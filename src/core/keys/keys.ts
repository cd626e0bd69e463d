import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { z } from 'zod';
import { UsageError } from '../errors/index.js';
import { pathExists } from '../util/path-exists.js';

/** The one algorithm bundles are signed with: ECDSA P-256 / SHA-256, small keys, widely verifiable. */
export const ALG = 'ES256';
export const PRIVATE_KEY_FILE = 'd1c-signing.private.jwk.json';
export const PUBLIC_KEY_FILE = 'd1c-signing.public.jwk.json';

/** What a key pair is for decides only its file names: both are ES256 (P-256) keys with a thumbprint kid. */
export const KEY_FILES = {
  /** Signs certification bundles (`bundle`, `verify`). */
  bundle: { privateFile: PRIVATE_KEY_FILE, publicFile: PUBLIC_KEY_FILE },
  /** Signs the issuer's JWT assertions to D1's token endpoint; the public part is registered with the D1 simulator. */
  issuer: { privateFile: 'd1-issuer-assertion.private.jwk.json', publicFile: 'd1-issuer-assertion.public.jwk.json' },
} as const;
export type KeyPurpose = keyof typeof KEY_FILES;

const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/);
/** Only the members ES256 needs; loose so a JWK written by another tool (with `use`, `key_ops`...) still loads. */
const EcJwk = z.looseObject({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: b64url,
  y: b64url,
  d: b64url.optional(),
  kid: z.string().optional(),
  alg: z.string().optional(),
});

export interface SigningKey {
  readonly key: CryptoKey;
  /** The RFC 7638 thumbprint of the public key: what the JWS header names and the verifier checks. */
  readonly kid: string;
}

export interface GeneratedKeys {
  readonly privatePath: string;
  readonly publicPath: string;
  readonly kid: string;
}

/**
 * Generates an ES256 key pair into DIR. Never overwrites: replacing a signing key silently would
 * orphan every bundle already handed to a verifier.
 */
export async function generateKeys(dir: string, purpose: KeyPurpose = 'bundle'): Promise<GeneratedKeys> {
  const privatePath = join(dir, KEY_FILES[purpose].privateFile);
  const publicPath = join(dir, KEY_FILES[purpose].publicFile);
  for (const path of [privatePath, publicPath]) {
    if (await pathExists(path)) throw new UsageError(`${path} already exists; refusing to overwrite a signing key (choose another --out)`);
  }
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  const pub = await exportJWK(publicKey);
  const priv = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(pub, 'sha256');
  const describe = { kid, alg: ALG, use: 'sig' };

  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UsageError(`--out ${dir}: cannot create the directory (${errorCode(e)})`);
  }
  // `wx`: fail rather than replace a file created since the check above.
  await writeNew(privatePath, `${JSON.stringify({ ...priv, ...describe }, null, 2)}\n`, 0o600);
  try {
    await writeNew(publicPath, `${JSON.stringify({ ...pub, ...describe }, null, 2)}\n`, 0o644);
  } catch (e) {
    await rm(privatePath, { force: true }); // half a key pair is worse than none
    throw e;
  }
  return { privatePath, publicPath, kid };
}

async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx', mode });
  } catch (e) {
    throw new UsageError(`cannot write ${path} (${errorCode(e)})`);
  }
}

/** Loads the signer's private JWK; every problem is one line that never quotes the file's content. */
export async function loadPrivateKey(path: string): Promise<SigningKey & { readonly groupReadable: boolean }> {
  const jwk = await readJwk(path, '--key');
  if (jwk.d === undefined) throw new UsageError(`--key ${path} is a public key; bundles are signed with the private key (${PRIVATE_KEY_FILE})`);
  const kid = await checkedKid(jwk, path, '--key');
  const key = await importKey(jwk, path, '--key');
  const mode = (await stat(path)).mode;
  return { key, kid, groupReadable: (mode & 0o077) !== 0 };
}

/** Loads the verifier's public JWK. A private key is refused: it should never travel to a verifier. */
export async function loadPublicKey(path: string): Promise<SigningKey> {
  const jwk = await readJwk(path, '--pub');
  if (jwk.d !== undefined) throw new UsageError(`--pub ${path} holds a private key; pass the public key (${PUBLIC_KEY_FILE}) and keep the private one secret`);
  const kid = await checkedKid(jwk, path, '--pub');
  return { key: await importKey(jwk, path, '--pub'), kid };
}

export async function readJwk(path: string, flag: string): Promise<z.infer<typeof EcJwk>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot read the key file (${errorCode(e)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON.parse's message: it quotes the text, which may be key material.
    throw new UsageError(`${flag} ${path} is not a JWK (not JSON)`);
  }
  const parsed = EcJwk.safeParse(data);
  if (!parsed.success) throw new UsageError(`${flag} ${path} is not an ES256 JWK (needs kty "EC", crv "P-256", x and y)`);
  if (parsed.data.alg !== undefined && parsed.data.alg !== ALG)
    throw new UsageError(`${flag} ${path} is a key for ${parsed.data.alg}; only ${ALG} keys are used`);
  return parsed.data;
}

/** The kid is always the thumbprint; a file whose kid says otherwise was edited or mixed up. */
async function checkedKid(jwk: z.infer<typeof EcJwk>, path: string, flag: string): Promise<string> {
  const kid = await calculateJwkThumbprint({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, 'sha256');
  if (jwk.kid !== undefined && jwk.kid !== kid) throw new UsageError(`${flag} ${path}: kid "${jwk.kid}" is not the key's RFC 7638 thumbprint (${kid})`);
  return kid;
}

async function importKey(jwk: z.infer<typeof EcJwk>, path: string, flag: string): Promise<CryptoKey> {
  const { kty, crv, x, y, d } = jwk;
  const clean: JWK = d === undefined ? { kty, crv, x, y } : { kty, crv, x, y, d };
  try {
    const key = await importJWK(clean, ALG);
    if (key instanceof Uint8Array) throw new Error('symmetric key');
    return key;
  } catch {
    throw new UsageError(`${flag} ${path} is not a usable P-256 key (the coordinates do not form a valid key)`);
  }
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unreadable';
}
