/**
 * How a value can be written in text the redactor sees: raw, JSON-escaped (`\/`, `\u00xx`, `\"`),
 * URL- or form-encoded (`%2F`, `+` for a space), in any mix. One regex source per value, each
 * character an alternation of its spellings, so a secret PHP wrote as `eyJ...\/...` or a client
 * put in a URL is found as surely as the raw one.
 */

const REGEX_SYNTAX = /[.*+?^${}()|[\]\\/]/g;

export function escapeRegex(text: string): string {
  return text.replace(REGEX_SYNTAX, '\\$&');
}

function hex(n: number, width: number): string[] {
  const h = n.toString(16).padStart(width, '0');
  return [...new Set([h.toLowerCase(), h.toUpperCase()])];
}

/** Every spelling of one code point: raw, JSON escapes, percent-encoding of its UTF-8 bytes. */
export function spellings(cp: string): string[] {
  const out = new Set<string>([cp]);
  out.add(JSON.stringify(cp).slice(1, -1));
  if (cp === '/') out.add('\\/');
  // \uXXXX for each UTF-16 unit (a surrogate pair is two escapes), any hex case.
  const units = [...Array(cp.length).keys()].map((i) => cp.charCodeAt(i));
  let escapes = [''];
  for (const u of units) escapes = escapes.flatMap((prefix) => hex(u, 4).map((h) => `${prefix}\\u${h}`));
  for (const e of escapes) out.add(e);
  let percent = [''];
  for (const byte of Buffer.from(cp, 'utf8')) percent = percent.flatMap((prefix) => hex(byte, 2).map((h) => `${prefix}%${h}`));
  for (const p of percent) out.add(p);
  if (cp === ' ') out.add('+');
  // JSON text embedded in JSON (a body inside evidence): every escape's backslash doubled.
  for (const sp of [...out]) if (sp.includes('\\')) out.add(sp.replaceAll('\\', '\\\\'));
  return [...out];
}

/** base64 and base64url spell the same bytes: `+`/`-` and `/`/`_` are interchangeable, padding optional. */
const BASE64ISH = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
const BASE64_TWIN: Readonly<Record<string, string>> = { '+': '-', '-': '+', '/': '_', _: '/' };

/** A regex source matching `value` in any layout (see above); base64 twins for long base64-like values. */
export function layoutSource(value: string): string {
  const base64 = BASE64ISH.test(value) && /[+/_-]/.test(value);
  const body = base64 ? value.replace(/=+$/, '') : value;
  let source = '';
  for (const cp of body) {
    const twin = base64 ? BASE64_TWIN[cp] : undefined;
    const alts = [...spellings(cp), ...(twin === undefined ? [] : spellings(twin))];
    source += alts.length === 1 ? escapeRegex(cp) : `(?:${alts.map(escapeRegex).join('|')})`;
  }
  // Padding, if any, in any spelling or dropped (base64url usually drops it).
  if (base64 && body !== value) source += `(?:${spellings('=').map(escapeRegex).join('|')})*`;
  return source;
}
