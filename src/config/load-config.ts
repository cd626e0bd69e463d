import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigurationError } from '../errors/index.js';
import { RunConfig } from './run-config.js';

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

export async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigurationError(`cannot read config file ${file} (${code})`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new ConfigurationError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
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
