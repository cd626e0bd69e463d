import { z } from 'zod';
import { UsageError } from '../../core/errors/index.js';
import { BROKER_ENV, type BrokerCredentials } from '../../core/pact/broker-client.js';
import type { BrokerSettings, ConsumerVersionSelector } from './broker-options.js';

/**
 * The optional Pact Broker, from the flags and the environment. `verify-pacts` and `run` take the
 * pacts from it (the consumer version selectors, pending and WIP pacts as Pact's own verifiers
 * do) and the Pact Verifier publishes the results there; `pacts` publishes the generated pact
 * files to it (src/core/pact/broker-client.ts). The credentials only ever come from the
 * environment, with the Pact CLI's names: PACT_BROKER_TOKEN (a bearer token), or
 * PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (basic auth); never from a flag, never printed.
 */

export type { BrokerSettings } from './broker-options.js';
export { DEFAULT_CONSUMER_VERSION_SELECTORS } from './broker-options.js';

export const BROKER_TOKEN_ENV = BROKER_ENV.token;

export interface BrokerFlags {
  readonly 'broker-url'?: string | undefined;
  readonly 'provider-version'?: string | undefined;
  readonly 'provider-branch'?: string | undefined;
  readonly 'consumer-version-selectors'?: string | undefined;
  readonly 'enable-pending'?: boolean | undefined;
  readonly 'include-wip-pacts-since'?: string | undefined;
}

function brokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--broker-url must be an http(s) URL; got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--broker-url must be an http(s) URL; got "${value}"`);
  // A password in a flag ends up in shell histories and CI logs: credentials come from the environment.
  if (url.username !== '' || url.password !== '')
    throw new UsageError(
      `--broker-url must not carry a user or password; set ${BROKER_ENV.username} and ${BROKER_ENV.password} (or ${BROKER_ENV.token}) instead`,
    );
  return value.replace(/\/+$/, '');
}

/** The broker's credentials from the environment: a token, or a user name and password; exactly one kind. */
export function brokerCredentials(env: NodeJS.ProcessEnv = process.env): BrokerCredentials {
  const set = (name: string) => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const token = set(BROKER_ENV.token);
  const username = set(BROKER_ENV.username);
  const password = set(BROKER_ENV.password);
  if (token !== undefined && (username !== undefined || password !== undefined))
    throw new UsageError(`set either ${BROKER_ENV.token} or ${BROKER_ENV.username} and ${BROKER_ENV.password} for the broker, not both`);
  if (token !== undefined) return { token };
  if (username !== undefined && password !== undefined) {
    if (username.includes(':')) throw new UsageError(`${BROKER_ENV.username} must not contain ":" (basic auth cannot carry it)`);
    return { username, password };
  }
  if (username !== undefined) throw new UsageError(`${BROKER_ENV.username} is set but ${BROKER_ENV.password} is not: basic auth to the broker needs both`);
  if (password !== undefined) throw new UsageError(`${BROKER_ENV.password} is set but ${BROKER_ENV.username} is not: basic auth to the broker needs both`);
  throw new UsageError(
    `--broker-url needs the broker's credentials in the environment: ${BROKER_ENV.token}, or ${BROKER_ENV.username} and ${BROKER_ENV.password}`,
  );
}

/** Broker settings for the verification (pacts from the broker, results published there); undefined when no broker is configured. */
export function verificationBroker(flags: BrokerFlags, env: NodeJS.ProcessEnv = process.env): BrokerSettings | undefined {
  const url = flags['broker-url'];
  if (url === undefined) {
    const needing = (['provider-version', 'provider-branch', 'consumer-version-selectors', 'enable-pending', 'include-wip-pacts-since'] as const).filter(
      (f) => flags[f] !== undefined && flags[f] !== false,
    );
    if (needing.length > 0) throw new UsageError(`${needing.map((f) => `--${f}`).join(' and ')} need${needing.length === 1 ? 's' : ''} --broker-url`);
    return undefined;
  }
  const checked = brokerUrl(url);
  const providerVersion = flags['provider-version'];
  if (providerVersion === undefined || providerVersion.trim() === '')
    throw new UsageError('--broker-url needs --provider-version (the version of the issuer backend being verified, e.g. its git SHA)');
  const branch = flags['provider-branch'];
  if (branch?.trim() === '') throw new UsageError('--provider-branch must not be empty');
  const selectors = flags['consumer-version-selectors'];
  const wip = flags['include-wip-pacts-since'];
  if (wip !== undefined) {
    wipDate(wip);
    if (flags['enable-pending'] !== true)
      throw new UsageError('--include-wip-pacts-since needs --enable-pending (work-in-progress pacts are verified as pending)');
    if (branch === undefined) throw new UsageError('--include-wip-pacts-since needs --provider-branch (the broker finds the WIP pacts of that branch)');
  }
  return {
    url: checked,
    ...brokerCredentials(env),
    providerVersion,
    ...(branch !== undefined ? { branch } : {}),
    ...(selectors !== undefined ? { consumerVersionSelectors: parseSelectors(selectors) } : {}),
    ...(flags['enable-pending'] === true ? { enablePending: true } : {}),
    ...(wip !== undefined ? { includeWipPactsSince: wip } : {}),
  };
}

/** `pacts --broker-url`: the broker, its credentials and the branch the pacts are published on; undefined without --broker-url. */
export function pactsBroker(
  flags: { readonly 'broker-url'?: string | undefined; readonly 'consumer-branch'?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): { url: string; credentials: BrokerCredentials; branch: string } | undefined {
  const url = flags['broker-url'];
  const branch = flags['consumer-branch'];
  if (url === undefined) {
    if (branch !== undefined) throw new UsageError('--consumer-branch needs --broker-url');
    return undefined;
  }
  if (branch !== undefined && (branch.trim() === '' || /[\r\n]/.test(branch))) throw new UsageError(`--consumer-branch must be a branch name; got "${branch}"`);
  return { url: brokerUrl(url), credentials: brokerCredentials(env), branch: branch ?? DEFAULT_CONSUMER_BRANCH };
}

/** The branch the pacts are published on when --consumer-branch is not given. */
export const DEFAULT_CONSUMER_BRANCH = 'main';

export const NO_BROKER_VERIFICATION = 'pact broker: not configured (no --broker-url), verification results not published';
export const NO_BROKER_PACTS = 'pact broker: not configured (no --broker-url), pacts not published';

const EXAMPLE_SELECTORS = `'[{"mainBranch":true},{"deployedOrReleased":true}]'`;

/** One consumer version selector, with the keys Pact's verifier knows (pact-core's ConsumerVersionSelector). */
const SELECTOR_KEYS = {
  mainBranch: z.literal(true),
  branch: z.string().trim().min(1),
  matchingBranch: z.literal(true),
  deployedOrReleased: z.literal(true),
  deployed: z.literal(true),
  released: z.literal(true),
  environment: z.string().trim().min(1),
  tag: z.string().trim().min(1),
  fallbackTag: z.string().trim().min(1),
  latest: z.boolean(),
  consumer: z.string().trim().min(1),
};

const Selector = z
  .strictObject(SELECTOR_KEYS)
  .partial()
  .refine((s) => Object.keys(s).length > 0, { message: 'an empty selector selects nothing' });

const Selectors = z.array(Selector).min(1, { message: 'give at least one selector' });

/** `--consumer-version-selectors JSON`: a JSON array of selectors, checked; a bad one is one line. */
export function parseSelectors(text: string): ConsumerVersionSelector[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message.split('\n')[0] : 'not JSON';
    throw new UsageError(`--consumer-version-selectors must be a JSON array, e.g. ${EXAMPLE_SELECTORS}; got invalid JSON (${why})`);
  }
  if (!Array.isArray(json)) throw new UsageError(`--consumer-version-selectors must be a JSON array, e.g. ${EXAMPLE_SELECTORS}`);
  const parsed = Selectors.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const [index, key] = issue?.path ?? [];
    const at = typeof index === 'number' ? `selector ${index + 1}${key !== undefined ? `, ${String(key)}` : ''}: ` : '';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')} (known: ${Object.keys(SELECTOR_KEYS).join(', ')})`
        : issue?.code === 'invalid_type' && key === undefined
          ? 'must be an object'
          : (issue?.message ?? 'invalid');
    throw new UsageError(`--consumer-version-selectors: ${at}${message}`);
  }
  return parsed.data;
}

/** `--include-wip-pacts-since`: a real calendar date, YYYY-MM-DD. */
function wipDate(value: string): void {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(`${value}T00:00:00Z`) : undefined;
  if (!m || !date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value)
    throw new UsageError(`--include-wip-pacts-since must be a date, YYYY-MM-DD; got "${value}"`);
}
