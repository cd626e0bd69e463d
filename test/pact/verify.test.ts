import { describe, expect, it } from 'vitest';
import { brokenVariant } from '../../fixtures/broken-issuers/index.js';
import { json, jsonObject, startReferenceIssuer, type IssuerVariant, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { parseConfig } from '../../src/core/config/load-config.js';
import type { RunConfig } from '../../src/core/config/run-config.js';
import { D1_TO_ISSUER, rulesOf } from '../../src/core/pact/interactions.js';
import { startStateServer, stateHandlers } from '../../src/server-side/pact/provider-states.js';
import { fetchToken } from '../../src/server-side/pact/target-calls.js';
import { createHttpClient } from '../../src/core/http/client.js';
import { verifyIssuerPacts, type PactOutcome } from '../../src/server-side/pact/verify.js';
import type { CaseResult } from '../../src/core/results/model.js';
import { startReferenceTarget } from '../../src/cli/reference-target.js';

/** These tests restart the reference issuer over plain http with the target's configuration (mutual TLS: test/run/mtls-run.test.ts). */
const PLAIN = { mtls: false };

/**
 * Provider verification with the real Pact Verifier: the committed D1 -> issuer pact replayed
 * against the reference issuer passes; against broken issuers it fails naming the interaction and
 * the rule the failing matcher stands for, with the mismatch in words and values redacted.
 */

async function verifyVariant(
  variant?: string | IssuerVariant,
  patch: (c: RunConfig) => RunConfig = (c) => c,
): Promise<{ outcome: PactOutcome; issuer: RunningIssuer }> {
  const target = await startReferenceTarget(typeof variant === 'string' ? variant : undefined, PLAIN);
  let issuer = target.issuer;
  if (typeof variant === 'object') {
    await target.issuer.close();
    issuer = await startReferenceIssuer({ variant, clientSecret: target.issuer.clientSecret });
  }
  try {
    const config = patch(parseConfig({ ...target.config, target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId } }));
    return { outcome: await verifyIssuerPacts(config), issuer };
  } finally {
    await issuer.close();
  }
}

const failedRules = (results: readonly CaseResult[]) => [...new Set(results.filter((r) => r.status === 'FAILED').map((r) => r.ruleId))];
const failedCases = (results: readonly CaseResult[]) => [...new Set(results.filter((r) => r.status === 'FAILED').map((r) => r.case))];
const KNOWN = 'pact: a request for the information of a known consumer';
const KNOWN_WITH_CARD = 'pact: a request for the information of a known consumer and one of its cards';

describe('pact provider verification (real Pact Verifier)', () => {
  it('passes against the reference issuer: every interaction PASSED for every rule it stands for', { timeout: 60_000 }, async () => {
    const { outcome } = await verifyVariant();
    expect(outcome.errors).toEqual([]);
    expect(outcome.results.filter((r) => r.status !== 'PASSED')).toEqual([]);
    for (const i of D1_TO_ISSUER.interactions) {
      const passed = outcome.results.filter((r) => r.case === `pact: ${i.description}`);
      expect(passed.map((r) => r.ruleId).sort(), i.description).toEqual(rulesOf(i).sort());
      expect(passed.every((r) => r.endpoint === i.endpoint)).toBe(true);
    }
    expect(outcome.results.map((r) => r.ruleId)).toEqual(
      expect.arrayContaining(['OUT-CI-009', 'OUT-CI-003', 'OUT-NCO-001', 'OUT-OTP-001', 'OUT-AUTHN-022', 'OUT-GEN-003', 'OUT-AUTH-003']),
    );
  });

  it(
    'fails a broken pattern (consumer-info-bad-language) on OUT-CI-009, naming the interaction, the pattern and the value',
    { timeout: 60_000 },
    async () => {
      const { outcome } = await verifyVariant('consumer-info-bad-language');
      expect(failedRules(outcome.results)).toEqual(['OUT-CI-009']);
      expect(failedCases(outcome.results).sort()).toEqual([KNOWN, KNOWN_WITH_CARD]);
      const finding = outcome.results.find((r) => r.status === 'FAILED' && r.case === KNOWN);
      expect(finding?.endpoint).toBe('issuer.getConsumerInfo');
      expect(finding?.message).toBe('body.language must be a string matching LANGUAGE ^[a-z]{2}-[a-zA-Z]{2}$; got "english"');
      expect(finding?.actual).toBe('"english"');
      expect(finding?.repro).toContain("PACT_DESCRIPTION='a request for the information of a known consumer'");
      // It replays against this target, not a config file the user may not have.
      expect(finding?.repro).toMatch(/ npx d1-conformance verify-pacts --target http:\/\/127\.0\.0\.1:\d+/);
      expect(finding?.repro).not.toContain('d1.json');
      // The other rules of the same interaction held.
      expect(outcome.results.some((r) => r.case === KNOWN && r.ruleId === 'OUT-CI-011' && r.status === 'PASSED')).toBe(true);
    },
  );

  it(
    'fails 200 instead of 204 (notify-200-instead-of-204) on OUT-NCO-001; a warning when the policy tolerates any 2xx',
    { timeout: 60_000 },
    async () => {
      const { outcome } = await verifyVariant('notify-200-instead-of-204');
      expect(failedRules(outcome.results)).toEqual(['OUT-NCO-001']);
      expect(failedCases(outcome.results).sort()).toEqual([
        'pact: a notification of a FAILED consumer operation',
        'pact: a notification of a SUCCESSFUL consumer operation',
      ]);
      expect(outcome.results.find((r) => r.status === 'FAILED')?.message).toBe('expected status 204, got 200');
      const tolerant = await verifyVariant('notify-200-instead-of-204', (c) => ({ ...c, policies: { ...c.policies, notificationSuccessStatus: 'any-2xx' } }));
      expect(failedRules(tolerant.outcome.results)).toEqual([]);
      expect(tolerant.outcome.results.filter((r) => r.status === 'WARNING').map((r) => r.ruleId)).toEqual(['OUT-NCO-001', 'OUT-NCO-001']);
    },
  );

  it('fails a renamed response field (lastName sent as surname) on its presence rule OUT-CI-025, saying so', { timeout: 60_000 }, async () => {
    const renamed: IssuerVariant = {
      id: 'test-lastname-renamed',
      ruleId: 'OUT-CI-025',
      description: 'consumerInfo with lastName renamed to surname',
      hooks: {
        rewrite: (reply, request) => {
          const info = jsonObject(reply);
          if (request.endpoint !== 'issuer.getConsumerInfo' || reply.status !== 200 || !info) return reply;
          const { lastName, ...rest } = info;
          return json(200, { ...rest, surname: lastName }, reply.headers);
        },
      },
    };
    const { outcome } = await verifyVariant(renamed);
    expect(failedRules(outcome.results)).toEqual(['OUT-CI-025']);
    const finding = outcome.results.find((r) => r.status === 'FAILED' && r.case === KNOWN);
    expect(finding?.message).toBe('body.lastName is missing (the response has surname instead: a renamed field?)');
  });

  it('never shows a clear PAN, personal data or a token in a finding', { timeout: 60_000 }, async () => {
    const pan = '4111111111111111';
    const leaky: IssuerVariant = {
      id: 'test-pan-in-name',
      ruleId: 'OUT-CI-011',
      description: 'firstName carries a PAN and a forbidden character',
      hooks: {
        rewrite: (reply, request) => {
          const info = jsonObject(reply);
          if (request.endpoint !== 'issuer.getConsumerInfo' || reply.status !== 200 || !info) return reply;
          return json(200, { ...info, firstName: `${String(info.firstName)} card ${pan}!` }, reply.headers);
        },
      },
    };
    const { outcome, issuer } = await verifyVariant(leaky);
    expect(failedRules(outcome.results)).toEqual(['OUT-CI-011']);
    const text = JSON.stringify(outcome.results);
    const finding = outcome.results.find((r) => r.status === 'FAILED' && r.case === KNOWN);
    expect(finding?.message).toMatch(/^body\.firstName must be a string matching NAME128 .*; got <pii: 29 characters; the pattern refuses "!">$/);
    for (const secret of [pan, 'Amelia', issuer.clientSecret]) expect(text).not.toContain(secret);
  });

  it("takes provider states from the issuer's own state-change URL (--provider-states-url)", { timeout: 60_000 }, async () => {
    const target = await startReferenceTarget(undefined, PLAIN);
    const config = parseConfig(target.config);
    // The issuer's endpoint, simulated: it answers for another consumer than the run configuration's first one.
    const other = config.testData.consumers.find((c) => c.consumerId === 'cons-5e9a0b3d');
    if (!other) throw new Error('reference consumer cons-5e9a0b3d missing');
    const client = createHttpClient({ timeoutMs: 5_000 });
    const handlers = stateHandlers({ config: { ...config, testData: { consumers: [other] } }, client, token: await fetchToken(config, client) });
    const asked: string[] = [];
    const states = await startStateServer(Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, () => (asked.push(name), h())])));
    try {
      const outcome = await verifyIssuerPacts(config, { providerStatesUrl: states.url });
      expect(outcome.results.filter((r) => r.status !== 'PASSED')).toEqual([]);
      expect(new Set(asked)).toEqual(new Set(Object.keys(handlers)));
    } finally {
      await states.close();
      await client.close();
      await target.issuer.close();
    }
  });

  it('skips, saying why, an interaction whose provider state the test data cannot give', { timeout: 60_000 }, async () => {
    const { outcome } = await verifyVariant(undefined, (c) => ({ ...c, testData: { consumers: [{ consumerId: 'cons-5e9a0b3d', cardIds: [], pans: [] }] } }));
    expect(failedRules(outcome.results)).toEqual([]);
    const skipped = outcome.results.filter((r) => r.status === 'SKIPPED');
    expect([...new Set(skipped.map((r) => r.case))]).toEqual([KNOWN_WITH_CARD]);
    expect(skipped[0]?.message).toContain('no configured consumer has a cardId');
  });

  it('asks once for a state the state server cannot set up: its refusal is not a 5xx, which the verifier retries after 0.1 s and 1 s', { timeout: 60_000 }, async () => {
    const target = await startReferenceTarget(undefined, PLAIN);
    const config = parseConfig(target.config);
    const noCards = { ...config, testData: { consumers: [{ consumerId: 'cons-5e9a0b3d', cardIds: [], pans: [] }] } };
    const client = createHttpClient({ timeoutMs: 5_000 });
    const handlers = stateHandlers({ config: noCards, client, token: await fetchToken(config, client) });
    const asked: string[] = [];
    const states = await startStateServer(Object.fromEntries(Object.entries(handlers).map(([name, h]) => [name, () => (asked.push(name), h())])));
    try {
      // Served as the issuer's own state-change URL, so that the test sees every request the verifier sends it.
      const outcome = await verifyIssuerPacts(noCards, { providerStatesUrl: states.url });
      expect(failedCases(outcome.results)).toEqual([KNOWN_WITH_CARD]);
      const withCard = 'consumer {consumerId} exists with card {cardId}';
      expect(asked.filter((name) => name === withCard)).toHaveLength(D1_TO_ISSUER.interactions.filter((i) => i.state?.name === withCard).length);
    } finally {
      await states.close();
      await client.close();
      await target.issuer.close();
    }
  });

  it('lets the auth-status-never-final variant fail on OUT-AUTHN-022 only', { timeout: 60_000 }, async () => {
    const { outcome } = await verifyVariant(brokenVariant('auth-status-never-final')?.id);
    expect(failedRules(outcome.results)).toEqual(['OUT-AUTHN-022']);
    expect(outcome.results.find((r) => r.status === 'FAILED')?.message).toBe(
      'body.authenticationStatus is "PENDING"; this interaction expects one of AUTHENTICATED, AUTHENTICATION_FAILED, TECHNICAL_ERROR',
    );
  });
});
