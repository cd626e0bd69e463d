import { createServer } from 'node:https';
import { connect, type TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { certificateFacts, createAuthority, createCsr, issueCertificate, signCsr } from '../../src/core/tls/certificates.js';

/** The test CA and its certificates, used by real TLS on 127.0.0.1: mTLS accepted with a good client certificate, refused without one or with another CA's. */

async function handshake(port: number, ca: string, client?: { certPem: string; keyPem: string }): Promise<{ authorized: boolean; error?: string }> {
  return new Promise((resolve) => {
    const socket: TLSSocket = connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...(client ? { cert: client.certPem, key: client.keyPem } : {}) }, () => {
      socket.write('GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n');
    });
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
    });
    socket.on('end', () => {
      resolve({ authorized: text.startsWith('HTTP/1.1 200') });
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      resolve({ authorized: false, error: e.code ?? e.message });
    });
  });
}

describe('test certificates', () => {
  it('a CA, a server and client certificates it issues, a signed CSR: mTLS on 127.0.0.1 accepts the good ones only', { timeout: 60_000 }, async () => {
    const ca = await createAuthority('d1c test CA');
    const other = await createAuthority('another CA');
    const server = await issueCertificate(ca, { commonName: 'localhost', usage: 'server' });
    const client = await issueCertificate(ca, { commonName: 'ISSUER0001', usage: 'client' });
    const stranger = await issueCertificate(other, { commonName: 'ISSUER0001', usage: 'client' });
    const expired = await issueCertificate(ca, { commonName: 'ISSUER0001', usage: 'client', expired: true });
    const csr = await createCsr('ISSUER0001-PPR', 'ec-p256');
    const fromCsr = { certPem: await signCsr(ca, csr.csrPem), keyPem: csr.keyPem };
    const https = createServer({ cert: server.certPem, key: server.keyPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => https.listen(0, '127.0.0.1', r));
    const { port } = https.address() as AddressInfo;
    try {
      expect((await handshake(port, ca.certPem, client)).authorized).toBe(true);
      expect((await handshake(port, ca.certPem, fromCsr)).authorized).toBe(true);
      expect((await handshake(port, ca.certPem)).authorized).toBe(false);
      expect((await handshake(port, ca.certPem, stranger)).authorized).toBe(false);
      expect((await handshake(port, ca.certPem, expired)).authorized).toBe(false);
    } finally {
      https.close();
    }
  });

  it('reports what a certificate says of itself: key type and size, signature algorithm, validity, CN', { timeout: 120_000 }, async () => {
    const ca = await createAuthority('d1c test CA', { days: 730 });
    const ec = await certificateFacts((await issueCertificate(ca, { commonName: 'ISSUER0001', usage: 'client', days: 90 })).certPem);
    expect(ec).toMatchObject({ keyType: 'EC', keyBits: 256, curve: 'P-256', signatureAlgorithm: 'ecdsa-with-SHA256', commonName: 'ISSUER0001', validityDays: 90, selfSigned: false });
    const rsa = await certificateFacts((await issueCertificate(ca, { commonName: 'weak', usage: 'client', keyType: 'rsa-2048' })).certPem);
    expect(rsa).toMatchObject({ keyType: 'RSA', keyBits: 2048, signatureAlgorithm: 'ecdsa-with-SHA256' });
    const root = await certificateFacts(ca.certPem);
    expect(root).toMatchObject({ selfSigned: true, validityDays: 730 });
    const rsaCa = await createAuthority('rsa CA', { keyType: 'rsa-2048' });
    expect((await certificateFacts(rsaCa.certPem)).signatureAlgorithm).toBe('sha256WithRSAEncryption');
  });
});
