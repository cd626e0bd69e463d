import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyWaivers, loadWaivers, type Waiver } from '../../src/core/results/waivers.js';
import { summarize } from '../../src/core/results/aggregate.js';
import type { CaseResult, RuleResult } from '../../src/core/results/model.js';

const rule = (ruleId: string, status: RuleResult['status']): RuleResult => ({ ruleId, title: ruleId, level: 'MUST', kind: 'schema', endpoints: ['issuer.getConsumerInfo'], source: 'test', status, checks: 1, failures: status === 'FAILED' ? 1 : 0 });
const failure = (ruleId: string, endpoint = 'issuer.getConsumerInfo'): CaseResult => ({ ruleId, endpoint, case: 'c', status: 'FAILED', count: 1, message: 'broken' });
const waiver = (ruleId: string, expires: string, endpoint?: string): Waiver => ({ ruleId, reason: 'fix scheduled', owner: 'team-cards', expires, ...(endpoint ? { endpoint } : {}) });

describe('waivers', () => {
  const rules = [rule('OUT-CI-009', 'FAILED'), rule('OUT-CI-011', 'PASSED')];
  const results = [failure('OUT-CI-009')];

  it('turn a covered failure into WAIVED, and the gate passes', () => {
    const out = applyWaivers(rules, results, [waiver('OUT-CI-009', '2026-12-31')], '2026-11-23');
    expect(out.rules.find((r) => r.ruleId === 'OUT-CI-009')?.status).toBe('WAIVED');
    expect(out.results[0]?.status).toBe('WAIVED');
    const summary = summarize(out.rules, out.results, { failOn: 'must', gateProblems: out.gateProblems });
    expect(summary.verdict).toBe('PASSED');
    expect(summary.certifiable).toBe(false);
  });

  it('fail the gate once expired, and leave the failure FAILED', () => {
    const out = applyWaivers(rules, results, [waiver('OUT-CI-009', '2026-11-22')], '2026-11-23');
    expect(out.rules.find((r) => r.ruleId === 'OUT-CI-009')?.status).toBe('FAILED');
    expect(out.gateProblems).toEqual(['waiver for OUT-CI-009 (owner team-cards) expired on 2026-11-22']);
    expect(summarize(out.rules, out.results, { failOn: 'must', gateProblems: out.gateProblems }).verdict).toBe('FAILED');
  });

  it('are flagged for removal when their failure is gone', () => {
    const out = applyWaivers(rules, results, [waiver('OUT-CI-011', '2026-12-31')], '2026-11-23');
    expect(out.staleWaivers[0]).toContain('OUT-CI-011');
    expect(out.staleWaivers[0]).toContain('remove the waiver');
  });

  it('waive only the endpoint they name', () => {
    const two = [failure('OUT-CI-009'), failure('OUT-CI-009', 'issuer.deliverOtp')];
    const out = applyWaivers(rules, two, [waiver('OUT-CI-009', '2026-12-31', 'issuer.deliverOtp')], '2026-11-23');
    expect(out.rules.find((r) => r.ruleId === 'OUT-CI-009')?.status).toBe('FAILED');
    expect(out.results.map((r) => r.status)).toEqual(['FAILED', 'WAIVED']);
  });

  it('load from YAML and JSON, and refuse a bad entry naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-waivers-'));
    writeFileSync(join(dir, 'w.yaml'), 'waivers:\n  - ruleId: OUT-CI-009\n    reason: fix scheduled\n    owner: team-cards\n    expires: 2026-12-31\n');
    writeFileSync(join(dir, 'w.json'), JSON.stringify([waiver('OUT-CI-009', '2026-12-31')]));
    writeFileSync(join(dir, 'bad.yaml'), '- ruleId: nope\n  reason: x\n  owner: y\n  expires: 2026-12-31\n');
    expect((await loadWaivers(join(dir, 'w.yaml')))[0]?.ruleId).toBe('OUT-CI-009');
    expect((await loadWaivers(join(dir, 'w.json')))[0]?.owner).toBe('team-cards');
    await expect(loadWaivers(join(dir, 'bad.yaml'))).rejects.toThrow(/waiver 1: ruleId must be a rule id/);
  });
});
