import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { unknownConsumerId } from '../../src/server-side/harness/test-data.js';
import { API_REQUESTS, readyRequest } from './requests.js';

/** consumerIds at both length boundaries, on every API (seed 004 consumerId 1..64; OUT-CI-006). */

describe('consumerId boundaries on every issuer API', () => {
  for (const { endpoint, msg } of API_REQUESTS) {
    if (endpoint === 'issuer.getConsumerInfo') continue; // its own suite covers it, with the 200 case
    conformanceTest(`${endpoint}: consumerIds of 1 and 64 characters are handled, never refused as invalid`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      for (const length of [1, 64]) {
        const known = kit.session.config.testData.consumers.find((c) => c.consumerId.length === length);
        const base = await readyRequest(kit, endpoint, msg);
        const value = { ...base, path: { ...base.path, consumerId: known?.consumerId ?? unknownConsumerId(kit.session.config, length) } };
        const exchange = await kit.send(endpoint, value);
        // A known consumer is served (Get Authentication Result: 404 for another consumer's authentication is fine too).
        const accepted = known
          ? (s: number) => (s >= 200 && s < 300) || (endpoint === 'issuer.getAuthenticationResult' && s === 404)
          : (s: number) => s === 404;
        kit.expectStatus(
          exchange,
          'OUT-CI-006',
          endpoint,
          `${length}-char consumerId`,
          accepted,
          known ? 'a 2xx (configured consumer)' : '404 (valid but unknown id)',
        );
      }
    });
  }
});
