import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { readClientEnv } from '../../fixtures/reference-client/index.js';
import { createAuthority, issueCertificate } from '../../src/core/tls/certificates.js';

/** The reference client's D1_TLS_* variables (client-check --tls): read as PEM files, refused in one line that never quotes them. */

let base: Record<string, string>;
let files: { ca: string; cert: string; key: string };

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-tls-env-'));
  const signing = await generateKeyPair('ES256', { extractable: true });
  const jwe = await generateKeyPair('ECDH-ES', { crv: 'P-256', extractable: true });
  writeFileSync(join(dir, 'signing.json'), JSON.stringify(await exportJWK(signing.privateKey)));
  writeFileSync(join(dir, 'jwe.json'), JSON.stringify(await exportJWK(jwe.publicKey)));
  const ca = await createAuthority('simulated Thales CA', { days: 1 });
  const client = await issueCertificate(ca, { commonName: 'TLSMA-EC/ISSUER0001/PPR', usage: 'client' });
  files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
  writeFileSync(files.ca, ca.certPem);
  writeFileSync(files.cert, client.certPem);
  writeFileSync(files.key, client.keyPem, { mode: 0o600 });
  base = {
    D1_BASE_URL: 'https://127.0.0.1:4010',
    D1_TOKEN_URL: 'https://127.0.0.1:4010/authz/v1/oauth2/token',
    D1_ISSUER_ID: 'ISSUER0001',
    D1_JWE_PUBLIC_KEY: join(dir, 'jwe.json'),
    D1_JWE_KID: 'kid-1',
    ISSUER_SIGNING_KEY: join(dir, 'signing.json'),
    ISSUER_SIGNING_KID: 'issuer-key-1',
  };
});

describe('the reference client reads D1_TLS_*', () => {
  it('has no TLS material without them', () => {
    expect(readClientEnv(base).tls).toBeUndefined();
  });

  it('reads the CA, the certificate and the key as PEM', () => {
    const tls = readClientEnv({ ...base, D1_TLS_CA: files.ca, D1_TLS_CLIENT_CERT: files.cert, D1_TLS_CLIENT_KEY: files.key }).tls;
    expect(tls?.ca).toContain('BEGIN CERTIFICATE');
    expect(tls?.cert).toContain('BEGIN CERTIFICATE');
    expect(tls?.key).toContain('PRIVATE KEY');
  });

  it('refuses a certificate without its key, and a key file in place of a certificate, without quoting either', () => {
    expect(() => readClientEnv({ ...base, D1_TLS_CLIENT_CERT: files.cert })).toThrow('D1_TLS_CLIENT_CERT and D1_TLS_CLIENT_KEY go together');
    let message = '';
    try {
      readClientEnv({ ...base, D1_TLS_CLIENT_CERT: files.key, D1_TLS_CLIENT_KEY: files.key });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe('D1_TLS_CLIENT_CERT: the file is not a PEM certificate');
  });
});
