import { describe, it, expect } from 'vitest';
import { findNames } from '../../src/core/hygiene/names.js';

function matched(text: string, names: readonly string[]): string[] {
  return findNames(text, names).map((s) => text.slice(s.start, s.end));
}

describe('findNames', () => {
  it('finds name parts joined by _ - or . in an id', () => {
    expect(matched('john_smith_01', ['John', 'Smith'])).toEqual(['john', 'smith']);
    expect(matched('JOHN.SMITH', ['John Smith'])).toEqual(['JOHN', 'SMITH']);
    expect(matched('x-smith-john', ["John O'Smith"])).toEqual(['smith', 'john']);
  });

  it('is accent-insensitive in both directions and maps back to original offsets', () => {
    expect(matched('jose-garcia', ['José García'])).toEqual(['jose', 'garcia']);
    expect(matched('id_JOSÉ_GARCÍA', ['Jose Garcia'])).toEqual(['JOSÉ', 'GARCÍA']);
    const decomposed = 'xJOSE\u0301y'; // E + combining acute accent
    expect(matched(decomposed, ['José'])).toEqual(['JOSE\u0301']);
    expect(matched('soren_lukasz_strasse', ['Søren Łukasz Straße'])).toEqual(['soren', 'lukasz', 'strasse']);
  });

  it('works for Arabic, with or without vowel marks', () => {
    expect(findNames('id_محمد', ['محمد'])).toEqual([{ start: 3, end: 7 }]);
    expect(matched('id_مُحَمَّد_1', ['محمد'])).toEqual(['مُحَمَّد']);
  });

  it('works for Cyrillic (case-insensitive) and CJK two-character names', () => {
    expect(matched('ivan_ИВАНОВ', ['Иван Иванов'])).toEqual(['ИВАНОВ']);
    expect(matched('user王伟01', ['王伟'])).toEqual(['王伟']);
    expect(matched('user王伟01', ['王 伟'])).toEqual(['王伟']);
  });

  // Decision: substring matching. An id containing a name returned for the
  // consumer is a finding even inside a longer word; "jonathan" simply does
  // not contain "john", "johnathan" does.
  it('matches names as substrings of longer words', () => {
    expect(matched('johnny42', ['John'])).toEqual(['john']);
    expect(matched('johnathan', ['John'])).toEqual(['john']);
    expect(findNames('jonathan', ['John'])).toEqual([]);
  });

  it.each([
    ['card_7f3a9c', ['Anna']],
    ['cons-0001', ['John Smith']],
    ['crd_h2otddwm5uwujlye3qyxmjkpha', ['Anna Li']],
    ['al_li_0001', ['Al Li']], // tokens shorter than 3 letters are ignored
    ['user王01', ['王 伟']], // single CJK characters are ignored
    ['id_محمد', ['Ahmed']],
    ['john_smith', []],
  ] as const)('does not flag %j for %j', (text, names) => {
    expect(findNames(text, names)).toEqual([]);
  });
});
