import { withoutUserInfo } from '../util/url.js';
import type { RunConfig } from './run-config.js';

/** The configuration as reports and bundles show it: the client secret and test PANs removed. */
export function sanitizeConfig(config: RunConfig): Record<string, unknown> {
  const auth = config.auth.mode === 'oauth' ? { ...config.auth, clientSecret: '<removed>' } : config.auth;
  const consumers = config.testData.consumers.map((c) => ({ ...c, pans: c.pans.map(() => '<removed>') }));
  // A password in the target URL is a secret too.
  const target = { ...config.target, baseUrl: withoutUserInfo(config.target.baseUrl) };
  return { ...config, target, auth, testData: { ...config.testData, consumers } };
}
