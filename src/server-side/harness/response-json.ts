import type { IncomingResponse } from '../../core/http/client.js';
import { parseJson, type ParsedJson } from '../../core/util/json.js';

/**
 * A response's body as JSON, parsed once: the redactor's learning, the checks every response
 * gets and the contract check each read it (three parses of every consumer-info answer before).
 * Read-only for every caller: the same value is shared.
 */
const parsed = new WeakMap<IncomingResponse, ParsedJson>();

export function responseJson(res: IncomingResponse): ParsedJson {
  let json = parsed.get(res);
  if (json === undefined) {
    json = parseJson(res.body);
    parsed.set(res, json);
  }
  return json;
}
