import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consumerInfoBadLanguage } from '../../fixtures/broken-issuers/consumer-info-bad-language.js';
import { issuerPki, startReferenceIssuer, type IssuerPki, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { parseConfig } from '../../src/core/config/load-config.js';
import { DEFAULT_CONSUMERS } from '../../contracts/examples/consumers.js';
import { verifyIssuerPacts } from '../../src/server-side/pact/verify.js';

/**
 * The Pact verification against an https target that demands mutual TLS: the Rust verifier talks
 * only to Pact JS's loopback proxy, whose request filter (src/server-side/pact/forward.ts) sends
 * each replayed request to the target with D1's client certificate from the run configuration.
 */

const running: RunningIssuer[] = [];
afterAll(async () => {
  await Promise.all(running.map((i) => i.close()));
});

function configFor(issuer: RunningIssuer, pki: IssuerPki, withTls = true) {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-pact-mtls-'));
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text, { mode: 0o600 });
    return join(dir, name);
  };
  const active = DEFAULT_CONSUMERS.filter((c) => c.state !== 'INVALID');
  return parseConfig({
    target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
    auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
    ...(withTls ? { tls: { clientCert: file('d1.crt', pki.d1.clientCert), clientKey: file('d1.key', pki.d1.clientKey), ca: file('ca.pem', pki.d1.ca) } } : {}),
    testData: {
      consumers: active.map((c) => ({ consumerId: c.consumerId, cardIds: [...c.cardIds] })),
      invalidStateConsumerId: DEFAULT_CONSUMERS.find((c) => c.state === 'INVALID')?.consumerId,
    },
  });
}

describe('pact verification over mutual TLS', () => {
  it('passes against the reference issuer with mTLS: every interaction PASSED', { timeout: 60_000 }, async () => {
    const pki = await issuerPki();
    const issuer = await startReferenceIssuer({ tls: pki.server });
    running.push(issuer);
    const outcome = await verifyIssuerPacts(configFor(issuer, pki));
    expect(outcome.errors).toEqual([]);
    expect(outcome.results.length).toBeGreaterThan(0);
    expect(outcome.results.filter((r) => r.status !== 'PASSED')).toEqual([]);
  });

  it('still finds a broken response over mTLS (consumer-info-bad-language: OUT-CI-009)', { timeout: 60_000 }, async () => {
    const pki = await issuerPki();
    const issuer = await startReferenceIssuer({ tls: pki.server, variant: consumerInfoBadLanguage });
    running.push(issuer);
    const outcome = await verifyIssuerPacts(configFor(issuer, pki));
    expect([...new Set(outcome.results.filter((r) => r.status === 'FAILED').map((r) => r.ruleId))]).toEqual(['OUT-CI-009']);
  });
});
