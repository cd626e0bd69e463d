import type { z } from 'zod';
import type { Field } from './fields.js';
import type { Direction } from './rule.js';

/**
 * One D1 message: a request (modelled as `{ path, query, headers, body }`) or a response body for
 * one status. Its schema is built once from the field definitions, which stay available as
 * metadata for rules, generators and (later) Pact matchers.
 */
export interface MessageDef<S extends z.ZodType = z.ZodType> {
  readonly id: string;
  readonly title: string;
  readonly direction: Direction;
  readonly endpoint: string;
  readonly part: 'request' | 'response';
  readonly status?: number;
  readonly source: string;
  readonly field: Field<S>;
  readonly schema: S;
}

export function defineMessage<S extends z.ZodType>(spec: Omit<MessageDef<S>, 'schema'>): MessageDef<S> {
  return { ...spec, schema: spec.field.build() };
}
