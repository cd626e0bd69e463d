import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULEBOOK_HASH } from '../../contracts/index.js';
import { RULEBOOK_VERSION } from '../../contracts/version.js';

/**
 * The rulebook's version moves with its content. It is the Pact consumer version the contracts
 * are published under, so two different rulebooks (or pacts) under one version would let a broker
 * verify a bank against the wrong contract. contracts/rulebook-versions.json records, for every
 * version, the hash of its rules (RULEBOOK_HASH, what every report names) and of its pacts'
 * interactions (metadata left out: a Pact library upgrade is not a contract change).
 */
const versions = JSON.parse(readFileSync(new URL('../../contracts/rulebook-versions.json', import.meta.url), 'utf8')) as Record<
  string,
  { rules: string; pacts: string }
>;

function pactsHash(): string {
  const dir = new URL('../../contracts/pacts/', import.meta.url);
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).sort()) {
    const pact = JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as { consumer: unknown; provider: unknown; interactions: unknown };
    hash.update(JSON.stringify({ file, consumer: pact.consumer, provider: pact.provider, interactions: pact.interactions }));
  }
  return hash.digest('hex');
}

describe('rulebook version', () => {
  it('is the newest recorded version, and its content is what was recorded for it (else: a new version, recorded)', () => {
    const recorded = versions[RULEBOOK_VERSION];
    const now = { rules: RULEBOOK_HASH, pacts: pactsHash() };
    expect(
      recorded,
      `rulebook ${RULEBOOK_VERSION} is not in contracts/rulebook-versions.json: add "${RULEBOOK_VERSION}": ${JSON.stringify(now)}`,
    ).toBeDefined();
    expect(
      now,
      `the rulebook's content changed but its version is still ${RULEBOOK_VERSION}: raise RULEBOOK_VERSION in contracts/version.ts and record the new version with ${JSON.stringify(now)}`,
    ).toEqual(recorded);
    const ordered = Object.keys(versions).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect(ordered.at(-1), 'RULEBOOK_VERSION must be the newest recorded version').toBe(RULEBOOK_VERSION);
  });

  it('no two recorded versions hold the same content (a version is never reused for another content, nor content renamed)', () => {
    const contents = Object.values(versions).map((v) => `${v.rules}/${v.pacts}`);
    expect(new Set(contents).size).toBe(contents.length);
    for (const v of Object.keys(versions)) expect(v).toMatch(/^\d{4}\.\d{1,2}\.\d+$/);
  });
});
