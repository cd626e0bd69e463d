import { X509Certificate } from 'node:crypto';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { PolicySettings } from '../../../contracts/policies.js';
import {
  certificateFacts,
  createAuthority,
  isD1KeyType,
  isSha256Signed,
  issueCertificate,
  keyText,
  type Authority,
  type CertificateFacts,
  type Pem,
} from '../../core/tls/certificates.js';
import type { Reply } from './http.js';
import type { Grading } from './grade.js';

/**
 * The simulator as D1 over mutual TLS (inbound.md §6 Transport and Issuer client cert, N26; d1-spec
 * README "Connectivity"): HTTPS on 127.0.0.1 with its own server certificate, TLS 1.2 at least,
 * asking every client for a certificate of the simulated Thales CA. The TLS stack does not refuse
 * a missing or untrusted certificate itself (rejectUnauthorized false): the call is answered 403
 * and graded under its rule id, so a report says why rather than showing a dropped connection.
 *
 * - IN-TLS-001 (MUST): a client certificate is presented, chains to the simulated CA, is within its
 *   validity, over TLS 1.2/1.3. A handshake offering only TLS 1.0/1.1 is refused by the stack
 *   (minVersion) and recorded as a finding too.
 * - IN-TLS-002 (SHOULD): key RSA-4096 or ECDSA P-256; signature SHA-256.
 * - IN-TLS-003 (SHOULD): the CN carries the issuerId (and PPR or PRD), as the policy
 *   clientCertCommonName says.
 *
 * A certificate the issuer brought (not from a CSR the simulated CA signed) cannot chain to the
 * simulated CA: it is let in when it is exactly one of `broughtClientCerts` and valid today, graded on
 * IN-TLS-002/003, and IN-TLS-001 is left to the report (SKIPPED, saying why).
 */

export interface SimulatorTlsOptions {
  /** The simulated Thales CA (its certificate: client certificates must chain to it). */
  readonly ca: { readonly certPem: string };
  /** The simulator's server certificate and key (for 127.0.0.1). */
  readonly server: Pem;
  /** Certificates the issuer brought, pinned as they are (PEM). */
  readonly broughtClientCerts?: readonly string[];
}

/** A simulated Thales CA and the simulator's server certificate for 127.0.0.1 and localhost. */
export async function simulatedThalesTls(): Promise<{ authority: Authority; server: Pem }> {
  const authority = await createAuthority('d1-conformance simulated Thales CA', { keyType: 'ec-p256', days: 2 });
  const server = await issueCertificate(authority, { commonName: 'd1-simulator.127.0.0.1', usage: 'server', keyType: 'ec-p256', days: 2 });
  return { authority, server };
}

/** What the simulator knows of one TLS connection's client. */
export type TlsPeer =
  | { readonly kind: 'none'; readonly protocol: string }
  | { readonly kind: 'refused'; readonly protocol: string; readonly why: string }
  | { readonly kind: 'chained' | 'brought'; readonly protocol: string; readonly facts: CertificateFacts };

export const CLIENT_CERT_PRESENT = 'the call presents a client certificate (mutual TLS)';
export const CLIENT_CERT_CHAINED = 'the client certificate chains to the simulated Thales CA and is within its validity';
export const TLS_VERSION = 'the connection is TLS 1.2 or 1.3';
export const KEY_TYPE = 'the client certificate key is RSA-4096 or ECDSA P-256';
export const SHA256 = 'the client certificate is signed with SHA-256';
export const COMMON_NAME = 'the client certificate CN carries the issuerId and the environment';

export class TlsGate {
  readonly #peers = new WeakMap<TLSSocket, Promise<TlsPeer>>();
  readonly #brought: readonly Buffer[];

  constructor(
    readonly options: SimulatorTlsOptions,
    private readonly now: () => number,
  ) {
    this.#brought = (options.broughtClientCerts ?? []).map((pem) => Buffer.from(new X509Certificate(pem).raw));
  }

  /** The HTTPS server: TLS 1.2 at least, a client certificate asked for, judged per call. */
  createServer(handler: (req: IncomingMessage, res: ServerResponse) => void): HttpsServer {
    return createHttpsServer(
      {
        cert: this.options.server.certPem,
        key: this.options.server.keyPem,
        ca: [this.options.ca.certPem],
        requestCert: true,
        rejectUnauthorized: false,
        minVersion: 'TLSv1.2',
      },
      handler,
    );
  }

  /** The connection's client, worked out once per connection. */
  peer(socket: TLSSocket): Promise<TlsPeer> {
    let known = this.#peers.get(socket);
    if (known === undefined) {
      known = this.#judge(socket);
      this.#peers.set(socket, known);
    }
    return known;
  }

  async #judge(socket: TLSSocket): Promise<TlsPeer> {
    const protocol = socket.getProtocol() ?? 'unknown';
    const cert = socket.getPeerCertificate(false) as { raw?: Buffer } | null;
    if (cert?.raw === undefined) return { kind: 'none', protocol };
    const facts = await certificateFacts(new Uint8Array(cert.raw));
    const now = this.now();
    const current = Date.parse(facts.notBefore) <= now && now <= Date.parse(facts.notAfter);
    if (socket.authorized) return { kind: 'chained', protocol, facts };
    const raw = cert.raw;
    if (this.#brought.some((b) => b.equals(raw))) {
      return current
        ? { kind: 'brought', protocol, facts }
        : { kind: 'refused', protocol, why: 'the client certificate you brought is not within its validity period' };
    }
    // Node sets a string code here (its types say Error).
    const error: unknown = socket.authorizationError;
    const code = error instanceof Error ? error.message : typeof error === 'string' ? error : 'unknown';
    const why =
      code === 'CERT_HAS_EXPIRED'
        ? 'the client certificate has expired'
        : code === 'CERT_NOT_YET_VALID'
          ? 'the client certificate is not valid yet'
          : `the client certificate does not chain to the simulated Thales CA (${code})`;
    return { kind: 'refused', protocol, why };
  }

  /**
   * The TLS checks of one call. Returns the 403 to answer when the client is not let in (no
   * certificate, another CA's, an expired one); undefined when the call goes on.
   */
  grade(g: Grading, peer: TlsPeer, issuerId: string, policies: PolicySettings): Reply | undefined {
    if (peer.kind === 'none') {
      g.finding('IN-TLS-001', CLIENT_CERT_PRESENT, 'no client certificate was presented: D1 accepts mutual TLS only (answered 403)');
      return forbidden();
    }
    if (peer.kind === 'refused') {
      g.pass('IN-TLS-001', CLIENT_CERT_PRESENT);
      g.finding('IN-TLS-001', CLIENT_CERT_CHAINED, `${peer.why} (answered 403)`);
      return forbidden();
    }
    // A brought certificate proves nothing of IN-TLS-001 (it cannot chain to the simulated CA): the report says so.
    if (peer.kind === 'chained') {
      g.pass('IN-TLS-001', CLIENT_CERT_PRESENT);
      g.pass('IN-TLS-001', CLIENT_CERT_CHAINED);
      g.check(peer.protocol === 'TLSv1.2' || peer.protocol === 'TLSv1.3', 'IN-TLS-001', TLS_VERSION, `the connection negotiated ${peer.protocol}`);
    }
    const { facts } = peer;
    g.check(isD1KeyType(facts), 'IN-TLS-002', KEY_TYPE, () => `the client certificate key is ${keyText(facts)}; D1 takes RSA 4096 or ECDSA P-256`);
    g.check(isSha256Signed(facts), 'IN-TLS-002', SHA256, () => `the client certificate is signed with ${facts.signatureAlgorithm}, not SHA-256`);
    const cn = commonNameCheck(facts.commonName, issuerId, policies.clientCertCommonName);
    if (cn !== undefined) g.check(cn.ok, 'IN-TLS-003', COMMON_NAME, cn.message);
    return undefined;
  }
}

/**
 * IN-TLS-003 under the policy: the CN holds the issuerId, and PPR or PRD as a word of its own
 * (`TLSMA-RSA/ISSUER0001/PPR`, `ISSUER0001-PRD`). undefined: not checked (policy any).
 */
export function commonNameCheck(
  commonName: string | undefined,
  issuerId: string,
  policy: PolicySettings['clientCertCommonName'],
): { ok: boolean; message: string } | undefined {
  if (policy === 'any') return undefined;
  const cn = commonName ?? '';
  if (!cn.includes(issuerId))
    return { ok: false, message: `the client certificate CN does not carry the issuerId ${issuerId} (policy clientCertCommonName=${policy})` };
  if (policy === 'issuer-and-environment' && !/(^|[^A-Za-z0-9])(PPR|PRD)([^A-Za-z0-9]|$)/.test(cn))
    return { ok: false, message: `the client certificate CN carries no environment, PPR or PRD (policy clientCertCommonName=${policy})` };
  return { ok: true, message: '' };
}

/** The answer to a call D1 would not let in (D1 itself refuses at the handshake; `{error}` as for statuses D1 does not document). */
export function forbidden(): Reply {
  return { status: 403, body: { error: 'Forbidden: mutual TLS with a client certificate of the Thales CA is required' } };
}

/** A handshake the stack refused for its protocol version (the client offered only TLS 1.0/1.1). */
export function isLegacyVersionError(error: Error): boolean {
  const text = `${(error as NodeJS.ErrnoException).code ?? ''} ${error.message}`;
  return /UNSUPPORTED_PROTOCOL|VERSION_TOO_LOW|unsupported protocol|version too low|wrong version number/i.test(text);
}
