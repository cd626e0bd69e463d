import { conformanceTest, describe } from '../../src/server-side/harness/conformance-test.js';
import type { EndpointId } from '../../contracts/endpoints.js';
import type { Kit } from '../../src/server-side/harness/kit.js';
import type { RequestValue } from '../../src/server-side/harness/session.js';
import type { FieldMeta } from '../../src/core/rulebook/fields.js';
import type { MessageDef } from '../../src/core/rulebook/message.js';
import { API_REQUESTS, readyRequest, sampleRequest } from './requests.js';

/**
 * D1's API change policy (d1-spec README): issuers must tolerate new optional parameters
 * (headers, URL, body, at any depth), new enum values and any order, and D1 advises against strict
 * validation. Each probe is one request per endpoint that must succeed (OUT-GEN-022): refusing it
 * is a failure whatever the policies. Bodies that are not JSON at all (OUT-GEN-023) must never get
 * a 5xx; whether they must be refused is the policy invalidRequestHandling.
 */

/** A new enum value shaped like D1's own (upper case, `_`), the way a new operation or reason would arrive. */
export const NEW_ENUM_VALUE = 'FUTURE_VALUE';
const FUTURE_FIELD = 'futureOptionalField';

function reorder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reorder);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reorder(v)]),
    );
  return value;
}

/** The value with its contract tree applied: `edit` sees each present value with its definition, bottom-up. */
function mapWithMeta(meta: FieldMeta, value: unknown, edit: (meta: FieldMeta, value: unknown) => unknown): unknown {
  if (meta.kind === 'object' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = k in meta.fields && meta.fields[k] ? mapWithMeta(meta.fields[k], v, edit) : v;
    return edit(meta, out);
  }
  if (meta.kind === 'array' && Array.isArray(value))
    return edit(
      meta,
      value.map((v) => mapWithMeta(meta.item, v, edit)),
    );
  return edit(meta, value);
}

function bodyMeta(msg: MessageDef): FieldMeta | undefined {
  const root = msg.field.meta;
  return root.kind === 'object' ? root.fields.body : undefined;
}

/** An unknown field in the body and in every nested object D1 sends (details, threeDSDetails, deviceInformation...). */
export function withUnknownFields(msg: MessageDef, value: RequestValue): RequestValue {
  const meta = bodyMeta(msg);
  if (!meta) return value;
  return {
    ...value,
    body: mapWithMeta(meta, value.body, (m, v) =>
      m.kind === 'object' && typeof v === 'object' && v !== null ? { ...v, [FUTURE_FIELD]: { added: 'by a later API version' } } : v,
    ),
  };
}

/** Every enum field of the body set to a value D1 does not document yet. */
export function withNewEnumValues(msg: MessageDef, value: RequestValue): RequestValue {
  const meta = bodyMeta(msg);
  if (!meta) return value;
  return { ...value, body: mapWithMeta(meta, value.body, (m, v) => (m.kind === 'enum' && typeof v === 'string' ? NEW_ENUM_VALUE : v)) };
}

/** Whether the body has an enum field or a nested object at all (else the probe has nothing to change). */
function bodyHas(msg: MessageDef, kind: 'enum' | 'nested-object'): boolean {
  const meta = bodyMeta(msg);
  if (meta?.kind !== 'object') return false;
  const walk = (m: FieldMeta, depth: number): boolean =>
    (kind === 'enum' ? m.kind === 'enum' : m.kind === 'object' && depth > 0) ||
    (m.kind === 'object' && Object.values(m.fields).some((c) => walk(c, depth + 1))) ||
    (m.kind === 'array' && walk(m.item, depth + 1));
  return walk(meta, 0);
}

/** Get Authentication Result needs an authentication the target knows: made afresh for each probe. */
async function probeBase(kit: Kit, endpoint: EndpointId, msg: MessageDef, optional: 'all' | 'none'): Promise<RequestValue> {
  if (optional === 'all') return readyRequest(kit, endpoint, msg);
  const ready = await readyRequest(kit, endpoint, msg);
  const bare = sampleRequest(kit, msg, { optional: 'none' });
  return { ...bare, path: ready.path };
}

describe('tolerant reader (D1 API change policy, OUT-GEN-022) and malformed bodies', () => {
  for (const { endpoint, msg, success } of API_REQUESTS) {
    conformanceTest(
      `${endpoint}: tolerates unknown fields at every depth, unknown headers and query parameters, new enum values, any order, every optional field present or absent`,
      async (kit) => {
        if (!kit.inScope(endpoint)) return;
        // Acceptance, not the exact success status (that is each API's own rule).
        const accepted = (s: number) => s >= 200 && s < 300;
        const expected = `a 2xx (documented: ${success}; D1's API change policy)`;
        const probe = async (name: string, make: (v: RequestValue) => RequestValue, optional: 'all' | 'none' = 'all') => {
          const value = make(await probeBase(kit, endpoint, msg, optional));
          kit.expectStatus(await kit.send(endpoint, value), 'OUT-GEN-022', endpoint, name, accepted, expected);
        };
        await probe('every optional field present', (v) => v);
        await probe('every optional field absent', (v) => v, 'none');
        await probe('unknown header', (v) => ({ ...v, headers: { ...v.headers, 'x-d1-future-header': 'future-value' } }));
        await probe('unknown query parameter', (v) => ({ ...v, query: { ...v.query, futureParameter: 'future-value' } }));
        if (bodyMeta(msg) === undefined) return;
        await probe('unknown JSON field (top level)', (v) => ({ ...v, body: { ...(v.body as object), [FUTURE_FIELD]: 'future-value' } }));
        if (bodyHas(msg, 'nested-object')) await probe('unknown JSON field in every nested object', (v) => withUnknownFields(msg, v));
        if (bodyHas(msg, 'enum')) await probe(`new enum value (${NEW_ENUM_VALUE}) in every enum field`, (v) => withNewEnumValues(msg, v));
        await probe('reordered JSON fields', (v) => ({ ...v, body: reorder(v.body) }));
      },
    );

    if (bodyMeta(msg) !== undefined) {
      conformanceTest(`${endpoint}: malformed JSON, a wrong content type and an empty body never get a 5xx; refusal per policy`, async (kit) => {
        if (!kit.inScope(endpoint)) return;
        const value = await readyRequest(kit, endpoint, msg);
        const json = JSON.stringify(value.body);
        // Unreadable or empty bodies lack every required field; a readable body sent as text/plain only has the wrong label.
        for (const [name, options, cls] of [
          ['malformed JSON', { rawBody: json.slice(0, -1) }, 'missing-required'],
          ['empty body', { rawBody: '' }, 'missing-required'],
          ['JSON array body', { rawBody: '[]' }, 'missing-required'],
          ['text/plain content type', { rawBody: json, contentType: 'text/plain' }, 'malformed'],
        ] as const) {
          kit.expectInvalidHandled(await kit.send(endpoint, value, options), 'OUT-GEN-023', endpoint, name, cls);
        }
      });
    }
  }
});
