import { build, isStale } from '../scripts/build.mjs';

/**
 * Before the e2e tests: the build the bin runs is made fresh once, so that the processes the tests
 * start (two files at once) do not each rebuild it.
 */
export default async function setup(): Promise<void> {
  if (isStale()) await build();
}
