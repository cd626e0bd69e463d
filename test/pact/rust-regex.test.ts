import fc from 'fast-check';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import * as patterns from '../../contracts/patterns.js';
import { allowedChars, type PatternDef } from '../../src/core/rulebook/pattern.js';
import { toRustRegex } from '../../src/core/pact/rust-regex.js';

/**
 * Every D1 pattern goes into the pact files converted to Rust syntax. These tests prove the
 * conversion keeps the meaning: each converted pattern is put in a real Pact mock server (the
 * Rust regex engine Pact uses to match) and must accept and reject exactly the samples the
 * JavaScript pattern accepts and rejects.
 */

const PATTERNS = Object.values(patterns).filter((p): p is PatternDef => typeof p === 'object' && 'regex' in p);

/** Values where JS and Rust regexes are known to differ if a pattern is carried over naively. */
const TRAPS = [
  '',
  ' ',
  '\n',
  'en-US\n',
  '\nen-US',
  'fr-FR',
  '١٩٩٠-01-25',
  '1990-01-25',
  '１２３',
  '٣٤',
  '0033',
  '+33',
  '+33\n',
  'é',
  '\u0600',
  '\u06FF',
  '\u0700',
  '𠀋',
  'a\u2028b',
  'abc/def',
  'a&b',
  'a~b',
  'a--b',
  "O'Brien",
  'Ab_-9',
  'x'.repeat(65),
  'Basic aXNfdGJhbmswMToxMjM=',
  'Bearer a.b~c/d+e=',
  'a.b.c',
  'a..c.d.e',
  'john.smith@example.com',
  'john..smith@example.com',
  'SW1A 1AA',
];

function samplesOf(p: PatternDef): string[] {
  const chars = allowedChars(p);
  const base = p.validSamples?.[0] ?? chars.slice(0, 3).join('');
  const generated = fc.sample(fc.stringMatching(p.regex), { seed: 7, numRuns: 12 });
  return [
    ...new Set([
      ...(p.validSamples ?? []),
      ...(p.invalidSamples ?? []),
      ...chars,
      ...(p.forbidden ?? []).map((f) => `${base.slice(0, 1)}${f}${base.slice(1)}`),
      ...generated,
      ...TRAPS,
    ]),
  ];
}

describe('toRustRegex', () => {
  it('rewrites what Rust reads differently and keeps the rest', () => {
    expect(toRustRegex(patterns.NAME128.regex)).toBe("^[\\p{L}\\p{N}\\x{0600}-\\x{06FF} ,.'_#;:/-]{1,128}$");
    expect(toRustRegex(patterns.DATE_OF_BIRTH.regex)).toBe('^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[0-1])$');
    expect(toRustRegex(patterns.EMAIL.regex)).toBe('^[a-zA-Z0-9_+\\&*-]+(?:\\.[a-zA-Z0-9_+\\&*-]+)*@(?:[a-zA-Z0-9-]+\\.)+[a-zA-Z]{2,15}$');
    expect(toRustRegex(patterns.BEARER.regex)).toBe('^[Bb][Ee][Aa][Rr][Ee][Rr] [A-Za-z0-9._\\~+/-]+=*$');
    expect(toRustRegex(/^a.b$/)).toBe('^a[^\\n\\r\\x{2028}\\x{2029}]b$');
    expect(toRustRegex(/^[\d\]]+$/i)).toBe('(?i)^[0-9\\]]+$');
    expect(toRustRegex(/^\x41$/)).toBe('^\\x{41}$');
  });

  it('refuses what has no safe rewrite', () => {
    for (const re of [/^\w+$/, /^\s$/, /\bx/, /^(?=a)a$/, new RegExp('^[!--]$'), /^(a)\1$/]) expect(() => toRustRegex(re), String(re)).toThrow();
  });

  it('accepts and rejects every sample like JavaScript does, in the Pact mock server (Rust regex)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-rx-'));
    const disagreements: string[] = [];
    let checked = 0;
    for (const p of PATTERNS) {
      const samples = samplesOf(p);
      const example = samples.find((s) => p.regex.test(s));
      if (example === undefined) throw new Error(`${p.name}: no valid sample`);
      const pact = new PactV4({ consumer: 'regex-probe', provider: 'rust', dir, logLevel: 'error' });
      const interaction = pact
        .addInteraction()
        .uponReceiving(`a value for ${p.name}`)
        .withRequest('POST', '/match', (b) => b.jsonBody({ v: MatchersV3.regex(toRustRegex(p.regex), example) }))
        .willRespondWith(200);
      // The mismatched samples make executeTest fail at the end, by design: the statuses are the result.
      await interaction
        .executeTest(async (mock) => {
          const agent = new Agent({ pipelining: 0 });
          try {
            for (const s of samples) {
              const res = await request(`${mock.url}/match`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ v: s }),
                dispatcher: agent,
              });
              await res.body.dump();
              const rust = res.statusCode === 200;
              const js = p.regex.test(s);
              checked++;
              if (rust !== js) disagreements.push(`${p.name} ${JSON.stringify(s)}: JS ${String(js)}, Rust ${String(rust)}`);
            }
          } finally {
            await agent.close();
          }
        })
        .catch(() => undefined);
    }
    expect(disagreements).toEqual([]);
    expect(checked).toBeGreaterThan(PATTERNS.length * 30);
  });
});
