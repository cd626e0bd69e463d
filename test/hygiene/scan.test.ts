import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { scanValue } from '../../src/core/hygiene/index.js';
import type { HygieneContext, HygieneFinding, HygieneKind } from '../../src/core/hygiene/index.js';
import { panDerivations } from '../../src/core/hygiene/pan-derived.js';
import { panDerivedDetail } from '../../src/core/hygiene/scan.js';
import { luhnPan, PROPERTY_OPTIONS } from './luhn-fixtures.js';

const PAN = '4111111111111111';
const CONTEXT: HygieneContext = {
  pans: [PAN, '5555555555554444'],
  names: ['John Smith', 'محمد'],
  emails: ['John.Smith@Example.com'],
  phones: ['+44 7700 900123'],
};

const ORDINARY_IDS = [
  'card_7f3a9c',
  'cons-0001',
  'crd_h2otddwm5uwujlye3qyxmjkpha',
  '123e4567-e89b-12d3-a456-426614174000',
  '0012345678',
  '20240101',
  'CONS_000000123456',
];

function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Text that carries the PAN and personal data in every form the detectors know. */
function leakyText(pan: string): string {
  const digest = createHash('sha256').update(pan).digest();
  return [
    `pan=${pan}`,
    digest.toString('hex').toUpperCase(),
    digest.toString('base64'),
    `${pan.slice(0, 6)}******${pan.slice(-4)}`,
    `${pan.slice(0, 6)}-${pan.slice(-4)}`,
    'id-john.smith@example.com',
    'tel +447700900123',
    'cons_john_smith',
    'id_محمد',
  ].join(' | ');
}

function assertDetailsAreClean(findings: readonly HygieneFinding[], pan: string): void {
  for (const f of findings) {
    expect(f.detail.length).toBeGreaterThan(0);
    // No PAN, BIN, last 4 or phone digits: no run of 4+ digits at all
    // ("16-digit", "SHA-256" are fine).
    expect(f.detail).not.toMatch(/[0-9]{4}/);
    expect(f.detail).not.toContain(pan);
    const lower = f.detail.toLowerCase();
    for (const secret of ['john', 'smith', 'example', '@', 'محمد', '7700', '+44']) expect(lower).not.toContain(secret);
  }
}

describe('scanValue', () => {
  it.each(ORDINARY_IDS)('reports nothing for the ordinary id %j, with or without context', (id) => {
    expect(scanValue(id)).toEqual([]);
    expect(scanValue(id, CONTEXT)).toEqual([]);
  });

  it('reports a PAN once, not again as its own derivation, and says when it is a known one', () => {
    expect(scanValue(`card${PAN}x`, CONTEXT)).toEqual([
      { kind: 'pan', start: 4, end: 20, detail: 'Luhn-valid 16-digit run (PAN-like), a known test PAN', known: true },
    ]);
    expect(scanValue('6011111111111117')).toEqual([{ kind: 'pan', start: 0, end: 16, detail: 'Luhn-valid 16-digit run (PAN-like)', known: false }]);
  });

  it('reports PAN derivations only when the PAN is in the context', () => {
    const text = `crd_${sha256Hex(PAN)}`;
    expect(scanValue(text)).toEqual([]);
    expect(scanValue(text, CONTEXT)).toEqual([{ kind: 'pan-derived', start: 4, end: 68, detail: 'SHA-256 hex of a known test PAN' }]);
    expect(scanValue(`crd_${sha256Hex(PAN).slice(0, 16)}`, CONTEXT).map((f) => f.detail)).toEqual(['truncated SHA-256 hex of a known test PAN']);
  });

  it('reports emails generically and known emails case-insensitively, local part included', () => {
    expect(scanValue('ID-JOHN.SMITH@EXAMPLE.COM', { emails: ['john.smith@example.com'] })).toEqual([
      { kind: 'email', start: 0, end: 25, detail: 'email address' },
      { kind: 'email', start: 3, end: 25, detail: 'contains an email address (or its local part) returned for this consumer' },
    ]);
    expect(scanValue('cons-john.smith-01')).toEqual([]);
    expect(scanValue('cons-john.smith-01', { emails: ['John.Smith@example.com'] })).toEqual([
      { kind: 'email', start: 5, end: 15, detail: 'contains an email address (or its local part) returned for this consumer' },
    ]);
  });

  it('reports phones and names with context-specific details', () => {
    expect(scanValue('u7700900123', CONTEXT)).toEqual([{ kind: 'phone', start: 1, end: 11, detail: 'contains a phone number returned for this consumer' }]);
    expect(scanValue('tel+33612345678')).toEqual([{ kind: 'phone', start: 3, end: 15, detail: 'international phone number (E.164-like)' }]);
    expect(scanValue('JOHN_SMITH_01', CONTEXT)).toEqual([
      { kind: 'name', start: 0, end: 4, detail: 'contains a personal name returned for this consumer' },
      { kind: 'name', start: 5, end: 10, detail: 'contains a personal name returned for this consumer' },
    ]);
    expect(scanValue('JOHN_SMITH_01')).toEqual([]);
  });

  it('finds every kind in one text, sorted by position, with clean details', () => {
    const findings = scanValue(leakyText(PAN), CONTEXT);
    const kinds = new Set<HygieneKind>(findings.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(['email', 'name', 'pan', 'pan-derived', 'phone']);
    expect(findings.filter((f) => f.kind === 'pan-derived')).toHaveLength(4);
    const starts = findings.map((f) => f.start);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    assertDetailsAreClean(findings, PAN);
  });

  it('has a specific detail for every derivation kind', () => {
    const all = panDerivations(PAN).map((d) => d.kind.replace(/-upper$/, ''));
    const extra = ['bin-last4-separated', 'masked-pan', 'sha256-hex-truncated', 'sha1-base64url-truncated'];
    for (const kind of [...all, ...extra]) {
      expect(panDerivedDetail(kind), kind).not.toBe('value derived from a known test PAN');
      expect(panDerivedDetail(kind)).not.toMatch(/[0-9]{4}/);
    }
    expect(panDerivedDetail('sha256-hex-truncated')).toBe('truncated SHA-256 hex of a known test PAN');
  });

  it('never puts the PAN, its parts or the personal data in a detail (property)', () => {
    fc.assert(
      fc.property(luhnPan, (pan) => {
        const findings = scanValue(leakyText(pan), { ...CONTEXT, pans: [pan] });
        const kinds = new Set(findings.map((f) => f.kind));
        expect(kinds.size).toBe(5);
        expect(findings.filter((f) => f.kind === 'pan-derived').length).toBeGreaterThanOrEqual(4);
        assertDetailsAreClean(findings, pan);
      }),
      { ...PROPERTY_OPTIONS, numRuns: 200 },
    );
  });
});
