/**
 * @d1-conformance/harness as a library: the one entry point of the package (`import ... from
 * '@d1-conformance/harness'`). Three parts a bank team builds its own tests on, plus the CLI:
 *
 * - the D1 simulator: a stateful stand-in for D1 that grades every call your backend makes
 *   (over mutual TLS with a simulated Thales CA: simulatedThalesTls, and the test PKI helpers);
 * - the D1 Pact mock server: D1's side of the issuer -> D1 pact, served by the real Pact FFI;
 * - the rulebook: every rule (id, level, source), message contract, endpoint, profile and policy.
 *
 * Anything not exported here is internal and may change in any release.
 */

// The D1 simulator (issuer as client).
export {
  startSimulator,
  DEFAULT_FAULT_PLAN,
  FaultPlan,
  parseFaultPlan,
  JWE_KEY_PATH,
  TOKEN_SCOPE,
  TOKEN_TTL_SECONDS,
  type RunningSimulator,
  type SimulatorOptions,
  type SimulatorStateView,
  type FaultKind,
  type FaultPlanInput,
  type FaultServed,
} from '../client-side/simulator/index.js';
export { simulatedThalesTls, type SimulatorTlsOptions } from '../client-side/simulator/index.js';
export { ClientCheckConfig } from '../client-side/client-check/config.js';

// Test PKI for mutual TLS (a CA, certificates it issues, CSRs, what a certificate says of itself).
export {
  createAuthority,
  issueCertificate,
  createCsr,
  signCsr,
  certificateFacts,
  type Authority,
  type CertificateFacts,
  type IssueOptions,
  type KeyType,
  type Pem,
} from '../core/tls/certificates.js';

// The D1 Pact mock server.
export { withD1MockServer } from '../client-side/pact/d1-mock.js';

// The rulebook.
export {
  RULES,
  MESSAGES,
  ENDPOINTS,
  PROFILES,
  POLICY_DOCS,
  DEFAULT_POLICIES,
  RULEBOOK_VERSION,
  RULEBOOK_HASH,
  ruleById,
  rulesDecidedBy,
  type EndpointId,
  type ProfileId,
  type PolicyName,
} from '../../contracts/index.js';
export type { Rule } from '../core/rulebook/rule.js';
export type { MessageDef } from '../core/rulebook/message.js';

// Configurations and reports, as the tool validates them.
export { RunConfig, type RunConfigInput } from '../core/config/run-config.js';
export { Report } from '../core/results/model.js';
