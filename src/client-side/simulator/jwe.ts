import { decodeProtectedHeader } from 'jose';
import { decryptJwe } from './decrypt.js';
import { jweHeader, jwePlaintext } from '../../../contracts/d1-api/cards.js';
import { gradeContract } from './contract.js';
import type { FieldErrorCode } from './errors.js';
import type { Grading } from './grade.js';
import { decodeUtf8, parseJson } from './http.js';
import type { JweKey } from './keys.js';

/**
 * The card data JWE of Register card (inbound.md §4c): protected header by its contract (alg
 * ECDH-ES, enc A256GCM, kid = the simulator's key, epk on P-256), decrypted with the simulator's
 * key and nothing else, plaintext by its contract ({pan, exp}).
 */

export interface JweOutcome {
  /** The plaintext pan when there is one, even an invalid one: the redactor must learn it. */
  readonly pan?: string;
  /** Set when the JWE refuses the request. */
  readonly error?: FieldErrorCode;
}

export async function gradeJwe(g: Grading, jwe: string, key: JweKey, label: string): Promise<JweOutcome> {
  let header: unknown;
  try {
    header = decodeProtectedHeader(jwe);
  } catch {
    g.finding('IN-JWE-009', `${label}.header`, 'the JWE protected header is not a base64url JSON object');
    return { error: 'FIELD_INVALID_FORMAT' };
  }
  // epk is ECDH-ES's ephemeral key: with another alg its absence is the alg's breach (IN-JWE-002), not a second one.
  const ecdh = (header as { alg?: unknown }).alg === 'ECDH-ES';
  const headerErrors = gradeContract(g, jweHeader, header, {
    profiles: [],
    label: `${label}.header`,
    ignore: (v) => !ecdh && v.ruleId === 'IN-JWE-005',
  });
  const kid = (header as { kid?: unknown }).kid;
  let kidOk = true;
  if (typeof kid === 'string' && kid !== '') {
    kidOk = g.check(kid === key.kid, 'IN-JWE-004', `${label}.header.kid names the simulator's key`, "kid does not name the simulator's JWE recipient key");
  }
  const [firstHeaderError] = headerErrors;
  if (firstHeaderError) return { error: firstHeaderError.code };
  if (!kidOk) return { error: 'FIELD_INVALID_VALUE' };

  let plaintext: Uint8Array;
  try {
    // Only the documented algorithms (decrypt.ts): anything else must not even be tried.
    plaintext = await decryptJwe(jwe, key);
    g.pass('IN-JWE-001', `${label} decrypts with the simulator's key`);
  } catch {
    g.finding(
      'IN-JWE-001',
      `${label} decrypts with the simulator's key`,
      "the JWE does not decrypt with the simulator's recipient key (another key, or altered)",
    );
    return { error: 'FIELD_INVALID_VALUE' };
  }

  const text = decodeUtf8(Buffer.from(plaintext));
  const parsed = text === undefined ? undefined : parseJson(text);
  if (parsed?.ok !== true) {
    g.finding('IN-JWE-006', `${label}.plaintext`, 'the JWE plaintext is not UTF-8 JSON');
    return { error: 'FIELD_INVALID_FORMAT' };
  }
  const value = parsed.value;
  const pan = typeof value === 'object' && value !== null && typeof (value as { pan?: unknown }).pan === 'string' ? (value as { pan: string }).pan : undefined;
  const [plaintextError] = gradeContract(g, jwePlaintext, value, { profiles: [], label: `${label}.plaintext` });
  return { ...(pan !== undefined ? { pan } : {}), ...(plaintextError ? { error: plaintextError.code } : {}) };
}
