import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/core/results/build-report.js';
import type { CaseResult, Stop } from '../../src/core/results/model.js';

/**
 * What the call guard's stops do to a verdict (src/server-side/harness/call-guard.ts): an endpoint that gave
 * no response is a finding of its positive rule, never a quiet SKIPPED under a PASSED verdict;
 * running out of time or being throttled is INCOMPLETE; each stop's reason reaches the rules it
 * kept from being judged.
 */

const TOKEN_OK: CaseResult[] = [{ ruleId: 'OUT-AUTH-001', endpoint: 'issuer.token', case: 'valid credentials', status: 'PASSED', count: 1 }];
const UNREACHABLE: Stop = {
  kind: 'unreachable',
  endpoint: 'issuer.getConsumerInfo',
  reason: 'not judged: issuer.getConsumerInfo was not called again after 3 calls in a row got no response (no response within 500 ms)',
};

function report(results: readonly CaseResult[], stops: readonly Stop[]) {
  return buildReport({
    target: { baseUrl: 'http://127.0.0.1:40000', issuerId: 'ISSUER0001', reference: false },
    startedAt: new Date('2026-12-01T10:00:00Z'),
    finishedAt: new Date('2026-12-01T10:00:01Z'),
    seed: 0,
    profiles: [],
    policies: {},
    configuration: {},
    results,
    timings: { samples: new Map() },
    errors: [],
    stops,
    waivers: [],
    failOn: 'must',
  });
}

describe('stops in the verdict', () => {
  it('an unreachable endpoint fails its positive rule once, and the rules it kept from being judged say why', () => {
    const r = report(TOKEN_OK, [UNREACHABLE]);
    expect(r.summary.verdict).toBe('FAILED');
    expect(r.rules.find((x) => x.ruleId === 'OUT-CI-001')?.status).toBe('FAILED');
    const findings = r.results.filter((c) => c.ruleId === 'OUT-CI-001');
    expect(findings.map((c) => c.case)).toEqual(['the endpoint answers at all']);
    expect(findings[0]?.message).toContain('3 calls in a row got no response');
    expect(r.rules.find((x) => x.ruleId === 'OUT-CI-003')).toMatchObject({ status: 'SKIPPED', reason: UNREACHABLE.reason });
  });

  it('a report rebuilt from its own results (a merge) carries the finding once', () => {
    const first = report(TOKEN_OK, [UNREACHABLE]);
    const again = report(first.results, [UNREACHABLE, UNREACHABLE]);
    expect(again.results.filter((c) => c.ruleId === 'OUT-CI-001')).toHaveLength(1);
    expect(again.stops).toHaveLength(1);
  });

  it('the deadline and throttling make the run INCOMPLETE, naming them; the deadline is the reason of what was not reached', () => {
    const deadline: Stop = { kind: 'deadline', reason: 'not judged: the run reached its --max-time of 60 s before this call' };
    const throttled: Stop = {
      kind: 'throttled',
      endpoint: 'issuer.deliverOtp',
      reason: 'not judged: the target throttled issuer.deliverOtp (429, Retry-After 86400 s, longer than the run waits); re-run with a lower --rate-limit',
    };
    const r = report(TOKEN_OK, [deadline, throttled]);
    expect(r.summary.verdict).toBe('INCOMPLETE');
    expect(r.summary.incomplete).toEqual(
      expect.arrayContaining(['the run reached its --max-time of 60 s before this call', expect.stringContaining('throttled issuer.deliverOtp')]),
    );
    expect(r.rules.find((x) => x.ruleId === 'OUT-OTP-001')?.reason).toBe(throttled.reason);
    expect(r.rules.find((x) => x.ruleId === 'OUT-CI-001')?.reason).toBe(deadline.reason);
  });
});
