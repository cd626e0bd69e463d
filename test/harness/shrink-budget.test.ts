import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES } from '../../contracts/policies.js';
import { Recorder } from '../../src/core/results/recorder.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { Kit } from '../../src/server-side/harness/kit.js';
import type { Session } from '../../src/server-side/harness/session.js';

/**
 * Shrinking is a number of calls, per property and per run: a target that fails everything costs
 * a bounded number of calls, the failure is still reported (with its seed and path), and the same
 * seed gives the same counterexample.
 */

function session(shrinkCallsLeft: number): Session {
  const redactor = new Redactor();
  return { seed: 42, redactor, shrinkCallsLeft, config: { policies: DEFAULT_POLICIES, cases: { propertyRuns: 8 } } } as unknown as Session;
}

/** A property over long strings whose every value fails (as against a badly broken target); counts the calls and the values generated. */
async function failingProperty(s: Session): Promise<{ calls: number; generated: number; rec: Recorder }> {
  const rec = new Recorder(s.redactor);
  let calls = 0;
  let generated = 0;
  await new Kit(s, rec).property(
    'every value fails',
    fc.string({ minLength: 40, maxLength: 60 }).map((v) => (generated++, v)),
    (value, r) => {
      calls++;
      r.fail('OUT-CI-001', 'issuer.getConsumerInfo', 'always', { message: `failed on a ${String(value.length)}-character value` });
      return Promise.resolve();
    },
    'OUT-CI-001',
    'issuer.getConsumerInfo',
  );
  return { calls, generated, rec };
}

describe('the shrinking budget', () => {
  it('bounds the calls of one failing property, and still reports the failure with its seed and path', async () => {
    const { calls, rec } = await failingProperty(session(400));
    // The first failing run, at most 30 shrinking calls, one replay of the smallest failure.
    expect(calls).toBeGreaterThan(2);
    expect(calls).toBeLessThanOrEqual(1 + 30 + 1);
    const failed = rec.list().filter((r) => r.status === 'FAILED');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.seed).toBe(42);
    expect(failed[0]?.counterexamplePath).toBeTruthy();
  });

  it('stops generating candidates once the budget is spent (skipping them one by one cost thousands of values per property)', async () => {
    const { calls, generated } = await failingProperty(session(400));
    // Each call is one generated value; the shrinker stops at the first candidate past the budget.
    expect(generated).toBeLessThanOrEqual(calls + 1);
  });

  it('spends what is left of the run budget, then reports failures as first found', async () => {
    const s = session(5);
    const first = await failingProperty(s);
    expect(first.calls).toBeLessThanOrEqual(1 + 5 + 1);
    const second = await failingProperty(s);
    expect(second.calls).toBe(2); // the failing run and its replay: no shrinking left
    expect(second.rec.list().some((r) => r.status === 'FAILED')).toBe(true);
  });

  it('gives the same counterexample for the same seed', async () => {
    const message = async () => (await failingProperty(session(400))).rec.list().find((r) => r.status === 'FAILED')?.message;
    expect(await message()).toBe(await message());
  });
});
