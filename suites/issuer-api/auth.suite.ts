import { describe } from 'vitest';
import { conformanceTest } from '../../src/harness/conformance-test.js';
import { API_REQUESTS, readyRequest } from './requests.js';

/** Auth enforcement on every issuer API (OUT-GEN-003, OUT-GEN-004, OUT-AUTH-014). */

describe('bearer token enforcement on every issuer API', () => {
  for (const { endpoint, msg, success } of API_REQUESTS) {
    conformanceTest(`${endpoint}: refuses a call without a valid token and accepts a valid one`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      if (!kit.session.oauth) {
        for (const id of ['OUT-GEN-003', 'OUT-GEN-004', 'OUT-AUTH-014']) kit.rec.skip(id, endpoint, 'token enforcement', 'outbound OAuth is off (auth.mode none)');
        return;
      }
      const value = await readyRequest(kit, endpoint, msg);
      kit.expectUnauthorized(await kit.send(endpoint, value, { auth: 'none' }), 'OUT-GEN-003', endpoint, 'no Authorization header');
      for (const [name, header] of [
        ['garbage bearer token', 'Bearer garbage-token-0000'],
        ['forged JWT', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJkMSJ9.'],
        ['Basic instead of Bearer', 'Basic ZDE6c2VjcmV0'],
        ['Bearer without a token', 'Bearer'],
      ] as const) {
        kit.expectUnauthorized(await kit.send(endpoint, value, { auth: header }), 'OUT-GEN-004', endpoint, name);
      }
      // Acceptance, not the exact success status (that is each API's own rule).
      kit.expectStatus(await kit.send(endpoint, await readyRequest(kit, endpoint, msg)), 'OUT-AUTH-014', endpoint, 'valid token', (s) => s >= 200 && s < 300, `a 2xx (documented: ${success})`);
    });
  }
});
