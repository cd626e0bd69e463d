import { describe, it, expect } from 'vitest';
import { findEmails } from '../../src/core/hygiene/email.js';

function matched(text: string): string[] {
  return findEmails(text).map((s) => text.slice(s.start, s.end));
}

describe('findEmails', () => {
  it('finds an address embedded in an id and stops at the TLD', () => {
    const text = 'id-john.smith@example.com-x';
    const [span, ...rest] = findEmails(text);
    expect(rest).toEqual([]);
    // The local part may legally contain "-", so "id-" is part of the match.
    expect(span).toEqual({ start: 0, end: text.indexOf('-x') });
  });

  it.each([
    ['john.smith@example.com', 'john.smith@example.com'],
    ['<JOHN@EXAMPLE.CO.UK>', 'JOHN@EXAMPLE.CO.UK'],
    ['mail: a+tag@sub.example.org.', 'a+tag@sub.example.org'],
    ['josé@exämple.fr', 'josé@exämple.fr'],
    ['cons_john%40example.com', 'cons_john%40example.com'], // URL-encoded "@"
    ['x@xn--80ak6aa92e.xn--p1ai', 'x@xn--80ak6aa92e.xn--p1ai'],
  ])('finds the address in %j', (text, expected) => {
    expect(matched(text)).toEqual([expected]);
  });

  it('finds several addresses', () => {
    expect(matched('a@b.io, c.d@e-f.com;g@h.de')).toEqual(['a@b.io', 'c.d@e-f.com', 'g@h.de']);
  });

  it('never reports overlapping matches', () => {
    // The second "@" would otherwise yield "b.com@c.org", overlapping the first.
    expect(matched('a@b.com@c.org')).toEqual(['a@b.com']);
  });

  it.each([
    'card_7f3a9c',
    'cons-0001',
    'crd_h2otddwm5uwujlye3qyxmjkpha',
    'john.smith',
    'john.smith.example.com',
    '@example.com',
    'john@',
    'john@localhost',
    'john@example.c',
    'john@.com',
    '123e4567-e89b-12d3-a456-426614174000',
  ])('ignores %j', (text) => {
    expect(findEmails(text)).toEqual([]);
  });

  it('stays fast on large bodies with long word runs', () => {
    const body = 'a.'.repeat(100_000) + '@' + 'b-'.repeat(50_000) + ' x@y.com';
    const started = performance.now();
    expect(matched(body)).toEqual(['x@y.com']);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('stays fast on bodies full of "@" with no address', () => {
    const body = 'a@'.repeat(100_000) + 'b';
    const started = performance.now();
    expect(findEmails(body)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
