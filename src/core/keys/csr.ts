import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../errors/index.js';
import { createCsr, type KeyType } from '../tls/certificates.js';
import { pathExists } from '../util/path-exists.js';

/**
 * `keys --csr`: the issuer's TLS client key and its PKCS#10 CSR for D1's mutual TLS, with the key
 * types D1 allows (RSA 4096 or ECDSA P-256, SHA-256: inbound.md §6 Issuer client cert, N26). The
 * Thales CA signs the CSR (client-check's simulated one: config tls.csr). The key file is mode
 * 0600 and never overwritten; neither file's content is ever printed.
 */

export const CSR_KEY_TYPES = ['ec-p256', 'rsa-4096'] as const satisfies readonly KeyType[];
export type CsrKeyType = (typeof CSR_KEY_TYPES)[number];
export const TLS_KEY_FILE = 'd1-tls-client.key.pem';
export const TLS_CSR_FILE = 'd1-tls-client.csr.pem';

export interface GeneratedCsr {
  readonly keyPath: string;
  readonly csrPath: string;
  readonly commonName: string;
  readonly keyType: CsrKeyType;
}

export function isCsrKeyType(value: string): value is CsrKeyType {
  return (CSR_KEY_TYPES as readonly string[]).includes(value);
}

/** A CN as an X.500 name takes it: no separators of the DN string syntax. */
const CN = /^[^,=+<>#;"\\\n\r]{1,64}$/;

export async function generateCsr(dir: string, options: { readonly keyType: CsrKeyType; readonly commonName: string }): Promise<GeneratedCsr> {
  if (!CN.test(options.commonName)) throw new UsageError('--cn must be 1..64 characters without , = + < > # ; " \\ or a line break');
  const keyPath = join(dir, TLS_KEY_FILE);
  const csrPath = join(dir, TLS_CSR_FILE);
  for (const path of [keyPath, csrPath]) {
    if (await pathExists(path)) throw new UsageError(`${path} already exists; refusing to overwrite a TLS key or CSR (choose another --out)`);
  }
  const { csrPem, keyPem } = await createCsr(options.commonName, options.keyType);
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new UsageError(`--out ${dir}: cannot create the directory (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  await writeNew(keyPath, keyPem, 0o600);
  try {
    await writeNew(csrPath, csrPem, 0o644);
  } catch (e) {
    await rm(keyPath, { force: true });
    throw e;
  }
  return { keyPath, csrPath, commonName: options.commonName, keyType: options.keyType };
}


async function writeNew(path: string, text: string, mode: number): Promise<void> {
  try {
    await writeFile(path, text, { flag: 'wx', mode });
  } catch (e) {
    throw new UsageError(`cannot write ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}
