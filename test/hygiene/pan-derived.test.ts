import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { findPanDerived, panDerivations } from '../../src/core/hygiene/pan-derived.js';

const PAN = '4111111111111111';
// Canary digests of "4111111111111111" computed outside this code base
// (`printf 4111111111111111 | sha256sum`, `| md5sum`).
const SHA256_HEX = '9bbef19476623ca56c17da75fd57734dbf82530686043a6e491c6d71befe8f6e';
const MD5_HEX = '5910f4ea0062a0e29afd3dccc741e3ce';
const SHA256_BASE64 = Buffer.from(SHA256_HEX, 'hex').toString('base64');
const SHA256_BASE64URL = Buffer.from(SHA256_HEX, 'hex').toString('base64url');

function kinds(text: string, pans: readonly string[] = [PAN]): [string, string][] {
  return findPanDerived(text, pans).map((m) => [m.kind, text.slice(m.start, m.end)]);
}

describe('panDerivations', () => {
  const byKind = new Map(panDerivations(PAN).map((d) => [d.kind, d.value]));

  it('lists the plain derivations of a PAN', () => {
    expect(byKind.get('pan-digits')).toBe(PAN);
    expect(byKind.get('pan-reversed')).toBe('1111111111111114');
    expect(byKind.get('bin-last4')).toBe('4111111111');
    expect(byKind.get('last4-bin')).toBe('1111411111');
    expect(byKind.get('pan-ascii-hex')).toBe('34313131313131313131313131313131');
    expect(byKind.get('pan-base64')).toBe('NDExMTExMTExMTExMTExMQ==');
    expect(byKind.get('pan-base64-unpadded')).toBe('NDExMTExMTExMTExMTExMQ');
  });

  it('lists hash digests in hex (both cases) and base64 forms', () => {
    expect(byKind.get('sha256-hex')).toBe(SHA256_HEX);
    expect(byKind.get('sha256-hex-upper')).toBe(SHA256_HEX.toUpperCase());
    expect(byKind.get('md5-hex')).toBe(MD5_HEX);
    expect(byKind.get('sha1-hex')).toMatch(/^[0-9a-f]{40}$/);
    expect(byKind.get('sha512-hex')).toMatch(/^[0-9a-f]{128}$/);
    expect(byKind.get('sha256-base64')).toBe(SHA256_BASE64);
    expect(byKind.get('sha256-base64url')).toBe(SHA256_BASE64URL);
    expect(byKind.get('sha256-base64url-padded')).toBe(`${SHA256_BASE64URL}=`);
  });

  it('ignores separators in the PAN and lists each value once', () => {
    expect(panDerivations('4111 1111 1111 1111')).toEqual(panDerivations(PAN));
    const values = panDerivations(PAN).map((d) => d.value);
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('findPanDerived: caught', () => {
  it.each([
    ['the SHA-256 hex (lower case)', `card_${SHA256_HEX}`, 'sha256-hex', SHA256_HEX],
    ['the SHA-256 hex (upper case)', `CARD-${SHA256_HEX.toUpperCase()}-X`, 'sha256-hex', SHA256_HEX.toUpperCase()],
    ['the SHA-256 base64 with padding', `id:${SHA256_BASE64}`, 'sha256-base64', SHA256_BASE64],
    ['the SHA-256 base64url', `id.${SHA256_BASE64URL}.x`, 'sha256-base64url', SHA256_BASE64URL],
    ['a 16-char prefix of the SHA-256 hex', `crd_${SHA256_HEX.slice(0, 16)}`, 'sha256-hex-truncated', SHA256_HEX.slice(0, 16)],
    ['a 20-char suffix of the SHA-256 hex', `crd_${SHA256_HEX.slice(-20)}`, 'sha256-hex-truncated', SHA256_HEX.slice(-20)],
    ['the MD5 hex', `m${MD5_HEX}`, 'md5-hex', MD5_HEX],
    ['BIN-last4 with a dash', 'x411111-1111y', 'bin-last4-separated', '411111-1111'],
    ['BIN+last4', 'c4111111111', 'bin-last4', '4111111111'],
    ['last4+BIN', 'c1111411111', 'last4-bin', '1111411111'],
    ['the reversed PAN', 'r1111111111111114', 'pan-reversed', '1111111111111114'],
    ['a masked PAN', 'pan=411111******1111', 'masked-pan', '411111******1111'],
    ['the PAN base64', 'b:NDExMTExMTExMTExMTExMQ==', 'pan-base64', 'NDExMTExMTExMTExMTExMQ=='],
    ['the PAN ASCII hex', 'h34313131313131313131313131313131', 'pan-ascii-hex', '34313131313131313131313131313131'],
    ['the PAN inside a longer digit run', '00004111111111111111', 'pan-digits', PAN],
  ])('finds %s', (_label, text, kind, value) => {
    expect(kinds(text)).toEqual([[kind, value]]);
  });

  it('finds derivations of each PAN given, including the other canaries', () => {
    const other = createHash('sha1').update('5555555555554444').digest('hex');
    expect(kinds(`${other}|4111111111`, [PAN, '5555 5555 5555 4444'])).toEqual([
      ['sha1-hex', other],
      ['bin-last4', '4111111111'],
    ]);
  });
});

describe('findPanDerived: not caught', () => {
  it.each([
    ['the SHA-256 of something else', createHash('sha256').update('card-0001').digest('hex')],
    ['the SHA-256 of another PAN', createHash('sha256').update('5555555555554444').digest('hex')],
    ['a 15-char prefix of the digest', `crd_${SHA256_HEX.slice(0, 15)}`],
    ['a 15-char prefix of the digest inside a longer hex run', `${SHA256_HEX.slice(0, 15)}0ff`],
    [
      'the digest with one character changed',
      SHA256_HEX.slice(0, 15) + 'x' + SHA256_HEX.slice(16, 31) + 'x' + SHA256_HEX.slice(32, 47) + 'x' + SHA256_HEX.slice(48, 63),
    ],
    ['BIN and last 4 with a digit between', '41111151111'],
    ['ordinary ids', 'card_7f3a9c cons-0001 crd_h2otddwm5uwujlye3qyxmjkpha 123e4567-e89b-12d3-a456-426614174000'],
  ])('ignores %s', (_label, text) => {
    expect(findPanDerived(text, [PAN])).toEqual([]);
  });

  it('ignores derivations shorter than 8 characters', () => {
    expect(findPanDerived('x1234567x', ['1234567'])).toEqual([]);
  });

  it('finds nothing without PANs to derive from', () => {
    expect(findPanDerived(`card_${SHA256_HEX}`, [])).toEqual([]);
  });
});
