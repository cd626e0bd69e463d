import { checkMessage, type CheckResult } from '../../core/rulebook/check.js';
import type { MessageDef } from '../../core/rulebook/message.js';

/**
 * A response body's contract check, remembered by the body's text: the check is a pure function
 * of the message, the profiles and the value, and a run receives the same body many times (one
 * consumer's information, one error answer), so an identical body is not checked again.
 * Bounded: the oldest of MAX_ENTRIES goes first, and a body past MAX_TEXT is never kept.
 */
const MAX_ENTRIES = 512;
const MAX_TEXT = 16 * 1024;
const remembered = new Map<string, CheckResult>();
/** Each message object's own number: a message rebuilt under another rulebook (run --rulebook) shares its id, not its checks. */
const identities = new WeakMap<MessageDef, number>();
let nextIdentity = 0;
function identity(msg: MessageDef): number {
  let n = identities.get(msg);
  if (n === undefined) identities.set(msg, (n = nextIdentity++));
  return n;
}

export function checkBody(msg: MessageDef, text: string, value: unknown, profiles: readonly string[]): CheckResult {
  if (text.length > MAX_TEXT) return checkMessage(msg, value, { profiles });
  const key = `${identity(msg)}\u0000${profiles.join(',')}\u0000${text}`;
  let result = remembered.get(key);
  if (result === undefined) {
    result = checkMessage(msg, value, { profiles });
    if (remembered.size >= MAX_ENTRIES) remembered.delete(remembered.keys().next().value as string);
    remembered.set(key, result);
  }
  return result;
}
