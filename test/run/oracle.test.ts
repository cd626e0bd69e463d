import { describe, expect, it } from 'vitest';
import { getConsumerInfoNotFound } from '../../contracts/issuer-api/consumer-info.js';
import { inspectResponse } from '../../src/server-side/harness/oracle.js';
import { Recorder } from '../../src/core/results/recorder.js';
import type { Exchange } from '../../src/core/http/client.js';
import { Redactor } from '../../src/core/redact/redactor.js';
import { checkMessage } from '../../src/core/rulebook/check.js';

/**
 * The checks every response gets, proved both ways on hand-made exchanges: a 200 with an error
 * payload on Get Consumer Information fails OUT-CI-005; OUT-GEN-008 follows seed 004's error schema
 * (no required list); a Luhn-valid phone number where a phone number belongs is not a clear PAN.
 */

const JSON_TYPE = { 'content-type': 'application/json' };

function statuses(endpoint: string, status: number, body: string, headers: Record<string, string> = JSON_TYPE): Record<string, string[]> {
  const rec = new Recorder(new Redactor());
  const exchange: Exchange = {
    request: { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} },
    response: { status, headers, body, truncated: false },
    durationMs: 1,
  };
  inspectResponse(rec, exchange, endpoint, { slowAfterMs: 5_000 });
  const out: Record<string, string[]> = {};
  for (const r of rec.list()) (out[r.ruleId] ??= []).push(r.status);
  return out;
}

const GCI = 'issuer.getConsumerInfo';

describe('OUT-CI-005: never a success status with an error payload', () => {
  it.each([
    [200, '{"error":"upstream failed"}'],
    [200, '{"error":{"code":"E1"}}'],
    [201, '{"error":"x"}'],
  ])('a %i with %s fails', (status, body) => {
    expect(statuses(GCI, status, body)['OUT-CI-005']).toEqual(['FAILED']);
  });

  it('a 200 consumerInfo and a 500 {"error"} pass', () => {
    expect(statuses(GCI, 200, '{"firstName":"A","lastName":"B"}')['OUT-CI-005']).toEqual(['PASSED']);
    expect(statuses(GCI, 500, '{"error":"x"}')['OUT-CI-005']).toEqual(['PASSED']);
  });
});

describe('OUT-GEN-008 follows seed 004 error schema (no required list)', () => {
  it('a JSON object without error is a warning, never a failure', () => {
    expect(statuses(GCI, 404, '{"message":"not found"}')['OUT-GEN-008']).toEqual(['PASSED', 'WARNING']);
    expect(checkMessage(getConsumerInfoNotFound, { message: 'not found' }).violations).toEqual([]);
    expect(checkMessage(getConsumerInfoNotFound, { error: 'not found' }).violations).toEqual([]);
  });

  it('{"error": string} passes', () => {
    expect(statuses('issuer.deliverOtp', 400, '{"error":"bad"}')['OUT-GEN-008']).toEqual(['PASSED']);
  });

  it.each([
    ['issuer.authenticate', 404, 'Not Found', { 'content-type': 'text/plain' }],
    ['issuer.deliverOtp', 400, '["bad"]', JSON_TYPE],
    [GCI, 500, '{"error":42}', JSON_TYPE],
  ])('%s %i %s (documented as JSON by seed 004) fails', (endpoint, status, body, headers) => {
    expect(statuses(endpoint, status, body, headers)['OUT-GEN-008']).toEqual(['FAILED']);
  });

  it('a non-JSON body where seed 004 documents none (token endpoint, an unlisted status) is a warning', () => {
    expect(statuses('issuer.token', 400, 'bad request', { 'content-type': 'text/plain' })['OUT-GEN-008']).toEqual(['WARNING']);
    expect(statuses(GCI, 400, 'bad request', { 'content-type': 'text/plain' })['OUT-GEN-008']).toEqual(['WARNING']);
  });
});

describe('OUT-GEN-020: a Luhn-valid phone number is not a clear PAN', () => {
  it('a 14-digit Luhn-valid phoneNumber in consumerInfo passes', () => {
    const body = JSON.stringify({ firstName: 'A', lastName: 'B', mobilePhoneNumber: { countryCode: '+44', phoneNumber: '77009001234565' } });
    expect(statuses(GCI, 200, body)['OUT-GEN-020']).toEqual(['PASSED']);
  });

  it('a PAN elsewhere in the same body still fails', () => {
    const body = JSON.stringify({
      firstName: 'A',
      lastName: 'B',
      note: '4111111111111111',
      mobilePhoneNumber: { countryCode: '+44', phoneNumber: '77009001234565' },
    });
    expect(statuses(GCI, 200, body)['OUT-GEN-020']).toEqual(['FAILED']);
  });

  it('the same 14 digits outside a phone context fail', () => {
    expect(statuses(GCI, 200, JSON.stringify({ firstName: 'A', lastName: 'B', reference: '77009001234565' }))['OUT-GEN-020']).toEqual(['FAILED']);
  });
});
