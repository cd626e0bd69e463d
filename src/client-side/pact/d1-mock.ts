import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../core/pact/no-tracking.js';
import { PactV4 } from '@pact-foundation/pact';
import type { EndpointId } from '../../../contracts/endpoints.js';
import { ISSUER_TO_D1 } from '../../core/pact/interactions.js';
import { SETTLE_MS } from '../../core/pact/generate.js';
import { addInteraction, type WithResponse } from '../../core/pact/pact-builder.js';

/**
 * D1 as a Pact mock server, for an issuer team's client tests: the issuer -> D1 interactions of
 * `contracts/pacts/issuer-backend-D1.json` are served by the real Pact FFI mock server on
 * 127.0.0.1 while `test` runs the team's own client code against `mockUrl`. The promise rejects
 * (naming the mismatches) when the client sent a request the contract does not accept, or did
 * not make an expected one. Pact FFI 0.5.4 can miss a match under heavy CPU load
 * (pact-reference#535): the last request is given 100 ms to be recorded.
 *
 *   await withD1MockServer(async (mockUrl) => { await myClient(mockUrl).registerCard(...) }, { only: ['d1.registerCard'] });
 */
export async function withD1MockServer<T>(test: (mockUrl: string) => Promise<T>, options: { only?: readonly EndpointId[] } = {}): Promise<T | undefined> {
  const interactions = ISSUER_TO_D1.interactions.filter((i) => options.only === undefined || options.only.includes(i.endpoint));
  if (interactions.length === 0) throw new Error('withD1MockServer: no interaction selected');
  const dir = await mkdtemp(join(tmpdir(), 'd1c-d1-mock-'));
  try {
    const pact = new PactV4({ consumer: ISSUER_TO_D1.consumer, provider: ISSUER_TO_D1.provider, dir, logLevel: 'error' });
    // Every interaction added before executeTest is served by the same mock server.
    let last: WithResponse | undefined;
    for (const i of interactions) last = addInteraction(pact, i);
    return await (last as WithResponse).executeTest(async (mock) => {
      const result = await test(mock.url);
      // Lets the mock server record the last match before it is asked (see SETTLE_MS in generate.ts).
      await new Promise((r) => setTimeout(r, 4 * SETTLE_MS));
      return result;
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
