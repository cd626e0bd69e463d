import type { EndpointId } from '../endpoints.js';
import { behaviour } from './define.js';

/**
 * What the issuer's client must do when it calls D1, beyond message shapes (graded by the D1
 * simulator), and what the simulator itself promises. Ids from inbound.md §7.
 */

const API: readonly EndpointId[] = ['d1.registerConsumer', 'd1.updateConsumer', 'd1.deleteConsumer', 'd1.getCardList', 'd1.registerCard'];
const ALL: readonly EndpointId[] = ['d1.token', ...API];
const client = (spec: Parameters<typeof behaviour>[1]) => behaviour('issuer-as-client', spec);

/** What a client-check needs for rules it can leave SKIPPED for lack of it (Rule.needs: the certifiable explanation shows it). */
const NEEDS_MTLS =
  'client-check --tls (or simulate --tls): the simulator then serves HTTPS as D1 with a simulated Thales CA, and your command calls it with D1_TLS_CA, D1_TLS_CLIENT_CERT and D1_TLS_CLIENT_KEY (tls.csr in the config: the simulated CA signs your CSR)';
/** inbound.md §6 (N26) and d1-spec README "Connectivity": where the mTLS rules come from. */
const TLS_SOURCE = 'inbound.md §6 Transport and Issuer client cert (N26); d1-spec README §Connectivity';

export const D1_API_BEHAVIOUR = [
  client({ id: 'IN-TLS-001', level: 'MUST', title: 'The connection to D1 is mutual TLS 1.2 or 1.3 with a client certificate chaining to the (simulated) Thales CA and within its validity (none, untrusted or expired: refused)', endpoints: ALL, source: `${TLS_SOURCE} ("TLS 1.2 or 1.3", "signed by the Thales CA from a CSR"); IN-TLS-001`, confidence: 'V', needs: NEEDS_MTLS, note: 'Graded per call: a call without a certificate, with one of another CA or an expired one is answered 403 and FAILED; a handshake offering only TLS 1.0/1.1 is refused by the simulator (min TLS 1.2) and FAILED. A certificate you bring (tls.clientCert) cannot chain to the simulated CA: it is let in, graded on IN-TLS-002/003, and IN-TLS-001 is SKIPPED saying so.' }),
  client({ id: 'IN-TLS-002', level: 'SHOULD', title: 'The client certificate key is RSA-4096 or ECDSA P-256, signed with SHA-256', endpoints: ALL, source: `${TLS_SOURCE} ("RSA 4096-bit or ECDSA P-256, SHA256"); IN-TLS-002`, confidence: 'V', needs: NEEDS_MTLS }),
  client({ id: 'IN-TLS-003', level: 'SHOULD', title: 'The client certificate CN carries the issuerId and the environment (PPR/PRD); exact format a policy (clientCertCommonName)', endpoints: ALL, source: 'inbound.md §6 Client cert CN (N26: "includes the issuerId and an env value (PPR PreProd, PRD Production)", full pattern NF); IN-TLS-003', confidence: 'NF', needs: NEEDS_MTLS, policies: ['clientCertCommonName'] }),
  client({ id: 'IN-AUTH-001', level: 'MUST', title: 'The token call is POST <authz base>/oauth2/token', endpoints: ['d1.token'], source: 'inbound.md §1a Method + path (N4); IN-AUTH-001', confidence: 'V' }),
  client({ id: 'IN-AUTH-007', level: 'MUST', title: "The assertion's signature verifies with the issuer's registered P-256 public key", endpoints: ['d1.token'], source: 'inbound.md §1b (N1); IN-AUTH-007', confidence: 'V' }),
  client({ id: 'IN-AUTH-011', level: 'MUST', title: 'The assertion exp is at most now + 15 minutes (+ configured skew)', endpoints: ['d1.token'], fields: ['exp'], source: 'inbound.md §1b exp ("Maximum value is current time + 15 minutes"); IN-AUTH-011', confidence: 'V', policies: ['assertionClockSkewSeconds'] }),
  client({ id: 'IN-AUTH-015', level: 'SHOULD', title: 'The client reuses its D1 token until it nearly expires instead of fetching one per call', endpoints: ALL, source: 'inbound.md §1c Reuse guidance (N1, N3); IN-AUTH-015', confidence: 'V', policies: ['tokenReuseMinRemainingSeconds'] }),
  client({ id: 'IN-HDR-003', level: 'SHOULD', kind: 'hygiene', title: 'x-correlation-id is not derived from personal data or the PAN (no email, phone, name, Luhn-valid digit run)', endpoints: ALL, fields: ['headers.x-correlation-id'], source: 'seed 001 x-correlation-id ("should not be derived from sensitive personal data"); IN-HDR-003', confidence: 'V', tolerance: [{ deviation: 'heuristic-match', becomes: 'WARNING' }] }),
  client({ id: 'IN-HDR-004', level: 'POLICY', title: 'The simulator never rejects a repeated x-correlation-id (no uniqueness guarantee)', endpoints: ALL, source: 'seed 001 x-correlation-id ("no strong guarantee of the uniqueness"); IN-HDR-004', confidence: 'V', outcome: { class: 'informational', reason: 'a promise of the simulator (and D1): nothing the client sends is graded under it' } }),
  client({ id: 'IN-ID-001', level: 'MUST', kind: 'hygiene', title: 'cardId is not the PAN and not derived from it (digit runs of the PAN, its hash, BIN+last4)', endpoints: ['d1.registerCard'], fields: ['path.cardId'], source: 'seed 002 ("must not be the PAN or derived from the PAN"); IN-ID-001', confidence: 'V', tolerance: [{ deviation: 'heuristic-match', becomes: 'WARNING' }] }),
  client({ id: 'IN-ID-002', level: 'MUST', kind: 'hygiene', title: 'consumerId carries no personal data (email, phone, names sent in personalInformation, PAN)', endpoints: API, fields: ['path.consumerId', 'body.consumerId'], source: 'seed 000 ("consumerId must not contain personal information"); IN-ID-002', confidence: 'V', tolerance: [{ deviation: 'heuristic-match', becomes: 'WARNING' }] }),
  client({ id: 'IN-ID-003', level: 'MUST', title: 'A consumerId is unique to one end user: an ACTIVE consumerId is never registered again for another person (an ACTIVE cardId reused: IN-ID-004)', endpoints: ['d1.registerConsumer'], source: 'inbound.md §6 Identifiers (N11); IN-ID-003', confidence: 'V' }),
  client({ id: 'IN-ID-004', level: 'MUST', title: 'A cardId is registered again only if its card was DELETED or REPLACED', endpoints: ['d1.registerCard'], source: 'inbound.md §4a cardId reuse (N15); IN-ID-004', confidence: 'V', needs: 'integration tests (your command) that register a cardId again, e.g. after deleting its card' }),
  client({ id: 'IN-ID-005', level: 'MUST', title: 'A PAN already deleted or replaced is never registered again', endpoints: ['d1.registerCard'], source: 'inbound.md §4a cardId reuse (N15); IN-ID-005', confidence: 'V' }),
  client({ id: 'IN-ID-006', level: 'POLICY', title: 'A deleted consumerId is not registered again (seed 001: a returning user needs a new consumerId); policy deletedConsumerIdReuse=allow follows the newer fact-table note instead', endpoints: ['d1.registerConsumer'], source: 'seed 001 Delete consumer ("a new end user registration with a new consumerId"); inbound.md §3 conflict (N10 vs N12); IN-ID-006', confidence: 'V', policies: ['deletedConsumerIdReuse'], needs: 'integration tests (your command) that register a consumerId again after deleting it' }),
  client({ id: 'IN-CON-002', level: 'SHOULD', title: 'personalInformation should carry first and last name, email, phone number and postal address', endpoints: ['d1.registerConsumer', 'd1.updateConsumer'], fields: ['body.personalInformation'], source: 'inbound.md §2 Recommended data ("strongly recommended", N6); IN-CON-002', confidence: 'V' }),
  client({ id: 'IN-CARD-004', level: 'MUST', title: 'Register card for an unknown consumerId registers the consumer implicitly (the simulator accepts it)', endpoints: ['d1.registerCard'], source: 'seed 002 hint (implicit end user registration); IN-CARD-004', confidence: 'V', outcome: { class: 'informational', reason: 'the simulator accepts the call and registers the consumer: the client cannot break it, only passes are recorded' } }),
  client({ id: 'IN-JWE-008', level: 'MUST', kind: 'hygiene', title: 'The PAN appears only inside the JWE: never in clear in the body, path, headers or ids', endpoints: API, source: 'seed 002 ("PAN and expiry date: Provided encrypted using JWE"); IN-JWE-008', confidence: 'V', tolerance: [{ deviation: 'heuristic-match', becomes: 'WARNING' }] }),
  client({ id: 'IN-CON-016', level: 'MUST', title: 'Delete consumer cascades: the consumer and its cards are gone afterwards (the simulator enforces)', endpoints: ['d1.deleteConsumer', 'd1.getCardList'], source: 'seed 001 Delete ("in cascade delete all the accounts, cards and digital cards"); inbound.md I4', confidence: 'V', outcome: { class: 'informational', reason: 'the simulator enforces the cascade itself: the client cannot break it, only passes are recorded' } }),
  client({ id: 'IN-CARD-001', level: 'MUST', title: 'Register card is PUT /banking/v2/issuers/{issuerId}/cards/{cardId}', endpoints: ['d1.registerCard'], source: 'seed 002 Register card (PUT); inbound.md §4a (N15); IN-CARD-001', confidence: 'V' }),
  client({
    id: 'IN-ERR-001',
    level: 'POLICY',
    title: "The simulator refuses as D1 does: 400 {errorCode: FIELD_INVALID_FORMAT | FIELD_INVALID_VALUE, error: <first field in error>}, 401 AUTHORIZER_UNAUTHORIZED",
    endpoints: ALL,
    source: 'inbound.md §2 error table and §6 Error body (N8, N9); IN-ERR-001',
    confidence: 'I',
    judges: 'simulator',
    outcome: { class: 'informational', reason: "the simulator checks its own refusals; the issuer's client cannot break it" },
  }),
  client({
    id: 'IN-RES-001',
    level: 'SHOULD',
    title: 'A call D1 refused with 400 or 401 is not repeated unchanged (D1 marks these errors not retryable)',
    endpoints: ALL,
    source: 'inbound.md §6 Retryability ("400 and 401 codes are marked not retryable", N8)',
    confidence: 'V',
    needs: 'integration tests (your command) that make a call the simulator refuses (400 or 401), then call that endpoint again',
  }),
  client({
    id: 'IN-RES-002',
    level: 'POLICY',
    title: 'After a 429 with Retry-After, the client waits at least that long before calling that endpoint again',
    endpoints: ALL,
    source: 'inbound.md §6 Rate limits / 429 (NF): a policy, after RFC 9110 §10.2.3 Retry-After; exercised with --faults',
    confidence: 'NF',
    policies: ['retryAfterToleranceMs'],
    applies: ['faults'],
  }),
  client({
    id: 'IN-RES-003',
    level: 'POLICY',
    title: 'After a 5xx the client backs off before retrying, and gives up after a bounded number of attempts',
    endpoints: ALL,
    source: 'inbound.md §6 Retryability (retryable 5xx codes NF): a policy; exercised with --faults',
    confidence: 'NF',
    policies: ['retryMinBackoffMs', 'retryMaxAttempts'],
    applies: ['faults'],
  }),
  client({
    id: 'IN-RES-004',
    level: 'MUST',
    title: 'A registration retried after a fault is the same request: the same consumerId or cardId, never the same consumer or PAN under a new id while the first is ACTIVE',
    endpoints: ['d1.registerConsumer', 'd1.registerCard'],
    source: 'inbound.md §6 Idempotency ("PUT register calls are naturally repeatable", N11, N25) with IN-ID-003 (ids unique in the tenant); exercised with --faults',
    confidence: 'I',
    applies: ['faults'],
  }),
  client({ id: 'IN-COMPAT-001', level: 'POLICY', title: 'The simulator may add unknown response fields and new enum values; the client must tolerate them', endpoints: ALL, source: "d1-spec README §D1's API change policy (N27); IN-COMPAT-001", confidence: 'V', applies: ['faults'], outcome: { class: 'warning-only', reason: 'the simulator cannot tell a client that ignored an added field from one that never read it: a failure to tolerate shows only as a later error, reported as a warning' } }),
];
