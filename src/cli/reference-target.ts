import { brokenVariant, BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { startReferenceIssuer, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { UsageError } from '../core/errors/index.js';
import type { RunConfigInput } from '../core/config/run-config.js';

/**
 * The bundled reference issuer as a run target: started on 127.0.0.1 for the run, its
 * credentials and seeded consumers turned into the run configuration. `variant` starts one of
 * the broken issuers instead (the project's own proof that each check can fail).
 */
export async function startReferenceTarget(variantId?: string): Promise<{ issuer: RunningIssuer; config: RunConfigInput }> {
  const variant = variantId === undefined ? undefined : brokenVariant(variantId);
  if (variantId !== undefined && !variant) throw new UsageError(`--variant must be one of ${BROKEN_VARIANTS.map((v) => v.id).join(', ')}; got "${variantId}"`);
  const issuer = await startReferenceIssuer(variant ? { variant } : {});
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
