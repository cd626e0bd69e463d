import type { Span } from './spans.js';

// Pragmatic matcher (local@domain.tld), not RFC 5322: good enough to spot an
// address pasted into an identifier. Also accepts "%40", the URL-encoded "@",
// since ids often travel in URLs. Unicode letters are allowed (EAI addresses).
const LOCAL_MAX = 64;
const LOCAL_AT_END = /[\p{L}\p{N}_%+-]+(?:\.[\p{L}\p{N}_%+-]+)*$/u;
const DOMAIN_AT_START = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:xn--[a-z0-9-]{1,59}|\p{L}{2,63})/iu;
const AT_SIGN = /@|%40/gi;
const DOMAIN_MAX = 253;

// Anchoring on each "@" (instead of one big regex over the whole text) keeps
// the scan linear on large HTTP bodies with long runs of word characters.
export function findEmails(text: string): Span[] {
  const out: Span[] = [];
  let resumeAt = 0;
  for (const at of text.matchAll(AT_SIGN)) {
    if (at.index < resumeAt) continue;
    const localWindowStart = Math.max(resumeAt, at.index - LOCAL_MAX);
    const local = LOCAL_AT_END.exec(text.slice(localWindowStart, at.index));
    if (local === null) continue;
    const afterAt = at.index + at[0].length;
    const domain = DOMAIN_AT_START.exec(text.slice(afterAt, afterAt + DOMAIN_MAX));
    if (domain === null) continue;
    const span = { start: localWindowStart + local.index, end: afterAt + domain[0].length };
    out.push(span);
    resumeAt = span.end;
  }
  return out;
}
