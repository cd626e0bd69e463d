// `npm run rulebook-snapshot`: writes the built-in rulebook of this version as comparable
// constraints (contracts/rulebooks/<version>.json), so that a later version can `diff` against
// it by name. test/spec-change/rulebook-snapshots.test.ts fails when it is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { builtinSnapshot } from '../src/core/spec-change/builtin.js';
import { snapshotFile } from '../src/core/spec-change/load-rulebook.js';

const snapshot = builtinSnapshot();
const file = snapshotFile(snapshot.version);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify(snapshot, null, 1)}\n`);
console.log(`wrote rulebook ${snapshot.version} (${snapshot.constraints.length} constraints) to ${file}`);
