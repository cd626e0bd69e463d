import type { RunConfig } from '../../core/config/run-config.js';
import type { RequestValue } from './session.js';
import { isRecord } from '../../core/util/json.js';

type Consumer = RunConfig['testData']['consumers'][number];

/** The configured consumer the run uses for happy paths: the first one with a card, else the first. */
export function primaryConsumer(config: RunConfig): Consumer {
  const consumers = config.testData.consumers;
  const first = consumers.find((c) => c.cardIds.length > 0) ?? consumers[0];
  if (!first) throw new Error('testData.consumers is empty');
  return first;
}

/** A syntactically valid consumerId of `length` characters that no configured consumer has. */
export function unknownConsumerId(config: RunConfig, length = 24): string {
  const known = new Set(config.testData.consumers.map((c) => c.consumerId));
  for (let salt = 0; ; salt++) {
    const id = `zz${salt.toString(36)}unknown${'x'.repeat(64)}`.slice(0, length);
    if (!known.has(id)) return id;
  }
}

/**
 * Makes a generated request address real test data: the configured issuerId, a known consumer
 * and one of its cards (or none), the consumer as requestorId. The path a just-invalid case
 * mutated is left as generated.
 */
export function instantiate(value: unknown, config: RunConfig, consumer: Consumer, keep?: string): RequestValue {
  const v = structuredClone(value) as Record<string, unknown>;
  const kept = (p: string) => keep !== undefined && (keep === p || keep.startsWith(`${p}.`) || p.startsWith(`${keep}.`));
  const path = isRecord(v.path) ? v.path : undefined;
  if (path) {
    if (!kept('path.issuerId') && 'issuerId' in path) path.issuerId = config.target.issuerId;
    if (!kept('path.consumerId') && 'consumerId' in path) path.consumerId = consumer.consumerId;
  }
  const query = isRecord(v.query) ? v.query : undefined;
  if (query && 'cardId' in query && !kept('query.cardId')) {
    const card = consumer.cardIds[0];
    if (card === undefined) Reflect.deleteProperty(query, 'cardId');
    else query.cardId = card;
  }
  const body = isRecord(v.body) ? v.body : undefined;
  if (body && 'requestorId' in body && !kept('body.requestorId')) body.requestorId = consumer.consumerId;
  return v;
}
