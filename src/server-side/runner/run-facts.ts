import type { RunConfig } from '../../core/config/run-config.js';
import { sanitizeConfig } from '../../core/config/sanitize.js';
import { withoutUserInfo } from '../../core/util/url.js';

/** What every issuer-as-server report states about its run: the target, when, the seed, profiles, policies, configuration. */
export function serverRunFacts(config: RunConfig, reference: boolean, startedAt: Date, seed: number) {
  return {
    target: { baseUrl: withoutUserInfo(config.target.baseUrl), issuerId: config.target.issuerId, reference },
    startedAt,
    finishedAt: new Date(),
    seed,
    profiles: config.profiles,
    policies: config.policies,
    configuration: sanitizeConfig({ ...config, seed }),
    // What rules' `applies` read (src/core/verdict): outbound OAuth on or off, mutual TLS configured or not.
    settings: { oauth: config.auth.mode === 'oauth', mtls: config.tls !== undefined, policies: config.policies },
  };
}
