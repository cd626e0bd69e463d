// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKeyPair = webcrypto.CryptoKeyPair;
type CryptoKey = webcrypto.CryptoKey;
import * as x509 from '@peculiar/x509';

/**
 * X.509 for the mTLS checks, both directions: a test CA (the simulated Thales CA, or a bank's own
 * for the reference issuer), certificates it issues, CSRs with D1's allowed key types, and what a
 * certificate says of itself (key type and size, signature algorithm, validity) for grading.
 * Generated at run or test time, never committed. WebCrypto through @peculiar/x509 (node:crypto
 * cannot make a certificate).
 */

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** D1's key types (inbound.md/outbound.md: RSA 4096 or ECDSA P-256, SHA-256), and RSA 2048 for the broken variants. */
export type KeyType = 'ec-p256' | 'rsa-4096' | 'rsa-2048';

export interface Pem {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface Authority extends Pem {
  readonly name: string;
  /** Internal: the CA's certificate and keys, to sign with. */
  readonly cert: x509.X509Certificate;
  readonly keys: CryptoKeyPair;
}

const DAY_MS = 86_400_000;

function algorithm(keyType: KeyType): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams {
  if (keyType === 'ec-p256') return { name: 'ECDSA', namedCurve: 'P-256' };
  return { name: 'RSASSA-PKCS1-v1_5', modulusLength: keyType === 'rsa-4096' ? 4096 : 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
}

function signing(keyType: KeyType): webcrypto.EcdsaParams | webcrypto.RsaHashedImportParams {
  return keyType === 'ec-p256' ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
}

/** A key pair of `keyType`, extractable (its PEM is written for the TLS stack). */
export async function generateKeys(keyType: KeyType = 'ec-p256'): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(algorithm(keyType), true, ['sign', 'verify']);
}

/** A private key as PKCS#8 PEM (what node:tls takes). */
export async function privateKeyPem(keys: CryptoKeyPair): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

function keyTypeOf(keys: CryptoKeyPair): KeyType {
  const alg = keys.privateKey.algorithm as { name: string; modulusLength?: number };
  if (alg.name === 'ECDSA') return 'ec-p256';
  return alg.modulusLength === 4096 ? 'rsa-4096' : 'rsa-2048';
}

function serial(): string {
  // Positive, 16 random bytes (RFC 5280 allows up to 20 octets).
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString('hex');
}

/** A self-signed CA valid for `days` (default one year). */
export async function createAuthority(name: string, options: { keyType?: KeyType; days?: number } = {}): Promise<Authority> {
  const keyType = options.keyType ?? 'ec-p256';
  const keys = await generateKeys(keyType);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${name}`,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + (options.days ?? 365) * DAY_MS),
    signingAlgorithm: signing(keyType),
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { name, cert, keys, certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

export interface IssueOptions {
  /** The subject's CN. */
  readonly commonName: string;
  /** 'server' (with DNS/IP names) or 'client' (TLS client authentication). */
  readonly usage: 'server' | 'client';
  readonly keyType?: KeyType;
  /** Validity from now - 1 minute; negative `days` with `expired` for a certificate already expired. */
  readonly days?: number;
  /** Ended a day ago (for the "expired certificate" cases). */
  readonly expired?: boolean;
  /** Server names (DNS) and addresses (IP) the certificate is for; default 127.0.0.1 and localhost. */
  readonly altNames?: readonly string[];
}

/** A certificate issued by `ca` for a new key of `keyType`. */
export async function issueCertificate(ca: Authority, options: IssueOptions): Promise<Pem> {
  const keys = await generateKeys(options.keyType ?? 'ec-p256');
  const cert = await issueFor(ca, keys.publicKey, `CN=${options.commonName}`, options);
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys) };
}

async function issueFor(
  ca: Authority,
  publicKey: CryptoKey,
  subject: string,
  options: Omit<IssueOptions, 'commonName' | 'keyType'>,
): Promise<x509.X509Certificate> {
  const now = Date.now();
  const notBefore = options.expired ? new Date(now - 2 * DAY_MS) : new Date(now - 60_000);
  const notAfter = options.expired ? new Date(now - DAY_MS) : new Date(now + (options.days ?? 365) * DAY_MS);
  const names = options.altNames ?? ['127.0.0.1', 'localhost'];
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
    new x509.ExtendedKeyUsageExtension([options.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
    await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
  ];
  if (options.usage === 'server')
    extensions.push(
      new x509.SubjectAlternativeNameExtension(
        names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 'ip' as const, value: n } : { type: 'dns' as const, value: n })),
      ),
    );
  return x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: ca.cert.subject,
    notBefore,
    notAfter,
    signingAlgorithm: signing(keyTypeOf(ca.keys)),
    publicKey,
    signingKey: ca.keys.privateKey,
    extensions,
  });
}

/** A PKCS#10 CSR for a new key of `keyType` (D1's: 'ec-p256' or 'rsa-4096'), SHA-256 signed; the key comes with it. */
export async function createCsr(commonName: string, keyType: KeyType = 'ec-p256'): Promise<{ csrPem: string; keyPem: string }> {
  const keys = await generateKeys(keyType);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${commonName}`, keys, signingAlgorithm: signing(keyType) });
  return { csrPem: csr.toString('pem'), keyPem: await privateKeyPem(keys) };
}

/** Signs a CSR as a client certificate of `ca` (the simulated Thales CA), after checking the CSR's own signature. */
export async function signCsr(ca: Authority, csrPem: string, options: { days?: number } = {}): Promise<string> {
  const csr = new x509.Pkcs10CertificateRequest(csrPem);
  if (!(await csr.verify())) throw new Error('the CSR is not signed by its own key');
  // @peculiar/x509's types name the DOM's CryptoKey, which Node's types do not declare: it is Node's webcrypto key.
  const publicKey = (await csr.publicKey.export()) as unknown as CryptoKey;
  const cert = await issueFor(ca, publicKey, csr.subject, { usage: 'client', ...(options.days !== undefined ? { days: options.days } : {}) });
  return cert.toString('pem');
}

/** What a certificate says of itself, for grading and reports (no private material). */
export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly commonName: string | undefined;
  readonly notBefore: string;
  readonly notAfter: string;
  /** notAfter - notBefore, in days. */
  readonly validityDays: number;
  readonly keyType: 'EC' | 'RSA' | 'other';
  /** RSA modulus bits, or the EC curve's size (256 for P-256). */
  readonly keyBits: number | undefined;
  readonly curve: string | undefined;
  /** e.g. 'ecdsa-with-SHA256', 'sha256WithRSAEncryption'. */
  readonly signatureAlgorithm: string;
  readonly selfSigned: boolean;
}

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
};

/** The facts of a PEM or DER certificate. */
export async function certificateFacts(certificate: string | Uint8Array): Promise<CertificateFacts> {
  const cert = new x509.X509Certificate(typeof certificate === 'string' ? certificate : Buffer.from(certificate));
  const key = (await cert.publicKey.export()) as unknown as CryptoKey;
  const alg = key.algorithm as { name: string; modulusLength?: number; namedCurve?: string };
  const oid = signatureOid(new Uint8Array(cert.rawData));
  const signatureAlgorithm = oid === undefined ? 'unknown' : (SIGNATURE_NAMES[oid] ?? oid);
  const curveBits: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };
  return {
    subject: cert.subject,
    issuer: cert.issuer,
    commonName: /(?:^|,\s*)CN=([^,]+)/.exec(cert.subject)?.[1],
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    validityDays: Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS),
    keyType: alg.name === 'ECDSA' || alg.name === 'ECDH' ? 'EC' : alg.name.startsWith('RSA') ? 'RSA' : 'other',
    keyBits: alg.modulusLength ?? (alg.namedCurve !== undefined ? curveBits[alg.namedCurve] : undefined),
    curve: alg.namedCurve,
    signatureAlgorithm,
    selfSigned: cert.subject === cert.issuer,
  };
}

/** The outer signatureAlgorithm OID of a DER certificate (a small DER walk: SEQUENCE { tbs, SEQUENCE { OID ... }, BIT STRING }). */
function signatureOid(der: Uint8Array): string | undefined {
  const read = (at: number): { tag: number; start: number; end: number } | undefined => {
    const tag = der[at];
    let len = der[at + 1];
    if (tag === undefined || len === undefined) return undefined;
    let start = at + 2;
    if (len & 0x80) {
      const n = len & 0x7f;
      len = 0;
      for (let i = 0; i < n; i++) len = len * 256 + (der[start + i] ?? 0);
      start += n;
    }
    return { tag, start, end: start + len };
  };
  const outer = read(0);
  const tbs = outer && read(outer.start);
  const algSeq = tbs && read(tbs.end);
  const oid = algSeq && read(algSeq.start);
  if (!oid || oid.tag !== 0x06) return undefined;
  const bytes = der.subarray(oid.start, oid.end);
  const first = bytes[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/**
 * D1's key types for mTLS certificates (inbound.md §6, N26: "RSA 4096 or ECDSA P-256"), as listed:
 * the one definition the simulator (IN-TLS-002) and the issuer's server posture (OUT-TLS-005) use.
 */
export function isD1KeyType(facts: CertificateFacts): boolean {
  return (facts.keyType === 'EC' && facts.curve === 'P-256') || (facts.keyType === 'RSA' && facts.keyBits === 4096);
}

/** Signed with SHA-256 (inbound.md §6): ECDSA or RSA PKCS#1 v1.5 over SHA-256. */
export function isSha256Signed(facts: CertificateFacts): boolean {
  return facts.signatureAlgorithm === 'ecdsa-with-SHA256' || facts.signatureAlgorithm === 'sha256WithRSAEncryption';
}

/** A certificate's key in words, for findings: "ECDSA P-256", "RSA 2048 bits". */
export function keyText(facts: CertificateFacts): string {
  if (facts.keyType === 'EC') return `ECDSA ${facts.curve ?? 'unknown curve'}`;
  if (facts.keyType === 'RSA') return `RSA ${String(facts.keyBits ?? '?')} bits`;
  return 'of another type';
}
