import { z } from 'zod';
import { MAX_CONFIG_DEPTH, readBounded } from '../config/load-config.js';
import { parseYamlText } from '../config/yaml-text.js';
import { ConfigurationError } from '../errors/index.js';
import { isRecord } from '../util/json.js';

/**
 * A file of entries a run applies (waivers, attestations): JSON or YAML, a list or `{<key>: [...]}`,
 * read bounded, every problem one line naming the entry's number and field, never a value (a
 * reason may quote anything).
 */
export interface ListFile<T extends z.ZodType> {
  /** What the file is called in messages ("waivers file"). */
  readonly label: string;
  /** The key of the object form ("waivers") and the entry's noun ("waiver"). */
  readonly key: string;
  readonly noun: string;
  readonly item: T;
  /** Which fields an entry needs, said with every field problem. */
  readonly fields: string;
}

/** Both shapes, for a published JSON Schema (the loader parses one shape at a time, for its messages). */
export function listFileSchema<T extends z.ZodType>(spec: ListFile<T>) {
  return z.union([z.array(spec.item), z.strictObject({ [spec.key]: z.array(spec.item) })]);
}

/** A list file holds a few entries: anything larger is a mistake, and parsing it could exhaust memory. */
export const MAX_LIST_FILE_BYTES = 1024 * 1024;

export async function readListFile<T extends z.ZodType>(file: string, spec: ListFile<T>): Promise<z.infer<T>[]> {
  const text = await readBounded(file, spec.label, MAX_LIST_FILE_BYTES);
  const raw = parseYamlText(text, `${spec.label} ${file}`, MAX_CONFIG_DEPTH);
  // One shape at a time, so a problem is named in that shape's terms (a union says only "Invalid input").
  const listed = Array.isArray(raw) || !isRecord(raw) || !(spec.key in raw);
  const parsed = z.array(spec.item).safeParse(listed ? raw : raw[spec.key]);
  if (!parsed.success) throw new ConfigurationError(`${spec.label} ${file}: ${problem(parsed.error, listed, spec)}`);
  return parsed.data;
}

function problem(error: z.ZodError, listed: boolean, spec: ListFile<z.ZodType>): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  if (issue.path.length === 0)
    return listed ? `must be a list of ${spec.key}, or {${spec.key}: [...]}; ${spec.fields}` : `${spec.key}: must be a list of ${spec.key}`;
  const [index, field] = issue.path;
  const where = `${spec.noun} ${Number(index) + 1}`;
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field ${issue.keys.join(', ')}; ${spec.fields}`;
  if (field === undefined) return `${where}: must be a mapping; ${spec.fields}`;
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `${where}: ${String(field)} is missing; ${spec.fields}`;
  return `${where}: ${String(field)} ${issue.message}`;
}
