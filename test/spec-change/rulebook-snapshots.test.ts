import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULEBOOK_VERSION } from '../../contracts/index.js';
import { builtinSnapshot } from '../../src/core/spec-change/builtin.js';
import { loadRulebook, snapshotFile } from '../../src/core/spec-change/load-rulebook.js';
import { RulebookSnapshot } from '../../src/core/spec-change/snapshot.js';
import { runMain } from '../cli/run-cli.js';

/**
 * Each released rulebook ships as comparable constraints (contracts/rulebooks/<version>.json), so
 * that `diff 2026.12.2 builtin` and `run --since 2026.12.2` work by name in later versions.
 */
describe('rulebook snapshots', () => {
  it('the current version is shipped, and is what the contracts state (npm run rulebook-snapshot when this fails)', () => {
    const shipped = RulebookSnapshot.parse(JSON.parse(readFileSync(snapshotFile(RULEBOOK_VERSION), 'utf8')));
    expect(shipped).toEqual(builtinSnapshot());
  });

  it('every shipped snapshot is valid and named by its own version', () => {
    const dir = join(import.meta.dirname, '../../contracts/rulebooks');
    for (const file of readdirSync(dir)) {
      const snapshot = RulebookSnapshot.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
      expect(file).toBe(`${snapshot.version}.json`);
      expect(loadRulebook(snapshot.version).snapshot.hash).toBe(snapshot.hash);
    }
  });

  it('an unknown version is one line and exit 2', async () => {
    const { code, stderr } = await runMain(['diff', '2025.1.0', 'builtin']);
    expect(code).toBe(2);
    expect(stderr).toContain('no such version shipped');
  });
});
