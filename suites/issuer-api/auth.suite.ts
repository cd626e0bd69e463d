import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { DOCUMENTED_CONSUMER_INFO_KEYS } from '../../contracts/shared/consumer-info.js';
import type { Exchange } from '../../src/core/http/client.js';
import { isRecord, parseJson } from '../../src/core/util/json.js';
import { API_REQUESTS, readyRequest } from './requests.js';

/** Auth enforcement on every issuer API (OUT-GEN-003, OUT-GEN-004, OUT-AUTH-014) and the open door (OUT-GEN-026). */

const GCI = 'issuer.getConsumerInfo';
const OPEN_DOOR = 'no Authorization header';

/** A 2xx whose body is a JSON object carrying any documented consumerInfo field: personal data. */
function servesPersonalData(exchange: Exchange): boolean {
  const res = exchange.response;
  if (!res || res.status < 200 || res.status >= 300) return false;
  const json = parseJson(res.body);
  return json.ok && isRecord(json.value) && DOCUMENTED_CONSUMER_INFO_KEYS.some((k) => isRecord(json.value) && json.value[k] !== undefined);
}

const openDoor = (exchange: Exchange) => () => ({
  message: `answered ${String(exchange.response?.status)} with personal data (consumerInfo) to a call that carried no Authorization header`,
  expected: 'a refusal: D1 always sends a bearer token (seed 004 security bearerAuth), so an endpoint that serves anyone without one is an open door',
  actual: `${String(exchange.response?.status)} with a consumerInfo body`,
  exchange,
});

describe('bearer token enforcement on every issuer API', () => {
  for (const { endpoint, msg, success } of API_REQUESTS) {
    conformanceTest(`${endpoint}: refuses a call without a valid token and accepts a valid one`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      if (!kit.session.oauth) {
        for (const id of ['OUT-GEN-003', 'OUT-GEN-004', 'OUT-AUTH-014'])
          kit.rec.skip(id, endpoint, 'token enforcement', 'outbound OAuth is off (auth.mode none)');
        // Without OAuth every call carries no Authorization: personal data served to it is served to anyone.
        if (endpoint === GCI) {
          const exchange = await kit.send(endpoint, await readyRequest(kit, endpoint, msg), { auth: 'none' });
          kit.rec.check(!servesPersonalData(exchange), 'OUT-GEN-026', endpoint, OPEN_DOOR, openDoor(exchange));
        }
        return;
      }
      const value = await readyRequest(kit, endpoint, msg);
      const bare = await kit.send(endpoint, value, { auth: 'none' });
      kit.expectUnauthorized(bare, 'OUT-GEN-003', endpoint, OPEN_DOOR);
      if (endpoint === GCI) {
        // With OAuth on, an open door is OUT-GEN-003's finding: named once, not twice.
        if (servesPersonalData(bare)) kit.rec.skip('OUT-GEN-026', endpoint, OPEN_DOOR, 'judged as OUT-GEN-003 (outbound OAuth is on)');
        else kit.rec.pass('OUT-GEN-026', endpoint, OPEN_DOOR);
      }
      for (const [name, header] of [
        ['garbage bearer token', 'Bearer garbage-token-0000'],
        ['forged JWT', 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJkMSJ9.'],
        ['Basic instead of Bearer', 'Basic ZDE6c2VjcmV0'],
        ['Bearer without a token', 'Bearer'],
      ] as const) {
        kit.expectUnauthorized(await kit.send(endpoint, value, { auth: header }), 'OUT-GEN-004', endpoint, name);
      }
      // Acceptance, not the exact success status (that is each API's own rule).
      kit.expectStatus(
        await kit.send(endpoint, await readyRequest(kit, endpoint, msg)),
        'OUT-AUTH-014',
        endpoint,
        'valid token',
        (s) => s >= 200 && s < 300,
        `a 2xx (documented: ${success})`,
      );
    });
  }
});
