import type { RunConfig } from '../../core/config/run-config.js';
import { TargetError } from '../../core/errors/index.js';
import { createHttpClient } from '../../core/http/client.js';
import { withoutUserInfo } from '../../core/util/url.js';
import { clientOptions, tokenUrl } from '../harness/session.js';

/** The target must answer at all before a run means anything: a dead target is exit 2, not 200 findings. */
export async function preflight(config: RunConfig): Promise<void> {
  const client = createHttpClient(clientOptions(config, { paced: false }));
  try {
    const url = config.auth.mode === 'oauth' ? tokenUrl(config) : config.target.baseUrl;
    const exchange = await client.send({
      method: config.auth.mode === 'oauth' ? 'POST' : 'GET',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: config.auth.mode === 'oauth' ? '' : undefined,
    });
    if (exchange.transportError !== undefined) {
      const what = config.auth.mode === 'oauth' ? 'token endpoint' : 'target';
      // A TLS failure says what to look at: the server certificate against tls.ca, or the target refusing D1's identity.
      const tls = exchange.transportError.startsWith('TLS handshake failed')
        ? config.tls === undefined
          ? ' (no tls in the run configuration: an https target that wants mutual TLS needs tls.clientCert + tls.clientKey or tls.pfx, and tls.ca)'
          : " (the server certificate must verify against tls.ca (OUT-TLS-003, OUT-TLS-004), and the target must accept D1's client certificate (OUT-GEN-002))"
        : '';
      throw new TargetError(`${what} ${withoutUserInfo(url)} is not usable: ${exchange.transportError}${tls}`);
    }
  } finally {
    await client.close();
  }
}
