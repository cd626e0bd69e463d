import type { EndpointId } from './endpoints.js';

/**
 * Integration profiles: which endpoints a service needs from the issuer (seed 003 for Click to
 * Pay; outbound.md S9/S10/S11 and S28/S29 for the others). A run declares the profiles the issuer
 * implements; endpoints outside them are NOT_APPLICABLE, and profile-tagged field rules (e.g.
 * Click to Pay's mandatory personal data) apply only when their profile is declared.
 */
export type Need = 'mandatory' | 'conditional' | 'optional';

export interface Profile {
  readonly id: string;
  readonly title: string;
  readonly source: string;
  readonly endpoints: Readonly<Partial<Record<EndpointId, { need: Need; when?: string }>>>;
}

export const PROFILES = [
  {
    id: 'click-to-pay',
    title: 'Click to Pay',
    source: 'seed 003 (Click to Pay D1 API summary); outbound.md S28; seed 004 "mandatory for Click to Pay" field notes',
    endpoints: {
      'd1.token': { need: 'mandatory' },
      'd1.registerCard': { need: 'mandatory' },
      'd1.registerConsumer': { need: 'mandatory' },
      'd1.deleteConsumer': { need: 'mandatory' },
      'd1.updateConsumer': { need: 'conditional', when: 'personal data is stored in D1' },
      'd1.getCardList': { need: 'optional' },
      'issuer.token': { need: 'conditional', when: 'D1 calls the issuer backend' },
      'issuer.getConsumerInfo': { need: 'conditional', when: 'personal data is not stored in D1, or auto-enrolment lacks details' },
      'issuer.notifyConsumerOperation': { need: 'conditional', when: 'the issuer wants consumer operation notifications' },
    },
  },
  {
    id: '3ds',
    title: '3-D Secure (OOB issuer authentication, issuer-managed SMS OTP)',
    source: 'outbound.md §1 E3-E6 (S9, S10, S11)',
    endpoints: {
      'issuer.authenticate': { need: 'conditional', when: 'OOB challenge with issuer authentication' },
      'issuer.getAuthenticationResult': { need: 'conditional', when: 'OOB challenge with issuer authentication' },
      'issuer.deliverOtp': { need: 'conditional', when: 'the issuer sends the SMS OTP itself' },
      'issuer.getConsumerInfo': { need: 'conditional', when: 'D1 sends the SMS OTP and needs the phone number' },
      'issuer.notifyConsumerOperation': { need: 'conditional', when: 'OOB enrolment notifications' },
      'issuer.token': { need: 'optional', when: 'outbound OAuth is configured' },
    },
  },
  {
    id: 'tokenization',
    title: 'Tokenization / Push provisioning',
    source: 'outbound.md §1 E2, E3 (S7, S29, S38); inbound.md §5 (N20)',
    endpoints: {
      'issuer.token': { need: 'mandatory' },
      'issuer.getConsumerInfo': { need: 'conditional', when: 'consumer details are not kept up to date in D1' },
      'issuer.deliverOtp': { need: 'conditional', when: 'OTP step-up is delivered by the issuer' },
      'd1.token': { need: 'mandatory' },
      'd1.registerConsumer': { need: 'mandatory' },
      'd1.registerCard': { need: 'mandatory' },
      'd1.updateConsumer': { need: 'conditional', when: 'consumer details are registered in D1' },
      'd1.deleteConsumer': { need: 'mandatory' },
      'd1.getCardList': { need: 'optional' },
    },
  },
] as const satisfies readonly Profile[];

export type ProfileId = (typeof PROFILES)[number]['id'];
export const PROFILE_IDS = PROFILES.map((p) => p.id) as [ProfileId, ...ProfileId[]];

/** Endpoints a run covers: every endpoint when no profile is declared, else the union of the profiles'. */
export function endpointsInScope(profiles: readonly ProfileId[], all: readonly EndpointId[]): Set<EndpointId> {
  if (profiles.length === 0) return new Set(all);
  const scope = new Set<EndpointId>();
  for (const p of PROFILES) {
    if (profiles.includes(p.id)) for (const e of Object.keys(p.endpoints) as EndpointId[]) scope.add(e);
  }
  return scope;
}

/** Card schemes a run knows by name (testData.consumers[].scheme, case-insensitive). */
export const KNOWN_SCHEMES = ['MASTERCARD', 'VISA', 'AMEX', 'DISCOVER', 'JCB', 'DINERS', 'UNIONPAY', 'CB'] as const;

/**
 * Whether Click to Pay requires email of this consumer: seed 004 tags email "mandatory for
 * Click to Pay (Mastercard)". Another scheme: no. No scheme or an unknown one: the requirement is
 * not applied, and the reason says so (a guess either way would be a finding the seed does not back).
 */
export function clickToPayEmailRequired(scheme: string | undefined): { readonly required: boolean; readonly reason: string } {
  if (scheme === undefined) return { required: false, reason: 'no card scheme configured for this consumer (testData.consumers[].scheme): seed 004 requires email for Click to Pay on Mastercard only' };
  const name = scheme.toUpperCase();
  if (name === 'MASTERCARD') return { required: true, reason: 'Mastercard consumer: seed 004 tags email mandatory for Click to Pay (Mastercard)' };
  if ((KNOWN_SCHEMES as readonly string[]).includes(name)) return { required: false, reason: `${name} consumer: seed 004 requires email for Click to Pay on Mastercard only` };
  return { required: false, reason: 'card scheme not one the run knows (testData.consumers[].scheme): the Mastercard-only email requirement is not applied' };
}
