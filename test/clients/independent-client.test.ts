import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runOnboarding, type Settings } from '../../fixtures/independent-client/index.js';
import { ClientCheckConfig } from '../../src/client-side/client-check/config.js';
import { sessionReport, startSession, type SimulatorSession } from '../../src/client-side/client-check/simulator-session.js';
import type { CaseResult } from '../../src/core/results/model.js';
import { exitCodeOf } from '../../src/core/results/exit-code.js';
import { DEFAULT_FAULT_PLAN, NOT_SIMULATED, type FaultPlanInput, type RunningSimulator } from '../../src/client-side/simulator/index.js';
import { ISSUER_ID, issuerKeyPair, ruleIds, SIGNING_KID, simulatorFor, type IssuerKeyPair } from './helpers.js';

/**
 * The independent client (fixtures/independent-client: a second issuer client, not the reference
 * one) against the simulator. Its queue sends unrelated calls to one endpoint close together
 * (customer B right after customer A's 503; two flows reading one card list): no IN-RES finding,
 * while its real retries are graded; the same client without backoff fails IN-RES-003. In
 * v1-cards mode it calls a D1 path the simulator does not implement: the report lists it,
 * verdict INCOMPLETE, exit 2, unless declared out of scope.
 */

let keys: IssuerKeyPair;
beforeAll(async () => {
  keys = await issuerKeyPair();
});

const closing: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(closing.splice(0).map((f) => f()));
});

function settingsFor(sim: RunningSimulator, mode: Settings['mode'] = 'v2'): Settings {
  return {
    baseUrl: sim.baseUrl,
    tokenUrl: sim.tokenUrl,
    issuerId: ISSUER_ID,
    d1Key: sim.jwePublicJwk,
    d1Kid: sim.jweKid,
    signingKey: keys.privateJwk,
    signingKid: SIGNING_KID,
    cardProductId: 'prod-classic-01',
    mode,
  };
}

async function simulator(faults: FaultPlanInput): Promise<RunningSimulator> {
  const sim = await simulatorFor(keys, { faults });
  closing.push(() => sim.close());
  return sim;
}

const resFindings = (results: readonly CaseResult[]) => results.filter((r) => /^IN-(RES|COMPAT)-/.test(r.ruleId) && r.status !== 'PASSED');
const passedCases = (results: readonly CaseResult[], ruleId: string) => results.filter((r) => r.ruleId === ruleId && r.status === 'PASSED').map((r) => r.endpoint);

/** 503 on the first consumer registration, the first card registration and the first card list read. */
const BACK_TO_BACK: FaultPlanInput = {
  faults: [
    { endpoint: 'd1.registerConsumer', nth: 1, kind: 'unavailable' },
    { endpoint: 'd1.registerCard', nth: 1, kind: 'unavailable' },
    { endpoint: 'd1.getCardList', nth: 1, kind: 'unavailable' },
  ],
};

describe('the independent client', () => {
  it('survives the default fault plan (--faults) with zero FAILED and no IN-RES or IN-COMPAT finding', async () => {
    const sim = await simulator(DEFAULT_FAULT_PLAN);
    const outcome = await runOnboarding(settingsFor(sim));
    expect(outcome.ok).toBe(true);
    expect(ruleIds(sim.results(), 'FAILED')).toEqual([]);
    expect(resFindings(sim.results())).toEqual([]);
    // Its real retries were judged, not skipped: the 503 token, the 429 registration, the commit-then-error card.
    expect(passedCases(sim.results(), 'IN-RES-003')).toContain('d1.token');
    expect(passedCases(sim.results(), 'IN-RES-002')).toEqual(['d1.registerConsumer']);
    expect(passedCases(sim.results(), 'IN-RES-004').sort()).toEqual(['d1.registerCard', 'd1.registerConsumer']);
    expect(sim.ungraded()).toEqual([]);
  });

  it('sends customer B right after customer A got a 503, and two flows read one card list back to back: no IN-RES finding', async () => {
    const sim = await simulator(BACK_TO_BACK);
    const outcome = await runOnboarding(settingsFor(sim));
    expect(outcome.ok).toBe(true);
    const order = outcome.events.map((e) => `${e.step}#${e.attempt}:${e.status ?? '-'}`);
    // The unrelated call went out between the 503 and its retry: the case issue 11 was about.
    expect(order.slice(1, 4)).toEqual(['register consumer a#1:503', 'register consumer b#1:204', 'register consumer a#2:204']);
    expect(order.slice(4, 7)).toEqual(['register card a#1:503', 'register card b#1:204', 'register card a#2:204']);
    expect(order.slice(7, 11)).toEqual(['card list a (app)#1:503', 'card list a (reconcile)#1:200', 'card list b#1:200', 'card list a (app)#2:200']);
    expect(ruleIds(sim.results(), 'FAILED')).toEqual([]);
    expect(resFindings(sim.results())).toEqual([]);
    // Each real retry was judged once: the re-encrypted card retry too (its JWE compared by content).
    const backoff = sim.results().filter((r) => r.ruleId === 'IN-RES-003' && r.case === 'backs off after a 5xx before retrying');
    expect(backoff.map((r) => [r.endpoint, r.count])).toEqual([
      ['d1.registerConsumer', 1],
      ['d1.registerCard', 1],
      ['d1.getCardList', 1],
    ]);
  });

  it('the same client retrying without backoff fails IN-RES-003 (the check can fail)', async () => {
    const sim = await simulator(BACK_TO_BACK);
    const outcome = await runOnboarding(settingsFor(sim), { backoffMs: 0 });
    expect(outcome.ok).toBe(true);
    expect(ruleIds(sim.results(), 'FAILED')).toEqual(['IN-RES-003']);
  });
});

describe('the independent client on a D1 path the simulator does not implement (v1-cards mode)', () => {
  let out: string;
  let session: SimulatorSession | undefined;
  afterEach(async () => {
    await session?.sim.close();
    session = undefined;
    await rm(out, { recursive: true, force: true });
  });

  async function check(ungradedCalls: unknown) {
    out = await mkdtemp(join(tmpdir(), 'd1c-independent-'));
    // No fault plan: nothing here is about retries, and the run stays fast.
    const config = ClientCheckConfig.parse({ ungradedCalls });
    session = await startSession(config, out, out, [{ kid: SIGNING_KID, publicJwk: keys.publicJwk }]);
    const outcome = await runOnboarding(settingsFor(session.sim, 'v1-cards'));
    await session.sim.close();
    const report = sessionReport(session, config, {
      reference: false,
      command: 'independent client',
      startedAt: new Date(),
      results: session.sim.results(),
      errors: [],
      waivers: [],
      failOn: 'must',
      replay: 'npx d1-conformance client-check -- <your command>',
    });
    return { outcome, report };
  }

  it('lists the ungraded v1 call with its likely API; verdict INCOMPLETE, exit 2, though nothing failed', async () => {
    const { outcome, report } = await check(undefined);
    expect(outcome).toMatchObject({ ok: true, v1Status: 404 });
    expect(report.ungraded).toEqual([
      {
        method: 'PUT',
        path: '/banking/v1/issuers/{issuerId}/consumers/{consumerId}/cards',
        likelyApi: 'Register consumer with cards v1 (I8)',
        reason: NOT_SIMULATED,
        count: 1,
        outOfScope: false,
      },
    ]);
    expect(report.rules.filter((r) => r.status === 'FAILED')).toEqual([]);
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.summary.incomplete.join(' ')).toContain('Register consumer with cards v1 (I8)');
    expect(exitCodeOf(report)).toBe(2);
  });

  it('declared out of scope (by pattern, or all): still listed, verdict PASSED, exit 0', async () => {
    for (const setting of [{ outOfScope: ['PUT /banking/v1/**'] }, 'out-of-scope']) {
      const { report } = await check(setting);
      expect(report.ungraded.map((u) => [u.likelyApi, u.outOfScope])).toEqual([['Register consumer with cards v1 (I8)', true]]);
      expect(report.summary.verdict).toBe('PASSED');
      expect(exitCodeOf(report)).toBe(0);
      await session?.sim.close();
    }
  });

  it('a pattern that does not cover the call leaves the verdict INCOMPLETE', async () => {
    const { report } = await check({ outOfScope: ['GET /banking/v1/**', '/banking/v1/issuers/*/cards/**'] });
    expect(report.ungraded[0]?.outOfScope).toBe(false);
    expect(exitCodeOf(report)).toBe(2);
  });
});
