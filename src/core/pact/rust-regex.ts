/**
 * D1's patterns are JavaScript regexes; Pact matchers are run by the Rust `regex` crate. The two
 * syntaxes differ in a few places that matter here, so every pattern goes through this converter
 * before it lands in a pact file:
 *
 * - `\uXXXX` becomes `\x{XXXX}` (the Rust spelling of a code point);
 * - `\/` becomes `/` (a JS literal needs the escape, Rust does not know it);
 * - `\d` becomes `[0-9]`: Rust's `\d` is every Unicode digit (Arabic-Indic ones too), JS's is ASCII;
 * - `.` becomes JS's "anything but a line terminator";
 * - `&`, `~` and `[` are escaped inside a class, where Rust reads `&&`, `~~` and `[` as set syntax (`--` is refused);
 * - the `u` flag needs nothing (Rust is Unicode-aware by default), `i`/`m`/`s` become inline flags.
 *
 * Anything whose meaning differs and has no safe rewrite (`\w`, `\s`, `\b`, back-references,
 * look-around) is refused rather than guessed: a pattern must mean the same on both sides.
 * test/pact/rust-regex.test.ts checks, through the real Pact mock server, that every D1 pattern
 * accepts and rejects the same samples in Rust as in JavaScript.
 */
export function toRustRegex(re: RegExp): string {
  const src = re.source;
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src.charAt(i);
    if (ch === '\\') {
      const next = src.charAt(i + 1);
      i++;
      out += escape(next, src, i, inClass, (n) => (i += n));
      continue;
    }
    if (inClass) {
      if (ch === ']') inClass = false;
      else if (ch === '&' || ch === '~' || ch === '[') {
        out += `\\${ch}`;
        continue;
      } else if (ch === '-' && src.charAt(i + 1) === '-') throw new Error(`pattern ${src}: "--" in a class reads differently in Rust`);
      out += ch;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      out += ch;
      // A leading ^ or ] belongs to the class syntax; copy it as it is.
      if (src.charAt(i + 1) === '^') {
        out += '^';
        i++;
      }
      continue;
    }
    if (ch === '(' && src.charAt(i + 1) === '?' && src.charAt(i + 2) !== ':') throw new Error(`pattern ${src}: look-around and named groups are not converted`);
    out += ch === '.' ? '[^\\n\\r\\x{2028}\\x{2029}]' : ch;
  }
  const flags = [...re.flags].filter((f) => f === 'i' || f === 'm' || f === 's');
  for (const f of re.flags) if (!'gyuimsd'.includes(f)) throw new Error(`pattern ${src}: flag ${f} is not converted`);
  return flags.length > 0 ? `(?${flags.join('')})${out}` : out;
}

function escape(next: string, src: string, at: number, inClass: boolean, advance: (n: number) => void): string {
  switch (next) {
    case 'u': {
      const hex = /^[0-9A-Fa-f]{4}/.exec(src.slice(at + 1))?.[0];
      if (hex === undefined) throw new Error(`pattern ${src}: \\u needs four hex digits`);
      advance(4);
      return `\\x{${hex.toUpperCase()}}`;
    }
    case 'x': {
      const hex = /^[0-9A-Fa-f]{2}/.exec(src.slice(at + 1))?.[0];
      if (hex === undefined) throw new Error(`pattern ${src}: \\x needs two hex digits`);
      advance(2);
      return `\\x{${hex.toUpperCase()}}`;
    }
    case 'd':
      return inClass ? '0-9' : '[0-9]';
    case 'D':
      if (inClass) throw new Error(`pattern ${src}: \\D inside a class is not converted`);
      return '[^0-9]';
    case '/':
      return '/';
    case 'p':
    case 'P': {
      const name = /^\{[A-Za-z_=]+\}/.exec(src.slice(at + 1))?.[0];
      if (name === undefined) throw new Error(`pattern ${src}: \\${next} needs a {Name}`);
      advance(name.length);
      return `\\${next}${name}`;
    }
    case 'n':
    case 'r':
    case 't':
    case 'f':
    case 'v':
      return `\\${next}`;
    case 'w':
    case 'W':
    case 's':
    case 'S':
    case 'b':
    case 'B':
      throw new Error(`pattern ${src}: \\${next} means something else in Rust; spell the class out`);
    default:
      if (/[0-9A-Za-z]/.test(next)) throw new Error(`pattern ${src}: escape \\${next} is not converted`);
      // An escaped punctuation character is itself in both syntaxes.
      return `\\${next}`;
  }
}
