import { afterAll, describe, expect, it } from 'vitest';
import { issuerPki, startReferenceIssuer, type IssuerPki, type IssuerTls, type PkiOptions, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import type { TlsClientMaterial } from '../../src/core/http/tls-client.js';
import { createAuthority } from '../../src/core/tls/certificates.js';
import { judgePosture, platformOffersTls11, type Posture, type PostureOptions } from '../../src/server-side/harness/tls-posture.js';

/**
 * The transport posture rules (OUT-GEN-001/002, OUT-TLS-001..007) judged by raw handshakes
 * against the reference issuer on 127.0.0.1 with mutual TLS: the compliant issuer keeps all of
 * them, and each server variant below breaks exactly one. Certificates are made here, at test time.
 */

const RULES = ['OUT-GEN-001', 'OUT-GEN-002', 'OUT-TLS-001', 'OUT-TLS-002', 'OUT-TLS-003', 'OUT-TLS-004', 'OUT-TLS-005', 'OUT-TLS-006', 'OUT-TLS-007'];
const running: RunningIssuer[] = [];
afterAll(async () => {
  await Promise.all(running.map((i) => i.close()));
});

function material(pki: IssuerPki, ca = pki.d1.ca): TlsClientMaterial {
  return { cert: pki.d1.clientCert, key: pki.d1.clientKey, ca, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3' };
}

/** The two-year limit some onboarding guides give, set as the policy (the default, null, judges none). */
const TWO_YEARS = { selfSignedMaxDays: 730 };

async function judge(
  pkiOptions: PkiOptions = {},
  server: Partial<IssuerTls> = {},
  ca?: (pki: IssuerPki) => Promise<string>,
  options: PostureOptions = TWO_YEARS,
): Promise<Posture> {
  const pki = await issuerPki(pkiOptions);
  const issuer = await startReferenceIssuer({ tls: { ...pki.server, ...server } });
  running.push(issuer);
  const port = Number(new URL(issuer.baseUrl).port);
  return judgePosture({ host: '127.0.0.1', port }, material(pki, ca ? await ca(pki) : pki.d1.ca), 5_000, options);
}

/** The rules that did not hold, and any that were not judged (with why). */
function broken(posture: Posture): string[] {
  return RULES.filter((id) => {
    const v = posture[id];
    return v === undefined || 'skipped' in v || !v.ok;
  });
}

function skipReason(posture: Posture, id: string): string | undefined {
  const v = posture[id];
  return v !== undefined && 'skipped' in v ? v.skipped : undefined;
}

function message(posture: Posture, id: string): string {
  const v = posture[id];
  return v !== undefined && 'message' in v ? v.message : '';
}

describe('mTLS posture of the reference issuer', () => {
  it('the compliant issuer keeps every posture rule', async () => {
    const posture = await judge();
    expect(broken(posture)).toEqual([]);
  });

  it('client certificates optional (no certificate accepted): OUT-GEN-001 only', async () => {
    const posture = await judge({}, { clientCertificate: 'optional' });
    expect(broken(posture)).toEqual(['OUT-GEN-001']);
    expect(message(posture, 'OUT-GEN-001')).toContain('without a client certificate was accepted');
  });

  it("any CA's client certificate accepted: OUT-TLS-001 only", async () => {
    const posture = await judge({}, { clientCertificate: 'unverified' });
    expect(broken(posture)).toEqual(['OUT-TLS-001']);
    expect(message(posture, 'OUT-TLS-001')).toContain('untrusted');
  });

  it('TLS 1.0/1.1 accepted: OUT-TLS-002 only (where this platform can offer TLS 1.1)', async () => {
    const posture = await judge({}, { minVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' });
    if (await platformOffersTls11()) {
      expect(broken(posture)).toEqual(['OUT-TLS-002']);
      expect(message(posture, 'OUT-TLS-002')).toMatch(/negotiated TLSv1(\.1)?\)/);
    } else {
      expect(skipReason(posture, 'OUT-TLS-002')).toContain('cannot offer TLS 1.0/1.1');
    }
  });

  it('a server certificate the configured CA does not verify: OUT-TLS-003 only', async () => {
    const posture = await judge({}, {}, async () => (await createAuthority('some other CA')).certPem);
    expect(broken(posture)).toEqual(['OUT-TLS-003']);
    expect(message(posture, 'OUT-TLS-003')).toContain('does not verify against tls.ca');
  });

  it('an expired server certificate: OUT-TLS-004 only (its chain still verifies)', async () => {
    const posture = await judge({ serverExpired: true });
    expect(broken(posture)).toEqual(['OUT-TLS-004']);
    expect(message(posture, 'OUT-TLS-004')).toContain('expired on');
  });

  it('an RSA-2048 server key: OUT-TLS-005 only', { timeout: 60_000 }, async () => {
    const posture = await judge({ serverKeyType: 'rsa-2048' });
    expect(broken(posture)).toEqual(['OUT-TLS-005']);
    expect(message(posture, 'OUT-TLS-005')).toContain('RSA 2048 bits');
  });

  it('a server certificate signed with SHA-384: OUT-TLS-006 only', async () => {
    const posture = await judge({ selfSigned: true, selfSignedHash: 'SHA-384' });
    expect(broken(posture)).toEqual(['OUT-TLS-006']);
    expect(message(posture, 'OUT-TLS-006')).toContain('ecdsa-with-SHA384');
  });

  it('a self-signed server certificate valid for three years: OUT-TLS-007 only; two years is fine', async () => {
    const threeYears = await judge({ selfSigned: true, serverDays: 3 * 365 });
    expect(broken(threeYears)).toEqual(['OUT-TLS-007']);
    expect(message(threeYears, 'OUT-TLS-007')).toContain('1095 days');
    expect(broken(await judge({ selfSigned: true, serverDays: 730 }))).toEqual([]);
    // Without the policy (the default: the D1 sources set no limit) the three-year certificate is not judged.
    const unjudged = await judge({ selfSigned: true, serverDays: 3 * 365 }, {}, undefined, { selfSignedMaxDays: null });
    expect(unjudged['OUT-TLS-007']).toEqual({ skipped: 'not judged: policy selfSignedServerCertMaxDays is null (the D1 sources set no limit)' });
  });

  it('a server that refuses D1 itself (its CA is not the one D1 uses): OUT-GEN-002 fails, the refusal checks are not judged', async () => {
    const pki = await issuerPki();
    const other = await issuerPki();
    const issuer = await startReferenceIssuer({ tls: { ...pki.server, clientCa: other.server.clientCa } });
    running.push(issuer);
    const posture = await judgePosture({ host: '127.0.0.1', port: Number(new URL(issuer.baseUrl).port) }, material(pki), 5_000, TWO_YEARS);
    expect(posture['OUT-GEN-002']).toMatchObject({ ok: false });
    for (const id of ['OUT-GEN-001', 'OUT-TLS-001', 'OUT-TLS-002']) expect(skipReason(posture, id)).toContain('OUT-GEN-002');
  });
});
