import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { checkJson, lineColumn } from '../../src/core/config/json-syntax.js';
import { MAX_CONFIG_BYTES, MAX_CONFIG_DEPTH, readConfigFile } from '../../src/core/config/load-config.js';
import { MAX_CONSUMERS } from '../../src/core/config/run-config.js';
import { ConfigurationError } from '../../src/core/errors/index.js';

/**
 * Issue 12 items 6, 14 (config), 17: a hostile or broken config file is one line naming the file,
 * exit 2, never its text (a secret may stand next to the error) and never "internal error".
 */

const CANARY = 'canary-secret-0xC0FFEE';
const dir = mkdtempSync(join(tmpdir(), 'd1c-config-'));
let n = 0;

function configFile(text: string | Buffer): string {
  const file = join(dir, `config-${++n}.json`);
  writeFileSync(file, text);
  return file;
}

/** `run --config FILE` in-process; a target is given so no reference issuer starts. */
async function run(file: string, command = 'run'): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    [command, '--config', file, '--out', join(dir, 'out')],
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out, err };
}

function expectOneLine(r: { code: number; out: string[]; err: string[] }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).not.toContain('\n');
  expect(r.err[0]).not.toMatch(/internal error|\bat .+:\d+:\d+/);
  expect(r.err[0]).toMatch(pattern);
}

const VALID = {
  target: { baseUrl: 'http://127.0.0.1:9', issuerId: 'ISSUER0001' },
  auth: { mode: 'oauth', clientId: 'client', clientSecret: CANARY },
  testData: { consumers: [{ consumerId: 'cons-0001' }] },
};

describe('a malformed config file', () => {
  it.each([
    ['an unquoted secret', `{"auth": {"mode": "oauth", "clientSecret": ${CANARY}}}`, /line 1, column 44\)$/],
    ['a secret before a trailing comma', `{\n  "auth": {\n    "clientSecret": "${CANARY}",\n  }\n}`, /line 4, column 3\)$/],
    ['an unterminated secret', `{"auth": {"clientSecret": "${CANARY}`, /line 1, column 50\)$/],
    ['a control character in the secret', `{"s": "${CANARY}\u0001"}`, /line 1, column 30\)$/],
  ])('with %s: line and column only, never the text', async (_name, text, where) => {
    const r = await run(configFile(text));
    expectOneLine(r, /is not valid JSON \(line \d+, column \d+\)$/);
    expect(r.err[0]).toMatch(where);
    for (const part of [CANARY, CANARY.slice(0, 9), 'canary']) expect(r.err.join('\n')).not.toContain(part);
  });

  it.each([
    ['null', 'null', 'not null'],
    ['a number', '42', 'not a number'],
    ['an array', '[{"target": {}}]', 'not an array'],
    ['a string', `"${CANARY}"`, 'not a string'],
  ])('holding %s: a config error, not an internal error', async (_name, text, what) => {
    const r = await run(configFile(text));
    expectOneLine(r, new RegExp(`must hold a JSON object, ${what}$`));
    expect(r.err[0]).not.toContain(CANARY);
  });

  it('holding a number, for client-check too (it used to run with the defaults)', async () => {
    expectOneLine(await run(configFile('42'), 'client-check'), /must hold a JSON object, not a number$/);
  });

  it.each([
    ['arrays', '['.repeat(100_000) + ']'.repeat(100_000)],
    ['objects', '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000)],
  ])('nested 100k deep in %s: a config error', async (_name, text) => {
    expectOneLine(await run(configFile(text)), new RegExp(`nests deeper than ${MAX_CONFIG_DEPTH} levels \\(line 1, column \\d+\\)$`));
  });

  it('larger than 1 MiB: refused before it is parsed', async () => {
    const big = JSON.stringify({ ...VALID, padding: 'x'.repeat(MAX_CONFIG_BYTES) });
    expectOneLine(await run(configFile(big)), /is larger than 1 MiB \(1048576 bytes\)$/);
  });

  it(`with more than ${MAX_CONSUMERS} consumers: the key named, the cap given`, async () => {
    const consumers = Array.from({ length: MAX_CONSUMERS + 1 }, (_, i) => ({ consumerId: `c${i}` }));
    const r = await run(configFile(JSON.stringify({ ...VALID, testData: { consumers } })));
    expectOneLine(r, new RegExp(`config key testData\\.consumers: at most ${MAX_CONSUMERS} consumers$`));
  });

  it('with more than 100 cards for a consumer: the key named', async () => {
    const cardIds = Array.from({ length: 101 }, (_, i) => `card-${i}`);
    const r = await run(configFile(JSON.stringify({ ...VALID, testData: { consumers: [{ consumerId: 'c1', cardIds }] } })));
    expectOneLine(r, /config key testData\.consumers\.0\.cardIds: at most 100 cards per consumer$/);
  });

  it('not UTF-8, or missing: one line', async () => {
    expectOneLine(await run(configFile(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))), /is not UTF-8 text$/);
    expectOneLine(await run(join(dir, 'missing.json')), /cannot read config file .*missing\.json \(ENOENT\)$/);
  });

  it('a valid file (with a byte order mark) is read as an object', async () => {
    await expect(readConfigFile(configFile(`\uFEFF${JSON.stringify(VALID)}`))).resolves.toEqual(VALID);
    await expect(readConfigFile(configFile('{'))).rejects.toBeInstanceOf(ConfigurationError);
  });
});

describe('checkJson', () => {
  it('accepts what JSON.parse accepts (property)', () => {
    fc.assert(
      fc.property(fc.json({ depthSize: 'small' }), (text) => {
        expect(checkJson(text, 1000)).toBeUndefined();
      }),
      { seed: 12, numRuns: 300 },
    );
  });

  it('refuses exactly what JSON.parse refuses (property)', () => {
    const mutated = fc
      .tuple(fc.json({ depthSize: 'small' }), fc.nat(), fc.constantFrom('', ',', '}', ']', '"', '\\', 'x', '\u0001', ':', '-', '0', ' ', '{', '['))
      .map(([text, at, insert]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + (insert === '' ? 1 : 0));
      });
    fc.assert(
      fc.property(mutated, (text) => {
        let parses = true;
        try {
          JSON.parse(text);
        } catch {
          parses = false;
        }
        expect(checkJson(text, 1000) === undefined).toBe(parses);
      }),
      { seed: 12, numRuns: 1000 },
    );
  });

  it('gives 1-based lines and columns', () => {
    expect(lineColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
    expect(lineColumn('x', 0)).toEqual({ line: 1, column: 1 });
    expect(checkJson('{"a": 1,}', 10)).toEqual({ kind: 'syntax', offset: 8 });
    expect(checkJson('[[1]]', 1)).toEqual({ kind: 'depth', offset: 1 });
  });
});
