import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConfigurationError, UsageError } from '../../core/errors/index.js';
import { packTarGz, type ArchiveFile } from './archive.js';
import type { SigningKey } from '../../core/keys/keys.js';
import {
  BundledReport,
  buildManifest,
  describePart,
  manifestBytes,
  MANIFEST_FILE,
  OPTIONAL_PARTS,
  sha256Hex,
  SIGNATURE_FILE,
  type Manifest,
} from './manifest.js';
import { unremovedSecrets } from './secrets.js';
import { signDetached } from './signature.js';

export interface BundleOptions {
  readonly reportDir: string;
  readonly signer: SigningKey;
  /** A file path, or an existing directory to put the default-named archive in; default: the current directory. */
  readonly out?: string;
  readonly now?: Date;
}

export interface BundleResult {
  readonly path: string;
  readonly manifest: Manifest;
  /** SHA-256 of manifest.json's bytes: what a certifier can quote to name this exact bundle. */
  readonly manifestSha256: string;
}

/**
 * Builds the signed bundle: the report files exactly as the run wrote them, the configuration,
 * and a manifest of every part's size and digest, signed with the issuer's key.
 */
export async function createBundle(options: BundleOptions): Promise<BundleResult> {
  const now = options.now ?? new Date();
  const reportBytes = await readRequired(join(options.reportDir, 'report.json'));
  const report = parseReport(reportBytes, options.reportDir);

  // The sanitizer already removed secrets; this is the last gate before the file leaves the bank.
  const leaks = unremovedSecrets(report.configuration);
  if (leaks.length > 0)
    throw new ConfigurationError(`refusing to bundle: ${leaks.join(', ')} still holds a value (expected "<removed>"); the report must not carry secrets`);

  const parts: ArchiveFile[] = [
    { name: 'report.json', bytes: reportBytes },
    { name: 'configuration.json', bytes: Buffer.from(`${JSON.stringify(report.configuration, null, 2)}\n`, 'utf8') },
  ];
  for (const name of OPTIONAL_PARTS) {
    const bytes = await readOptional(join(options.reportDir, name));
    if (bytes) parts.push({ name, bytes });
  }

  const manifest = buildManifest(
    report,
    parts.map((p) => describePart(p.name, p.bytes)),
    now,
  );
  const signed = manifestBytes(manifest);
  const jws = await signDetached(signed, options.signer);
  const archive = await packTarGz([{ name: MANIFEST_FILE, bytes: signed }, { name: SIGNATURE_FILE, bytes: Buffer.from(`${jws}\n`, 'utf8') }, ...parts], now);

  const path = await outputPath(options.out, defaultName(report.target.baseUrl, now));
  await mkdir(dirname(path), { recursive: true });
  try {
    // `wx`: a signed bundle already handed out must not be replaced by accident.
    await writeFile(path, archive, { flag: 'wx' });
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'EEXIST') throw new UsageError(`${path} already exists; refusing to overwrite it (pass --out)`);
    throw new UsageError(`cannot write ${path} (${e instanceof Error && 'code' in e ? String(e.code) : 'write failed'})`);
  }
  return { path, manifest, manifestSha256: sha256Hex(signed) };
}

/** `d1-conformance-<target host>-<YYYY-MM-DD>.tar.gz`, the host reduced to characters safe in any file system. */
export function defaultName(baseUrl: string, date: Date): string {
  let host = 'target';
  try {
    host = new URL(baseUrl).hostname.replace(/[^A-Za-z0-9.-]+/g, '_').replace(/^[._-]+|[._-]+$/g, '') || 'target';
  } catch {
    // not a URL: keep the neutral name
  }
  return `d1-conformance-${host}-${date.toISOString().slice(0, 10)}.tar.gz`;
}

async function outputPath(out: string | undefined, name: string): Promise<string> {
  if (out === undefined) return resolve(name);
  const isDir = await stat(out).then(
    (s) => s.isDirectory(),
    () => false,
  );
  return isDir ? resolve(out, name) : resolve(out);
}

function parseReport(bytes: Buffer, dir: string): BundledReport {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new UsageError(`${join(dir, 'report.json')} is not JSON`);
  }
  const parsed = BundledReport.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `${join(dir, 'report.json')} is not a d1-conformance report (${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'})`,
    );
  }
  return parsed.data;
}

async function readRequired(path: string): Promise<Buffer> {
  const bytes = await readOptional(path);
  if (!bytes) throw new UsageError(`${path} not found (pass --report DIR, a directory written by \`d1-conformance run\`)`);
  return bytes;
}

async function readOptional(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return undefined;
    throw new UsageError(`cannot read ${path} (${e instanceof Error && 'code' in e ? String(e.code) : 'read failed'})`);
  }
}
