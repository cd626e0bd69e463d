import type { RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { startReferenceIssuerInThread, UnknownVariant } from '../../fixtures/reference-issuer/in-thread.js';
import { UsageError } from '../core/errors/index.js';
import type { RunConfigInput } from '../core/config/run-config.js';

/**
 * The bundled reference issuer as a run target: started on 127.0.0.1 for the run, its
 * credentials and seeded consumers turned into the run configuration. `variant` starts one of
 * the broken issuers instead (the project's own proof that each check can fail).
 */
export async function startReferenceTarget(variantId?: string): Promise<{ issuer: RunningIssuer; config: RunConfigInput }> {
  let issuer: RunningIssuer;
  try {
    // In its own thread: the issuer's work runs beside the harness, as a real issuer's would.
    issuer = await startReferenceIssuerInThread(variantId === undefined ? {} : { variant: variantId });
  } catch (e) {
    if (e instanceof UnknownVariant) throw new UsageError(e.message);
    throw e;
  }
  const active = issuer.consumers.filter((c) => c.state !== 'INVALID');
  const invalid = issuer.consumers.find((c) => c.state === 'INVALID');
  return {
    issuer,
    config: {
      target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
      auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
      testData: {
        // Network test PANs stand for the cards' PANs, so the "cardId not derived from the PAN" rule runs too.
        consumers: active.map((c) => ({
          consumerId: c.consumerId,
          cardIds: [...c.cardIds],
          pans: c.cardIds.length > 0 ? ['4111111111111111', '5555555555554444'] : [],
          ...(c.scheme !== undefined ? { scheme: c.scheme } : {}),
        })),
        ...(invalid ? { invalidStateConsumerId: invalid.consumerId } : {}),
      },
    },
  };
}
