import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { ISSUER_ENDPOINTS } from '../../contracts/endpoints.js';

/** Transport rules the run cannot check yet: said plainly, never passed silently. */

describe('transport (mTLS)', () => {
  conformanceTest('mutual TLS 1.2 / 1.3', (kit) => {
    const reason = 'mTLS is not configured for this run: the run configuration has no TLS client material yet';
    for (const endpoint of ISSUER_ENDPOINTS) {
      kit.rec.skip('OUT-GEN-001', endpoint, 'mTLS handshake', reason);
      kit.rec.skip('OUT-GEN-002', endpoint, 'TLS 1.2 and 1.3', reason);
    }
    return Promise.resolve();
  });
});
