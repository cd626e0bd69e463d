import { describe, expect, it } from 'vitest';
import { message } from '../../contracts/index.js';
import { checkMessage } from '../../src/core/rulebook/check.js';
import { SPEC_EXAMPLES } from '../../fixtures/spec-examples/index.js';

describe("D1's own examples", () => {
  it.each(SPEC_EXAMPLES.map((e) => [`${e.messageId}: ${e.source}`, e] as const))('%s is accepted', (_name, example) => {
    const result = checkMessage(message(example.messageId), example.value);
    expect(result.ok).toBe(true);
    expect(result.violations.map((v) => v.ruleId)).toEqual([...(example.expectedWarnings ?? [])]);
  });

  it('a click-to-pay consumer without phone, email or address is refused under that profile only', () => {
    const msg = message('issuer.getConsumerInfo.response.200');
    const minimal = { language: 'en-US', firstName: 'John', lastName: 'Smith' };
    expect(checkMessage(msg, minimal).ok).toBe(true);
    const ids = checkMessage(msg, minimal, { profiles: ['click-to-pay'] }).violations.map((v) => v.ruleId);
    expect([...new Set(ids)].sort()).toEqual(['OUT-CI-018', 'OUT-CI-041']);
  });
});
