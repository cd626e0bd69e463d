import { parse as parseYaml, YAMLError } from 'yaml';
import { ConfigurationError } from '../errors/index.js';

/**
 * YAML as the configuration and waiver files take it: one parser for JSON and YAML alike, its
 * errors said by place only (the parser quotes the text around an error, which may hold a
 * secret), and hostile nesting refused before the parser meets it (300,000 nested `[` exhaust
 * its memory and kill the process: no error to catch).
 */
export function parseYamlText(text: string, what: string, maxDepth: number): unknown {
  const depth = flowDepth(text);
  if (depth > maxDepth) throw new ConfigurationError(`${what} nests deeper than ${maxDepth} levels`);
  try {
    // Aliases are for people; a file that expands one into thousands is an attack (billion laughs).
    return parseYaml(text, { maxAliasCount: 100, uniqueKeys: true });
  } catch (e) {
    const at = e instanceof YAMLError ? e.linePos?.[0] : undefined;
    throw new ConfigurationError(`${what} is neither JSON nor YAML${at ? ` (line ${at.line}, column ${at.col})` : ''}`);
  }
}

/**
 * The deepest run of flow brackets (`[`, `{`), counted without regard to quotes: an upper bound
 * that may refuse a string holding many brackets, never lets a deep document through.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}
