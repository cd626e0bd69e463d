import { RULEBOOK_VERSION } from '../../../contracts/index.js';
import { UsageError } from '../../core/errors/index.js';

/**
 * Optional Pact Broker: verification results are published by the Pact Verifier itself
 * (`publishVerificationResult` with `providerVersion`, pacts fetched from the broker). Pact JS 16
 * and pact-core 19 have no pact publisher, so publishing the generated pact files is the Pact
 * Broker CLI's job: `publishCommand` gives the exact command. The token only ever comes from
 * the environment (PACT_BROKER_TOKEN) and is never printed.
 */

export const BROKER_TOKEN_ENV = 'PACT_BROKER_TOKEN';

export interface BrokerSettings {
  readonly url: string;
  readonly token: string;
  readonly providerVersion: string;
  readonly branch?: string;
}

export interface BrokerFlags {
  readonly 'broker-url'?: string | undefined;
  readonly 'provider-version'?: string | undefined;
  readonly 'provider-branch'?: string | undefined;
}

function brokerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--broker-url must be an http(s) URL; got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--broker-url must be an http(s) URL; got "${value}"`);
  return value.replace(/\/+$/, '');
}

function token(env: NodeJS.ProcessEnv): string {
  const value = env[BROKER_TOKEN_ENV];
  if (value === undefined || value.trim() === '') throw new UsageError(`--broker-url needs the broker token in the environment variable ${BROKER_TOKEN_ENV}`);
  return value;
}

/** Broker settings for publishing verification results; undefined when no broker is configured. */
export function verificationBroker(flags: BrokerFlags, env: NodeJS.ProcessEnv = process.env): BrokerSettings | undefined {
  const url = flags['broker-url'];
  if (url === undefined) {
    if (flags['provider-version'] !== undefined || flags['provider-branch'] !== undefined)
      throw new UsageError('--provider-version and --provider-branch need --broker-url');
    return undefined;
  }
  const checked = brokerUrl(url);
  const providerVersion = flags['provider-version'];
  if (providerVersion === undefined || providerVersion.trim() === '')
    throw new UsageError('--broker-url needs --provider-version (the version of the issuer backend being verified, e.g. its git SHA)');
  const branch = flags['provider-branch'];
  return { url: checked, token: token(env), providerVersion, ...(branch !== undefined ? { branch } : {}) };
}

export const NO_BROKER_VERIFICATION = 'pact broker: not configured (no --broker-url), verification results not published';
export const NO_BROKER_PACTS = 'pact broker: not configured (no --broker-url), pacts not published';

/** The exact command that publishes the pact files of `dir` (the Pact Broker CLI; the token stays in the environment). */
export function publishCommand(dir: string, url: string): string {
  return [
    'npx --yes --package @pact-foundation/pact-cli pact-broker publish',
    quote(dir),
    `--consumer-app-version ${RULEBOOK_VERSION}`,
    '--branch main',
    `--broker-base-url ${quote(url)}`,
    `--broker-token "$${BROKER_TOKEN_ENV}"`,
  ].join(' ');
}

/** Validates `pacts --broker-url`: a URL and a token in the environment; returns the URL. */
export function pactsBroker(flags: BrokerFlags, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = flags['broker-url'];
  if (url === undefined) return undefined;
  const checked = brokerUrl(url);
  token(env);
  return checked;
}

function quote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
