import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { BUILTIN_ENDPOINTS, builtinSnapshot } from '../../src/core/spec-change/builtin.js';
import { BASELINE_OPENAPI, loadRulebook } from '../../src/core/spec-change/load-rulebook.js';
import { derivedRuleId, importOpenApi, openApiDocuments } from '../../src/core/spec-change/openapi-import.js';

/**
 * `import-openapi`: D1's own OpenAPI (seed 004, with its quirks) becomes the built-in rules, one by
 * one: the same key (message, path, kind), the same value, the same rule id. What the rulebook
 * adds beyond the seed is kept; a field it does not know gets an id derived from its key.
 */

const SEEDS = join(import.meta.dirname, '../../fixtures/spec-sources/seeds');
const seedText = readFileSync(join(SEEDS, readdirSync(SEEDS).find((f) => f.startsWith('004_')) ?? 'missing'), 'utf8');
const noYaml = (): never => {
  throw new Error('not YAML here');
};
const docs = openApiDocuments(seedText, noYaml);
const base = builtinSnapshot();
const imported = importOpenApi(docs, base, BUILTIN_ENDPOINTS);
const builtinByKey = new Map(base.constraints.map((c) => [c.key, c]));

describe('import-openapi of seed 004', () => {
  it('reads the five OpenAPI documents of the D1 page and covers its five endpoints', () => {
    expect(docs).toHaveLength(5);
    expect(imported.covered.sort()).toEqual(['issuer.authenticate', 'issuer.deliverOtp', 'issuer.getAuthenticationResult', 'issuer.getConsumerInfo', 'issuer.notifyConsumerOperation']);
    expect(imported.newEndpoints).toEqual([]);
    expect(imported.newRules).toEqual([]);
    expect(imported.constraints.length).toBeGreaterThan(200);
  });

  it.each(imported.constraints.map((c) => [c.key, c] as const))('%s is the built-in constraint: same value, same rule id', (_key, c) => {
    const builtin = builtinByKey.get(c.key);
    expect(builtin, `${c.key} should be a built-in constraint`).toBeDefined();
    expect(builtin?.value).toEqual(c.value);
    expect(builtin?.ruleId).toBe(c.ruleId);
  });

  it("takes the page's quirks as they come: a query string in the path key, an undefined $ref, oneOf detail objects", () => {
    const keys = new Set(imported.constraints.map((c) => c.key));
    // `/consumers/{consumerId}?cardId=<cardId>` is the Get Consumer Information endpoint, cardId a query parameter.
    expect(keys.has('issuer.getConsumerInfo.request|query.cardId|pattern')).toBe(true);
    expect(keys.has('issuer.getConsumerInfo||endpoint')).toBe(true);
    expect(imported.notes.map((n) => n.text)).toEqual([expect.stringContaining('#/components/parameters/x-correlation-id is not defined')]);
    // Authenticate's details is a oneOf of one variant object: its properties are the body's.
    expect(keys.has('issuer.authenticate.request|body.details.panSuffix|minLength')).toBe(true);
  });

  it('the baseline shipped with the package is the seed page\'s JSON, and importing it gives the built-in rulebook, hash included', () => {
    expect(JSON.parse(readFileSync(BASELINE_OPENAPI, 'utf8'))).toEqual(docs);
    const whole = loadRulebook(BASELINE_OPENAPI).snapshot;
    expect(whole.constraints).toEqual(base.constraints);
    expect(whole.hash).toBe(base.hash);
    // Rules no OpenAPI carries are kept: the x-correlation-id header of the fact tables, hygiene and behaviour rules.
    expect(whole.constraints.some((c) => c.key === 'issuer.getConsumerInfo.request|headers.x-correlation-id|pattern')).toBe(true);
    expect(whole.rules.map((r) => r.id)).toEqual(base.rules.map((r) => r.id));
  });

  it('names a field the rulebook does not know with an id derived from its key: the same in every version', () => {
    const widened = loadRulebook(join(import.meta.dirname, '../../fixtures/spec-versions/2027-02-new-optional-fields/openapi.json')).snapshot;
    const again = loadRulebook(join(import.meta.dirname, '../../fixtures/spec-versions/2027-02-new-optional-fields/openapi.json')).snapshot;
    const preferred = widened.constraints.find((c) => c.key === 'issuer.getConsumerInfo.response.200|preferredName|maxLength');
    expect(preferred?.ruleId).toBe(derivedRuleId('issuer-as-server', 'issuer.getConsumerInfo.response.200|preferredName'));
    expect(preferred?.ruleId).toMatch(/^OUT-OAS-[0-9A-F]{6}$/);
    expect(again.hash).toBe(widened.hash);
    // Its lengths and type are one rule (the field's), and the rule is listed with a title naming its source.
    expect(new Set(widened.constraints.filter((c) => c.path === 'preferredName').map((c) => c.ruleId)).size).toBe(1);
    expect(widened.rules.find((r) => r.id === preferred?.ruleId)?.title).toContain('D1 OpenAPI');
  });

  it('reads a YAML document like its JSON twin', () => {
    const json = join(import.meta.dirname, '../../fixtures/spec-versions/2027-03-new-status-values/openapi.json');
    const dir = mkdtempSync(join(tmpdir(), 'd1c-yaml-'));
    const files = (JSON.parse(readFileSync(json, 'utf8')) as unknown[]).map((doc, i) => {
      const file = join(dir, `part-${i}.yaml`);
      writeFileSync(file, stringify(doc));
      return file;
    });
    expect(loadRulebook(files.join(',')).snapshot.hash).toBe(loadRulebook(json).snapshot.hash);
  });
});
