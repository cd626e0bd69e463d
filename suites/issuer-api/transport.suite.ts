import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { ISSUER_ENDPOINTS } from '../../contracts/endpoints.js';
import type { EndpointId } from '../../contracts/endpoints.js';
import { tlsClientMaterial } from '../../src/core/http/tls-client.js';
import { tokenUrl } from '../../src/server-side/harness/session.js';
import { judgePosture, type Endpoint } from '../../src/server-side/harness/tls-posture.js';

/**
 * Transport (issue 15): mutual TLS as D1 speaks it, judged with raw handshakes to each host and
 * port the run calls (the token endpoint may live elsewhere). Without `tls` in the run
 * configuration, or against a plain-http target, every transport rule is SKIPPED with the reason
 * and what it needs (the rule's `needs`), never passed.
 */

const RULE_IDS = ['OUT-GEN-001', 'OUT-GEN-002', 'OUT-TLS-001', 'OUT-TLS-002', 'OUT-TLS-003', 'OUT-TLS-004', 'OUT-TLS-005', 'OUT-TLS-006', 'OUT-TLS-007'] as const;
const CASE = 'mTLS posture';

describe('transport (mTLS)', () => {
  conformanceTest('mutual TLS 1.2 / 1.3 and the server certificate', async (kit) => {
    const { config } = kit.session;
    const skipAll = (endpoints: readonly EndpointId[], reason: string) => {
      for (const endpoint of endpoints) for (const id of RULE_IDS) kit.rec.skip(id, endpoint, CASE, reason);
    };
    const material = tlsClientMaterial(config.tls);
    if (!material) {
      skipAll(ISSUER_ENDPOINTS, 'mutual TLS is not configured for this run (no tls in the run configuration)');
      return;
    }
    // The hosts and ports the run calls (the endpoints in scope), each judged once.
    const byOrigin = new Map<string, { url: URL; endpoints: EndpointId[] }>();
    for (const endpoint of ISSUER_ENDPOINTS.filter((e) => kit.inScope(e))) {
      const url = new URL(endpoint === 'issuer.token' ? tokenUrl(config) : config.target.baseUrl);
      const entry = byOrigin.get(url.origin) ?? { url, endpoints: [] };
      entry.endpoints.push(endpoint);
      byOrigin.set(url.origin, entry);
    }
    for (const { url, endpoints } of byOrigin.values()) {
      if (url.protocol !== 'https:') {
        skipAll(endpoints, `${url.origin} is plain http: mutual TLS needs an https target`);
        continue;
      }
      const target: Endpoint = { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 443) };
      const posture = await judgePosture(target, material, config.timeouts.requestMs, { selfSignedMaxDays: config.policies.selfSignedServerCertMaxDays });
      for (const id of RULE_IDS) {
        const verdict = posture[id];
        for (const endpoint of endpoints) {
          if (verdict === undefined) kit.rec.skip(id, endpoint, CASE, 'not judged');
          else if ('skipped' in verdict) kit.rec.skip(id, endpoint, CASE, verdict.skipped);
          else if (verdict.ok) kit.rec.pass(id, endpoint, CASE);
          else kit.rec.breach(id, endpoint, CASE, { message: `${url.host}: ${verdict.message}` });
        }
      }
    }
  });
});
