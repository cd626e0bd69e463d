import { readFileSync } from 'node:fs';
import type { TlsConfig } from '../config/run-config.js';
import { ConfigurationError } from '../errors/index.js';

/**
 * D1's TLS client side as node:tls takes it: the contents of the configured files (`tls` of the
 * run configuration), read once per configuration. The key and the passphrase stay in memory:
 * nothing here is printed, and an unreadable file is named by its config key, never by its content.
 */
export interface TlsClientMaterial {
  readonly cert?: string;
  readonly key?: string;
  /** The PKCS#12 file, base64 (the material crosses IPC to the verifier process as JSON). */
  readonly pfx?: string;
  readonly passphrase?: string;
  readonly ca: string;
  readonly minVersion: 'TLSv1.2' | 'TLSv1.3';
  readonly maxVersion: 'TLSv1.2' | 'TLSv1.3';
}

const loaded = new WeakMap<TlsConfig, TlsClientMaterial>();

function readFile(path: string, key: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ConfigurationError(`config key tls.${key}: cannot read ${path}${code !== undefined ? ` (${code})` : ''}`);
  }
}

/** The files of `tls` read (cached per configuration object); undefined when the run has no TLS configuration. */
export function tlsClientMaterial(tls: TlsConfig | undefined): TlsClientMaterial | undefined {
  if (tls === undefined) return undefined;
  const cached = loaded.get(tls);
  if (cached) return cached;
  const material: TlsClientMaterial = {
    ca: readFile(tls.ca, 'ca').toString('utf8'),
    minVersion: tls.minVersion,
    maxVersion: tls.maxVersion,
    ...(tls.clientCert !== undefined ? { cert: readFile(tls.clientCert, 'clientCert').toString('utf8') } : {}),
    ...(tls.clientKey !== undefined ? { key: readFile(tls.clientKey, 'clientKey').toString('utf8') } : {}),
    ...(tls.pfx !== undefined ? { pfx: readFile(tls.pfx, 'pfx').toString('base64') } : {}),
    ...(tls.passphrase !== undefined ? { passphrase: tls.passphrase } : {}),
  };
  if (!material.ca.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigurationError(`config key tls.ca: ${tls.ca} holds no PEM certificate`);
  if (material.cert !== undefined && !material.cert.includes('-----BEGIN CERTIFICATE-----'))
    throw new ConfigurationError(`config key tls.clientCert: ${tls.clientCert ?? ''} holds no PEM certificate`);
  if (material.key !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(material.key))
    throw new ConfigurationError(`config key tls.clientKey: ${tls.clientKey ?? ''} holds no PEM private key`);
  loaded.set(tls, material);
  return material;
}

/** The connect options of node:tls / undici for this material (D1's client identity, the CA, the versions). */
export function tlsConnectOptions(material: TlsClientMaterial) {
  return {
    ca: material.ca,
    minVersion: material.minVersion,
    maxVersion: material.maxVersion,
    ...(material.cert !== undefined ? { cert: material.cert } : {}),
    ...(material.key !== undefined ? { key: material.key } : {}),
    ...(material.pfx !== undefined ? { pfx: Buffer.from(material.pfx, 'base64') } : {}),
    ...(material.passphrase !== undefined ? { passphrase: material.passphrase } : {}),
  };
}
