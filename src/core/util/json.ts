/** Small JSON helpers every layer uses (checks, simulator, fixtures): one definition each. */

/** A plain JSON object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * How deep a parsed body may nest. D1's messages nest five levels at most; every walker
 * downstream (checks, redaction, JSON.stringify) recurses, and a hostile body nested 100k deep
 * would overflow the stack and lose the whole run.
 */
export const MAX_JSON_DEPTH = 64;

export type ParsedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly tooDeep?: true };

/**
 * JSON.parse that says "not JSON" instead of throwing (its message could quote the text), and
 * refuses text nested deeper than MAX_JSON_DEPTH before parsing it (`tooDeep`).
 */
export function parseJson(text: string): ParsedJson {
  if (jsonDepth(text) > MAX_JSON_DEPTH) return { ok: false, tooDeep: true };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

/** "not JSON", or why: the words findings use for a body parseJson refused. */
export function notJsonText(parsed: ParsedJson): string {
  return parsed.ok ? 'JSON' : parsed.tooDeep ? `JSON nested deeper than ${MAX_JSON_DEPTH} levels` : 'text that does not parse as JSON';
}

/** The deepest bracket nesting outside strings, found in one pass without recursion (stops counting past the limit). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > MAX_JSON_DEPTH) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}
