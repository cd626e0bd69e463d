/**
 * The rulebook's version: the Pact consumer version and every report name it. It moves with the
 * content: test/contracts/rulebook-version.test.ts fails when the rulebook's hash changes and this
 * version does not (contracts/rulebook-versions.json records each version's hash).
 */
export const RULEBOOK_VERSION = '2026.12.2';
