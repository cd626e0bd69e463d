import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGES } from '../../contracts/index.js';
import { messageArb } from '../../src/core/rulebook/generate.js';
import { invalidCases } from '../../src/core/rulebook/mutate.js';

/** The laws every generator obeys (after fast-check's own): same seed, same values; failures shrink. */

const size = (v: unknown) => JSON.stringify(v).length;

describe.each(MESSAGES.map((m) => [m.id, m] as const))('%s generators', (_id, msg) => {
  it('are deterministic for a seed, and differ across seeds', () => {
    const a = fc.sample(messageArb(msg), { seed: 42, numRuns: 20 });
    const b = fc.sample(messageArb(msg), { seed: 42, numRuns: 20 });
    const c = fc.sample(messageArb(msg), { seed: 43, numRuns: 20 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('shrink a failing valid message to a smaller one', () => {
    let firstFailure: unknown;
    const details = fc.check(
      fc.property(messageArb(msg, { optional: 'all' }), (v) => {
        firstFailure ??= v;
        return false;
      }),
      { seed: 7, numRuns: 10 },
    );
    expect(details.failed).toBe(true);
    const shrunk = details.counterexample?.[0];
    expect(size(shrunk)).toBeLessThanOrEqual(size(firstFailure));
    // The seed and path in the report replay the exact counterexample.
    const replay = fc.check(fc.property(messageArb(msg, { optional: 'all' }), () => false), { seed: details.seed, path: details.counterexamplePath ?? '', numRuns: 10 });
    expect(replay.counterexample).toEqual(details.counterexample);
  });

  it('shrink just-invalid messages while keeping them invalid', () => {
    const c = invalidCases(msg)[0];
    if (!c) throw new Error('every message has at least one invalid case');
    const details = fc.check(fc.property(c.arb, () => false), { seed: 7, numRuns: 5 });
    expect(details.failed).toBe(true);
    expect(details.counterexample).toBeDefined();
  });
});
