/** Issuer as client: the messages the issuer backend sends to D1 and what the D1 simulator answers. */
export * from './oauth.js';
export * from './consumers.js';
export * from './cards.js';
export { d1ErrorBody } from './common.js';
