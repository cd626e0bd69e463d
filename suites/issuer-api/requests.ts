import fc from 'fast-check';
import type { EndpointId } from '../../contracts/endpoints.js';
import { authenticateRequest, getAuthenticationResultRequest } from '../../contracts/issuer-api/authentication.js';
import { getConsumerInfoRequest } from '../../contracts/issuer-api/consumer-info.js';
import { deliverOtpRequest } from '../../contracts/issuer-api/deliver-otp.js';
import { notifyConsumerOperationRequest } from '../../contracts/issuer-api/notify-consumer.js';
import type { Kit } from '../../src/server-side/harness/kit.js';
import type { RequestValue } from '../../src/server-side/harness/session.js';
import { instantiate, primaryConsumer } from '../../src/server-side/harness/test-data.js';
import { messageArb, type GenerateOptions } from '../../src/core/rulebook/generate.js';
import type { MessageDef } from '../../src/core/rulebook/message.js';

/** The request contract of each issuer API the suites call (the token endpoint has its own suite). */
export const API_REQUESTS: readonly { endpoint: EndpointId; msg: MessageDef; success: number; successRule: string }[] = [
  { endpoint: 'issuer.getConsumerInfo', msg: getConsumerInfoRequest, success: 200, successRule: 'OUT-CI-001' },
  { endpoint: 'issuer.authenticate', msg: authenticateRequest, success: 200, successRule: 'OUT-AUTHN-001' },
  { endpoint: 'issuer.getAuthenticationResult', msg: getAuthenticationResultRequest, success: 200, successRule: 'OUT-AUTHN-002' },
  { endpoint: 'issuer.notifyConsumerOperation', msg: notifyConsumerOperationRequest, success: 204, successRule: 'OUT-NCO-001' },
  { endpoint: 'issuer.deliverOtp', msg: deliverOtpRequest, success: 204, successRule: 'OUT-OTP-001' },
];

/** One deterministic valid request (every optional field present) for the known consumer, under the run's rulebook. */
export function sampleRequest(kit: Kit, msg: MessageDef, options: GenerateOptions = { optional: 'all' }): RequestValue {
  const [value] = fc.sample(messageArb(kit.session.effective(msg), options), { seed: kit.session.seed, numRuns: 1 });
  return instantiate(value, kit.session.config, primaryConsumer(kit.session.config));
}

/** Generated valid requests for the known consumer, under the run's rulebook, as a fast-check arbitrary (shrinkable). */
export function requestArb(kit: Kit, msg: MessageDef, options: GenerateOptions = {}): fc.Arbitrary<RequestValue> {
  const consumer = primaryConsumer(kit.session.config);
  return messageArb(kit.session.effective(msg), { profiles: kit.session.config.profiles, ...options }).map((v) => instantiate(v, kit.session.config, consumer));
}

/**
 * A request that must succeed on its own: Get Authentication Result needs an authentication the
 * target knows, so it is created first with Authenticate.
 */
export async function readyRequest(kit: Kit, endpoint: EndpointId, msg: MessageDef): Promise<RequestValue> {
  const value = sampleRequest(kit, msg);
  if (endpoint !== 'issuer.getAuthenticationResult') return value;
  const authn = sampleRequest(kit, authenticateRequest);
  await kit.send('issuer.authenticate', authn);
  const authenticationId = (authn.body as { authenticationId: string }).authenticationId;
  return { ...value, path: { ...value.path, authenticationId } };
}
