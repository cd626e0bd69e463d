import { isRecord } from '../../core/util/json.js';
/** What the report's sanitizer writes in place of a secret. */
export const REMOVED = '<removed>';

/**
 * Key names whose value is a secret. Matched on the key's last word (camelCase and snake_case split),
 * so `clientSecret` and `accessToken` are secrets while `tokenUrl` and `tokenMissingAuthStatus`, which
 * every configuration has, are not.
 */
const SECRET_WORDS = new Set([
  'secret',
  'secrets',
  'password',
  'passwords',
  'passwd',
  'passphrase',
  'token',
  'tokens',
  'credential',
  'credentials',
  'apikey',
  'privatekey',
  'pan',
  'pans',
]);

export function isSecretKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
  const last = words.at(-1) ?? '';
  const lastTwo = words.slice(-2).join('');
  return SECRET_WORDS.has(last) || SECRET_WORDS.has(lastTwo);
}

/**
 * The paths (never the values) of secrets still present in a configuration: a value under a secret
 * key that is not `<removed>`. Null and booleans (`usePassword: true`) carry no secret.
 */
export function unremovedSecrets(value: unknown, path = 'configuration'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unremovedSecrets(v, `${path}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const at = `${path}.${key}`;
    return isSecretKey(key) ? (allRemoved(v) ? [] : [at]) : unremovedSecrets(v, at);
  });
}

function allRemoved(value: unknown): boolean {
  if (value === null || value === undefined || typeof value === 'boolean') return true;
  if (typeof value === 'string') return value === REMOVED;
  if (Array.isArray(value)) return value.every(allRemoved);
  if (isRecord(value)) return Object.values(value).every(allRemoved);
  return false;
}
