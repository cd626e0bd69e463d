import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { deliverOtpRequest } from '../../contracts/issuer-api/deliver-otp.js';
import { notifyConsumerOperationRequest } from '../../contracts/issuer-api/notify-consumer.js';
import { unknownConsumerId } from '../../src/server-side/harness/test-data.js';
import { requestArb, sampleRequest } from './requests.js';

/** E6 Notify Consumer Operation and E3 Deliver OTP: 204 with an empty body (seed 004; OUT-NCO-*, OUT-OTP-*). */

const N = 'issuer.notifyConsumerOperation';
const O = 'issuer.deliverOtp';

describe('Notify Consumer Operation and Deliver OTP (seed 004)', () => {
  conformanceTest('Notify Consumer Operation accepts every generated valid notification with 204', async (kit) => {
    if (!kit.inScope(N)) return;
    await kit.property(
      'generated valid notification',
      requestArb(kit, notifyConsumerOperationRequest),
      async (value, rec) => {
        kit.expectSuccess(await kit.send(N, value, {}, rec), 'OUT-NCO-001', N, 'generated valid notification', 204, rec);
      },
      'OUT-NCO-001',
      N,
    );
  });

  conformanceTest('the same notification sent twice is acknowledged twice', async (kit) => {
    if (!kit.inScope(N)) return;
    const value = sampleRequest(kit, notifyConsumerOperationRequest);
    const first = await kit.send(N, value);
    const second = await kit.send(N, value);
    kit.rec.check(
      first.response?.status === second.response?.status && (second.response?.status ?? 0) < 300,
      'OUT-NCO-002',
      N,
      'same operationId twice',
      () => ({
        message: `first ${first.response?.status ?? 'no response'}, then ${second.response?.status ?? 'no response'}`,
        expected: 'the same 2xx both times',
        exchange: second,
      }),
    );
  });

  conformanceTest('Deliver OTP accepts every generated valid request with 204', async (kit) => {
    if (!kit.inScope(O)) return;
    await kit.property(
      'generated valid Deliver OTP',
      requestArb(kit, deliverOtpRequest),
      async (value, rec) => {
        kit.expectSuccess(await kit.send(O, value, {}, rec), 'OUT-OTP-001', O, 'generated valid request', 204, rec);
      },
      'OUT-OTP-001',
      O,
    );
  });

  conformanceTest('Deliver OTP: a malformed or empty body never gets a 5xx (400 under policy reject), an unknown consumer gets 404', async (kit) => {
    if (!kit.inScope(O)) return;
    const value = sampleRequest(kit, deliverOtpRequest);
    for (const [name, rawBody] of [
      ['malformed JSON', '{"otp": {"value": '],
      ['empty body', ''],
    ] as const) {
      const exchange = await kit.send(O, value, { rawBody });
      // Robustness is everyone's; under invalidRequestHandling=reject the refusal is exactly 400, as seed 004
      // documents (OUT-OTP-002 names no invalidRequestStatus, so no other 4xx is tolerated).
      kit.expectInvalidHandled(exchange, 'OUT-OTP-002', O, name, 'missing-required');
    }
    const unknown = { ...value, path: { issuerId: kit.session.issuerId, consumerId: unknownConsumerId(kit.session.config) } };
    kit.expectStatus(await kit.send(O, unknown), 'OUT-OTP-003', O, 'unknown consumerId', [404], '404');
  });
});
