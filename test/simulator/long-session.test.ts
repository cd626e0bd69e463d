import { connect } from 'node:net';
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

describe('a slow client', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await simulatorFor(await issuerKeys());
  });
  afterAll(() => sim.close());

  it('that stalls mid-request does not hold up other calls', async () => {
    const { port } = new URL(sim.baseUrl);
    const stalled = connect({ host: '127.0.0.1', port: Number(port) });
    await new Promise<void>((resolve) => stalled.once('connect', resolve));
    // Headers promise 1000 bytes; one arrives, then nothing.
    stalled.write(`PUT ${consumerPath('cons-slow')} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    // Were the stalled request holding the server, these would never be answered (the test would time out).
    const answers = await Promise.all(Array.from({ length: 5 }, () => call(sim, 'GET', consumerPath('cons-0001', '/cards'))));
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    expect(stalled.destroyed).toBe(false);
    stalled.destroy();
  });
});
