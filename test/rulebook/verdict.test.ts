import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, RULES, ruleById } from '../../contracts/index.js';
import { Recorder } from '../../src/core/results/recorder.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { aggregateRules, gateDeadEndpoints } from '../../src/core/results/aggregate.js';
import { buildReport, type ReportInput } from '../../src/core/results/build-report.js';
import type { CaseResult } from '../../src/core/results/model.js';
import { exitCodeOf } from '../../src/core/results/exit-code.js';
import { clientReport } from '../../src/client-side/client-check/client-report.js';
import { Grader } from '../../src/client-side/simulator/grade.js';
import { notApplicableReason, statusOfBreach, UnknownRuleError, ruleOf } from '../../src/core/verdict/verdict.js';

/** The verdict is a function of the rulebook: src/core/verdict/verdict.ts and the aggregation that uses it. */

const root = new URL('../../', import.meta.url).pathname;

function reportOf(results: readonly CaseResult[], extra: Partial<ReportInput> = {}) {
  return buildReport({
    target: { baseUrl: 'http://127.0.0.1:1', issuerId: 'ISSUER0001', reference: false },
    startedAt: new Date('2026-12-01T00:00:00Z'),
    finishedAt: new Date('2026-12-01T00:00:01Z'),
    seed: 1,
    profiles: [],
    policies: DEFAULT_POLICIES,
    configuration: {},
    results,
    timings: { samples: new Map() },
    errors: [],
    waivers: [],
    failOn: 'must',
    ...extra,
  });
}

const passed = (ruleId: string, endpoint: string): CaseResult => ({ ruleId, endpoint, case: 'c', status: 'PASSED', count: 1 });
const failed = (ruleId: string, endpoint: string): CaseResult => ({ ruleId, endpoint, case: 'c', status: 'FAILED', count: 1, message: 'broken' });

describe('checked rule ids', () => {
  it('a case recorded under an unknown id is a harness error: INCOMPLETE, exit code 2', () => {
    const rec = new Recorder(new Redactor());
    rec.pass('OUT-CI-001', 'issuer.getConsumerInfo', 'known consumer');
    rec.pass('OUT-CI-999', 'issuer.getConsumerInfo', 'a typo');
    expect([...rec.unknownRules]).toEqual(['OUT-CI-999']);
    const report = reportOf(rec.list());
    expect(report.errors.join('\n')).toContain('OUT-CI-999');
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(exitCodeOf(report)).toBe(2);
    // The same results with the id fixed: no harness error.
    expect(reportOf([passed('OUT-CI-001', 'issuer.getConsumerInfo')]).errors).toEqual([]);
  });

  it('the simulator grading an unknown id (or pact results naming one) ends the same way', () => {
    const grader = new Grader();
    const g = grader.begin('d1.token');
    g.pass('IN-AUTH-999', 'a typo');
    g.commit({ request: { method: 'POST', url: 'http://127.0.0.1/x', headers: {} }, durationMs: 1 });
    const report = reportOf(grader.results(), { direction: 'issuer-as-client' });
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(exitCodeOf(report)).toBe(2);
    expect(() => ruleOf('IN-AUTH-999')).toThrow(UnknownRuleError);
  });

  it('every rule-id-shaped string literal in src, suites, contracts and fixtures is in the rulebook', () => {
    const ID = /['"`]((?:OUT|IN)-[A-Z0-9]+-\d{3})['"`]/g;
    const unknown: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (/\.(ts|mts|js|mjs|json)$/.test(name)) {
          for (const m of readFileSync(path, 'utf8').matchAll(ID)) if (ruleById(m[1] ?? '') === undefined) unknown.push(`${path.slice(root.length)}: ${m[1]}`);
        }
      }
    };
    for (const dir of ['src', 'suites', 'contracts', 'fixtures']) walk(join(root, dir));
    expect(unknown).toEqual([]);
  });
});

describe('statusOfBreach: level, tolerance, policies', () => {
  it('an expected status is rule data: another status is a deviation named by it, a status class matches it', () => {
    // Token endpoint: 400 documented; 401 accepted only under tokenMissingAuthStatus=400-or-401 (OUT-AUTH-007).
    expect(statusOfBreach('OUT-AUTH-007', { tokenMissingAuthStatus: '400-or-401' }, '401')).toBe('IGNORED');
    expect(statusOfBreach('OUT-AUTH-007', { tokenMissingAuthStatus: '400' }, '401')).toBe('FAILED');
    expect(statusOfBreach('OUT-AUTH-007', { tokenMissingAuthStatus: '400-or-401' }, '200')).toBe('FAILED');
    // grant_type missing: 400 only, whatever the policy.
    expect(statusOfBreach('OUT-AUTH-009', { tokenMissingAuthStatus: '400-or-401' }, '401')).toBe('FAILED');
    // Unknown authenticationId: 404 documented; `4xx` accepts any 4xx under any-4xx, never a 5xx.
    expect(statusOfBreach('OUT-AUTHN-003', { unknownAuthenticationIdStatus: 'any-4xx' }, '410')).toBe('IGNORED');
    expect(statusOfBreach('OUT-AUTHN-003', { unknownAuthenticationIdStatus: 'any-4xx' }, '500')).toBe('FAILED');
    expect(statusOfBreach('OUT-AUTHN-003', { unknownAuthenticationIdStatus: '404' }, '410')).toBe('FAILED');
    // invalidRequestStatus, derived for every rule naming it.
    expect(statusOfBreach('OUT-CI-008', { invalidRequestStatus: 'any-4xx' }, '404')).toBe('IGNORED');
    expect(statusOfBreach('OUT-CI-008', { invalidRequestStatus: '400' }, '404')).toBe('FAILED');
    // Deliver OTP: seed 004 documents exactly 400, so no other 4xx is tolerated whatever invalidRequestStatus says.
    expect(statusOfBreach('OUT-OTP-002', { invalidRequestStatus: 'any-4xx', invalidRequestHandling: 'reject' }, '404')).toBe('FAILED');
    expect(statusOfBreach('OUT-OTP-002', { invalidRequestHandling: 'warn' }, 'accepted-missing-required')).toBe('WARNING');
  });

  it('a MUST or POLICY breach fails, a SHOULD warns', () => {
    expect(statusOfBreach('OUT-CI-001')).toBe('FAILED');
    expect(statusOfBreach('OUT-GEN-003')).toBe('FAILED');
    expect(statusOfBreach('OUT-CI-022')).toBe('WARNING');
  });

  it('OUT-GEN-003 answered 403 is a warning under unauthorizedStatus=401-or-403, a failure under 401', () => {
    expect(statusOfBreach('OUT-GEN-003', { unauthorizedStatus: '401-or-403' }, '403')).toBe('WARNING');
    expect(statusOfBreach('OUT-GEN-003', { unauthorizedStatus: '401' }, '403')).toBe('FAILED');
    expect(statusOfBreach('OUT-GEN-003', { unauthorizedStatus: '401-or-403' }, '500')).toBe('FAILED');
  });

  it('OUT-CI-020 follows unknownResponseFields: ignore, warn, fail', () => {
    expect(statusOfBreach('OUT-CI-020', { unknownResponseFields: 'ignore' })).toBe('IGNORED');
    expect(statusOfBreach('OUT-CI-020', { unknownResponseFields: 'warn' })).toBe('WARNING');
    expect(statusOfBreach('OUT-CI-020', { unknownResponseFields: 'fail' })).toBe('FAILED');
  });

  it('OUT-AUTH-004: a number expires_in (the advice) warns, and fails under expiresInType=string', () => {
    expect(statusOfBreach('OUT-AUTH-004', { expiresInType: 'string-or-number' }, 'advice')).toBe('WARNING');
    expect(statusOfBreach('OUT-AUTH-004', { expiresInType: 'string' }, 'advice')).toBe('FAILED');
    expect(statusOfBreach('OUT-AUTH-004', { expiresInType: 'string-or-number' })).toBe('FAILED');
  });

  it('Recorder.check lets the rule decide: OUT-ID-003 (MUST, seed 002 "must not") fails, a SHOULD warns', () => {
    const rec = new Recorder(new Redactor());
    rec.check(false, 'OUT-ID-003', 'issuer.getConsumerInfo', 'configured cardId', () => ({ message: 'derived' }));
    rec.check(false, 'OUT-AUTH-015', 'issuer.token', 'secret echoed', () => ({ message: 'echo' }));
    expect(rec.list().map((r) => [r.ruleId, r.status])).toEqual([
      ['OUT-ID-003', 'FAILED'],
      ['OUT-AUTH-015', 'WARNING'],
    ]);
  });

  it('Recorder.breach asks the verdict module and records nothing when a policy ignores the breach', () => {
    const rec = new Recorder(new Redactor());
    expect(rec.breach('OUT-GEN-003', 'issuer.deliverOtp', 'no token', { message: 'got 403' }, { deviation: '403' })).toBe('WARNING');
    expect(rec.breach('OUT-CI-020', 'issuer.getConsumerInfo', 'extra field', { message: 'x' }, { policies: { unknownResponseFields: 'ignore' } })).toBe(
      'IGNORED',
    );
    expect(rec.list().map((r) => [r.ruleId, r.status])).toEqual([['OUT-GEN-003', 'WARNING']]);
  });
});

describe('applicability and who is judged, from rule data', () => {
  it('IN-AUTH-012 is NOT_APPLICABLE without an assertion audience, even when its cases passed', () => {
    const rule = ruleOf('IN-AUTH-012');
    expect(notApplicableReason(rule, { policies: { assertionAudience: null } })).toContain('assertionAudience');
    expect(notApplicableReason(rule, { policies: { assertionAudience: 'https://d1.example' } })).toBeUndefined();
    const input = {
      baseUrl: 'http://127.0.0.1:1',
      issuerId: 'ISSUER0001',
      reference: false,
      command: 'x',
      startedAt: new Date(0),
      finishedAt: new Date(1),
      profiles: [],
      faults: false,
      configuration: {},
      results: [passed('IN-AUTH-012', 'd1.token'), passed('IN-AUTH-001', 'd1.token')],
      errors: [],
      waivers: [],
      failOn: 'must' as const,
    };
    const off = clientReport({ ...input, policies: DEFAULT_POLICIES }).rules.find((r) => r.ruleId === 'IN-AUTH-012');
    expect(off?.status).toBe('NOT_APPLICABLE');
    const on = clientReport({ ...input, policies: { ...DEFAULT_POLICIES, assertionAudience: 'https://d1.example' } }).rules.find(
      (r) => r.ruleId === 'IN-AUTH-012',
    );
    expect(on?.status).toBe('PASSED');
    const fault = clientReport({ ...input, policies: DEFAULT_POLICIES }).rules.find((r) => r.ruleId === 'IN-RES-003');
    expect(fault?.status).toBe('NOT_APPLICABLE');
    expect(fault?.reason).toContain('--faults');
  });

  it("simulator self-checks are never in the issuer's pass count; a failed one is a harness error", () => {
    const selfChecks = RULES.filter((r) => r.judges === 'simulator').map((r) => r.id);
    expect(selfChecks.sort()).toEqual(['IN-AUTH-017', 'IN-CARD-007', 'IN-CON-015', 'IN-ERR-001']);
    const ok = reportOf([passed('IN-AUTH-017', 'd1.token'), passed('IN-AUTH-001', 'd1.token')], { direction: 'issuer-as-client' });
    expect(ok.rules.find((r) => r.ruleId === 'IN-AUTH-017')?.status).toBe('NOT_APPLICABLE');
    expect(ok.rules.find((r) => r.ruleId === 'IN-AUTH-017')?.reason).toContain('simulator self-check');
    const broken = reportOf([failed('IN-AUTH-017', 'd1.token'), passed('IN-AUTH-001', 'd1.token')], { direction: 'issuer-as-client' });
    expect(broken.summary.verdict).toBe('INCOMPLETE');
    expect(broken.errors.join('\n')).toContain('IN-AUTH-017');
  });

  it('informational rules (IN-CON-016, IN-CARD-004, IN-HDR-004) never count as passes', () => {
    const report = reportOf([passed('IN-HDR-004', 'd1.registerConsumer'), passed('IN-AUTH-005', 'd1.token')], { direction: 'issuer-as-client' });
    const r = report.rules.find((x) => x.ruleId === 'IN-HDR-004');
    expect(r?.status).toBe('NOT_APPLICABLE');
    expect(r?.reason).toMatch(/^informational: /);
    for (const id of ['IN-CON-016', 'IN-CARD-004', 'IN-HDR-004']) expect(ruleOf(id).outcome.class, id).toBe('informational');
    // OUT-ID-005 has a real check now (consumer A asked with B's card never gets B's data): it can fail.
    expect(ruleOf('OUT-ID-005').outcome.class).toBe('can-fail');
    expect(ruleOf('IN-COMPAT-001').outcome.class).toBe('warning-only');
    expect(ruleOf('OUT-ID-003').level).toBe('MUST');
  });
});

describe('endpoint gating: one dead endpoint is one finding', () => {
  const OTP = 'issuer.deliverOtp';
  const negatives = ['OUT-OTP-002', 'OUT-OTP-007', 'OUT-OTP-008', 'OUT-GEN-023', 'OUT-CI-007'];

  it('refusals on an endpoint whose valid request failed are not passes: SKIPPED, linked to the positive rule', () => {
    const results = [failed('OUT-OTP-001', OTP), ...negatives.map((id) => passed(id, OTP)), failed('OUT-CI-006', OTP)];
    const rules = aggregateRules(RULES, results, 'issuer-as-server', []);
    const byId = new Map(rules.map((r) => [r.ruleId, r]));
    expect(byId.get('OUT-OTP-001')?.status).toBe('FAILED');
    for (const id of [...negatives, 'OUT-CI-006']) {
      expect(byId.get(id)?.status, id).toBe('SKIPPED');
      expect(byId.get(id)?.rootCause, id).toBe('OUT-OTP-001');
      expect(byId.get(id)?.reason, id).toContain('never answered a valid request successfully (see OUT-OTP-001)');
    }
    expect(rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['OUT-OTP-001']);
  });

  it('the same refusals count when a valid request succeeded, and on other endpoints', () => {
    const results = [passed('OUT-OTP-001', OTP), ...negatives.map((id) => passed(id, OTP)), failed('OUT-OTP-002', OTP)];
    const rules = new Map(aggregateRules(RULES, results, 'issuer-as-server', []).map((r) => [r.ruleId, r]));
    expect(rules.get('OUT-OTP-002')?.status).toBe('FAILED');
    expect(rules.get('OUT-OTP-007')?.status).toBe('PASSED');
    // OUT-CI-007 spans endpoints: cases on a dead one drop out, the others still count.
    const mixed = gateDeadEndpoints(RULES, [
      failed('OUT-OTP-001', OTP),
      passed('OUT-CI-007', OTP),
      passed('OUT-CI-001', 'issuer.getConsumerInfo'),
      passed('OUT-CI-007', 'issuer.getConsumerInfo'),
    ]);
    expect(mixed.filter((c) => c.ruleId === 'OUT-CI-007').map((c) => [c.endpoint, c.status])).toEqual([
      [OTP, 'SKIPPED'],
      ['issuer.getConsumerInfo', 'PASSED'],
    ]);
  });

  it('hygiene results stand on a dead endpoint; a positive rule that never ran is NOT TESTED, not a pass', () => {
    const gated = gateDeadEndpoints(RULES, [passed('OUT-OTP-002', OTP), failed('OUT-GEN-020', OTP)]);
    expect(gated.find((c) => c.ruleId === 'OUT-GEN-020')?.status).toBe('FAILED');
    expect(gated.find((c) => c.ruleId === 'OUT-OTP-002')?.status).toBe('SKIPPED');
    const root = gated.find((c) => c.ruleId === 'OUT-OTP-001');
    expect(root?.status).toBe('SKIPPED');
    expect(root?.message).toMatch(/^NOT TESTED: no valid request to issuer.deliverOtp/);
  });
});
