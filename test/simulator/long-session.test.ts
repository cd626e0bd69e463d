import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FINDINGS_PER_CASE } from '../../src/simulator/grade.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { call, consumerPath, issuerKeys, simulatorFor } from './helpers.js';

/** A client that repeats one mistake for a long time: findings stay bounded, the count stays true. */
describe('a long session', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulatorFor(await issuerKeys());
  });
  afterAll(() => sim.close());

  it(`keeps the first ${MAX_FINDINGS_PER_CASE} findings of a case with evidence, then only counts`, async () => {
    const calls = MAX_FINDINGS_PER_CASE + 15;
    for (let i = 0; i < calls; i++) expect((await call(sim, 'GET', consumerPath('cons-0001', '/cards'))).status).toBe(401);
    const findings = sim.results().filter((r) => r.ruleId === 'IN-AUTH-016' && r.status === 'FAILED');
    expect(findings).toHaveLength(MAX_FINDINGS_PER_CASE);
    expect(findings.reduce((n, r) => n + r.count, 0)).toBe(calls);
    expect(findings.every((r) => r.evidence !== undefined)).toBe(true);
    expect(findings.at(-1)?.count).toBe(16);
  });
});
