import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { SigningKey } from './keys.js';
import type { SimulatorState } from './state.js';

/**
 * D1's access tokens (inbound.md §1c): JWTs the simulator signs (ES256), bound to the issuerId
 * (`sub`), valid 15 minutes. Only a token this instance signed and recorded, unexpired by the
 * simulator's clock, authorises a call.
 */

export const TOKEN_TTL_SECONDS = 900;
/** The scope D1's example shows (inbound.md §1c); D1's per-API scope enforcement is NF, so none here. */
export const TOKEN_SCOPE = 'd1-api:account:full d1-api:consumer:full d1-api:card:full';

const TOKEN_ISSUER = 'urn:d1-conformance:d1-simulator';
const AUDIENCE = 'd1-banking-api';

export type TokenCheck = { readonly ok: true; readonly issuerId: string } | { readonly ok: false; readonly reason: 'expired' | 'foreign' };

const VERIFIED_MAX = 10_000;

export class AccessTokens {
  readonly #key: SigningKey;
  readonly #state: SimulatorState;
  readonly #now: () => number;

  constructor(key: SigningKey, state: SimulatorState, now: () => number) {
    this.#key = key;
    this.#state = state;
    this.#now = now;
  }

  /** Records the token before signing it (no await between the reuse check and the record). */
  async issue(issuerId: string): Promise<string> {
    const iat = Math.floor(this.#now() / 1000);
    const exp = iat + TOKEN_TTL_SECONDS;
    const jti = randomUUID();
    this.#state.addToken(jti, issuerId, exp * 1000);
    return new SignJWT({ scope: TOKEN_SCOPE })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(AUDIENCE)
      .setSubject(issuerId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.#key.privateKey);
  }

  /**
   * Tokens already verified once, by their exact text: a client sends one token on every call, and
   * re-checking its ES256 signature each time would be the simulator's largest cost. The text is
   * what was signed, so the lookup proves as much; expiry is still read from the clock each time.
   */
  readonly #verified = new Map<string, { readonly issuerId: string; readonly jti: string; readonly expiresAtMs: number }>();

  async verify(token: string): Promise<TokenCheck> {
    const known = this.#verified.get(token);
    if (known) {
      if (known.expiresAtMs <= this.#now()) {
        this.#verified.delete(token);
        return { ok: false, reason: 'expired' };
      }
      return this.#state.hasToken(known.jti) ? { ok: true, issuerId: known.issuerId } : { ok: false, reason: 'foreign' };
    }
    try {
      const { payload } = await jwtVerify(token, this.#key.publicKey, {
        algorithms: ['ES256'],
        issuer: TOKEN_ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.#now()),
        requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      });
      const { sub, jti, exp } = payload;
      if (typeof sub !== 'string' || typeof jti !== 'string' || typeof exp !== 'number' || !this.#state.hasToken(jti)) return { ok: false, reason: 'foreign' };
      // Bounded: a client fetching tokens without end must not grow it without end.
      if (this.#verified.size >= VERIFIED_MAX) this.#verified.clear();
      this.#verified.set(token, { issuerId: sub, jti, expiresAtMs: exp * 1000 });
      return { ok: true, issuerId: sub };
    } catch (e) {
      return { ok: false, reason: e instanceof errors.JWTExpired ? 'expired' : 'foreign' };
    }
  }
}
