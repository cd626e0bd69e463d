/**
 * A JSON syntax check that says where, never what: JSON.parse's message quotes the text around the
 * error (`Unexpected token 'c', "{"a": canary-se"...`), which in a config file may be a secret. It
 * runs without recursion, so it also measures nesting before anything recursive (JSON.stringify,
 * merging, schema checks) meets a 100k-deep document.
 */

export type JsonProblem = { readonly kind: 'syntax' | 'depth'; readonly offset: number };

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const HEX4 = /^[0-9A-Fa-f]{4}$/;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'commaOrClose' | 'end';

/** The end of the string starting at `start` (a quote), or the offset of its first error as -(offset + 1). */
function stringEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return -(i + 1);
    if (c === 0x5c) {
      const next = text[i + 1];
      if (next === 'u') {
        if (!HEX4.test(text.slice(i + 2, i + 6))) return -(i + 1);
        i += 6;
      } else if (next !== undefined && SIMPLE_ESCAPES.has(next)) i += 2;
      else return -(i + 1);
    } else i++;
  }
  return -(text.length + 1);
}

/** The first syntax error, or nesting beyond `maxDepth`, of `text` as JSON; undefined when it is valid. */
export function checkJson(text: string, maxDepth: number): JsonProblem | undefined {
  const stack: string[] = [];
  let i = 0;
  let expect: Expect = 'value';
  const syntax = (offset: number): JsonProblem => ({ kind: 'syntax', offset });
  const afterValue = (): Expect => (stack.length === 0 ? 'end' : 'commaOrClose');
  for (;;) {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    const c = text[i];
    if (c === undefined) return expect === 'end' ? undefined : syntax(i);
    switch (expect) {
      case 'end':
        return syntax(i);
      case 'colon':
        if (c !== ':') return syntax(i);
        i++;
        expect = 'value';
        break;
      case 'commaOrClose': {
        const open = stack[stack.length - 1];
        if (c === ',') {
          i++;
          expect = open === '{' ? 'key' : 'value';
        } else if (c === (open === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          expect = afterValue();
        } else return syntax(i);
        break;
      }
      case 'key':
      case 'keyOrClose': {
        if (c === '}' && expect === 'keyOrClose') {
          stack.pop();
          i++;
          expect = afterValue();
          break;
        }
        if (c !== '"') return syntax(i);
        const end = stringEnd(text, i);
        if (end < 0) return syntax(-end - 1);
        i = end;
        expect = 'colon';
        break;
      }
      case 'value':
      case 'valueOrClose': {
        if (c === ']' && expect === 'valueOrClose') {
          stack.pop();
          i++;
          expect = afterValue();
        } else if (c === '{' || c === '[') {
          stack.push(c);
          if (stack.length > maxDepth) return { kind: 'depth', offset: i };
          i++;
          expect = c === '{' ? 'keyOrClose' : 'valueOrClose';
        } else if (c === '"') {
          const end = stringEnd(text, i);
          if (end < 0) return syntax(-end - 1);
          i = end;
          expect = afterValue();
        } else {
          const literal = ['true', 'false', 'null'].find((l) => text.startsWith(l, i));
          if (literal !== undefined) i += literal.length;
          else {
            NUMBER.lastIndex = i;
            if (!NUMBER.test(text)) return syntax(i);
            i = NUMBER.lastIndex;
          }
          expect = afterValue();
        }
        break;
      }
    }
  }
}

/** 1-based line and column of an offset, in characters. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lastNewline = before.lastIndexOf('\n');
  return { line: before.split('\n').length, column: offset - lastNewline };
}
