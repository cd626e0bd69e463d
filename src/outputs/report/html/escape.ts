/**
 * HTML-escapes text for element content and quoted attribute values alike. C0 control characters
 * (but tab, newline and carriage return) become their visible Unicode "control pictures" (BEL is
 * shown as \u2407), other control characters U+FFFD: a hostile byte stays visible, never raw.
 */
export function esc(value: string | number | boolean): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\p{Cc}/gu, (c) => {
      const code = c.charCodeAt(0);
      if (c === '\t' || c === '\n' || c === '\r') return c;
      if (code < 0x20) return String.fromCharCode(0x2400 + code);
      return code === 0x7f ? '\u2421' : '\uFFFD';
    });
}
