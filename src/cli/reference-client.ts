import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair } from 'jose';
import { moduleFile, nodeOptionsFor } from '../core/util/module-paths.js';
import type { RegisteredKey } from '../client-side/client-check/config.js';
import type { KeyType } from '../core/tls/certificates.js';
import { brokenClient } from '../../fixtures/broken-clients/index.js';
import { tlsKeyTypeOf } from '../../fixtures/reference-client/index.js';

/**
 * The bundled reference issuer client as client-check's default command: run with tsx, given a
 * fresh assertion key pair made for this run (its public half registered with the simulator,
 * its private half in a 0700 temporary directory removed afterwards, never in the report).
 */

const MAIN = moduleFile(new URL('../../fixtures/reference-client/main', import.meta.url));

export interface ReferenceClient {
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly key: RegisteredKey;
  dispose(): Promise<void>;
}

/** The client certificate key type a broken variant asks for (its TLS identity is made by client-check, not by the client). */
export function variantClientKeyType(variant: string | undefined): KeyType | undefined {
  const hooks = variant === undefined ? undefined : brokenClient(variant)?.hooks;
  return hooks === undefined ? undefined : tlsKeyTypeOf(hooks);
}

export async function prepareReferenceClient(variant: string | undefined): Promise<ReferenceClient> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = `ref-${(await calculateJwkThumbprint(publicJwk)).slice(0, 16)}`;
  // Named by the process, so that whoever checks no key was left behind can tell its own from another run's.
  const dir = await mkdtemp(join(tmpdir(), `d1c-client-${process.pid}-`));
  await chmod(dir, 0o700);
  const keyPath = join(dir, 'issuer-assertion.private.jwk.json');
  await writeFile(keyPath, JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: 'ES256' }), { mode: 0o600 });
  // Ctrl-C ends the process at once (exit 130): the private key must not outlive it there either.
  const removeNow = () => {
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeNow);
  return {
    // tsx (from the sources) resolved from this package, so the command works from any working directory.
    argv: [process.execPath, ...nodeOptionsFor(MAIN), MAIN],
    env: { ISSUER_SIGNING_KEY: keyPath, ISSUER_SIGNING_KID: kid, ...(variant !== undefined ? { D1_CLIENT_VARIANT: variant } : {}) },
    key: { kid, publicJwk },
    dispose: async () => {
      process.off('exit', removeNow);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
