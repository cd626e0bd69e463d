import { z } from 'zod';
import { RunConfig } from '../config/run-config.js';

/**
 * What the CLI hands the suites: the validated configuration and the run's seed. It travels in
 * one environment variable of the vitest workers (never on disk, since it holds the secret).
 */
export const RUN_INPUT_ENV = 'D1_CONFORMANCE_RUN';

export const RunInput = z.strictObject({
  config: RunConfig,
  seed: z.number().int(),
  reference: z.boolean(),
  /** Epoch ms past which no call is sent: the run's start plus --max-time, less the time to write its reports. */
  deadlineAt: z.number().int().nonnegative(),
});
export type RunInput = z.infer<typeof RunInput>;

export function encodeRunInput(input: RunInput): string {
  return JSON.stringify(input);
}

export function readRunInput(env: NodeJS.ProcessEnv = process.env): RunInput {
  const raw = env[RUN_INPUT_ENV];
  if (raw === undefined) throw new Error(`${RUN_INPUT_ENV} is not set: run the suites with \`d1-conformance run\``);
  return RunInput.parse(JSON.parse(raw));
}
