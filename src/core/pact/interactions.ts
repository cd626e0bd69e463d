import {
  d1TokenRequest,
  d1TokenResponse,
  deleteConsumerRequest,
  getCardListRequest,
  getCardListResponse,
  updateOperationResponse,
  deleteOperationResponse,
  personalInformation,
  registerCardRequest,
  registerConsumerRequest,
  updateConsumerRequest,
} from '../../../contracts/d1-api/index.js';
import type { EndpointId } from '../../../contracts/endpoints.js';
import {
  AUTHENTICATION_FINAL_STATUSES,
  authenticateRequest,
  authenticateResponse,
  deliverOtpRequest,
  getAuthenticationResultRequest,
  getAuthenticationResultResponse,
  getConsumerInfoNotFound,
  getConsumerInfoRequest,
  getConsumerInfoResponse,
  notifyConsumerOperationRequest,
  tokenRequest,
  tokenResponse,
} from '../../../contracts/issuer-api/index.js';
import { BEARER } from '../../../contracts/patterns.js';
import { CONSUMER_NOT_FOUND, DEFAULT_CONSUMERS } from '../../../contracts/examples/consumers.js';

import type { MessageDef } from '../rulebook/message.js';
import { checked, project, sample } from './examples.js';
import { rulesOfExample } from './field-rules.js';

/**
 * The interactions of the two pact files, as data derived from the rulebook: which endpoint,
 * which provider state, the request (an example of the endpoint's request contract) and the
 * response (an example of its response contract, or a bare status). `src/core/pact/pact-builder.ts`
 * turns them into PactV4 interactions with matchers derived from the same field metadata.
 */

export const D1_CONSUMER = 'D1';
export const ISSUER_PROVIDER = 'issuer-backend';
export const ISSUER_CONSUMER = 'issuer-backend';
export const D1_PROVIDER = 'D1';

/** A request in the contracts' layout, valid against `message`. */
export interface RequestExample {
  readonly path: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface RequestSpec {
  readonly message: MessageDef;
  readonly example: RequestExample;
  /** D1 -> issuer APIs: the example `Authorization: Bearer <token>` D1 adds (not part of the message contract). */
  readonly bearer?: string;
  /** The body travels as a form (the OAuth token requests). */
  readonly form?: boolean;
  /** Request values the provider supplies through its state (`path.consumerId` -> `consumerId`). */
  readonly fromState?: Readonly<Record<string, string>>;
}

export interface ResponseSpec {
  readonly status: number;
  /** The response contract; absent for a bare status (204, or the 401 refusal). */
  readonly message?: MessageDef;
  readonly example?: unknown;
  /** Fields this interaction expects narrower than the contract, with the rule the narrowing stands for. */
  readonly narrow?: Readonly<Record<string, { readonly values: readonly string[]; readonly rule: string }>>;
}

export interface InteractionSpec {
  readonly description: string;
  readonly endpoint: EndpointId;
  readonly state?: { readonly name: string; readonly params: Readonly<Record<string, string>> };
  readonly request: RequestSpec;
  readonly response: ResponseSpec;
  /** The rule a wrong status breaks (issuer-as-server interactions). */
  readonly statusRule?: string;
  /** Interactions that need outbound OAuth on the target (the token call, the missing-token refusal). */
  readonly needsOAuth?: boolean;
}

export interface PactSpec {
  readonly consumer: string;
  readonly provider: string;
  readonly interactions: readonly InteractionSpec[];
}

// --- Example data -------------------------------------------------------------------------------

/** The reference issuer's default issuerId and its first consumer (every field, two cards). */
const ISSUER_ID = 'ISSUER0001';
const REF = DEFAULT_CONSUMERS[0];
if (!REF?.cardIds[0]) throw new Error('reference test data: the first consumer needs a card');
const CONSUMER_ID = REF.consumerId;
const CARD_ID = REF.cardIds[0];
/** What D1 relies on in a consumerInfo: the required fields and those Click to Pay makes mandatory. */
const PROFILE = ['click-to-pay'];

function requestExample(
  msg: MessageDef,
  patch: { path?: Record<string, string>; query?: Record<string, string>; body?: Record<string, unknown> },
  force: readonly string[] = [],
): RequestExample {
  const generated = sample(msg, { optional: 'none', forcePresent: new Set(force) });
  const part = (k: string) => (generated[k] ?? {}) as Record<string, unknown>;
  const value: RequestExample = {
    path: { ...(part('path') as Record<string, string>), ...patch.path },
    query: { ...(part('query') as Record<string, string>), ...patch.query },
    headers: part('headers') as Record<string, string>,
    ...('body' in generated ? { body: { ...part('body'), ...patch.body } } : {}),
  };
  return checked(msg, value);
}

// --- D1 -> issuer: what D1 sends the issuer backend and relies on in the answer -----------------

const stateParams = (extra: Record<string, string> = {}) => ({ issuerId: ISSUER_ID, consumerId: CONSUMER_ID, ...extra });
const CONSUMER_EXISTS = 'consumer {consumerId} exists';
const PATH_FROM_STATE = { 'path.issuerId': 'issuerId', 'path.consumerId': 'consumerId' } as const;

const tokenExample = requestExample(tokenRequest, {});
const accessToken = checked(tokenResponse, sample(tokenResponse, { optional: 'none' }));
const BEARER_EXAMPLE = `Bearer ${String(accessToken.access_token)}`;
if (!BEARER.regex.test(BEARER_EXAMPLE)) throw new Error('the example access token does not fit an Authorization: Bearer header');
const authenticationId = String((sample(authenticateRequest, { optional: 'none' }).body as Record<string, unknown>).authenticationId);
const unknownConsumerId = String((sample(getConsumerInfoRequest, { optional: 'none' }).path as Record<string, unknown>).consumerId);
if (DEFAULT_CONSUMERS.some((c) => c.consumerId === unknownConsumerId)) throw new Error('generated unknown consumerId is a reference consumer');
const operationId = String((sample(notifyConsumerOperationRequest, { optional: 'none' }).body as Record<string, unknown>).operationId);

const consumerInfoExample = checked(getConsumerInfoResponse, project(getConsumerInfoResponse.field.meta, REF.info, PROFILE), PROFILE);
const notFoundExample = checked(getConsumerInfoNotFound, { error: CONSUMER_NOT_FOUND });

function consumerInfoRequest(consumerId: string, cardId?: string): RequestSpec {
  return {
    message: getConsumerInfoRequest,
    example: requestExample(getConsumerInfoRequest, { path: { issuerId: ISSUER_ID, consumerId }, query: cardId === undefined ? {} : { cardId } }),
    bearer: BEARER_EXAMPLE,
    fromState: { ...PATH_FROM_STATE, ...(cardId === undefined ? {} : { 'query.cardId': 'cardId' }) },
  };
}

function notification(status: 'SUCCESSFUL' | 'FAILED'): InteractionSpec {
  const force = status === 'FAILED' ? ['body.error'] : [];
  return {
    description: `a notification of a ${status} consumer operation`,
    endpoint: 'issuer.notifyConsumerOperation',
    state: { name: CONSUMER_EXISTS, params: stateParams({ operationId }) },
    request: {
      message: notifyConsumerOperationRequest,
      example: requestExample(
        notifyConsumerOperationRequest,
        { path: { issuerId: ISSUER_ID, consumerId: CONSUMER_ID }, body: { status, operationId, requestorId: CONSUMER_ID } },
        force,
      ),
      bearer: BEARER_EXAMPLE,
      fromState: { ...PATH_FROM_STATE, 'body.operationId': 'operationId', 'body.requestorId': 'consumerId' },
    },
    response: { status: 204 },
    statusRule: 'OUT-NCO-001',
  };
}

function otpDelivery(channel: 'SMS' | 'EMAIL'): InteractionSpec {
  return {
    description: `an OTP to deliver over ${channel}`,
    endpoint: 'issuer.deliverOtp',
    state: { name: CONSUMER_EXISTS, params: stateParams() },
    request: {
      message: deliverOtpRequest,
      example: requestExample(deliverOtpRequest, { path: { issuerId: ISSUER_ID, consumerId: CONSUMER_ID }, body: { deliveryChannel: channel } }),
      bearer: BEARER_EXAMPLE,
      fromState: PATH_FROM_STATE,
    },
    response: { status: 204 },
    statusRule: 'OUT-OTP-001',
  };
}

const authenticationResult = (which: 'pending' | 'final'): InteractionSpec => ({
  description: `a poll for an authentication result that is ${which}`,
  endpoint: 'issuer.getAuthenticationResult',
  state: { name: `authentication {authenticationId} is ${which}`, params: stateParams({ authenticationId }) },
  request: {
    message: getAuthenticationResultRequest,
    example: requestExample(getAuthenticationResultRequest, { path: { issuerId: ISSUER_ID, consumerId: CONSUMER_ID, authenticationId } }),
    bearer: BEARER_EXAMPLE,
    fromState: { ...PATH_FROM_STATE, 'path.authenticationId': 'authenticationId' },
  },
  response: {
    status: 200,
    message: getAuthenticationResultResponse,
    // A poll in progress may already be final: any documented status. A final one is final.
    example: checked(getAuthenticationResultResponse, { authenticationStatus: which === 'pending' ? 'PENDING' : 'AUTHENTICATED' }),
    ...(which === 'final' ? { narrow: { authenticationStatus: { values: AUTHENTICATION_FINAL_STATUSES, rule: 'OUT-AUTHN-022' } } } : {}),
  },
  statusRule: 'OUT-AUTHN-002',
});

export const D1_TO_ISSUER: PactSpec = {
  consumer: D1_CONSUMER,
  provider: ISSUER_PROVIDER,
  interactions: [
    {
      description: 'a token request with valid client credentials',
      endpoint: 'issuer.token',
      request: { message: tokenRequest, example: tokenExample, form: true },
      response: { status: 200, message: tokenResponse, example: accessToken },
      statusRule: 'OUT-AUTH-001',
      needsOAuth: true,
    },
    {
      description: 'a request for the information of a known consumer',
      endpoint: 'issuer.getConsumerInfo',
      state: { name: CONSUMER_EXISTS, params: stateParams() },
      request: consumerInfoRequest(CONSUMER_ID),
      response: { status: 200, message: getConsumerInfoResponse, example: consumerInfoExample },
      statusRule: 'OUT-CI-001',
    },
    {
      description: 'a request for the information of a known consumer and one of its cards',
      endpoint: 'issuer.getConsumerInfo',
      state: { name: 'consumer {consumerId} exists with card {cardId}', params: stateParams({ cardId: CARD_ID }) },
      request: consumerInfoRequest(CONSUMER_ID, CARD_ID),
      response: { status: 200, message: getConsumerInfoResponse, example: consumerInfoExample },
      statusRule: 'OUT-CI-002',
    },
    {
      description: 'a request for the information of an unknown consumer',
      endpoint: 'issuer.getConsumerInfo',
      state: { name: 'consumer {consumerId} does not exist', params: stateParams({ consumerId: unknownConsumerId }) },
      request: consumerInfoRequest(unknownConsumerId),
      response: { status: 404, message: getConsumerInfoNotFound, example: notFoundExample },
      statusRule: 'OUT-CI-003',
    },
    {
      description: 'a request for the information of an unknown consumer with a cardId',
      endpoint: 'issuer.getConsumerInfo',
      state: { name: 'consumer {consumerId} does not exist', params: stateParams({ consumerId: unknownConsumerId, cardId: CARD_ID }) },
      request: consumerInfoRequest(unknownConsumerId, CARD_ID),
      response: { status: 404, message: getConsumerInfoNotFound, example: notFoundExample },
      statusRule: 'OUT-CI-003',
    },
    {
      description: 'an authentication request for a known consumer',
      endpoint: 'issuer.authenticate',
      state: { name: CONSUMER_EXISTS, params: stateParams({ authenticationId }) },
      request: {
        message: authenticateRequest,
        example: requestExample(authenticateRequest, { path: { issuerId: ISSUER_ID, consumerId: CONSUMER_ID }, body: { authenticationId } }),
        bearer: BEARER_EXAMPLE,
        fromState: { ...PATH_FROM_STATE, 'body.authenticationId': 'authenticationId' },
      },
      response: { status: 200, message: authenticateResponse, example: checked(authenticateResponse, { authenticationStatus: 'PENDING' }) },
      statusRule: 'OUT-AUTHN-001',
    },
    authenticationResult('pending'),
    authenticationResult('final'),
    notification('SUCCESSFUL'),
    notification('FAILED'),
    otpDelivery('SMS'),
    otpDelivery('EMAIL'),
    {
      description: 'a request for consumer information without an access token',
      endpoint: 'issuer.getConsumerInfo',
      state: { name: CONSUMER_EXISTS, params: stateParams() },
      request: { message: getConsumerInfoRequest, example: consumerInfoRequest(CONSUMER_ID).example, fromState: PATH_FROM_STATE },
      response: { status: 401 },
      statusRule: 'OUT-GEN-003',
      needsOAuth: true,
    },
  ],
};

// --- issuer -> D1: what the issuer backend sends D1 (for the issuer team's client tests) ---------

const D1_PATH = { issuerId: ISSUER_ID, consumerId: CONSUMER_ID };
const consumerBody = { personalInformation: project(personalInformation.meta, REF.info, PROFILE) };

function d1Request(msg: MessageDef, patch: { path?: Record<string, string>; body?: Record<string, unknown> }, force: readonly string[] = []): RequestSpec {
  return { message: msg, example: requestExample(msg, patch, force) };
}

const registeredConsumer = { name: 'consumer {consumerId} is registered', params: D1_PATH };
const onboarded = { name: 'issuer {issuerId} is onboarded', params: { issuerId: ISSUER_ID } };
const registerCard = d1Request(registerCardRequest, { path: { issuerId: ISSUER_ID, cardId: CARD_ID }, body: { consumerId: CONSUMER_ID } });
const cardProductId = String((registerCard.example.body as Record<string, unknown>).cardProductId);
// Update and Delete share one answer shape: one example for both.
const operation = checked(updateOperationResponse, sample(updateOperationResponse, { optional: 'all' }));
const cardList = checked(getCardListResponse, { cards: [{ cardId: CARD_ID, cardProductId, state: 'ACTIVE' }] });
// IN-AUTH-017: D1 answers expires_in 900, a number.
const d1Token = checked(d1TokenResponse, { ...sample(d1TokenResponse, { optional: 'all' }), expires_in: 900, token_type: 'Bearer' });

export const ISSUER_TO_D1: PactSpec = {
  consumer: ISSUER_CONSUMER,
  provider: D1_PROVIDER,
  interactions: [
    {
      description: 'a token request with a JWT-bearer assertion',
      endpoint: 'd1.token',
      state: onboarded,
      request: { ...d1Request(d1TokenRequest, {}), form: true },
      response: { status: 200, message: d1TokenResponse, example: d1Token },
    },
    {
      description: 'a consumer registration',
      endpoint: 'd1.registerConsumer',
      state: onboarded,
      request: d1Request(registerConsumerRequest, { path: D1_PATH, body: consumerBody }),
      response: { status: 204 },
    },
    {
      description: 'an update of a registered consumer',
      endpoint: 'd1.updateConsumer',
      state: registeredConsumer,
      request: d1Request(updateConsumerRequest, { path: D1_PATH, body: consumerBody }),
      response: { status: 200, message: updateOperationResponse, example: operation },
    },
    {
      description: 'a deletion of a registered consumer',
      endpoint: 'd1.deleteConsumer',
      state: registeredConsumer,
      request: d1Request(deleteConsumerRequest, { path: D1_PATH }, ['body.reason']),
      response: { status: 200, message: deleteOperationResponse, example: checked(deleteOperationResponse, operation) },
    },
    {
      description: 'a card list request for a registered consumer',
      endpoint: 'd1.getCardList',
      state: registeredConsumer,
      request: d1Request(getCardListRequest, { path: D1_PATH }),
      response: { status: 200, message: getCardListResponse, example: cardList },
    },
    {
      description: 'a card registration with the PAN in a compact JWE',
      endpoint: 'd1.registerCard',
      state: registeredConsumer,
      request: registerCard,
      response: { status: 204 },
    },
  ],
};

export const PACTS: readonly PactSpec[] = [D1_TO_ISSUER, ISSUER_TO_D1];

/**
 * The rules an interaction's expectations stand for: its status rule and its response matchers'
 * rules; for the issuer's own calls (issuer -> D1) also the rules of its request's matchers.
 */
export function rulesOf(interaction: InteractionSpec): string[] {
  const rules = new Set<string>(interaction.statusRule === undefined ? [] : [interaction.statusRule]);
  const { response, request } = interaction;
  if (request.message.direction === 'issuer-as-client') for (const r of rulesOfExample(request.message.field.meta, request.example)) rules.add(r);
  if (response.message && response.example !== undefined) {
    const narrowRules = Object.fromEntries(Object.entries(response.narrow ?? {}).map(([p, n]) => [p, n.rule]));
    for (const r of rulesOfExample(response.message.field.meta, response.example, narrowRules)) rules.add(r);
  }
  return [...rules];
}
