import { withoutUserInfo } from '../util/url.js';
import type { RunConfig } from './run-config.js';

/** The configuration as reports and bundles show it: the client secret, the TLS passphrase and test PANs removed (TLS files are shown as paths, never their content). */
export function sanitizeConfig(config: RunConfig): Record<string, unknown> {
  const auth = config.auth.mode === 'oauth' ? { ...config.auth, clientSecret: '<removed>' } : config.auth;
  const consumers = config.testData.consumers.map((c) => ({ ...c, pans: c.pans.map(() => '<removed>') }));
  // A password in the target URL is a secret too.
  const target = { ...config.target, baseUrl: withoutUserInfo(config.target.baseUrl) };
  const tls = config.tls?.passphrase !== undefined ? { ...config.tls, passphrase: '<removed>' } : config.tls;
  return { ...config, target, auth, testData: { ...config.testData, consumers }, ...(tls !== undefined ? { tls } : {}) };
}
