import { describe } from 'vitest';
import { conformanceTest } from '../../src/harness/conformance-test.js';
import { API_REQUESTS, readyRequest } from './requests.js';

/**
 * D1's API change policy (tolerant reader: unknown fields, unknown headers, any order;
 * OUT-GEN-022) and bodies that are not JSON at all (OUT-GEN-023).
 */

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reorder(v)]));
  return value;
}

describe('tolerant reader and malformed bodies', () => {
  for (const { endpoint, msg, success } of API_REQUESTS) {
    conformanceTest(`${endpoint}: tolerates an unknown field, an unknown header and reordered fields`, async (kit) => {
      if (!kit.inScope(endpoint)) return;
      // Acceptance, not the exact success status (that is each API's own rule).
      const accepted = (s: number) => s >= 200 && s < 300;
      const expected = `a 2xx (documented: ${success})`;
      const value = await readyRequest(kit, endpoint, msg);
      const header = { ...value, headers: { ...value.headers, 'x-d1-future-header': 'future-value' } };
      kit.expectStatus(await kit.send(endpoint, header), 'OUT-GEN-022', endpoint, 'unknown header', accepted, expected);
      if (value.body === undefined) return;
      const extra = await readyRequest(kit, endpoint, msg);
      const withField = { ...extra, body: { ...(extra.body as object), futureOptionalField: 'future-value' } };
      kit.expectStatus(await kit.send(endpoint, withField), 'OUT-GEN-022', endpoint, 'unknown JSON field', accepted, expected);
      const reordered = await readyRequest(kit, endpoint, msg);
      kit.expectStatus(await kit.send(endpoint, { ...reordered, body: reorder(reordered.body) }), 'OUT-GEN-022', endpoint, 'reordered JSON fields', accepted, expected);
    });

    if (msg.field.meta.kind === 'object' && 'body' in msg.field.meta.fields) {
      conformanceTest(`${endpoint}: refuses malformed JSON, a wrong content type and an empty body with a 4xx`, async (kit) => {
        if (!kit.inScope(endpoint)) return;
        const value = await readyRequest(kit, endpoint, msg);
        const json = JSON.stringify(value.body);
        for (const [name, options] of [
          ['malformed JSON', { rawBody: json.slice(0, -1) }],
          ['text/plain content type', { rawBody: json, contentType: 'text/plain' }],
          ['empty body', { rawBody: '' }],
          ['JSON array body', { rawBody: '[]' }],
        ] as const) {
          kit.expectRefused(await kit.send(endpoint, value, options), 'OUT-GEN-023', endpoint, name);
        }
      });
    }
  }
});
