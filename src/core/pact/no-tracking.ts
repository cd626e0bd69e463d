/**
 * Pact's native core posts a usage event to Google Analytics after each verification and mock
 * server session unless PACT_DO_NOT_TRACK is set: from a bank's network or CI, a call outside it
 * that nobody asked for (and, where egress is blocked, a wait). Imported, for its effect, by every
 * module that drives Pact; the verifier's process gets it in its environment too.
 */
process.env.PACT_DO_NOT_TRACK = 'true';

export const PACT_DO_NOT_TRACK = { PACT_DO_NOT_TRACK: 'true' } as const;
