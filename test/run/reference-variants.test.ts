import { describe } from 'vitest';
import { BROKEN_VARIANTS } from '../../fixtures/broken-issuers/index.js';
import { variantRuns } from './variant-runs.js';

/** The second half of the broken variants' whole runs (the first: reference-run.test.ts). */
describe('d1-conformance run', () => {
  variantRuns(BROKEN_VARIANTS.slice(Math.ceil(BROKEN_VARIANTS.length / 2)));
});
