/**
 * The D1 simulator: a stateful stand-in for Thales D1 that an issuer's backend calls (issuer as
 * client), grading every call against the IN-* rules. Programmatic API; the CLI wiring comes later.
 */
export { startSimulator } from './server.js';
export type { RunningSimulator, SimulatorOptions, SimulatorStateView } from './options.js';
export type { CardView, ConsumerView, EntityState } from './state.js';
export { JWE_KEY_PATH } from './routes.js';
export { TOKEN_SCOPE, TOKEN_TTL_SECONDS } from './token.js';
