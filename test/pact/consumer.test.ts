import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENDPOINTS } from '../../contracts/endpoints.js';
import { LANGUAGE } from '../../contracts/patterns.js';
import { withD1MockServer } from '../../src/client-side/pact/d1-mock.js';
import { generatePacts, type Exercised } from '../../src/core/pact/generate.js';
import { exercise } from '../../src/core/pact/pact-builder.js';
import { D1_TO_ISSUER, ISSUER_TO_D1, PACTS, type InteractionSpec, type PactSpec } from '../../src/core/pact/interactions.js';
import { enumRegex, fieldAt, regexOf } from '../../src/core/pact/field-rules.js';
import { fieldPathOf } from '../../src/server-side/pact/results.js';
import { toRustRegex } from '../../src/core/pact/rust-regex.js';
import { pactFileName } from '../../src/core/pact/files.js';
import { checkMessage } from '../../src/core/rulebook/check.js';
import type { FieldMeta } from '../../src/core/rulebook/fields.js';

/**
 * The consumer side of both contracts, with the real Pact FFI: every interaction generated from
 * the rulebook is played against the Pact mock server by the small undici client, and the
 * answer the mock gives must satisfy the response contract. Then the written files are read back
 * to check what the matchers are made of.
 */

interface PactJson {
  interactions: {
    description: string;
    providerStates?: { name: string; params: Record<string, string> }[];
    comments?: { text?: string[] };
    request: { method: string; path: string; generators?: Record<string, unknown>; matchingRules?: Record<string, unknown>; body?: { content: unknown } };
    response: { status: number; body?: { content: unknown }; matchingRules?: { body?: Record<string, { matchers: Record<string, unknown>[] }> } };
  }[];
}

let dir = '';
let exercised: Exercised[] = [];
const files = new Map<string, PactJson>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'd1c-pact-consumer-'));
  ({ exercised } = await generatePacts(dir));
  for (const pact of PACTS) files.set(pact.consumer, JSON.parse(readFileSync(join(dir, pactFileName(pact)), 'utf8')) as PactJson);
}, 60_000);

function written(pact: PactSpec, interaction: InteractionSpec) {
  const found = files.get(pact.consumer)?.interactions.find((i) => i.description === interaction.description);
  if (!found) throw new Error(`${interaction.description} is not in ${pactFileName(pact)}`);
  return found;
}

/** The matcher a field must get, from its metadata alone. */
function expectedMatcher(meta: FieldMeta): Record<string, unknown> {
  const regex = regexOf(meta);
  if (regex !== undefined) return { match: 'regex', regex };
  if (meta.kind === 'number') return { match: meta.int ? 'integer' : 'number' };
  if (meta.kind === 'array') return { match: 'type', min: Math.max(1, meta.min ?? 1), ...(meta.max !== undefined ? { max: meta.max } : {}) };
  return { match: 'type' };
}

describe('the consumer side, against the real Pact mock server', () => {
  it('plays every interaction of both pacts, and the response contract accepts each mock answer', () => {
    expect(exercised.map((e) => e.interaction.description)).toEqual(PACTS.flatMap((p) => p.interactions.map((i) => i.description)));
    for (const { interaction, answer } of exercised) {
      const { response } = interaction;
      expect(answer.status, interaction.description).toBe(response.status);
      if (response.message) {
        expect(answer.headers['content-type'], interaction.description).toMatch(/^application\/json/);
        const check = checkMessage(response.message, JSON.parse(answer.body) as unknown);
        expect(check.violations, interaction.description).toEqual([]);
      } else {
        expect(answer.body, interaction.description).toBe('');
      }
    }
  });

  it('has one interaction per issuer API and outcome D1 relies on, and each issuer call to D1', () => {
    const outcomes = D1_TO_ISSUER.interactions.map((i) => `${i.endpoint} ${String(i.response.status)}`);
    expect(outcomes).toEqual([
      'issuer.token 200',
      'issuer.getConsumerInfo 200',
      'issuer.getConsumerInfo 200',
      'issuer.getConsumerInfo 404',
      'issuer.getConsumerInfo 404',
      'issuer.authenticate 200',
      'issuer.getAuthenticationResult 200',
      'issuer.getAuthenticationResult 200',
      'issuer.notifyConsumerOperation 204',
      'issuer.notifyConsumerOperation 204',
      'issuer.deliverOtp 204',
      'issuer.deliverOtp 204',
      'issuer.getConsumerInfo 401',
    ]);
    expect(new Set(ISSUER_TO_D1.interactions.map((i) => i.endpoint))).toEqual(
      new Set(ENDPOINTS.filter((e) => e.direction === 'issuer-as-client').map((e) => e.id)),
    );
    // With and without cardId, for a known and an unknown consumer.
    const ci = D1_TO_ISSUER.interactions.filter((i) => i.endpoint === 'issuer.getConsumerInfo' && i.response.status !== 401);
    expect(ci.map((i) => [i.response.status, 'cardId' in i.request.example.query])).toEqual([
      [200, false],
      [200, true],
      [404, false],
      [404, true],
    ]);
  });

  it('uses examples that satisfy their contracts (requests and responses)', () => {
    for (const pact of PACTS) {
      for (const i of pact.interactions) {
        expect(
          checkMessage(i.request.message, i.request.example).violations.filter((v) => v.severity === 'error'),
          i.description,
        ).toEqual([]);
        if (i.response.message) expect(checkMessage(i.response.message, i.response.example, { profiles: ['click-to-pay'] }).ok, i.description).toBe(true);
      }
    }
  });

  it('derives every body matcher from the field metadata (patterns, enums, types, array bounds)', () => {
    let count = 0;
    for (const pact of PACTS) {
      for (const i of pact.interactions) {
        const w = written(pact, i);
        const checkRules = (
          rules: Record<string, { matchers: Record<string, unknown>[] }> | undefined,
          meta: FieldMeta,
          skip: ReadonlySet<string>,
          narrow: Readonly<Record<string, readonly string[]>> = {},
        ) => {
          for (const [jsonPath, rule] of Object.entries(rules ?? {})) {
            const path = fieldPathOf(jsonPath);
            if (skip.has(path)) continue;
            const field = fieldAt(meta, path);
            if (!field) throw new Error(`${i.description}: ${jsonPath} is no field of the contract`);
            const narrowed = narrow[path];
            expect(rule.matchers, `${i.description} ${jsonPath}`).toEqual([narrowed ? { match: 'regex', regex: enumRegex(narrowed) } : expectedMatcher(field)]);
            count++;
          }
        };
        const res = i.response;
        if (res.message) {
          const narrow = Object.fromEntries(Object.entries(res.narrow ?? {}).map(([p, n]) => [p, n.values]));
          checkRules(w.response.matchingRules?.body, res.message.field.meta, new Set(), narrow);
        }
        const bodyMeta = fieldAt(i.request.message.field.meta, 'body');
        const fromState = new Set(
          Object.keys(i.request.fromState ?? {})
            .filter((p) => p.startsWith('body.'))
            .map((p) => p.slice(5)),
        );
        const reqRules = (w.request.matchingRules as { body?: Record<string, { matchers: Record<string, unknown>[] }> } | undefined)?.body;
        if (i.request.form) {
          // Pact's own rule for a non-JSON body: its content type.
          expect(reqRules?.$?.matchers, i.description).toEqual([{ match: 'contentType', value: 'application/x-www-form-urlencoded' }]);
          fromState.add('');
        }
        if (bodyMeta) checkRules(reqRules, bodyMeta, fromState);
      }
    }
    expect(count).toBeGreaterThan(60);
    // Spot checks in plain sight.
    const known = written(D1_TO_ISSUER, D1_TO_ISSUER.interactions[1] as InteractionSpec);
    expect(known.response.matchingRules?.body?.['$.language']?.matchers).toEqual([{ match: 'regex', regex: toRustRegex(LANGUAGE.regex) }]);
    const final = D1_TO_ISSUER.interactions.find((x) => x.description.endsWith('is final')) as InteractionSpec;
    expect(written(D1_TO_ISSUER, final).response.matchingRules?.body?.['$.authenticationStatus']?.matchers).toEqual([
      { match: 'regex', regex: '^(AUTHENTICATED|AUTHENTICATION_FAILED|TECHNICAL_ERROR)$' },
    ]);
  });

  it('expects no body on 204s and none on the 401, and gives provider states with their parameters', () => {
    for (const pact of PACTS) {
      for (const i of pact.interactions) {
        const w = written(pact, i);
        if (i.response.status === 204 || i.response.status === 401) expect(w.response.body, i.description).toBeUndefined();
        if (i.state) expect(w.providerStates, i.description).toEqual([{ name: i.state.name, params: i.state.params }]);
      }
    }
    const states = new Set(D1_TO_ISSUER.interactions.map((i) => i.state?.name));
    expect(states).toEqual(
      new Set([
        undefined,
        'consumer {consumerId} exists',
        'consumer {consumerId} exists with card {cardId}',
        'consumer {consumerId} does not exist',
        'authentication {authenticationId} is pending',
        'authentication {authenticationId} is final',
      ]),
    );
  });

  it('builds D1 -> issuer paths from provider-state values, and issuer -> D1 paths from the id patterns', () => {
    for (const i of D1_TO_ISSUER.interactions.filter((x) => x.state !== undefined)) {
      const w = written(D1_TO_ISSUER, i);
      expect(w.request.generators?.path, i.description).toMatchObject({
        type: 'ProviderState',
        expression: expect.stringContaining('${consumerId}') as unknown,
      });
    }
    const card = written(ISSUER_TO_D1, ISSUER_TO_D1.interactions.find((x) => x.endpoint === 'd1.registerCard') as InteractionSpec);
    expect(card.request.matchingRules?.path).toEqual({
      combine: 'AND',
      matchers: [{ match: 'regex', regex: '^/banking/v2/issuers/[^/]{10,10}/cards/(?:[A-Za-z0-9_-]{1,48})$' }],
    });
    expect(JSON.stringify(card.request.matchingRules)).toContain('$.encryptedData');
  });

  it("serves D1 as one Pact mock server for an issuer team's client: the contract's calls pass, a bad JWE does not", async () => {
    const answers = await withD1MockServer(async (url) => Promise.all(ISSUER_TO_D1.interactions.map(async (i) => (await exercise(i, url)).status)));
    expect(answers).toEqual(ISSUER_TO_D1.interactions.map((i) => i.response.status));
    const card = ISSUER_TO_D1.interactions.find((i) => i.endpoint === 'd1.registerCard') as InteractionSpec;
    const clearPan = {
      ...card,
      request: {
        ...card.request,
        example: { ...card.request.example, body: { ...(card.request.example.body as object), encryptedData: '{"pan":"4111111111111111"}' } },
      },
    };
    await expect(withD1MockServer(async (url) => exercise(clearPan, url), { only: ['d1.registerCard'] })).rejects.toThrow(/encryptedData/);
  });
});
