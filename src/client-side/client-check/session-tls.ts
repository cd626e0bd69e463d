import { X509Certificate } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../../core/errors/index.js';
import { issueCertificate, signCsr, type KeyType } from '../../core/tls/certificates.js';
import type { ClientTlsMode } from './client-report.js';
import { simulatedThalesTls, type SimulatorTlsOptions } from '../simulator/tls.js';
import type { ClientCheckConfig } from './config.js';

/**
 * The mutual TLS material of a `client-check --tls` / `simulate --tls` session: a simulated Thales
 * CA and the simulator's server certificate, made for the session (never committed, never reused),
 * and the issuer's client certificate, one of three ways (config key `tls`):
 *
 * - `true`: a client key and certificate of the simulated CA are made for the command (the
 *   reference client's case), CN `TLSMA-EC/<issuerId>/PPR`; the key lives in a 0700 temporary
 *   directory removed afterwards;
 * - `{csr}`: the simulated CA signs the issuer's CSR (`d1-conformance keys --csr`), as Thales does;
 * - `{clientCert, clientKey}`: a certificate the issuer brings. No other CA's certificate can chain
 *   to a CA made for this session, so it is let in as it is (pinned), graded on key, signature and
 *   CN, and IN-TLS-001 is SKIPPED saying why (client-report.ts).
 *
 * Public files (the CA's certificate, a signed CSR's certificate) go to the report folder; private
 * keys never do, and none is ever printed or put in a report. The command gets paths:
 * D1_TLS_CA, D1_TLS_CLIENT_CERT, D1_TLS_CLIENT_KEY.
 */

export const TLS_CA_FILE = 'd1-tls-ca.pem';
export const TLS_CLIENT_CERT_FILE = 'd1-tls-client.cert.pem';

export interface SessionTls {
  readonly mode: Exclude<ClientTlsMode, 'off'>;
  readonly options: SimulatorTlsOptions;
  readonly env: Readonly<Record<string, string>>;
  dispose(): Promise<void>;
}

function pathIn(baseDir: string, file: string): string {
  return isAbsolute(file) ? file : resolve(baseDir, file);
}

async function readText(path: string, label: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigurationError(`config key ${label}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

export async function prepareSessionTls(
  tls: ClientCheckConfig['tls'],
  context: { readonly issuerId: string; readonly baseDir: string; readonly outDir: string; readonly clientKeyType?: KeyType },
): Promise<SessionTls | undefined> {
  if (tls === false) return undefined;
  const { authority, server } = await simulatedThalesTls();
  const caPath = join(context.outDir, TLS_CA_FILE);
  await writeFile(caPath, authority.certPem);
  const given = tls === true ? {} : tls;

  if (given.clientCert !== undefined) {
    const certPath = pathIn(context.baseDir, given.clientCert);
    const pem = await readText(certPath, 'tls.clientCert');
    if (/PRIVATE KEY-----/.test(pem))
      throw new ConfigurationError(`config key tls.clientCert: ${certPath} holds a private key; give the certificate there and the key in tls.clientKey`);
    try {
      new X509Certificate(pem);
    } catch {
      throw new ConfigurationError(`config key tls.clientCert: ${certPath} is not a PEM certificate`);
    }
    return {
      mode: 'brought',
      options: { ca: { certPem: authority.certPem }, server, broughtClientCerts: [pem] },
      env: {
        D1_TLS_CA: caPath,
        D1_TLS_CLIENT_CERT: certPath,
        ...(given.clientKey !== undefined ? { D1_TLS_CLIENT_KEY: pathIn(context.baseDir, given.clientKey) } : {}),
      },
      dispose: () => Promise.resolve(),
    };
  }

  if (given.csr !== undefined) {
    const csrPath = pathIn(context.baseDir, given.csr);
    const csrPem = await readText(csrPath, 'tls.csr');
    if (!csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----'))
      throw new ConfigurationError(`config key tls.csr: ${csrPath} is not a PEM CSR (CERTIFICATE REQUEST)`);
    let certPem: string;
    try {
      certPem = await signCsr(authority, csrPem);
    } catch (e) {
      throw new ConfigurationError(`config key tls.csr: the simulated Thales CA cannot sign ${csrPath} (${e instanceof Error ? e.message : 'unreadable'})`);
    }
    const certPath = join(context.outDir, TLS_CLIENT_CERT_FILE);
    await writeFile(certPath, certPem);
    return {
      mode: 'simulated-ca',
      options: { ca: { certPem: authority.certPem }, server },
      env: {
        D1_TLS_CA: caPath,
        D1_TLS_CLIENT_CERT: certPath,
        ...(given.clientKey !== undefined ? { D1_TLS_CLIENT_KEY: pathIn(context.baseDir, given.clientKey) } : {}),
      },
      dispose: () => Promise.resolve(),
    };
  }

  // Neither: a client identity of the simulated CA made for the command, its key in a 0700 directory.
  const client = await issueCertificate(authority, {
    commonName: `TLSMA-EC/${context.issuerId}/PPR`,
    usage: 'client',
    keyType: context.clientKeyType ?? 'ec-p256',
    days: 2,
  });
  const dir = await mkdtemp(join(tmpdir(), `d1c-tls-${process.pid}-`));
  await chmod(dir, 0o700);
  const certPath = join(dir, 'client.cert.pem');
  const keyPath = join(dir, 'client.key.pem');
  await writeFile(certPath, client.certPem);
  await writeFile(keyPath, client.keyPem, { mode: 0o600 });
  const removeNow = () => {
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', removeNow);
  return {
    mode: 'simulated-ca',
    options: { ca: { certPem: authority.certPem }, server },
    env: { D1_TLS_CA: caPath, D1_TLS_CLIENT_CERT: certPath, D1_TLS_CLIENT_KEY: keyPath },
    dispose: async () => {
      process.off('exit', removeNow);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
