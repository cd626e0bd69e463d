import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICIES, type PolicySettings } from '../../contracts/policies.js';
import { Kit } from '../../src/server-side/harness/kit.js';
import { Recorder } from '../../src/core/results/recorder.js';
import type { Session } from '../../src/server-side/harness/session.js';
import type { Exchange } from '../../src/core/http/client.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { invalidCases, invalidClass } from '../../src/core/rulebook/mutate.js';
import { deliverOtpRequest } from '../../contracts/issuer-api/deliver-otp.js';

/**
 * kit.expectInvalidHandled, policy by policy: robustness (an answer, never a 5xx) is the MUST
 * under every policy; a refusal is demanded only by invalidRequestHandling=reject, and a 2xx to a
 * request missing a required field is a warning under the default `warn`.
 */

type Handling = PolicySettings['invalidRequestHandling'];

function judge(
  handling: Handling,
  cls: 'missing-required' | 'malformed',
  status: number | undefined,
  invalidRequestStatus: PolicySettings['invalidRequestStatus'] = 'any-4xx',
) {
  const session = { config: { policies: { ...DEFAULT_POLICIES, invalidRequestHandling: handling, invalidRequestStatus } } } as unknown as Session;
  const rec = new Recorder(new Redactor());
  const exchange: Exchange = {
    request: { method: 'POST', url: 'http://127.0.0.1:1/x', headers: {} },
    ...(status === undefined ? { transportError: 'socket hang up' } : { response: { status, headers: {}, body: '', truncated: false } }),
    durationMs: 1,
  };
  new Kit(session, rec).expectInvalidHandled(exchange, 'OUT-OTP-006', 'issuer.deliverOtp', 'case', cls, rec);
  const [result] = rec.list();
  return { status: result?.status, message: result?.message ?? '' };
}

describe('invalidRequestHandling', () => {
  it.each(['tolerate', 'warn', 'reject'] as const)('%s: a 5xx or no answer fails, naming the policy', (handling) => {
    for (const cls of ['missing-required', 'malformed'] as const) {
      for (const status of [500, 503, undefined]) {
        const r = judge(handling, cls, status);
        expect(r.status, `${cls} ${String(status)}`).toBe('FAILED');
        expect(r.message).toContain(`(policy invalidRequestHandling=${handling})`);
      }
    }
  });

  it('warn (default): a 2xx to a missing required field is a WARNING naming the policy; other answers pass', () => {
    expect(DEFAULT_POLICIES.invalidRequestHandling).toBe('warn');
    const warned = judge('warn', 'missing-required', 204);
    expect(warned.status).toBe('WARNING');
    expect(warned.message).toContain('(policy invalidRequestHandling=warn)');
    expect(judge('warn', 'malformed', 204).status).toBe('PASSED');
    expect(judge('warn', 'missing-required', 400).status).toBe('PASSED');
    expect(judge('warn', 'malformed', 404).status).toBe('PASSED');
  });

  it('tolerate: any answer but a 5xx passes', () => {
    for (const status of [200, 204, 400, 404, 422]) {
      expect(judge('tolerate', 'missing-required', status).status).toBe('PASSED');
      expect(judge('tolerate', 'malformed', status).status).toBe('PASSED');
    }
  });

  it('reject: a 2xx fails for every class; the refusal status follows invalidRequestStatus', () => {
    for (const cls of ['missing-required', 'malformed'] as const) {
      const accepted = judge('reject', cls, 204);
      expect(accepted.status).toBe('FAILED');
      expect(accepted.message).toContain('invalidRequestHandling=reject');
      expect(judge('reject', cls, 422).status).toBe('PASSED');
      expect(judge('reject', cls, 422, '400').status).toBe('FAILED');
      expect(judge('reject', cls, 400, '400').status).toBe('PASSED');
    }
  });
});

describe('invalidClass', () => {
  it("classes what D1's change policy lets D1 send as tolerable, absences as missing-required, the rest as malformed", () => {
    expect(invalidClass('not-in-enum')).toBe('tolerable');
    expect(invalidClass('extra-property')).toBe('tolerable');
    expect(invalidClass('missing')).toBe('missing-required');
    expect(invalidClass('wrong-type')).toBe('malformed');
    expect(invalidClass('wrong-case')).toBe('malformed');
    const byClass = new Map(invalidCases(deliverOtpRequest).map((c) => [`${c.path} ${c.mutation}`, c.class]));
    expect(byClass.get('body.panSuffix missing')).toBe('missing-required');
    expect(byClass.get('body.panSuffix too-long')).toBe('malformed');
    expect(byClass.get('body.deliveryChannel not-in-enum')).toBe('tolerable');
    expect(byClass.get('body.deviceInformation extra-property')).toBe('tolerable');
  });
});
