import { X509Certificate } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { checkServerIdentity, connect, createServer, type ConnectionOptions, type PeerCertificate, type TLSSocket } from 'node:tls';
import {
  certificateFacts,
  createAuthority,
  isD1KeyType,
  isSha256Signed,
  issueCertificate,
  keyText,
  type CertificateFacts,
} from '../../core/tls/certificates.js';
import { tlsConnectOptions, type TlsClientMaterial } from '../../core/http/tls-client.js';

/**
 * The transport posture of an issuer's https endpoint as D1 meets it (issue 15, OUT-GEN-001/002,
 * OUT-TLS-001..007), judged by raw node:tls handshakes to the target's host and port:
 *
 * - with D1's configured identity (tls.clientCert/clientKey or pfx, tls.ca, min/max version):
 *   it must be accepted (OUT-GEN-002), and its server certificate is graded (chain against tls.ca
 *   and the host name, validity, key type and size, signature, self-signed lifetime);
 * - without a client certificate (OUT-GEN-001) and with one from a throwaway CA made here
 *   (OUT-TLS-001): both must be refused;
 * - offering only TLS 1.0/1.1 with D1's identity (OUT-TLS-002): refused. OpenSSL 3 offers TLS 1.1
 *   only at security level 0 (`DEFAULT@SECLEVEL=0`); whether this platform can offer it at all is
 *   proven once against a loopback server, and if it cannot, OUT-TLS-002 is not judged (SKIPPED,
 *   saying so), never passed on a handshake that was never attempted.
 *
 * "Accepted" means the server answered bytes of HTTP after the handshake: in TLS 1.3 the client
 * finishes its handshake before the server has checked the client certificate, and a refusal is
 * an alert that comes right after. A refusal is a handshake error or a close with no answer.
 */

export interface Handshake {
  /** The handshake completed on the client's side. */
  readonly established: boolean;
  /** The server answered after the handshake (see above): the connection was accepted. */
  readonly accepted: boolean;
  readonly protocol?: string;
  /** The error that ended the connection (a code, never a value). */
  readonly error?: string;
  /** Chain verification against the given CA (node's `authorized` / `authorizationError`). */
  readonly authorized?: boolean;
  readonly authorizationError?: string;
  /** The peer's certificate chain, leaf first (DER). */
  readonly chain?: readonly Buffer[];
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

/** One handshake, then `GET /` to see whether the server accepts the connection. Never throws. */
export function handshake(endpoint: Endpoint, options: ConnectionOptions, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    let established = false;
    let protocol: string | undefined;
    let authorized: boolean | undefined;
    let authorizationError: string | undefined;
    let chain: Buffer[] | undefined;
    let done = false;
    const finish = (accepted: boolean, error?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({
        established,
        accepted,
        ...(protocol !== undefined ? { protocol } : {}),
        ...(error !== undefined ? { error } : {}),
        ...(authorized !== undefined ? { authorized } : {}),
        ...(authorizationError !== undefined ? { authorizationError } : {}),
        ...(chain ? { chain } : {}),
      });
    };
    const isIp = /^[\d.]+$|:/.test(endpoint.host);
    const socket: TLSSocket = connect({
      host: endpoint.host,
      port: endpoint.port,
      ...(isIp ? {} : { servername: endpoint.host }),
      ...options,
      // Judged here, not by the TLS stack: the peer certificate is looked at whatever it is.
      rejectUnauthorized: false,
    });
    const timer = setTimeout(() => {
      // Established and kept open without an answer: the server did not refuse the client.
      finish(established, established ? undefined : `no handshake within ${timeoutMs} ms`);
    }, timeoutMs);
    socket.once('secureConnect', () => {
      established = true;
      protocol = socket.getProtocol() ?? undefined;
      authorized = socket.authorized;
      const authError = socket.authorizationError as Error | string | null | undefined;
      authorizationError = authError === undefined || authError === null ? undefined : String(authError);
      chain = peerChain(socket.getPeerCertificate(true));
      const host = /:/.test(endpoint.host) ? `[${endpoint.host}]` : endpoint.host;
      socket.write(`GET / HTTP/1.1\r\nHost: ${host}:${endpoint.port}\r\nConnection: close\r\n\r\n`);
    });
    socket.once('data', () => {
      finish(true);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      finish(false, e.code ?? e.message.slice(0, 80));
    });
    socket.once('close', () => {
      finish(false, established ? 'closed without an answer' : 'closed during the handshake');
    });
  });
}

function peerChain(leaf: PeerCertificate & { issuerCertificate?: PeerCertificate }): Buffer[] | undefined {
  if (Object.keys(leaf).length === 0) return undefined;
  const out: Buffer[] = [];
  let cert: PeerCertificate & { issuerCertificate?: PeerCertificate } = leaf;
  for (;;) {
    out.push(cert.raw);
    const next: PeerCertificate | undefined = cert.issuerCertificate;
    if (out.length >= 10 || next === undefined || next === cert || next.raw.equals(cert.raw)) break;
    cert = next;
  }
  return out;
}

/** Whether `chain` (leaf first) leads, by issuer and signature, to a certificate of the CA bundle, whatever the dates say (those are OUT-TLS-004's). */
export function chainsToBundle(chain: readonly Buffer[], caPem: string): boolean {
  const bundle = splitPem(caPem).flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  const certs = chain.map((der) => new X509Certificate(der));
  let current = certs[0];
  for (let depth = 0; current && depth < 10; depth++) {
    const cur: X509Certificate = current;
    if (bundle.some((ca) => ca.raw.equals(cur.raw) || (cur.checkIssued(ca) && cur.verify(ca.publicKey)))) return true;
    current = certs.find((c) => c !== cur && !c.raw.equals(cur.raw) && cur.checkIssued(c) && cur.verify(c.publicKey));
  }
  return false;
}

function splitPem(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

let tls11: Promise<boolean> | undefined;

/** The connect options that offer only TLS 1.0/1.1 (OpenSSL 3 needs security level 0 for them). */
export const LEGACY_TLS = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;

/** Can this platform's TLS stack offer TLS 1.1 at all? Proven once per process against a loopback server that accepts it. */
export function platformOffersTls11(): Promise<boolean> {
  tls11 ??= (async () => {
    const ca = await createAuthority('d1-conformance TLS 1.1 self-test', { days: 1 });
    const pem = await issueCertificate(ca, { commonName: '127.0.0.1', usage: 'server', days: 1 });
    const server = createServer({ cert: pem.certPem, key: pem.keyPem, ...LEGACY_TLS }, (s) => s.end('HTTP/1.1 204 No Content\r\n\r\n'));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      const { port } = server.address() as AddressInfo;
      const result = await handshake({ host: '127.0.0.1', port }, { ...LEGACY_TLS }, 5_000);
      return result.established && (result.protocol === 'TLSv1.1' || result.protocol === 'TLSv1');
    } catch {
      return false;
    } finally {
      server.close();
    }
  })();
  return tls11;
}

/** A client identity from a CA nobody trusts: what a server doing mutual authentication must refuse. */
export async function untrustedClientIdentity(): Promise<{ cert: string; key: string }> {
  const ca = await createAuthority('d1-conformance untrusted test CA', { days: 1 });
  const pem = await issueCertificate(ca, { commonName: 'not-d1', usage: 'client', days: 1 });
  return { cert: pem.certPem, key: pem.keyPem };
}

/** A finding of one posture rule: undefined when it holds. */
export type Verdict = { readonly ok: true; readonly note?: string } | { readonly ok: false; readonly message: string } | { readonly skipped: string };

export interface Posture {
  readonly [ruleId: string]: Verdict;
}

const ONE_DAY_MS = 86_400_000;

/** Every posture rule judged for one host and port. */
export interface PostureOptions {
  /** Policy selfSignedServerCertMaxDays: null (the default) leaves OUT-TLS-007 unjudged. */
  readonly selfSignedMaxDays: number | null;
  readonly now?: Date;
}

export async function judgePosture(endpoint: Endpoint, material: TlsClientMaterial, timeoutMs: number, options: PostureOptions): Promise<Posture> {
  const now = options.now ?? new Date();
  const own = tlsConnectOptions(material);
  const { cert: _c, key: _k, pfx: _p, passphrase: _pp, ...anonymous } = own;
  const [good, bare, foreign, legacyOffered] = await Promise.all([
    handshake(endpoint, own, timeoutMs),
    handshake(endpoint, anonymous, timeoutMs),
    untrustedClientIdentity().then((id) => handshake(endpoint, { ...anonymous, ...id }, timeoutMs)),
    platformOffersTls11(),
  ]);
  const legacy = legacyOffered ? await handshake(endpoint, { ...own, ...LEGACY_TLS }, timeoutMs) : undefined;

  const out: Record<string, Verdict> = {};
  const goodOk = good.accepted && (good.protocol === 'TLSv1.2' || good.protocol === 'TLSv1.3');
  out['OUT-GEN-002'] = goodOk
    ? { ok: true }
    : {
        ok: false,
        message: good.accepted
          ? `the handshake with D1's identity negotiated ${good.protocol ?? 'an unknown protocol'}, not TLS 1.2 or 1.3`
          : `a handshake offering ${material.minVersion}..${material.maxVersion} with D1's client certificate was not accepted (${describe(good)})`,
      };
  const blocked = goodOk ? undefined : "not judged: no connection with D1's own identity was accepted (see OUT-GEN-002)";

  out['OUT-GEN-001'] = blocked
    ? { skipped: blocked }
    : bare.accepted
      ? { ok: false, message: `a handshake without a client certificate was accepted (${bare.protocol ?? 'TLS'}): the target does not require mutual TLS` }
      : { ok: true, note: describe(bare) };
  out['OUT-TLS-001'] = blocked
    ? { skipped: blocked }
    : foreign.accepted
      ? {
          ok: false,
          message: `a client certificate from an untrusted, throwaway CA was accepted (${foreign.protocol ?? 'TLS'}): any client certificate gets in`,
        }
      : { ok: true, note: describe(foreign) };
  if (!legacy) out['OUT-TLS-002'] = { skipped: "not judged: this platform's TLS stack cannot offer TLS 1.0/1.1 (OpenSSL refused it even at security level 0)" };
  else if (blocked) out['OUT-TLS-002'] = { skipped: blocked };
  else
    out['OUT-TLS-002'] =
      legacy.established && (legacy.protocol === 'TLSv1.1' || legacy.protocol === 'TLSv1')
        ? { ok: false, message: `a handshake offering only TLS 1.0/1.1 was accepted (negotiated ${legacy.protocol})` }
        : { ok: true, note: describe(legacy) };

  const chain = good.chain ?? bare.chain ?? foreign.chain;
  const leafDer = chain?.[0];
  if (!chain || !leafDer) {
    const reason = 'not judged: no handshake got as far as the server certificate';
    for (const id of ['OUT-TLS-003', 'OUT-TLS-004', 'OUT-TLS-005', 'OUT-TLS-006', 'OUT-TLS-007']) out[id] = { skipped: reason };
    return out;
  }
  const facts = await certificateFacts(leafDer);
  out['OUT-TLS-003'] = judgeChain(endpoint, chain, material.ca, good.authorizationError);
  out['OUT-TLS-004'] = judgeValidity(facts, now);
  out['OUT-TLS-005'] = isD1KeyType(facts)
    ? { ok: true }
    : { ok: false, message: `the server certificate key is ${keyText(facts)}; D1's mTLS key types are RSA 4096 and ECDSA P-256` };
  out['OUT-TLS-006'] = isSha256Signed(facts)
    ? { ok: true }
    : { ok: false, message: `the server certificate is signed with ${facts.signatureAlgorithm}, not SHA-256` };
  const limit = options.selfSignedMaxDays;
  out['OUT-TLS-007'] =
    limit === null
      ? { skipped: 'not judged: policy selfSignedServerCertMaxDays is null (the D1 sources set no limit)' }
      : facts.selfSigned && facts.validityDays > limit
        ? {
            ok: false,
            message: `the self-signed server certificate is valid for ${facts.validityDays} days (${facts.notBefore.slice(0, 10)} to ${facts.notAfter.slice(0, 10)}); at most ${limit} (policy selfSignedServerCertMaxDays)`,
          }
        : { ok: true };
  return out;
}

function judgeChain(endpoint: Endpoint, chain: readonly Buffer[], caPem: string, authorizationError: string | undefined): Verdict {
  const timeOnly = authorizationError === 'CERT_HAS_EXPIRED' || authorizationError === 'CERT_NOT_YET_VALID';
  // Dates are OUT-TLS-004's: an expired certificate that chains to the bundle still chains.
  if (authorizationError !== undefined && !(timeOnly && chainsToBundle(chain, caPem)))
    return { ok: false, message: `the server certificate chain does not verify against tls.ca (${authorizationError})` };
  const leaf = new X509Certificate(chain[0] ?? Buffer.alloc(0));
  const identity = checkServerIdentity(endpoint.host, { subject: { CN: '' }, subjectaltname: leaf.subjectAltName ?? '' } as unknown as PeerCertificate);
  if (identity) return { ok: false, message: `the server certificate is not for ${endpoint.host} (${identity.message.slice(0, 160)})` };
  return { ok: true };
}

function judgeValidity(facts: CertificateFacts, now: Date): Verdict {
  const notAfter = Date.parse(facts.notAfter);
  const notBefore = Date.parse(facts.notBefore);
  if (notAfter < now.getTime())
    return { ok: false, message: `the server certificate expired on ${facts.notAfter} (${Math.ceil((now.getTime() - notAfter) / ONE_DAY_MS)} day(s) ago)` };
  if (notBefore > now.getTime()) return { ok: false, message: `the server certificate is not valid before ${facts.notBefore}` };
  return { ok: true };
}

function describe(h: Handshake): string {
  if (!h.established) return `refused at the handshake: ${h.error ?? 'no reason given'}`;
  return h.accepted ? `accepted (${h.protocol ?? 'TLS'})` : `refused after the handshake: ${h.error ?? 'closed'}`;
}
