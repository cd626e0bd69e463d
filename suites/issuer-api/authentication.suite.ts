import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import {
  AUTHENTICATION_FINAL_STATUSES,
  authenticateRequest,
  authenticateResponse,
  getAuthenticationResultRequest,
  getAuthenticationResultResponse,
} from '../../contracts/issuer-api/authentication.js';
import { deliverOtpRequest } from '../../contracts/issuer-api/deliver-otp.js';
import type { EndpointId } from '../../contracts/endpoints.js';
import type { MessageDef } from '../../src/core/rulebook/message.js';
import { primaryConsumer } from '../../src/server-side/harness/test-data.js';
import { scanValue } from '../../src/core/hygiene/scan.js';
import { requestArb, sampleRequest } from './requests.js';

/** E4 Authenticate and E5 Get Authentication Result (seed 004; OUT-AUTHN-*), and the 403 seed 004 gives them and Deliver OTP. */

const A = 'issuer.authenticate';
const G = 'issuer.getAuthenticationResult';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Authenticate and Get Authentication Result (seed 004)', () => {
  conformanceTest('Authenticate accepts every generated valid request with 200 and a valid body', async (kit) => {
    if (!kit.inScope(A)) return;
    await kit.property(
      'generated valid Authenticate',
      requestArb(kit, authenticateRequest),
      async (value, rec) => {
        const exchange = await kit.send(A, value, {}, rec);
        if (kit.expectStatus(exchange, 'OUT-AUTHN-001', A, 'generated valid request', [200], '200', rec))
          kit.expectBody(exchange, authenticateResponse, 'generated valid request', rec);
        rec.check(exchange.durationMs <= kit.policies.responseTimeoutMs, 'OUT-AUTHN-004', A, 'answers fast', () => ({
          message: `answered in ${Math.round(exchange.durationMs)} ms`,
          exchange,
        }));
      },
      'OUT-AUTHN-001',
      A,
    );
  });

  conformanceTest('polling Get Authentication Result reaches a final status for the same authentication', async (kit) => {
    if (!kit.inScope(G)) return;
    const consumer = primaryConsumer(kit.session.config);
    const authn = sampleRequest(kit, authenticateRequest, { optional: 'none' });
    const authenticationId = (authn.body as { authenticationId: string }).authenticationId;
    const started = await kit.send(A, authn);
    if (!kit.expectStatus(started, 'OUT-AUTHN-001', A, 'authenticate before polling', [200], '200')) return;
    const path = { issuerId: kit.session.issuerId, consumerId: consumer.consumerId, authenticationId };
    let final: string | undefined;
    for (let attempt = 0; attempt < kit.policies.authenticationPollAttempts && final === undefined; attempt++) {
      const exchange = await kit.send(G, { path, headers: {} });
      if (!kit.expectStatus(exchange, 'OUT-AUTHN-002', G, 'poll with the authenticationId sent to Authenticate', [200], '200')) return;
      const body = kit.expectBody(exchange, getAuthenticationResultResponse, 'poll') as { authenticationStatus?: string; reason?: string } | undefined;
      // No reason returned satisfies the rule; a reason must carry no personal or sensitive data.
      const leaks = body?.reason === undefined ? [] : scanValue(body.reason, {}).filter((f) => f.kind !== 'name');
      kit.rec.check(leaks.length === 0, 'OUT-AUTHN-021', G, 'reason text', () => ({
        message: `reason carries ${leaks.map((l) => l.detail).join('; ')}`,
        exchange,
      }));
      const status = body?.authenticationStatus;
      if (status !== undefined && (AUTHENTICATION_FINAL_STATUSES as readonly string[]).includes(status)) final = status;
      else await sleep(kit.policies.authenticationPollIntervalMs);
    }
    kit.rec.check(final !== undefined, 'OUT-AUTHN-022', G, 'polling budget', () => ({
      message: `no final status after ${kit.policies.authenticationPollAttempts} polls`,
      expected: `AUTHENTICATED, AUTHENTICATION_FAILED or TECHNICAL_ERROR within ${kit.policies.authenticationPollAttempts} polls (policy authenticationPollAttempts)`,
      actual: 'PENDING',
    }));
  });

  conformanceTest('an unknown authenticationId gets 404', async (kit) => {
    if (!kit.inScope(G)) return;
    const consumer = primaryConsumer(kit.session.config);
    const exchange = await kit.send(G, {
      path: { issuerId: kit.session.issuerId, consumerId: consumer.consumerId, authenticationId: '00000000-0000-4000-8000-00000000dead' },
      headers: {},
    });
    // Another 4xx is the rule's deviation: unknownAuthenticationIdStatus=any-4xx accepts it.
    kit.expectDocumentedStatus(exchange, 'OUT-AUTHN-003', G, 'unknown authenticationId', 404);
  });

  // Seed 004 documents a 403 on these three APIs, as on Get Consumer Information (OUT-CI-004): the configured invalid-state consumer gets it.
  const INVALID_STATE: readonly { endpoint: EndpointId; msg: MessageDef; ruleId: string }[] = [
    { endpoint: A, msg: authenticateRequest, ruleId: 'OUT-AUTHN-023' },
    { endpoint: G, msg: getAuthenticationResultRequest, ruleId: 'OUT-AUTHN-024' },
    { endpoint: 'issuer.deliverOtp', msg: deliverOtpRequest, ruleId: 'OUT-OTP-029' },
  ];
  for (const { endpoint, msg, ruleId } of INVALID_STATE) {
    conformanceTest(`${endpoint}: a consumer in an invalid state gets 403`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      const invalid = kit.session.config.testData.invalidStateConsumerId;
      const name = 'consumer in an invalid state';
      if (invalid === undefined) {
        kit.rec.skip(ruleId, endpoint, name, 'no such consumer configured (testData.invalidStateConsumerId)');
        return;
      }
      const value = sampleRequest(kit, msg, { optional: 'none' });
      const exchange = await kit.send(endpoint, { ...value, path: { ...value.path, consumerId: invalid } });
      kit.expectStatus(exchange, ruleId, endpoint, name, [403], '403 (seed 004)');
    });
  }
});
