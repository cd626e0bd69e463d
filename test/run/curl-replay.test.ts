import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toCurl } from '../../src/core/http/curl.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { createAuthority, issueCertificate } from '../../src/core/tls/certificates.js';

/**
 * A finding's replay reproduces it: the curl command, run by a real shell against a real server on
 * 127.0.0.1, sends exactly the Authorization that was sent (missing stays missing, malformed stays
 * malformed); only real credentials become placeholders, filled from the environment.
 */

const SECRET = 'canary-client-secret-91c2';
const TOKEN = 'tok-3f9a7c2e5b1d4a6f8e0c';
const basic = (pair: string) => `Basic ${Buffer.from(pair).toString('base64')}`;

let server: Server;
let base = '';
/** The Authorization header of the last request the server received ('(none)' when absent). */
let received = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    received = req.headers.authorization ?? '(none)';
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  base = `http://127.0.0.1:${address.port}`;
});
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    }),
);

function redactor(): Redactor {
  // As the session does: the client secret, the Basic pair, and every token it was issued.
  return new Redactor().addSecret(SECRET, Buffer.from(`d1:${SECRET}`).toString('base64'), TOKEN);
}

async function replay(authorization: string | undefined): Promise<{ curl: string; sent: string }> {
  const curl = toCurl(
    { method: 'GET', url: `${base}/x`, headers: { accept: 'application/json', ...(authorization !== undefined ? { authorization } : {}) } },
    redactor(),
  );
  received = '';
  await new Promise<void>((resolve, reject) => {
    const env = {
      PATH: process.env.PATH ?? '',
      D1_ACCESS_TOKEN: TOKEN,
      D1_CLIENT_SECRET: SECRET,
      D1_BASIC_CREDENTIALS: Buffer.from(`d1:${SECRET}`).toString('base64'),
    };
    execFile('bash', ['-c', curl], { env }, (error) => {
      if (error) reject(new Error(error.message));
      else resolve();
    });
  });
  return { curl, sent: received };
}

describe('curl replays send what was sent', () => {
  it.each([
    ['no Authorization header', undefined],
    ['Bearer without a token', 'Bearer'],
    ['garbage bearer token', 'Bearer garbage-token-0000'],
    ['forged unsigned JWT', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJkMSJ9.'],
    ['Basic instead of Bearer', 'Basic ZDE6c2VjcmV0'],
    ['credentials not base64', 'Basic !!!not-base64!!!'],
  ])('%s is replayed as sent, literally', async (_name, authorization) => {
    const { curl, sent } = await replay(authorization);
    expect(sent).toBe(authorization ?? '(none)');
    expect(curl).not.toContain('$D1_');
  });

  it('an opaque token-length credential this run never issued is not printed (it may be live elsewhere)', () => {
    const foreign = 'Zm9yZWlnbi10b2tlbi0xMjM0NTY3ODkwYWJjZGVm';
    const curl = toCurl({ method: 'GET', url: `${base}/x`, headers: { authorization: `Bearer ${foreign}` } }, redactor());
    expect(curl).not.toContain(foreign);
    expect(curl).toContain(`<redacted: ${foreign.length} characters, not a credential of this run>`);
  });

  it.each([
    ['the issued token', `Bearer ${TOKEN}`, '$D1_ACCESS_TOKEN'],
    ['the configured Basic pair', basic(`d1:${SECRET}`), '$D1_BASIC_CREDENTIALS'],
    ['the Basic pair sent as Bearer', `Bearer ${Buffer.from(`d1:${SECRET}`).toString('base64')}`, '$D1_BASIC_CREDENTIALS'],
    ['a wrong secret built on the real one', basic(`d1:${SECRET}-wrong`), '${D1_CLIENT_SECRET}'],
  ])('%s becomes a placeholder, and the replay still sends the same header', async (_name, authorization, placeholder) => {
    const { curl, sent } = await replay(authorization);
    expect(curl).toContain(placeholder);
    expect(curl).not.toContain(SECRET);
    expect(curl).not.toContain(TOKEN);
    expect(curl).not.toContain(authorization.split(' ')[1]);
    expect(sent).toBe(authorization);
  });
});

describe('curl replays of an mTLS target', () => {
  it(
    "present D1's client certificate and trust the CA from D1_TLS_* (a real mTLS server on 127.0.0.1 refuses the call without them)",
    { timeout: 60_000 },
    async () => {
      const ca = await createAuthority('curl test CA');
      const serverCert = await issueCertificate(ca, { commonName: 'localhost', usage: 'server' });
      const client = await issueCertificate(ca, { commonName: 'D1', usage: 'client' });
      const dir = mkdtempSync(join(tmpdir(), 'd1c-curl-tls-'));
      const files = { D1_TLS_CA: join(dir, 'ca.pem'), D1_TLS_CLIENT_CERT: join(dir, 'client.pem'), D1_TLS_CLIENT_KEY: join(dir, 'client.key') };
      writeFileSync(files.D1_TLS_CA, ca.certPem);
      writeFileSync(files.D1_TLS_CLIENT_CERT, client.certPem);
      writeFileSync(files.D1_TLS_CLIENT_KEY, client.keyPem, { mode: 0o600 });
      const https = createHttpsServer(
        { cert: serverCert.certPem, key: serverCert.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true },
        (_req, res) => {
          res.end('ok');
        },
      );
      await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve));
      const address = https.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      const curl = toCurl({ method: 'GET', url: `https://127.0.0.1:${address.port}/x`, headers: {} }, redactor());
      const run = (env: Record<string, string>) =>
        new Promise<string>((resolve) => {
          execFile('bash', ['-c', curl], { env: { PATH: process.env.PATH ?? '', ...env } }, (error, stdout) => {
            resolve(error ? `error: ${error.message}` : stdout);
          });
        });
      try {
        expect(await run(files)).toMatch(/^HTTP\/1\.1 200/);
        expect(await run({ D1_TLS_CA: files.D1_TLS_CA })).toMatch(/^error: /);
      } finally {
        https.close();
      }
    },
  );
});
