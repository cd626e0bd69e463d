import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Report, Verdict } from '../../core/results/model.js';

/** Bumped when the manifest's shape changes, so an old verifier says "unknown format", not "tampered". */
export const FORMAT = 'd1-conformance-bundle/1';
export const MANIFEST_FILE = 'manifest.json';
export const SIGNATURE_FILE = 'manifest.jws';
/** The parts every bundle has; the rest (report.html, report.junit.xml, summary.md) only when the run wrote them. */
export const REQUIRED_PARTS = ['report.json', 'configuration.json'] as const;
export const OPTIONAL_PARTS = ['report.html', 'report.junit.xml', 'summary.md'] as const;

/** Flat, plain file names only: a manifest can never point outside the bundle. */
const PartName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/);

export const Part = z.strictObject({
  name: PartName,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type Part = z.infer<typeof Part>;

export const Manifest = z.strictObject({
  format: z.literal(FORMAT),
  tool: z.strictObject({ name: z.string(), version: z.string() }),
  rulebook: z.strictObject({ version: z.string(), hash: z.string(), unchecked: z.array(z.string()).optional() }),
  seed: z.number().int(),
  /** Which side of the integration the report certifies: the issuer's server, or its client of D1. */
  direction: z.enum(['issuer-as-server', 'issuer-as-client']),
  target: z.strictObject({ baseUrl: z.string(), issuerId: z.string(), reference: z.boolean() }),
  verdict: Verdict,
  certifiable: z.boolean(),
  /** The rules the operator attested (not tested by the tool): who, when, what, and the evidence's SHA-256, signed with the rest. */
  attestations: z.array(z.strictObject({ ruleId: z.string(), by: z.string(), on: z.string(), statement: z.string(), evidence: z.strictObject({ file: z.string(), sha256: z.string() }) })).default([]),
  createdAt: z.iso.datetime(),
  parts: z
    .array(Part)
    .min(1)
    .refine((parts) => new Set(parts.map((p) => p.name)).size === parts.length, 'a part is listed twice')
    .refine((parts) => parts.every((p) => p.name !== MANIFEST_FILE && p.name !== SIGNATURE_FILE), 'the manifest cannot list itself'),
});
export type Manifest = z.infer<typeof Manifest>;

/**
 * What a bundle needs from report.json. Loose at the top level so a report with fields added by a
 * later model still bundles; what is read here must be exactly the model's.
 */
export const BundledReport = Report.pick({ tool: true, rulebook: true, seed: true, direction: true, target: true, summary: true, configuration: true, rules: true }).loose();
export type BundledReport = z.infer<typeof BundledReport>;

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function describePart(name: string, bytes: Uint8Array): Part {
  return { name, size: bytes.byteLength, sha256: sha256Hex(bytes) };
}

export function buildManifest(report: BundledReport, parts: readonly Part[], createdAt: Date): Manifest {
  return {
    format: FORMAT,
    tool: report.tool,
    rulebook: report.rulebook,
    seed: report.seed,
    direction: report.direction,
    target: report.target,
    verdict: report.summary.verdict,
    certifiable: report.summary.certifiable,
    attestations: report.rules.flatMap((r) => (r.status === 'ATTESTED' && r.attestation ? [{ ruleId: r.ruleId, ...r.attestation }] : [])),
    createdAt: createdAt.toISOString(),
    parts: [...parts],
  };
}

/** The bytes that are signed and shipped; serialized once, never re-serialized for checking. */
export function manifestBytes(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

/** The manifest fields a report must agree with: a signed manifest that contradicts its report proves nothing. */
export function disagreements(manifest: Manifest, report: BundledReport): string[] {
  const expected = buildManifest(report, manifest.parts, new Date(manifest.createdAt));
  const fields = ['tool', 'rulebook', 'seed', 'direction', 'target', 'verdict', 'certifiable', 'attestations'] as const;
  return fields.filter((f) => JSON.stringify(manifest[f]) !== JSON.stringify(expected[f]));
}
