import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../contracts/index.js';
import { BROKEN_CLIENTS, brokenClient } from '../../fixtures/broken-clients/index.js';
import { runJourney, tlsKeyTypeOf, type ClientVariant } from '../../fixtures/reference-client/index.js';
import { envFor, issuerKeyPair, ISSUER_ID, ruleIds, simulatorFor, type IssuerKeyPair } from './helpers.js';
import { simulatedThalesTls } from '../../src/client-side/simulator/tls.js';
import { issueCertificate } from '../../src/core/tls/certificates.js';
import type { RunningSimulator } from '../../src/client-side/simulator/index.js';
import type { ClientEnv } from '../../fixtures/reference-client/index.js';

const DIR = fileURLToPath(new URL('../../fixtures/broken-clients/', import.meta.url));

/**
 * A fixed test PAN keeps every run the same: with a random PAN, a hex SHA-256 of it can hold a
 * Luhn-valid run of 13+ digits now and then (card-id-sha256-of-pan would then also be a clear PAN).
 */
const PAN = '4111111111111111';

const levelOf = (ruleId: string) => RULES.find((r) => r.id === ruleId)?.level;

/** What the simulator must grade for a variant: its rule (WARNING for a SHOULD rule), plus what it declares. */
function expected(variant: ClientVariant): { failed: string[]; warning: string[] } {
  const should = levelOf(variant.ruleId) === 'SHOULD';
  const also = variant.alsoGraded;
  return {
    failed: [...(should ? [] : [variant.ruleId]), ...(also?.failed ?? [])].sort(),
    warning: [...(should ? [variant.ruleId] : []), ...(also?.warning ?? [])].sort(),
  };
}

let keys: IssuerKeyPair;
beforeAll(async () => {
  keys = await issuerKeyPair();
});

describe('broken clients', () => {
  it('are one file per variant, named by its id, with unique ids', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -'.ts'.length))
      .sort();
    expect(BROKEN_CLIENTS.map((v) => v.id).sort()).toEqual(files);
    for (const v of BROKEN_CLIENTS) expect(v.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(brokenClient('card-id-is-pan')?.ruleId).toBe('IN-ID-001');
  });

  it('name client rules of the rulebook', () => {
    for (const v of BROKEN_CLIENTS) {
      for (const id of [v.ruleId, ...(v.alsoGraded?.failed ?? []), ...(v.alsoGraded?.warning ?? [])]) {
        expect(RULES.find((r) => r.id === id)?.direction, `${v.id}: ${id}`).toBe('issuer-as-client');
      }
      expect(v.description.length, v.id).toBeGreaterThan(10);
    }
  });

  it('declare extra findings only with a reason, and never their own rule again', () => {
    for (const v of BROKEN_CLIENTS) {
      if (v.alsoGraded === undefined) continue;
      expect(v.alsoGraded.why.length, v.id).toBeGreaterThan(20);
      expect([...(v.alsoGraded.failed ?? []), ...(v.alsoGraded.warning ?? [])], v.id).not.toContain(v.ruleId);
    }
  });

  it.each(BROKEN_CLIENTS.map((v) => [v.id, v] as const))('%s: the simulator grades exactly its rule', async (_id, variant) => {
    const { sim, env } = await simulatorForVariant(variant);
    try {
      const summary = await runJourney(env, variant, { pan: PAN });
      const results = sim.results();
      const want = expected(variant);
      expect({ failed: ruleIds(results, 'FAILED'), warning: ruleIds(results, 'WARNING') }).toEqual(want);
      // A refused step is the variant's doing: every step before it went through.
      const refusedAt = summary.steps.findIndex((s) => !s.ok);
      if (refusedAt !== -1) expect(refusedAt).toBe(summary.steps.length - 1);
      // The findings' evidence never shows the PAN in clear (the simulator masks it as BIN + last 4).
      expect(JSON.stringify(results)).not.toContain(PAN);
    } finally {
      await sim.close();
    }
  });
});

/**
 * A variant breaking a TLS rule (hooks.clientKeyType) runs against the simulator speaking mutual
 * TLS, with a client certificate of the simulated Thales CA for that key type (as client-check --tls
 * makes it); the others against the plain simulator.
 */
async function simulatorForVariant(variant: ClientVariant): Promise<{ sim: RunningSimulator; env: ClientEnv }> {
  const keyType = tlsKeyTypeOf(variant.hooks);
  if (keyType === undefined) {
    const sim = await simulatorFor(keys);
    return { sim, env: envFor(sim, keys) };
  }
  const { authority, server } = await simulatedThalesTls();
  const client = await issueCertificate(authority, { commonName: `TLSMA/${ISSUER_ID}/PPR`, usage: 'client', keyType });
  const sim = await simulatorFor(keys, { tls: { ca: { certPem: authority.certPem }, server } });
  return { sim, env: envFor(sim, keys, { ca: authority.certPem, cert: client.certPem, key: client.keyPem }) };
}
