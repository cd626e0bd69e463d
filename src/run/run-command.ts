import { randomInt } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RULEBOOK_HASH, RULEBOOK_VERSION, RULES } from '../../contracts/index.js';
import { merge, parseConfig, readConfigFile } from '../config/load-config.js';
import type { RunConfig } from '../config/run-config.js';
import { TargetError, UsageError } from '../errors/index.js';
import { createHttpClient } from '../http/client.js';
import { aggregateRules, summarize } from '../results/aggregate.js';
import { Report } from '../results/model.js';
import { TOOL_VERSION } from '../version.js';
import { consoleSummary } from './console-summary.js';

export interface RunOutput {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/**
 * `d1-conformance run`: certify an issuer backend as a server. With no target it starts the
 * bundled reference issuer, so a first run shows a real report. Exit code 0 when no MUST rule
 * failed, 1 when one did, 2 when the run could not do its job.
 */
export async function runCommand(args: readonly string[], io: RunOutput): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: 'string' },
      target: { type: 'string' },
      'issuer-id': { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      profile: { type: 'string', multiple: true },
      runs: { type: 'string' },
      variant: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });

  const fromFile = values.config !== undefined ? await readConfigFile(values.config) : {};
  const flags: Record<string, unknown> = {};
  if (values.target !== undefined || values['issuer-id'] !== undefined) {
    flags.target = { ...(values.target !== undefined ? { baseUrl: values.target } : {}), ...(values['issuer-id'] !== undefined ? { issuerId: values['issuer-id'] } : {}) };
  }
  if (values.seed !== undefined) flags.seed = integerFlag('--seed', values.seed);
  if (values.runs !== undefined) flags.cases = { propertyRuns: integerFlag('--runs', values.runs) };
  if (values.profile !== undefined) flags.profiles = values.profile.flatMap((p) => p.split(','));

  const wantsReference = values.variant !== undefined || (values.target === undefined && (fromFile as { target?: unknown }).target === undefined);
  const reference = wantsReference ? await (await import('./reference-target.js')).startReferenceTarget(values.variant) : undefined;
  try {
    const config = parseConfig(merge(merge(reference?.config ?? {}, fromFile), flags));
    return await certify(config, reference !== undefined, values.out, io);
  } finally {
    await reference?.issuer.close();
  }
}

function integerFlag(name: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number; got "${value}"`);
  return Number(value);
}

async function certify(config: RunConfig, reference: boolean, outFlag: string | undefined, io: RunOutput): Promise<number> {
  const seed = config.seed ?? randomInt(2 ** 31 - 1);
  const startedAt = new Date();
  const outDir = resolve(outFlag ?? join('reports', startedAt.toISOString().replace(/[:.]/g, '-')));
  await mkdir(outDir, { recursive: true });
  await preflight(config);

  io.err(`d1-conformance run: ${config.target.baseUrl} (issuerId ${config.target.issuerId})${reference ? ', bundled reference issuer' : ''}, seed ${seed}`);
  const progress = process.stderr.isTTY ? io.err : () => undefined;
  const { runSuites } = await import('./vitest-runner.js');
  const { results, errors } = await runSuites({ config, seed, reference }, progress);
  const finishedAt = new Date();

  const profiles = config.profiles;
  const rules = aggregateRules(RULES, results, 'issuer-as-server', profiles);
  const report = Report.parse({
    tool: { name: 'd1-conformance', version: TOOL_VERSION },
    rulebook: { version: RULEBOOK_VERSION, hash: RULEBOOK_HASH },
    direction: 'issuer-as-server',
    target: { baseUrl: config.target.baseUrl, issuerId: config.target.issuerId, reference },
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    seed,
    profiles,
    policies: config.policies,
    summary: summarize(rules, results),
    rules,
    results,
    errors,
  });
  const reportPath = join(outDir, 'report.json');
  await writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  io.out(consoleSummary(report, reportPath));

  if (errors.length > 0) return 2;
  if (results.every((r) => r.status === 'SKIPPED')) return 2;
  return report.summary.verdict === 'FAILED' ? 1 : 0;
}

/** The target must answer at all before a run means anything: a dead target is exit 2, not 200 findings. */
async function preflight(config: RunConfig): Promise<void> {
  const client = createHttpClient({ timeoutMs: config.timeouts.requestMs });
  try {
    const url = config.auth.mode === 'oauth' ? new URL(config.auth.tokenUrl, config.target.baseUrl).toString() : config.target.baseUrl;
    const exchange = await client.send({ method: config.auth.mode === 'oauth' ? 'POST' : 'GET', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: config.auth.mode === 'oauth' ? '' : undefined });
    if (exchange.transportError !== undefined) {
      const what = config.auth.mode === 'oauth' ? 'token endpoint' : 'target';
      throw new TargetError(`${what} ${url} is not usable: ${exchange.transportError}`);
    }
  } finally {
    await client.close();
  }
}
