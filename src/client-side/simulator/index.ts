/**
 * The D1 simulator: a stateful stand-in for Thales D1 that an issuer's backend calls (issuer as
 * client), grading every call against the IN-* rules. Programmatic API for `simulate` and
 * `client-check`.
 *
 * Resilience: a fault plan (`faults` option, the `FaultPlan` schema; `DEFAULT_FAULT_PLAN` is what
 * `--faults` uses) answers chosen calls, by call count per endpoint, with 429 + Retry-After, 503,
 * 500, a 500 after the operation was done (commit-then-error) or a delay; `compat` adds unknown
 * fields and a new card state to answers (D1's change policy). How the client calls again is
 * graded: IN-RES-001 (a 400/401 not repeated unchanged; always on), IN-RES-002 (Retry-After),
 * IN-RES-003 (backoff and bounded attempts after 5xx), IN-RES-004 (a faulted registration retried
 * under the same id), IN-COMPAT-001 (calls go on after compat answers). `faultsServed()` lists
 * what was injected, with no request data. A retry is told from an independent call by
 * identity.ts. Calls it cannot grade (a path or method it does not simulate...) are answered as
 * before (404/405) and listed by `ungraded()` with the D1 API they most likely are.
 *
 * Mutual TLS (`tls` option, tls.ts): HTTPS on 127.0.0.1 as D1 with a simulated Thales CA
 * (`simulatedThalesTls()` makes one and the simulator's server certificate), TLS 1.2 at least;
 * every call is graded on IN-TLS-001..003 and a call without a valid client certificate is
 * answered 403.
 */
export { startSimulator } from './server.js';
export { simulatedThalesTls, type SimulatorTlsOptions } from './tls.js';
export type { RunningSimulator, SimulatorOptions, SimulatorStateView } from './options.js';
export type { CardView, ConsumerView, EntityState, OperationView } from './state.js';
export { DEFAULT_FAULT_PLAN, Fault, FaultPlan, parseFaultPlan, type FaultKind, type FaultPlanInput } from './faults.js';
export type { FaultServed } from './resilience.js';
export { COMPAT_CARD_ID, COMPAT_CARD_STATE } from './compat.js';
export { JWE_KEY_PATH } from './routes.js';
export { NOT_SIMULATED, type UngradedSeen } from './ungraded.js';
export { TOKEN_SCOPE, TOKEN_TTL_SECONDS } from './token.js';
