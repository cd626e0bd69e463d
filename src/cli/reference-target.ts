import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brokenVariant, BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { issuerPki, startReferenceIssuer, type D1Identity, type RunningIssuer } from '../../fixtures/reference-issuer/index.js';
import { UsageError } from '../core/errors/index.js';
import type { RunConfigInput } from '../core/config/run-config.js';

/**
 * The bundled reference issuer as a run target: started on 127.0.0.1 for the run, its
 * credentials and seeded consumers turned into the run configuration. `variant` starts one of
 * the broken issuers instead (the project's own proof that each check can fail).
 *
 * It speaks mutual TLS by default (`mtls: false` for plain http): a PKI is generated at start
 * (a CA and a server certificate for 127.0.0.1, a CA for D1 and D1's client certificate), and
 * D1's side is written to a private temporary folder (files 0600) that the run configuration's
 * `tls` names; the folder is removed when the issuer is closed, or at exit.
 */
export async function startReferenceTarget(variantId?: string, options: { mtls?: boolean } = {}): Promise<{ issuer: RunningIssuer; config: RunConfigInput }> {
  const variant = variantId === undefined ? undefined : brokenVariant(variantId);
  if (variantId !== undefined && !variant) throw new UsageError(`--variant must be one of ${BROKEN_VARIANTS.map((v) => v.id).join(', ')}; got "${variantId}"`);
  const pki = options.mtls === false ? undefined : await issuerPki();
  const started = await startReferenceIssuer({ ...(variant ? { variant } : {}), ...(pki ? { tls: pki.server } : {}) });
  const files = pki ? writeD1Identity(pki.d1) : undefined;
  const issuer: RunningIssuer = files
    ? {
        ...started,
        close: async () => {
          try {
            await started.close();
          } finally {
            files.remove();
          }
        },
      }
    : started;
  const active = issuer.consumers.filter((c) => c.state !== 'INVALID');
  const invalid = issuer.consumers.find((c) => c.state === 'INVALID');
  return {
    issuer,
    config: {
      target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
      auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: issuer.clientSecret },
      ...(files ? { tls: files.tls } : {}),
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

/** D1's certificate, key and the issuer's CA as files of a private folder (0700, files 0600), removed by `remove` or at exit. */
function writeD1Identity(d1: D1Identity): { tls: { clientCert: string; clientKey: string; ca: string }; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-reference-tls-'));
  chmodSync(dir, 0o700);
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text, { mode: 0o600 });
    return file;
  };
  const tls = { clientCert: write('d1-client.crt.pem', d1.clientCert), clientKey: write('d1-client.key.pem', d1.clientKey), ca: write('issuer-ca.pem', d1.ca) };
  const remove = () => {
    process.off('exit', remove);
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('exit', remove);
  return { tls, remove };
}
