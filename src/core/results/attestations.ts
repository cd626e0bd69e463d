import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { RULEBOOK_VERSION, ruleById } from '../../../contracts/index.js';
import { ConfigurationError } from '../errors/index.js';
import { RULE_ID } from '../rulebook/rule.js';
import type { RuleResult } from './model.js';
import { listFileSchema, readListFile, type ListFile } from './list-file.js';

/**
 * Attestations: the operator vouches, with evidence, for a rule no check of the tool could judge
 * in this setup (a client certificate issued by the real Thales CA, say). An attested rule that
 * went untested is reported ATTESTED, never PASSED, with who, when, what and the evidence file's
 * SHA-256 (the signed bundle carries them). An attestation never overrides a check: a rule the
 * run judged keeps its verdict and the attestation is listed as unused.
 */
export const Attestation = z.strictObject({
  ruleId: z.string().regex(RULE_ID, 'must be a rule id such as OUT-GEN-001'),
  /** Who attests: a name and role a certifier can ask. */
  by: z.string().min(1),
  on: z.iso.date({ error: 'must be a date YYYY-MM-DD' }),
  /** What was established, in a sentence. */
  statement: z.string().min(1),
  /** The evidence file (a path from the attestations file's folder): its SHA-256 goes into the report. */
  evidence: z.string().min(1),
});
export type Attestation = z.infer<typeof Attestation>;

const ATTESTATIONS_FILE: ListFile<typeof Attestation> = {
  label: 'attestations file',
  key: 'attestations',
  noun: 'attestation',
  item: Attestation,
  fields: 'each attestation needs ruleId, by, on, statement and evidence',
};
/** An attestations file: a list, or `{attestations: [...]}` (the published JSON Schema). */
export const AttestationsFile = listFileSchema(ATTESTATIONS_FILE);

/** An attestation as applied: the evidence read and hashed. */
export interface CheckedAttestation extends Omit<Attestation, 'evidence'> {
  readonly evidence: { readonly file: string; readonly sha256: string };
}

/** Evidence is a document or a capture: a larger file is a mistake. */
const MAX_EVIDENCE_BYTES = 256 * 1024 * 1024;

/** Reads an attestations file (JSON or YAML) and hashes each evidence file; every problem is one line naming the attestation. */
export async function loadAttestations(file: string): Promise<CheckedAttestation[]> {
  const list = await readListFile(file, ATTESTATIONS_FILE);
  const base = dirname(resolve(file));
  const out: CheckedAttestation[] = [];
  for (const [i, a] of list.entries()) {
    if (!ruleById(a.ruleId))
      throw new ConfigurationError(`attestations file ${file}: attestation ${i + 1} names rule ${a.ruleId}, which is not in rulebook ${RULEBOOK_VERSION}`);
    const path = isAbsolute(a.evidence) ? a.evidence : resolve(base, a.evidence);
    out.push({ ruleId: a.ruleId, by: a.by, on: a.on, statement: a.statement, evidence: { file: basename(path), sha256: await sha256Of(path, file, i + 1) } });
  }
  return out;
}

async function sha256Of(path: string, file: string, n: number): Promise<string> {
  let size: number;
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a file');
    size = s.size;
  } catch {
    throw new ConfigurationError(`attestations file ${file}: attestation ${n}: its evidence file ${basename(path)} cannot be read`);
  }
  if (size > MAX_EVIDENCE_BYTES) throw new ConfigurationError(`attestations file ${file}: attestation ${n}: its evidence file is larger than 256 MiB`);
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Applies attestations to the rules no check judged (SKIPPED); returns the rules and the attestations left unused. */
export function applyAttestations(rules: readonly RuleResult[], attestations: readonly CheckedAttestation[]): { rules: RuleResult[]; unused: string[] } {
  const unused: string[] = [];
  const byRule = new Map(attestations.map((a) => [a.ruleId, a]));
  const out = rules.map((r) => {
    const a = byRule.get(r.ruleId);
    if (!a || r.status !== 'SKIPPED') return r;
    const { reason: _reason, needs: _needs, ...rest } = r;
    return { ...rest, status: 'ATTESTED' as const, attestation: { by: a.by, on: a.on, statement: a.statement, evidence: a.evidence } };
  });
  for (const a of attestations) {
    const rule = rules.find((r) => r.ruleId === a.ruleId);
    if (rule && rule.status !== 'SKIPPED') unused.push(`${a.ruleId} (by ${a.by}): not applied, the rule was ${rule.status} by the run's own checks`);
  }
  return { rules: out, unused };
}
