import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMITTED_PACTS_DIR, normalisePact } from '../../src/core/pact/files.js';
import { generatePacts } from '../../src/core/pact/generate.js';

/**
 * contracts/pacts/ holds the pact files as `npm run pacts` writes them from the rulebook. A change
 * to a contract, a pattern, a generator or the interactions that is not followed by
 * `npm run pacts` fails here: the committed contract would no longer be the rulebook's.
 */
describe('the committed pact files', () => {
  it('are exactly what the rulebook generates (npm run pacts)', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-pact-drift-'));
    const { files } = await generatePacts(dir);
    const names = files.map((f) => f.slice(dir.length + 1)).sort();
    expect(
      readdirSync(COMMITTED_PACTS_DIR)
        .filter((f) => f.endsWith('.json'))
        .sort(),
      'files in contracts/pacts/',
    ).toEqual(names);
    for (const name of names) {
      const fresh = normalisePact(JSON.parse(readFileSync(join(dir, name), 'utf8')));
      const committed = normalisePact(JSON.parse(readFileSync(join(COMMITTED_PACTS_DIR, name), 'utf8')));
      expect(committed, `contracts/pacts/${name} drifted from the rulebook: run npm run pacts`).toEqual(fresh);
    }
  });

  it('normalise away only the writer versions', () => {
    const pact = {
      consumer: { name: 'D1' },
      interactions: [],
      metadata: { 'pact-js': { version: '1' }, pactRust: { ffi: '0' }, pactSpecification: { version: '4.0' } },
    };
    expect(normalisePact(pact)).toEqual({ consumer: { name: 'D1' }, interactions: [], metadata: { pactSpecification: { version: '4.0' } } });
    expect(normalisePact({ ...pact, consumer: { name: 'other' } })).not.toEqual(normalisePact(pact));
  });
});
