// Identifier hygiene: detectors for personal data (PANs and PAN derivations,
// emails, phone numbers, names) in ids, headers, HTTP bodies and reports.
export { luhnValid } from './luhn.js';
export { findPans, isPan } from './pan.js';
export type { PanMatch } from './pan.js';
export { findEmails } from './email.js';
export { findPhones } from './phone.js';
export type { PhoneMatch } from './phone.js';
export { findNames } from './names.js';
export { findPanDerived, panDerivations } from './pan-derived.js';
export type { PanDerivation, PanDerivedMatch } from './pan-derived.js';
export { scanValue } from './scan.js';
export type { HygieneContext, HygieneFinding, HygieneKind } from './scan.js';
export type { Span } from './spans.js';
export { checkIdentifier, FORBIDDEN, IDENTIFIER_RULES } from './identifier-rules.js';
export type { IdentifierFinding, IdentifierKind } from './identifier-rules.js';
