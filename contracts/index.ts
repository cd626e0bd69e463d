import { createHash } from 'node:crypto';
import { buildRulebook } from '../src/core/rulebook/catalog.js';
import type { MessageDef } from '../src/core/rulebook/message.js';
import type { Rule } from '../src/core/rulebook/rule.js';
import { D1_API_BEHAVIOUR } from './behaviour/d1-api.js';
import { ISSUER_API_BEHAVIOUR } from './behaviour/issuer-api.js';
import * as d1Cards from './d1-api/cards.js';
import * as d1Consumers from './d1-api/consumers.js';
import * as d1OAuth from './d1-api/oauth.js';
import * as authentication from './issuer-api/authentication.js';
import * as consumerInfo from './issuer-api/consumer-info.js';
import * as deliverOtp from './issuer-api/deliver-otp.js';
import * as notifyConsumer from './issuer-api/notify-consumer.js';
import * as issuerOAuth from './issuer-api/oauth.js';

/**
 * The rulebook: every D1 message contract and every rule, derived from one set of definitions.
 * Suites, the simulator, generators, reports and (later) Pact files all read from here.
 */

export { RULEBOOK_VERSION } from './version.js';

function messagesOf(...modules: object[]): MessageDef[] {
  const found: MessageDef[] = [];
  for (const mod of modules) {
    for (const value of Object.values(mod)) {
      if (typeof value === 'object' && value !== null && 'schema' in value && 'field' in value && 'endpoint' in value) found.push(value as MessageDef);
    }
  }
  return found;
}

export const ISSUER_API_MESSAGES = messagesOf(issuerOAuth, consumerInfo, authentication, notifyConsumer, deliverOtp);
export const D1_API_MESSAGES = messagesOf(d1OAuth, d1Consumers, d1Cards);
export const MESSAGES: readonly MessageDef[] = [...ISSUER_API_MESSAGES, ...D1_API_MESSAGES];

export const RULES: readonly Rule[] = buildRulebook(MESSAGES, [...ISSUER_API_BEHAVIOUR, ...D1_API_BEHAVIOUR]);

export function message(id: string): MessageDef {
  const found = MESSAGES.find((m) => m.id === id);
  if (!found) throw new Error(`unknown message ${id}`);
  return found;
}

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** The rules that name this policy (rules link to policies, never the other way). */
export function rulesDecidedBy(policy: string): string[] {
  return RULES.filter((r) => r.policies?.includes(policy) === true).map((r) => r.id);
}

/** A digest of the rulebook's content, for reports and certification bundles: same rules, same hash. */
export const RULEBOOK_HASH = createHash('sha256').update(JSON.stringify(RULES)).digest('hex');

export { ENDPOINTS, endpoint, type EndpointId } from './endpoints.js';
export { PROFILES, PROFILE_IDS, endpointsInScope, type ProfileId } from './profiles.js';
export { PolicySettings, POLICY_DOCS, DEFAULT_POLICIES, type PolicyName } from './policies.js';
export * as issuerApi from './issuer-api/index.js';
export * as d1Api from './d1-api/index.js';
