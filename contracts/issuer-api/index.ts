/** Issuer as server: the messages D1 sends to the issuer backend and what it must answer. */
export * from './oauth.js';
export * from './consumer-info.js';
export * from './authentication.js';
export * from './notify-consumer.js';
export * from './deliver-otp.js';
export { errorBody } from './common.js';
