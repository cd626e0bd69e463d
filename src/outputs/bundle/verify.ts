import { ArchiveDamage, readTarGz, type ArchiveEntry, type ReadLimits } from './archive.js';
import type { SigningKey } from '../../core/keys/keys.js';
import { BundledReport, disagreements, Manifest, MANIFEST_FILE, REQUIRED_PARTS, sha256Hex, SIGNATURE_FILE } from './manifest.js';
import { checkDetached } from './signature.js';

export type Verification =
  | { readonly ok: true; readonly manifest: Manifest; readonly manifestSha256: string; readonly kid: string }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Archive names as printed: JSON-quoted, so a hostile name cannot smuggle terminal escapes. */
const q = (name: string) => JSON.stringify(name);

/**
 * Verifies a bundle offline, in this order: the archive holds exactly one manifest and signature;
 * the signature (ES256, the given key's kid) covers manifest.json's bytes; then every archive
 * entry is a listed part with the listed size and SHA-256, and every listed part is present.
 * A bad signature stops there: digests from an unauthenticated manifest prove nothing.
 * Bytes that are not exactly the archive we write (damaged, not a .tar.gz, something appended, too
 * big) fail verification like any other change: the file was read, it is not the signed bundle.
 */
export async function verifyBundle(archive: Buffer, label: string, verifier: SigningKey, limits?: ReadLimits): Promise<Verification> {
  let entries: ArchiveEntry[];
  try {
    entries = await readTarGz(archive, label, limits);
  } catch (e) {
    if (e instanceof ArchiveDamage) return { ok: false, problems: [e.message] };
    throw e;
  }
  return verifyEntries(entries, verifier);
}

/** The checks on the archive's entries, apart from reading the archive (tests exercise it byte by byte). */
export async function verifyEntries(entries: readonly ArchiveEntry[], verifier: SigningKey): Promise<Verification> {
  const problems: string[] = [];
  const byName = new Map<string, ArchiveEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) problems.push(`duplicate entry ${q(e.name)} in the archive`);
    else byName.set(e.name, e);
    if (e.type !== 'File' && e.type !== 'OldFile') problems.push(`unexpected ${e.type} entry ${q(e.name)} in the archive`);
  }
  if (problems.length > 0) return { ok: false, problems };

  const manifestEntry = byName.get(MANIFEST_FILE);
  const signatureEntry = byName.get(SIGNATURE_FILE);
  if (!manifestEntry || !signatureEntry)
    return { ok: false, problems: [`the archive has no ${manifestEntry ? SIGNATURE_FILE : MANIFEST_FILE}: not a signed d1-conformance bundle`] };

  const signatureProblem = await checkDetached(signatureEntry.bytes.toString('utf8'), manifestEntry.bytes, verifier);
  if (signatureProblem !== undefined) return { ok: false, problems: [`signature: ${signatureProblem}`] };

  const manifest = parseJson(manifestEntry.bytes, Manifest);
  if (!manifest) return { ok: false, problems: [`${MANIFEST_FILE} is signed but is not a valid bundle manifest`] };

  const listed = new Set(manifest.parts.map((p) => p.name));
  for (const name of REQUIRED_PARTS) if (!listed.has(name)) problems.push(`${MANIFEST_FILE} does not list ${name}`);
  for (const part of manifest.parts) {
    const entry = byName.get(part.name);
    if (!entry) problems.push(`missing part ${q(part.name)} listed in ${MANIFEST_FILE}`);
    else if (entry.bytes.length !== part.size) problems.push(`part ${q(part.name)}: size ${entry.bytes.length} bytes, manifest says ${part.size}`);
    else if (sha256Hex(entry.bytes) !== part.sha256)
      problems.push(`part ${q(part.name)}: SHA-256 ${sha256Hex(entry.bytes).slice(0, 16)}… does not match the manifest's ${part.sha256.slice(0, 16)}…`);
  }
  for (const name of byName.keys()) {
    if (name !== MANIFEST_FILE && name !== SIGNATURE_FILE && !listed.has(name)) problems.push(`unexpected file ${q(name)} not listed in ${MANIFEST_FILE}`);
  }
  if (problems.length > 0) return { ok: false, problems };

  // Intact and signed; still, the summary printed must be the report's, not just the manifest's claim.
  const reportEntry = byName.get('report.json');
  const report = reportEntry ? parseJson(reportEntry.bytes, BundledReport) : undefined;
  if (!report) return { ok: false, problems: ['report.json is not a d1-conformance report'] };
  const differ = disagreements(manifest, report);
  if (differ.length > 0) return { ok: false, problems: [`${MANIFEST_FILE} disagrees with report.json on ${differ.join(', ')}`] };
  const configuration = byName.get('configuration.json');
  if (configuration && canonical(parseJson(configuration.bytes, BundledReport.shape.configuration)) !== canonical(report.configuration)) {
    return { ok: false, problems: ['configuration.json is not the configuration recorded in report.json'] };
  }

  return { ok: true, manifest, manifestSha256: sha256Hex(manifestEntry.bytes), kid: verifier.kid };
}

function parseJson<T>(bytes: Buffer, schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } }): T | undefined {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(data);
  return parsed.success ? parsed.data : undefined;
}

/** JSON with object keys sorted: equality of content, whatever order a writer used. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}
