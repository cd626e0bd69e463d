import { createHash } from 'node:crypto';
import { UsageError } from '../core/errors/index.js';
import { loadWaivers, type Waiver } from '../core/results/waivers.js';
import { loadAttestations, type CheckedAttestation } from '../core/results/attestations.js';
import { parseFormats } from '../outputs/report/index.js';
import { verificationBroker } from '../server-side/pact/broker.js';
import type { PactVerifyOptions } from '../server-side/pact/verify-step.js';

/**
 * The flags several commands share, parsed in one place: which issuer (`run`, `verify-pacts`),
 * how long and how fast, the reports (`--out --report --waivers --fail-on`), the pact step.
 */

/** `--max-time SECONDS` and `--rate-limit N[/s]` as configuration (timeouts.runMs, limits.ratePerSecond). */
export function limitFlags(values: {
  'max-time'?: string | undefined;
  'rate-limit'?: string | undefined;
  concurrency?: string | undefined;
}): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  const limits: Record<string, number> = {};
  if (values.concurrency !== undefined) limits.concurrency = integerFlag('--concurrency', values.concurrency, 32);
  if (values['max-time'] !== undefined) flags.timeouts = { runMs: integerFlag('--max-time', values['max-time'], 86_400) * 1000 };
  if (values['rate-limit'] !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(?:\/s)?$/.exec(values['rate-limit']);
    const rate = Number(m?.[1]);
    if (!m || !(rate > 0) || rate > 10_000)
      throw new UsageError(`--rate-limit must be requests per second, e.g. 5/s (at most 10000); got "${values['rate-limit']}"`);
    limits.ratePerSecond = rate;
  }
  if (Object.keys(limits).length > 0) flags.limits = limits;
  return flags;
}

/** `--target` and `--issuer-id` as configuration (flags override the file). */
export function targetFlags(values: { target?: string | undefined; 'issuer-id'?: string | undefined }): Record<string, unknown> {
  const flags: Record<string, unknown> = {};
  if (values.target !== undefined || values['issuer-id'] !== undefined) {
    flags.target = {
      ...(values.target !== undefined ? { baseUrl: values.target } : {}),
      ...(values['issuer-id'] !== undefined ? { issuerId: values['issuer-id'] } : {}),
    };
  }
  return flags;
}

/** No target anywhere (or a --variant): the bundled reference issuer is started for the run. */
export function wantsReference(values: { target?: string | undefined; variant?: string | undefined }, fromFile: unknown): boolean {
  return values.variant !== undefined || (values.target === undefined && (fromFile as { target?: unknown }).target === undefined);
}

/**
 * A target of one's own needs its auth from a config file (flags carry no secrets): said plainly,
 * rather than the schema's "auth: mode" once the empty auth reaches it.
 */
export function requireTargetAuth(reference: boolean, fromFile: Record<string, unknown>): void {
  if (reference || fromFile.auth !== undefined) return;
  throw new UsageError(
    'a target of your own needs its auth in a config file (--config FILE: auth.mode oauth with clientId and clientSecret, or none); `d1-conformance init` writes a starter',
  );
}

/** A whole-number flag, at most `max` (the configuration's own limit, named here so the message is right). */
export function integerFlag(name: string, value: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${name} must be a whole number; got "${value.slice(0, 40)}"`);
  const n = Number(value);
  if (n > max) throw new UsageError(`${name} must be at most ${max}; got ${value.length > 20 ? `a ${value.length}-digit number` : value}`);
  return n;
}

/** The largest seed taken as it is (CI run ids fit); a larger whole number is hashed into this range. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * `--seed N`: any whole number. Up to 2^53-1 it is the seed itself (a CI run id works as it is);
 * a larger one is hashed (SHA-256, the first 52 bits), so the same text always gives the same run.
 */
export function seedFlag(value: string): { seed: number; hashed: boolean } {
  if (!/^\d+$/.test(value)) throw new UsageError(`--seed must be a whole number; got "${value.slice(0, 40)}"`);
  const n = Number(value);
  if (n <= MAX_SEED) return { seed: n, hashed: false };
  const digest = createHash('sha256').update(value.replace(/^0+/, '')).digest();
  return { seed: Number(digest.readBigUInt64BE(0) >> 12n), hashed: true };
}

/** `--shard i/n`: this run takes every n-th suite file, from the i-th. */
export function parseShard(value: string): { index: number; total: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const total = Number(m?.[2]);
  if (!m || index < 1 || total < 1 || index > total) throw new UsageError(`--shard must be i/n with 1 <= i <= n; got "${value}"`);
  return { index, total };
}

export interface ReportFlags {
  readonly out: string | undefined;
  readonly formats: readonly string[];
  readonly failOn: 'must' | 'should';
  readonly waivers: readonly Waiver[];
  readonly attestations: readonly CheckedAttestation[];
}

export async function reportFlags(
  values: {
    out?: string | undefined;
    report?: string | undefined;
    waivers?: string | undefined;
    attestations?: string | undefined;
    'fail-on'?: string | undefined;
  },
  failOnDefault: string = 'must',
): Promise<ReportFlags> {
  const formats = parseFormats(values.report);
  const failOn = values['fail-on'] ?? failOnDefault;
  if (failOn !== 'must' && failOn !== 'should') throw new UsageError(`--fail-on must be must or should; got "${failOn}"`);
  const waivers = values.waivers !== undefined ? await loadWaivers(values.waivers) : [];
  const attestations = values.attestations !== undefined ? await loadAttestations(values.attestations) : [];
  return { out: values.out, formats, failOn, waivers, attestations };
}

/** The pact flags `run` and `verify-pacts` share. */

export function pactVerifyOptions(values: {
  'provider-states-url'?: string | undefined;
  'broker-url'?: string | undefined;
  'provider-version'?: string | undefined;
  'provider-branch'?: string | undefined;
  'consumer-version-selectors'?: string | undefined;
  'enable-pending'?: boolean | undefined;
  'include-wip-pacts-since'?: string | undefined;
}): PactVerifyOptions {
  const url = values['provider-states-url'];
  if (url !== undefined && !/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError(`--provider-states-url must be an http(s) URL; got "${url}"`);
  const broker = verificationBroker(values);
  return { ...(url !== undefined ? { providerStatesUrl: url } : {}), ...(broker ? { broker } : {}) };
}
