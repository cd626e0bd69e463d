import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { parseConfig, readRunConfigFile } from '../../core/config/load-config.js';
import { RunConfig } from '../../core/config/run-config.js';
import { RulebookSnapshot } from '../../core/spec-change/snapshot.js';

/**
 * What a run hands the suites: the validated configuration, the seed and the deadline.
 * `d1-conformance run` passes it to the in-process runner; a suite host of the user's own (vitest,
 * src/server-side/harness/vitest-host.ts) reads it from the environment: D1_CONFORMANCE_CONFIG names a
 * configuration file (the usual way), or D1_CONFORMANCE_RUN carries the whole input as JSON.
 */
export const RUN_INPUT_ENV = 'D1_CONFORMANCE_RUN';
export const CONFIG_FILE_ENV = 'D1_CONFORMANCE_CONFIG';

export const RunInput = z.strictObject({
  config: RunConfig,
  seed: z.number().int(),
  reference: z.boolean(),
  /** Epoch ms past which no call is sent: the run's start plus --max-time, less the time to write its reports. */
  deadlineAt: z.number().int().nonnegative(),
  /** A targeted re-run (`run --since`): only these endpoints are called. */
  endpoints: z.array(z.string()).optional(),
  /** Another rulebook than the built-in one (`run --rulebook`): response bodies are checked under its constraints. */
  rulebook: RulebookSnapshot.optional(),
});
export type RunInput = z.infer<typeof RunInput>;

export function encodeRunInput(input: RunInput): string {
  return JSON.stringify(input);
}

/** The run input of a suite host of the user's own, from the environment (see above). */
export async function runInputFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<RunInput> {
  const raw = env[RUN_INPUT_ENV];
  if (raw !== undefined) return RunInput.parse(JSON.parse(raw));
  const file = env[CONFIG_FILE_ENV];
  if (file === undefined) throw new Error(`set ${CONFIG_FILE_ENV} to your d1-conformance configuration file (or run the suites with \`d1-conformance run\`)`);
  const config = parseConfig(await readRunConfigFile(file), env);
  return { config, seed: config.seed ?? randomInt(2 ** 31 - 1), reference: false, deadlineAt: Date.now() + config.timeouts.runMs };
}
