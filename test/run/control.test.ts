import { DEFAULT_POLICIES } from '../../contracts/policies.js';
import { describe, expect, it } from 'vitest';
import { expectAcceptedAgainstControl } from '../../src/server-side/harness/control.js';
import { Kit } from '../../src/server-side/harness/kit.js';
import { Recorder } from '../../src/core/results/recorder.js';
import type { Session } from '../../src/server-side/harness/session.js';
import type { Exchange } from '../../src/core/http/client.js';
import { Redactor } from '../../src/core/redact/redactor.js';

/**
 * "X is accepted" counts only against a control: an upstream 400 on every request is the
 * endpoint's finding, not OUT-GEN-005's ("no x-correlation-id"); a variation that alone fails is X's.
 */

const answer = (status: number): Exchange => ({
  request: { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} },
  response: { status, headers: {}, body: '', truncated: false },
  durationMs: 1,
});

function judge(variation: number, control: number) {
  const rec = new Recorder(new Redactor());
  // expectStatus reads the recorder and the run's policies (for the verdict module); nothing else of the session.
  const kit = new Kit({ config: { policies: DEFAULT_POLICIES } } as unknown as Session, rec);
  expectAcceptedAgainstControl(kit, {
    variation: answer(variation),
    control: answer(control),
    ruleId: 'OUT-GEN-005',
    endpoint: 'issuer.getConsumerInfo',
    name: 'no x-correlation-id',
    what: 'the missing x-correlation-id',
    accepted: (s) => s === 200,
    expected: '200',
  });
  return rec.list().map((r) => [r.status, r.message ?? '']);
}

describe('expectAcceptedAgainstControl', () => {
  it('the control fails too: SKIPPED, the finding belongs to the endpoint', () => {
    const [[status, message] = []] = judge(400, 400);
    expect(status).toBe('SKIPPED');
    expect(message).toContain('the same request without the missing x-correlation-id failed too (got 400)');
  });

  it('only the variation fails: FAILED under the rule of the variation', () => {
    expect(judge(400, 200).map(([s]) => s)).toEqual(['FAILED']);
  });

  it('both accepted: PASSED', () => {
    expect(judge(200, 200).map(([s]) => s)).toEqual(['PASSED']);
  });
});
