import { open } from 'node:fs/promises';
import { UsageError } from '../../core/errors/index.js';
import { generateKeys, KEY_FILES, loadPrivateKey, loadPublicKey, type KeyPurpose } from '../../core/keys/keys.js';
import { generateCsr, isCsrKeyType, CSR_KEY_TYPES } from '../../core/keys/csr.js';
import { newestReportDir } from '../../outputs/bundle/locate.js';
import { createBundle } from '../../outputs/bundle/pack.js';
import { MAX_BUNDLE_BYTES } from '../../outputs/bundle/archive.js';
import { verifyBundle } from '../../outputs/bundle/verify.js';
import type { CommandIo } from '../command-io.js';
import { parseCommand } from '../parse-command.js';
import { COMMAND_SPECS } from '../command-specs.js';

/**
 * `d1-conformance keys --out DIR [--for bundle|issuer]`: a fresh ES256 key pair; never overwrites one.
 * `keys --csr --out DIR [--key-type ec-p256|rsa-4096] [--cn CN]`: a TLS client key and its CSR for D1.
 */
export async function keysCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['keys'], args);
  if (values.out === undefined) throw new UsageError('--out DIR is required (where to write the key pair)');
  if (values.csr === true) {
    if (values.for !== undefined) throw new UsageError('--for names a signing key pair; it does not go with --csr');
    const keyType = values['key-type'] ?? 'ec-p256';
    if (!isCsrKeyType(keyType)) throw new UsageError(`--key-type must be ${CSR_KEY_TYPES.join(' or ')} (the key types D1 allows); got "${keyType}"`);
    const commonName = values.cn ?? `TLSMA-${keyType === 'ec-p256' ? 'EC' : 'RSA'}/ISSUER0001/PPR`;
    const csr = await generateCsr(values.out, { keyType, commonName });
    io.out(`private key: ${csr.keyPath} (mode 0600: keep it secret; your client presents it with the certificate)`);
    io.out(`CSR:         ${csr.csrPath} (${keyType}, SHA-256, CN=${commonName}: send it to the Thales Delivery Team; client-check signs it with its simulated CA as tls.csr)`);
    if (values.cn === undefined) io.err('d1-conformance keys: warning: no --cn given; the CN carries ISSUER0001 and PPR: Thales sets the format, use your issuerId and environment');
    return 0;
  }
  if (values['key-type'] !== undefined || values.cn !== undefined) throw new UsageError('--key-type and --cn go with --csr');
  const purpose = values.for ?? 'bundle';
  if (!isPurpose(purpose)) throw new UsageError(`--for must be ${Object.keys(KEY_FILES).join(' or ')}; got "${purpose}"`);
  const keys = await generateKeys(values.out, purpose);
  const use =
    purpose === 'bundle'
      ? ['it signs your bundles', 'give this one to the certifier']
      : ['it signs your assertions to D1', 'register it with the D1 simulator (issuerKeys in the simulate / client-check config)'];
  io.out(`private key: ${keys.privatePath} (mode 0600: keep it secret, ${use[0] ?? ''})`);
  io.out(`public key:  ${keys.publicPath} (${use[1] ?? ''})`);
  io.out(`kid:         ${keys.kid}`);
  return 0;
}

function isPurpose(value: string): value is KeyPurpose {
  return Object.hasOwn(KEY_FILES, value);
}

/** `d1-conformance bundle --key PRIVATE_JWK [--report DIR] [--out FILE]`: the signed .tar.gz of a report. */
export async function bundleCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values } = parseCommand(COMMAND_SPECS['bundle'], args);
  if (values.key === undefined) throw new UsageError('--key PRIVATE_JWK_FILE is required (create one with `d1-conformance keys --out DIR`)');
  const signer = await loadPrivateKey(values.key);
  if (signer.groupReadable) io.err(`d1-conformance bundle: warning: ${values.key} is readable by other users; chmod 600 it`);
  const reportDir = values.report ?? (await newestReportDir('reports'));
  const bundle = await createBundle({ reportDir, signer, ...(values.out !== undefined ? { out: values.out } : {}) });
  const m = bundle.manifest;
  io.out(`bundle: ${bundle.path}`);
  io.out(`manifest sha256: ${bundle.manifestSha256}`);
  io.out(
    `signed by kid ${signer.kid}: ${m.parts.map((p) => p.name).join(', ')} from ${reportDir} (verdict ${m.verdict}, certifiable ${m.certifiable ? 'yes' : 'no'})`,
  );
  return 0;
}

/**
 * `d1-conformance verify BUNDLE --pub PUBLIC_JWK`: offline check of signature and every part.
 * 0 verified; 1 tampered, damaged or not signed by that key (one line); 2 unusable input (a missing
 * or unreadable file, a bad key file).
 */
export async function verifyCommand(args: readonly string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseCommand(COMMAND_SPECS['verify'], args);
  const [path, ...extra] = positionals;
  if (path === undefined || extra.length > 0) throw new UsageError('usage: d1-conformance verify BUNDLE --pub PUBLIC_JWK_FILE');
  if (values.pub === undefined) throw new UsageError("--pub PUBLIC_JWK_FILE is required (the signer's public key)");
  const verifier = await loadPublicKey(values.pub);
  const archive = await readBundle(path);
  if (archive === undefined) {
    io.err(`d1-conformance verify: NOT VERIFIED: ${path} is over the ${MAX_BUNDLE_BYTES}-byte cap: not a bundle d1-conformance wrote`);
    return 1;
  }

  const result = await verifyBundle(archive, path, verifier);
  if (!result.ok) {
    io.err(`d1-conformance verify: NOT VERIFIED: ${result.problems.join('; ')}`);
    return 1;
  }
  const m = result.manifest;
  io.out(`verified: ${path} (signed by kid ${result.kid}, ${m.parts.length} parts intact, manifest sha256 ${result.manifestSha256})`);
  const side =
    m.direction === 'issuer-as-client'
      ? { what: 'issuer as client, D1 simulator', reference: 'bundled reference client' }
      : { what: 'issuer as server, target', reference: 'bundled reference issuer' };
  io.out(
    `verdict ${m.verdict}, certifiable ${m.certifiable ? 'yes' : 'no'}; ${side.what} ${m.target.baseUrl} (issuerId ${m.target.issuerId}${m.target.reference ? `, ${side.reference}` : ''})`,
  );
  io.out(`rulebook ${m.rulebook.version} (sha256 ${m.rulebook.hash.slice(0, 12)}), seed ${m.seed}, ${m.tool.name} ${m.tool.version}, bundled ${m.createdAt}`);
  return 0;
}

/** The bundle's bytes; undefined when the file is over the cap (never read into memory then). */
async function readBundle(path: string): Promise<Buffer | undefined> {
  const cannot = (e: unknown) => new UsageError(`cannot read ${path} (${e instanceof Error && 'code' in e ? String(e.code) : 'read failed'})`);
  const handle = await open(path, 'r').catch((e: unknown) => {
    throw cannot(e);
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_BUNDLE_BYTES) return undefined;
    return await handle.readFile();
  } catch (e) {
    throw cannot(e);
  } finally {
    await handle.close();
  }
}
