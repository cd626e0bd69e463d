import type { EndpointId } from '../endpoints.js';
import { behaviour } from './define.js';

/**
 * What the issuer's backend must do when D1 calls it, beyond message shapes: status codes, auth,
 * flows, hygiene. Ids and wording from outbound.md §4 (candidate rules), sources as cited there;
 * rules added here (OUT-GEN-020..023, OUT-GEN-025, OUT-AUTHN-021/022) cite the seed or README section.
 */

const APIS: readonly EndpointId[] = [
  'issuer.getConsumerInfo',
  'issuer.authenticate',
  'issuer.getAuthenticationResult',
  'issuer.notifyConsumerOperation',
  'issuer.deliverOtp',
];
const ALL: readonly EndpointId[] = ['issuer.token', ...APIS];
const JSON_BODY_APIS: readonly EndpointId[] = ['issuer.authenticate', 'issuer.notifyConsumerOperation', 'issuer.deliverOtp'];
const server = (spec: Parameters<typeof behaviour>[1]) => behaviour('issuer-as-server', spec);

export const ISSUER_API_BEHAVIOUR = [
  // Transport and auth (outbound.md §2, OUT-GEN-*).
  server({ id: 'OUT-GEN-001', level: 'MUST', title: 'With mTLS on, the target accepts TLS 1.2/1.3 with a client certificate and refuses a handshake without one', endpoints: ALL, source: 'outbound.md §2 Transport (S32); OUT-GEN-001', confidence: 'V' }),
  server({ id: 'OUT-GEN-002', level: 'POLICY', title: 'A TLS handshake offering 1.2 and 1.3 succeeds', endpoints: ALL, source: 'outbound.md §2 Transport (S32); OUT-GEN-002', confidence: 'V' }),
  server({ id: 'OUT-GEN-003', level: 'POLICY', title: 'With outbound OAuth on, a call without Authorization: Bearer <valid token> is refused (401; 403 tolerated)', endpoints: APIS, source: 'outbound.md §2 Authorization header; seed 004 bearerAuth; OUT-GEN-003', confidence: 'I', policies: ['unauthorizedStatus'] }),
  server({ id: 'OUT-GEN-004', level: 'POLICY', title: 'A call with an expired, garbage or malformed bearer token is refused (401)', endpoints: APIS, source: 'seed 004 bearerAuth ("The server checks the validity of the provided token"); OUT-GEN-004', confidence: 'I', policies: ['unauthorizedStatus'] }),
  server({ id: 'OUT-GEN-005', level: 'MUST', title: 'A request without x-correlation-id is accepted (the header is optional everywhere)', endpoints: APIS, source: 'outbound.md E2 header x-correlation-id (optional); OUT-GEN-005', confidence: 'V' }),
  server({ id: 'OUT-GEN-009', level: 'SHOULD', kind: 'hygiene', title: 'Error bodies do not echo the PAN, OTP, tokens or personal data sent in the request', endpoints: ALL, source: 'outbound.md E3 behaviour (S11: never log the OTP, sanitize PII); OUT-GEN-009', confidence: 'I' }),
  server({ id: 'OUT-GEN-010', level: 'MUST', title: 'Every response with a JSON body has Content-Type: application/json', endpoints: ALL, source: 'seed 004 responses content application/json; outbound.md E1; OUT-GEN-010', confidence: 'V' }),
  server({ id: 'OUT-GEN-012', level: 'POLICY', title: 'A syntactically invalid path id (pattern or length) never gets a 5xx; a 4xx is expected', endpoints: APIS, source: 'outbound.md OUT-GEN-012 (inferred)', confidence: 'I', policies: ['invalidRequestStatus'] }),
  server({ id: 'OUT-GEN-013', level: 'SHOULD', title: 'The target answers within the configured timeout', endpoints: ALL, source: 'outbound.md §2 Timeouts (NF; S10 "within seconds"); OUT-GEN-013', confidence: 'I', policies: ['responseTimeoutMs'] }),
  server({ id: 'OUT-GEN-020', level: 'MUST', kind: 'hygiene', title: 'No response (body or header) carries a PAN-like value (Luhn-valid 13-19 digit run): a clear PAN outside an encrypted field breaks PCI DSS', endpoints: ALL, source: 'seed 002 (the PAN travels only inside a JWE); outbound.md OUT-CI-019, OUT-CRED-005', confidence: 'I' }),
  server({ id: 'OUT-GEN-021', level: 'SHOULD', kind: 'hygiene', title: 'Responses carry no personal data that was not asked for (error bodies, headers, non-consumer APIs)', endpoints: ALL, source: 'outbound.md E3 behaviour (S11, S38: sanitize PII)', confidence: 'I' }),
  server({ id: 'OUT-GEN-022', level: 'MUST', title: "Requests with an unknown extra JSON field, an unknown header or reordered fields still succeed (D1's API change policy)", endpoints: APIS, source: "d1-spec README §D1's API change policy (N27): tolerate new optional parameters and any order", confidence: 'V' }),
  server({ id: 'OUT-GEN-023', level: 'MUST', title: 'A malformed JSON body, a wrong Content-Type or an empty body is refused with a 4xx, never 2xx or 5xx', endpoints: JSON_BODY_APIS, source: 'seed 004 400 "Bad Request, Invalid request URI or header"; outbound.md OUT-NOTIF-006, OUT-OTP-002', confidence: 'I', policies: ['invalidRequestStatus'] }),
  server({ id: 'OUT-GEN-025', level: 'MUST', title: 'A 204 response has an empty body', endpoints: ['issuer.notifyConsumerOperation', 'issuer.deliverOtp'], source: 'seed 004 Notify Consumer Operation 204 "Successful", Deliver OTP 204 "No Content"', confidence: 'V', policies: ['notificationSuccessStatus'] }),
  // E1 token.
  server({ id: 'OUT-AUTH-008', level: 'MUST', title: 'A wrong client secret is refused (400/401) and no token is issued', endpoints: ['issuer.token'], source: 'outbound.md E1; OUT-AUTH-008', confidence: 'I', policies: ['tokenMissingAuthStatus'] }),
  server({ id: 'OUT-AUTH-013', level: 'POLICY', title: 'Basic credentials in standard base64 with = padding are accepted; base64url without padding is reported, not failed', endpoints: ['issuer.token'], source: 'outbound.md E1 header authorization (example Basic aXNfdGJhbmswMToxMjM=); OUT-AUTH-013', confidence: 'V' }),
  server({ id: 'OUT-AUTH-014', level: 'MUST', title: 'A token from the token endpoint is accepted on every issuer API until it expires', endpoints: APIS, source: 'outbound.md §2 (S2); OUT-AUTH-014', confidence: 'I' }),
  server({ id: 'OUT-AUTH-015', level: 'SHOULD', kind: 'hygiene', title: 'The token response does not echo the client secret', endpoints: ['issuer.token'], source: 'outbound.md OUT-AUTH-015', confidence: 'I' }),
  // E2 Get Consumer Information.
  server({ id: 'OUT-CI-001', level: 'MUST', title: 'A known consumer gets 200 with a JSON consumerInfo object', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 Get Consumer Information responses.200; OUT-CI-001', confidence: 'V' }),
  server({ id: 'OUT-CI-002', level: 'MUST', title: 'The optional cardId query (1..48, [A-Za-z0-9_-]) is accepted; a known card gives 200', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 Get Consumer Information parameters (cardId query); OUT-CI-002', confidence: 'V' }),
  server({ id: 'OUT-CI-003', level: 'MUST', title: 'An unknown consumerId gets 404 with an {"error"} body', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 Get Consumer Information responses.404 (error schema); OUT-CI-003', confidence: 'V' }),
  server({ id: 'OUT-CI-004', level: 'MUST', title: 'A consumer in an invalid state gets 403', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 Get Consumer Information responses.403 "Forbidden (Invalid state)"; OUT-CI-004', confidence: 'V' }),
  server({ id: 'OUT-CI-005', level: 'MUST', title: 'Server errors use 500 with an {"error"} body, never a 200 with an error payload', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 Get Consumer Information responses.500; OUT-CI-005', confidence: 'V' }),
  server({ id: 'OUT-CI-006', level: 'MUST', title: 'consumerIds of 1 and 64 characters of [A-Za-z0-9_-] are handled (a 2xx when known, 404 when not; never 400 or 5xx)', endpoints: APIS, source: 'seed 004 components.schemas.consumerId; OUT-CI-006, OUT-OTP-005', confidence: 'V' }),
  server({ id: 'OUT-CI-007', level: 'POLICY', title: 'A consumerId of 65 characters or with a character outside [A-Za-z0-9_-] is refused with a 4xx', endpoints: APIS, source: 'outbound.md OUT-CI-007 (inferred)', confidence: 'I', policies: ['invalidRequestStatus'] }),
  server({ id: 'OUT-CI-008', level: 'POLICY', title: 'A cardId query of 49 characters or with a bad character is refused with a 4xx', endpoints: ['issuer.getConsumerInfo'], source: 'outbound.md OUT-CI-008 (inferred)', confidence: 'I', policies: ['invalidRequestStatus'] }),
  server({ id: 'OUT-CI-019', level: 'SHOULD', kind: 'hygiene', title: 'consumerInfo carries no full PAN or CVV in any field', endpoints: ['issuer.getConsumerInfo'], source: 'outbound.md OUT-CI-019 (S33, S34)', confidence: 'I' }),
  server({ id: 'OUT-CI-021', level: 'MUST', title: 'The same consumer fetched with and without x-correlation-id gives the same body', endpoints: ['issuer.getConsumerInfo'], source: 'outbound.md OUT-CI-021', confidence: 'I' }),
  server({ id: 'OUT-CI-022', level: 'SHOULD', title: 'The same consumer queried twice returns identical data (safe, idempotent GET)', endpoints: ['issuer.getConsumerInfo'], source: 'outbound.md OUT-CI-022', confidence: 'I' }),
  // E3 Deliver OTP.
  server({ id: 'OUT-OTP-001', level: 'MUST', title: 'Deliver OTP for a known consumer with a valid body gets 204 with no body', endpoints: ['issuer.deliverOtp'], source: 'seed 004 Deliver OTP responses.204 "No Content"; OUT-OTP-001', confidence: 'V', policies: ['notificationSuccessStatus'] }),
  server({ id: 'OUT-OTP-002', level: 'MUST', title: 'A malformed or empty Deliver OTP body gets 400 with {"error"}', endpoints: ['issuer.deliverOtp'], source: 'seed 004 Deliver OTP responses.400 (error schema); OUT-OTP-002', confidence: 'V', policies: ['invalidRequestStatus'] }),
  server({ id: 'OUT-OTP-003', level: 'POLICY', title: 'Deliver OTP for an unknown consumerId gets 404', endpoints: ['issuer.deliverOtp'], source: 'seed 004 Deliver OTP responses.404 "Resource not found"; OUT-OTP-003', confidence: 'V' }),
  server({ id: 'OUT-OTP-004', level: 'SHOULD', kind: 'hygiene', title: 'The OTP value never appears in any response, header or error text', endpoints: ['issuer.deliverOtp'], source: 'outbound.md E3 behaviour (S11); OUT-OTP-004', confidence: 'V' }),
  // E4/E5 authentication.
  server({ id: 'OUT-AUTHN-001', level: 'MUST', title: 'Authenticate for a known consumer answers 200 with an authenticationStatus; the authenticationId then works on Get Authentication Result', endpoints: ['issuer.authenticate'], source: 'seed 004 Authenticate responses.200; outbound.md E4 role (S10); OUT-AUTHN-001', confidence: 'V' }),
  server({ id: 'OUT-AUTHN-002', level: 'MUST', title: 'Get Authentication Result with the authenticationId sent to Authenticate returns the result of that same authentication', endpoints: ['issuer.getAuthenticationResult'], source: 'outbound.md E5 role (S10); OUT-AUTHN-002', confidence: 'V', policies: ['authenticationPollAttempts', 'authenticationPollIntervalMs'] }),
  server({ id: 'OUT-AUTHN-003', level: 'POLICY', title: 'Get Authentication Result for an unknown authenticationId gets 404', endpoints: ['issuer.getAuthenticationResult'], source: 'seed 004 Get Authentication Result responses.404; OUT-AUTHN-003', confidence: 'I', policies: ['unknownAuthenticationIdStatus'] }),
  server({ id: 'OUT-AUTHN-004', level: 'SHOULD', title: 'Authenticate answers fast (the push goes out "within seconds")', endpoints: ['issuer.authenticate'], source: 'outbound.md E4 timing (S10); OUT-AUTHN-004', confidence: 'V', policies: ['responseTimeoutMs'] }),
  server({ id: 'OUT-AUTHN-021', level: 'MUST', kind: 'hygiene', title: 'Get Authentication Result reason is human-readable text without personal or sensitive data', endpoints: ['issuer.getAuthenticationResult'], source: 'seed 004 Get Authentication Result reason ("Human readable text without personal or sensitive data")', confidence: 'V' }),
  server({ id: 'OUT-AUTHN-022', level: 'MUST', title: 'Polling Get Authentication Result after Authenticate reaches a final status (AUTHENTICATED, AUTHENTICATION_FAILED, TECHNICAL_ERROR) within the configured budget', endpoints: ['issuer.getAuthenticationResult'], source: 'seed 004 Get Authentication Result ("Polling request to get the authentication result")', confidence: 'V', policies: ['authenticationPollAttempts', 'authenticationPollIntervalMs'] }),
  // E6 Notify Consumer Operation.
  server({ id: 'OUT-NCO-001', level: 'MUST', title: 'A valid consumer operation notification gets 204', endpoints: ['issuer.notifyConsumerOperation'], source: 'seed 004 Notify Consumer Operation responses.204 "Successful"; OUT-NCO-001', confidence: 'V', policies: ['notificationSuccessStatus'] }),
  server({ id: 'OUT-NCO-002', level: 'SHOULD', title: 'The same notification sent again (same operationId) gets the same 2xx and no double effect', endpoints: ['issuer.notifyConsumerOperation'], source: 'outbound.md OUT-NCO-002 (S15 de-dup by operationId)', confidence: 'I' }),
  // Identifiers (outbound.md OUT-ID-*).
  server({ id: 'OUT-ID-001', level: 'MUST', kind: 'hygiene', title: 'consumerIds (configured or returned) contain no email, phone number, PAN or name of the consumer', endpoints: APIS, fields: ['path.consumerId'], source: 'seed 000 "consumerId must not contain personal information"; OUT-ID-001 (S33)', confidence: 'V' }),
  server({ id: 'OUT-ID-002', level: 'MUST', kind: 'hygiene', title: 'cardIds (configured or returned) are not a PAN (no Luhn-valid 13-19 digit run)', endpoints: ['issuer.getConsumerInfo', 'issuer.authenticate'], fields: ['query.cardId', 'body.details.cardId'], source: 'seed 002 "cardId must not be the PAN"; OUT-ID-002 (S34, S35)', confidence: 'V' }),
  server({ id: 'OUT-ID-003', level: 'SHOULD', kind: 'hygiene', title: 'cardIds are not derived from the PAN (BIN+last4, hash or encoding of a known test PAN)', endpoints: ['issuer.getConsumerInfo', 'issuer.authenticate'], source: 'seed 002 "or derived from the PAN (for example, a hash or digest of the PAN)"; OUT-ID-003', confidence: 'V' }),
  server({ id: 'OUT-ID-004', level: 'MUST', kind: 'hygiene', title: 'x-correlation-id values the target emits contain no personal data', endpoints: ALL, source: 'seed 001 x-correlation-id ("should not be derived from sensitive personal data, as its value will be logged in clear"); OUT-ID-004', confidence: 'V' }),
  server({ id: 'OUT-ID-005', level: 'MUST', title: 'Two different test consumers never share an id (consumerId, cardId unique within the tenant)', endpoints: APIS, source: 'outbound.md OUT-ID-005 (S35)', confidence: 'V' }),
  // Appended (issue 11): an open endpoint, and the 403s seed 004 documents beyond Get Consumer Information.
  server({ id: 'OUT-GEN-026', level: 'MUST', title: 'Get Consumer Information never serves personal data to a call without Authorization (D1 always sends a bearer token: an open endpoint is an open door), whether or not the run uses outbound OAuth', endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 security [bearerAuth] on every issuer API ("The server checks the validity of the provided token to control access to this protected resource")', confidence: 'V' }),
  server({ id: 'OUT-AUTHN-023', level: 'SHOULD', title: 'Authenticate for a consumer the issuer holds in an invalid state is refused with 403', endpoints: ['issuer.authenticate'], source: 'seed 004 Authenticate responses.403 "Action forbidden" (when is not stated: applied to the invalid-state test consumer, hence SHOULD)', confidence: 'I' }),
  server({ id: 'OUT-AUTHN-024', level: 'MUST', title: 'Get Authentication Result for a consumer in an invalid state gets 403', endpoints: ['issuer.getAuthenticationResult'], source: 'seed 004 Get Authentication Result responses.403 "Forbidden (Invalid state)"', confidence: 'V' }),
  server({ id: 'OUT-OTP-029', level: 'SHOULD', title: 'Deliver OTP for a consumer the issuer holds in an invalid state is refused with 403', endpoints: ['issuer.deliverOtp'], source: 'seed 004 Deliver OTP responses.403 "Action forbidden" (when is not stated: applied to the invalid-state test consumer, hence SHOULD)', confidence: 'I' }),
  server({ id: 'OUT-CI-042', level: 'MUST', profile: 'click-to-pay', title: "With the Click to Pay profile, a Mastercard consumer's consumerInfo has email (consumers of another or an unconfigured scheme: not applied, with the reason)", endpoints: ['issuer.getConsumerInfo'], source: 'seed 004 consumerInfo.email ("This field is mandatory for Click to Pay (Mastercard)"); testData.consumers[].scheme', confidence: 'V' }),
];
