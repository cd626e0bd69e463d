import { open } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigurationError } from '../errors/index.js';
import { isRecord } from '../util/json.js';
import { checkJson, lineColumn } from './json-syntax.js';
import { RunConfig } from './run-config.js';
import { parseYamlText } from './yaml-text.js';

const ENV_REF = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${env:NAME}` in every string of the file; a missing variable is an error naming the key. */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv, path: string[] = []): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REF, (_m, name: string) => {
      const found = env[name];
      if (found === undefined) throw new ConfigurationError(`config key ${keyText(path)}: environment variable ${name} is not set`);
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteEnv(v, env, [...path, k])]));
  }
  return value;
}

function keyText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

/** One line for the first problem, with the key named; values are never echoed (they may be secrets). */
export function describeConfigError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid configuration';
  if (issue.code === 'unrecognized_keys') return `config key ${keyText([...issue.path, issue.keys.join(', ')])}: unknown key`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `config key ${keyText(issue.path)}: ${issue.message}${more}`;
}

/** A run configuration is a few kilobytes: a larger file is a mistake, and parsing it could exhaust memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deeper than any configuration (the deepest key is 4 levels down): beyond it, recursion would overflow. */
export const MAX_CONFIG_DEPTH = 32;

/**
 * Reads a config file into a plain object. Every problem is one line naming the file and, for a
 * syntax error, its line and column only: never the text (a secret may stand next to the error).
 */
export async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  const text = await readBounded(file, 'config file', MAX_CONFIG_BYTES);
  const value = /\.ya?ml$/i.test(file) ? parseYamlText(text, `config file ${file}`, MAX_CONFIG_DEPTH) : parseJsonText(text, file);
  if (!isRecord(value))
    throw new ConfigurationError(`config file ${file} must hold ${/\.ya?ml$/i.test(file) ? 'a YAML mapping' : 'a JSON object'}, not ${kindOf(value)}`);
  const config = withoutAnnotations(value);
  const placeholder = placeholderKey(config);
  if (placeholder !== undefined)
    throw new ConfigurationError(`config file ${file}: key ${placeholder} still holds a <placeholder> from \`d1-conformance init\`: put your own value there`);
  return config;
}

function parseJsonText(text: string, file: string): unknown {
  const problem = checkJson(text, MAX_CONFIG_DEPTH);
  if (problem !== undefined) {
    const { line, column } = lineColumn(text, problem.offset);
    throw new ConfigurationError(
      problem.kind === 'depth'
        ? `config file ${file} nests deeper than ${MAX_CONFIG_DEPTH} levels (line ${line}, column ${column})`
        : `config file ${file} is not valid JSON (line ${line}, column ${column})`,
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // checkJson accepts exactly what JSON.parse does; should they ever differ, still say nothing of the text.
    throw new ConfigurationError(`config file ${file} is not valid JSON`);
  }
}

/** Keys for editors and people, not for the run: `$schema` (the file's JSON Schema) and `//` (a comment), at any level. */
function withoutAnnotations(value: Record<string, unknown>): Record<string, unknown> {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : isRecord(v)
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== '$schema' && k !== '//')
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return strip(value) as Record<string, unknown>;
}

/** The first key whose value is still a starter file's `<placeholder>`; never the value itself. */
function placeholderKey(value: unknown, path: readonly string[] = []): string | undefined {
  if (typeof value === 'string') return /^<[^<>]+>$/.test(value) ? keyText(path) : undefined;
  if (Array.isArray(value)) return value.map((v, i) => placeholderKey(v, [...path, String(i)])).find((k) => k !== undefined);
  if (isRecord(value))
    return Object.entries(value)
      .map(([k, v]) => placeholderKey(v, [...path, k]))
      .find((k) => k !== undefined);
  return undefined;
}

/**
 * A file's text, read up to `max` bytes (a FIFO or /dev/zero has no size to check first), a UTF-8
 * byte order mark dropped. Too large, unreadable or not UTF-8: one line.
 */
export async function readBounded(file: string, label: string, max: number): Promise<string> {
  let bytes: Buffer;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(max + 1);
      let length = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
        if (length === buffer.length) break;
      }
      bytes = buffer.subarray(0, length);
    } finally {
      await handle.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`cannot read ${label} ${file} (${code})`);
  }
  if (bytes.length > max) throw new ConfigurationError(`${label} ${file} is larger than ${max / 1024 / 1024} MiB (${max} bytes)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ConfigurationError(`${label} ${file} is not UTF-8 text`);
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Deep-merges plain objects; `over` wins. Arrays and scalars are replaced, not merged. */
export function merge(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base)) return over ?? base;
  if (typeof over !== 'object' || over === null || Array.isArray(over)) return over ?? base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) out[k] = merge(out[k], v);
  return out;
}

/** Validates a raw configuration (file content merged with flags) into a complete RunConfig. */
export function parseConfig(raw: unknown, env: NodeJS.ProcessEnv = process.env): RunConfig {
  const parsed = RunConfig.safeParse(substituteEnv(raw, env));
  if (!parsed.success) throw new ConfigurationError(describeConfigError(parsed.error));
  return parsed.data;
}

/** The keys of `tls` that name files. */
const TLS_FILE_KEYS = ['clientCert', 'clientKey', 'pfx', 'ca'] as const;

/**
 * The file paths of a configuration read from `file` (the `tls` files), resolved from that
 * file's folder: a configuration means the same wherever the run is started. Paths given with no
 * file (flags, the bundled reference) are left as they are: resolved from the working directory.
 */
export function resolveConfigPaths(raw: Record<string, unknown>, file: string): Record<string, unknown> {
  const tls = raw.tls;
  if (!isRecord(tls)) return raw;
  const folder = dirname(resolve(file));
  const resolved: Record<string, unknown> = { ...tls };
  for (const key of TLS_FILE_KEYS) {
    const value = tls[key];
    // A path given as `${env:NAME}` is left as written: it is substituted later (parseConfig), and
    // a relative value from the environment then resolves from the working directory.
    if (typeof value === 'string' && value !== '' && !isAbsolute(value) && !value.includes('${')) resolved[key] = resolve(folder, value);
  }
  return { ...raw, tls: resolved };
}

/** A run configuration file, its relative paths resolved from its folder. */
export async function readRunConfigFile(file: string): Promise<Record<string, unknown>> {
  return resolveConfigPaths(await readConfigFile(file), file);
}
