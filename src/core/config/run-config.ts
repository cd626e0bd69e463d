import { z } from 'zod';
import { PolicySettings } from '../../../contracts/policies.js';
import { PROFILE_IDS } from '../../../contracts/profiles.js';
import { ID48, ID64 } from '../../../contracts/patterns.js';

/**
 * The run configuration of `d1-conformance run`, validated once: unknown keys and bad values are
 * refused with the key named. After parsing it is complete (defaults applied) and typed.
 */

/** Test data is a handful of consumers: the caps keep a generated or mistaken file from exhausting memory. */
export const MAX_CONSUMERS = 1000;
export const MAX_CARDS_PER_CONSUMER = 100;

const Consumer = z.strictObject({
  consumerId: z.string().regex(ID64.regex, 'must be 1..64 of [A-Za-z0-9_-]'),
  cardIds: z
    .array(z.string().regex(ID48.regex, 'must be 1..48 of [A-Za-z0-9_-]'))
    .max(MAX_CARDS_PER_CONSUMER, `at most ${MAX_CARDS_PER_CONSUMER} cards per consumer`)
    .default([]),
  /** Test PANs of the consumer's cards, for the "cardId not derived from the PAN" checks (never printed). */
  pans: z
    .array(z.string().regex(/^\d{12,19}$/, 'must be 12..19 digits'))
    .max(MAX_CARDS_PER_CONSUMER, `at most ${MAX_CARDS_PER_CONSUMER} PANs per consumer`)
    .default([]),
  /**
   * The card scheme of the consumer's cards (MASTERCARD, VISA, ...), for the scheme-specific
   * Click to Pay requirements (email: Mastercard only, seed 004). Optional; any name is accepted.
   */
  scheme: z.string().min(1).max(32).optional(),
});

const OAuth = z.strictObject({
  mode: z.literal('oauth'),
  tokenUrl: z.string().min(1).default('/authz/d1/v1/oauth2/token'),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  scope: z.string().min(1).optional(),
});

const NoAuth = z.strictObject({ mode: z.literal('none') });

/** The TLS versions a connection may use (node:tls names). */
export const TLS_VERSIONS = ['TLSv1.2', 'TLSv1.3'] as const;

/**
 * D1's side of the mutual TLS to the issuer (outbound.md §2 Transport: mTLS, TLS 1.2 or 1.3):
 * the client identity D1 presents (a PEM certificate and key, or a PKCS#12 file), the CA bundle
 * that must verify the issuer's server certificate, and the versions offered. Paths are files;
 * a relative one is resolved from the configuration file's folder (`resolveConfigPaths`), from
 * the working directory when it came from no file. The key and the passphrase are never printed.
 */
export const TlsConfig = z
  .strictObject({
    /** D1's client certificate (PEM; a chain may follow the leaf). */
    clientCert: z.string().min(1).optional(),
    /** Its private key (PEM). */
    clientKey: z.string().min(1).optional(),
    /** Instead of clientCert + clientKey: a PKCS#12 (.p12/.pfx) file holding both. */
    pfx: z.string().min(1).optional(),
    /** The key's or the PKCS#12 file's passphrase; use `${env:NAME}`. */
    passphrase: z.string().min(1).optional(),
    /** The CA bundle (PEM) the issuer's server certificate must chain to. */
    ca: z.string().min(1),
    minVersion: z.enum(TLS_VERSIONS).default('TLSv1.2'),
    maxVersion: z.enum(TLS_VERSIONS).default('TLSv1.3'),
  })
  .check((ctx) => {
    const t = ctx.value;
    const pem = t.clientCert !== undefined || t.clientKey !== undefined;
    if (pem && t.pfx !== undefined) ctx.issues.push({ code: 'custom', input: t, path: ['pfx'], message: 'give either pfx or clientCert + clientKey, not both' });
    else if (!pem && t.pfx === undefined) ctx.issues.push({ code: 'custom', input: t, path: ['clientCert'], message: 'needs clientCert + clientKey (PEM files) or pfx (a PKCS#12 file)' });
    else if (pem && (t.clientCert === undefined || t.clientKey === undefined))
      ctx.issues.push({ code: 'custom', input: t, path: [t.clientCert === undefined ? 'clientCert' : 'clientKey'], message: 'clientCert and clientKey go together' });
    if (TLS_VERSIONS.indexOf(t.minVersion) > TLS_VERSIONS.indexOf(t.maxVersion))
      ctx.issues.push({ code: 'custom', input: t, path: ['minVersion'], message: 'must not be above maxVersion' });
  });

export type TlsConfig = z.infer<typeof TlsConfig>;

export const RunConfig = z.strictObject({
  target: z.strictObject({
    baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    issuerId: z.string().length(10, 'must be exactly 10 characters'),
  }),
  auth: z.discriminatedUnion('mode', [OAuth, NoAuth], { error: 'mode must be "oauth" or "none"' }),
  /** Mutual TLS as D1 speaks it to the issuer (absent: the transport rules are SKIPPED, saying what they need). */
  tls: TlsConfig.optional(),
  testData: z
    .strictObject({
      consumers: z.array(Consumer).min(1, 'needs at least one known consumer').max(MAX_CONSUMERS, `at most ${MAX_CONSUMERS} consumers`),
      /** A consumer the target holds in an invalid state (Get Consumer Information answers 403); optional. */
      invalidStateConsumerId: z.string().regex(ID64.regex, 'must be 1..64 of [A-Za-z0-9_-]').optional(),
    })
    .prefault({ consumers: [] }),
  profiles: z.array(z.enum(PROFILE_IDS)).default([]),
  policies: PolicySettings.prefault({}),
  seed: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  timeouts: z
    .strictObject({
      /** One request, headers and body together (a target dripping bytes ends too). */
      requestMs: z.number().int().positive().max(120_000).default(5_000),
      /** The whole run (`--max-time`): past it nothing more is sent and the run is INCOMPLETE. */
      runMs: z
        .number()
        .int()
        .positive()
        .max(24 * 3_600_000)
        .default(30 * 60_000),
    })
    .prefault({}),
  limits: z
    .strictObject({
      /** Calls in a row that got no response at all, after which an endpoint is not called again (the rest: SKIPPED). */
      transportFailuresPerEndpoint: z.number().int().positive().max(1_000).default(3),
      /** Tests of a suite run at once (`--concurrency`): for a slow target; 1 (default) runs them one by one. */
      concurrency: z.number().int().positive().max(32).default(1),
      /** Requests started per second, at most (`--rate-limit`); unlimited by default. */
      ratePerSecond: z.number().positive().max(10_000).optional(),
      /** The longest Retry-After of a 429 the run waits for before sending again; a longer one stops calls to that endpoint. */
      maxRetryAfterMs: z.number().int().nonnegative().max(600_000).default(30_000),
    })
    .prefault({}),
  cases: z
    .strictObject({
      /** fast-check runs per property (valid and just-invalid generators). */
      propertyRuns: z.number().int().positive().max(10_000).default(8),
      /** Stop after this many FAILED results (0: never). */
      maxFailures: z.number().int().nonnegative().default(0),
    })
    .prefault({}),
});

export type RunConfig = z.infer<typeof RunConfig>;
export type RunConfigInput = z.input<typeof RunConfig>;
