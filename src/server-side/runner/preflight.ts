import type { RunConfig } from '../../core/config/run-config.js';
import { TargetError } from '../../core/errors/index.js';
import { createHttpClient } from '../../core/http/client.js';
import { withoutUserInfo } from '../../core/util/url.js';
import { tokenUrl } from '../harness/session.js';

/** The target must answer at all before a run means anything: a dead target is exit 2, not 200 findings. */
export async function preflight(config: RunConfig): Promise<void> {
  const client = createHttpClient({ timeoutMs: config.timeouts.requestMs });
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
      throw new TargetError(`${what} ${withoutUserInfo(url)} is not usable: ${exchange.transportError}`);
    }
  } finally {
    await client.close();
  }
}
