import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A user's clone has nothing beside it: no code or test may read the workspace's shared spec
 * folder. The seeds a test needs are copied into fixtures/spec-sources/.
 */

const ROOT = join(import.meta.dirname, '../..');
const DIRS = ['src', 'suites', 'contracts', 'fixtures', 'test', 'scripts', 'bench', 'bin'];
// A path climbing out of the repository to the shared folder, or naming the workspace's copy
// (built from parts so this file does not match itself; contracts/shared/ is the repository's own).
const OUTSIDE = new RegExp(['(\\.\\./){2,}', 'shared\\b', '|/work/', 'shared\\b'].join(''));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|js|mjs|cjs|json)$/.test(name) ? [path] : [];
  });
}

describe('the repository is self-contained', () => {
  it('no source, suite, fixture, test or script refers to the shared spec folder outside the repository', () => {
    const offenders = DIRS.flatMap((d) => files(join(ROOT, d))).filter((f) => OUTSIDE.test(readFileSync(f, 'utf8')));
    expect(offenders.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
