import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, importSPKI, type JWK } from 'jose';
import { z } from 'zod';
import { PolicySettings } from '../../../contracts/policies.js';
import { PROFILE_IDS } from '../../../contracts/profiles.js';
import { readJwk } from '../../core/keys/keys.js';
import { describeConfigError, readConfigFile, substituteEnv } from '../../core/config/load-config.js';
import { ConfigurationError, UsageError } from '../../core/errors/index.js';

/**
 * The configuration of the D1 simulator for `simulate` and `client-check`: who the issuer is,
 * which assertion keys it registered, its card products, profiles, policies and (opt-in) the
 * fault plan. Validated once, unknown keys refused with the key named, like `run`'s.
 */
export const ClientCheckConfig = z.strictObject({
  issuerId: z.string().length(10, 'must be exactly 10 characters').default('ISSUER0001'),
  /** The issuer's ES256 public keys as registered at onboarding: a JWK (.json) or PEM (SPKI) file each. */
  issuerKeys: z.array(z.strictObject({ publicKey: z.string().min(1), kid: z.string().min(1).optional() })).default([]),
  cardProducts: z
    .array(z.string().regex(/^[A-Za-z0-9_-]{1,48}$/, 'must be 1..48 of [A-Za-z0-9_-]'))
    .min(1)
    .default(['prod-classic-01']),
  profiles: z.array(z.enum(PROFILE_IDS)).default([]),
  policies: PolicySettings.partial().default({}),
  /** true: the default fault plan; an object: a plan of one's own (checked by the simulator at start). */
  faults: z.union([z.boolean(), z.record(z.string(), z.unknown())]).default(false),
  port: z.number().int().min(0).max(65535).default(0),
  /** The issuer's integration command (client-check); the command after `--` wins. */
  command: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Calls the simulator could not grade (a D1 API or method it does not simulate): listed in every
   * report. 'incomplete' (default): they make the verdict INCOMPLETE (exit 2); 'out-of-scope':
   * listed only; {outOfScope: [patterns]}: the matching ones listed only (see ungraded-scope.ts).
   */
  ungradedCalls: z.union([z.enum(['incomplete', 'out-of-scope']), z.strictObject({ outOfScope: z.array(z.string().min(1)).min(1) })]).default('incomplete'),
  /**
   * Mutual TLS (`--tls` sets true): the simulator serves HTTPS as D1 with a simulated Thales CA.
   * true: a client certificate of that CA is made for the command; {csr}: the CA signs the issuer's
   * CSR (clientKey: its key file, passed on as D1_TLS_CLIENT_KEY, never read); {clientCert,
   * clientKey}: a certificate the issuer brings, let in as it is and graded on key, signature and
   * CN only (IN-TLS-001 is then SKIPPED: no other CA's certificate can chain to the simulated one).
   */
  tls: z
    .union([
      z.boolean(),
      z
        .strictObject({ csr: z.string().min(1).optional(), clientCert: z.string().min(1).optional(), clientKey: z.string().min(1).optional() })
        .refine((t) => !(t.csr !== undefined && t.clientCert !== undefined), {
          message: 'give csr (the simulated CA signs it) or clientCert (brought), not both',
        })
        .refine((t) => t.clientCert === undefined || t.clientKey !== undefined, {
          message: 'clientCert needs clientKey (your command presents both)',
          path: ['clientKey'],
        }),
    ])
    .default(false),
  /** How long the command may run before it is stopped (client-check). */
  timeoutSeconds: z.number().int().positive().max(86_400).default(600),
});
export type ClientCheckConfig = z.infer<typeof ClientCheckConfig>;

export interface RegisteredKey {
  readonly kid: string;
  readonly publicJwk: JWK;
}

/** Reads and validates a config file; relative key paths are read from the file's directory. */
export async function loadClientCheckConfig(
  file: string | undefined,
  overrides: Record<string, unknown>,
): Promise<{ config: ClientCheckConfig; baseDir: string }> {
  const raw = file === undefined ? {} : await readConfigFile(file);
  const parsed = ClientCheckConfig.safeParse({ ...(substituteEnv(raw, process.env) as Record<string, unknown>), ...overrides });
  if (!parsed.success) throw new ConfigurationError(describeConfigError(parsed.error));
  return { config: parsed.data, baseDir: file === undefined ? process.cwd() : dirname(resolve(file)) };
}

/** The registered keys, read from their files. A private key is refused: D1 only ever holds the public part. */
export async function readIssuerKeys(entries: ClientCheckConfig['issuerKeys'], baseDir: string): Promise<RegisteredKey[]> {
  const out: RegisteredKey[] = [];
  for (const [i, entry] of entries.entries()) {
    const path = isAbsolute(entry.publicKey) ? entry.publicKey : resolve(baseDir, entry.publicKey);
    const label = `issuerKeys.${i}.publicKey`;
    const { jwk, fileKid } = await readPublicKey(path, label);
    const kid = entry.kid ?? fileKid ?? (await calculateJwkThumbprint(jwk));
    out.push({ kid, publicJwk: jwk });
  }
  return out;
}

async function readPublicKey(path: string, label: string): Promise<{ jwk: JWK; fileKid?: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ConfigurationError(`config key ${label}: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (text.trimStart().startsWith('-----BEGIN')) {
    if (!text.includes('-----BEGIN PUBLIC KEY-----'))
      throw new ConfigurationError(`config key ${label}: ${path} is not a PEM public key (SPKI); register the public key only`);
    try {
      const key = await importSPKI(text, 'ES256', { extractable: true });
      const { kty, crv, x, y } = await exportJWK(key);
      return { jwk: { kty, crv, x, y } };
    } catch {
      throw new ConfigurationError(`config key ${label}: ${path} is not an EC P-256 public key`);
    }
  }
  try {
    const jwk = await readJwk(path, `config key ${label}:`);
    if (jwk.d !== undefined) throw new ConfigurationError(`config key ${label}: ${path} holds a private key; register the public key only`);
    return { jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, ...(jwk.kid !== undefined ? { fileKid: jwk.kid } : {}) };
  } catch (e) {
    if (e instanceof UsageError) throw new ConfigurationError(e.message);
    throw e;
  }
}
