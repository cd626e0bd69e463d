import type fc from 'fast-check';
import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import { tokenRequest } from '../../contracts/issuer-api/oauth.js';
import type { Recorder } from '../../src/core/results/recorder.js';
import { instantiate, primaryConsumer } from '../../src/server-side/harness/test-data.js';
import { inspectResponse } from '../../src/server-side/harness/oracle.js';
import { invalidCases, type InvalidCase } from '../../src/core/rulebook/mutate.js';
import { API_REQUESTS, readyRequest } from './requests.js';

/**
 * Every request rule, broken on purpose: for each rule of each D1 -> issuer request, messages that
 * break exactly that rule (too long, too short, forbidden character, wrong type or case, missing
 * field). D1's API change policy binds issuers to tolerate and advises against strict validation,
 * so the MUST here is robustness (an answer, never a 5xx, no echo of sensitive input: the oracle),
 * and whether the issuer refuses is the policy invalidRequestHandling (kit.expectInvalidHandled).
 * New enum values and unknown properties are not invalid for an issuer at all: they are the
 * tolerant-reader probes of robustness.suite.ts (OUT-GEN-022). Generated with the run's seed;
 * failures are shrunk.
 */

/** A header value the wire would change (trimmed spaces, non-ASCII) is not the value the case means to send. */
function survivesWire(c: InvalidCase, value: unknown): boolean {
  if (!c.path.startsWith('headers.')) return true;
  const header = (value as { headers?: Record<string, unknown> }).headers?.[c.path.slice('headers.'.length)];
  return typeof header !== 'string' || (header === header.trim() && /^[\x20-\x7e]*$/.test(header));
}

function caseName(c: InvalidCase): string {
  return `${c.path} ${c.mutation}`;
}

describe('just-invalid D1 requests are handled (D1 change policy; policy invalidRequestHandling)', () => {
  for (const { endpoint, msg, success, successRule } of API_REQUESTS) {
    conformanceTest(`${endpoint}: every request rule broken on purpose gets an answer, never a 5xx; refusal per policy`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      const consumer = primaryConsumer(kit.session.config);
      for (const c of invalidCases(kit.session.effective(msg))) {
        if (c.class === 'tolerable') continue;
        const cls = c.class;
        const arb = c.arb.filter((v) => survivesWire(c, v)).map((v) => instantiate(v, kit.session.config, consumer, c.path));
        await kit.property(
          caseName(c),
          arb,
          async (value, rec) => {
            kit.expectInvalidHandled(await kit.send(endpoint, value, {}, rec), c.ruleId, endpoint, caseName(c), cls, rec);
          },
          c.ruleId,
          endpoint,
        );
      }
      // Robustness is also what comes after: the endpoint still serves a valid request.
      const after = await kit.send(endpoint, await readyRequest(kit, endpoint, msg));
      kit.expectStatus(after, successRule, endpoint, 'a valid request after the invalid ones', (s) => s >= 200 && s < 300, `a 2xx (documented: ${success})`);
    });
  }

  conformanceTest('issuer.token: every token request rule broken on purpose is refused', async (kit) => {
    const oauth = kit.session.oauth;
    if (!oauth || !kit.inScope('issuer.token')) return;
    for (const c of invalidCases(tokenRequest)) {
      // A form carries strings only: a wrong JSON type inside the form cannot be sent.
      if (c.mutation === 'wrong-type' && c.path.startsWith('body.')) continue;
      await kit.property(
        caseName(c),
        c.arb as fc.Arbitrary<{ headers?: { authorization?: string }; body?: unknown }>,
        async (value, rec: Recorder) => {
          const authorization = c.path.startsWith('headers')
            ? (value.headers?.authorization ?? null)
            : kit.session.basicCredentials(oauth.clientId, oauth.clientSecret);
          const body =
            typeof value.body === 'object' && value.body !== null ? new URLSearchParams(value.body as Record<string, string>).toString() : String(value.body);
          const exchange = await kit.session.tokenCall({ authorization, body });
          inspectResponse(rec, exchange, 'issuer.token', { slowAfterMs: kit.policies.responseTimeoutMs });
          kit.expectDocumentedStatus(exchange, c.ruleId, 'issuer.token', caseName(c), 400, rec);
        },
        c.ruleId,
        'issuer.token',
      );
    }
  });
});
