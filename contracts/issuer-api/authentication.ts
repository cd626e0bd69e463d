import { obj, oneOf, pathParams, request, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { authenticationIdPath, cardId, consumerApiRequest, consumerIdPath, errorBody, issuerHeaders, issuerIdPath, purchase } from './common.js';

/** E4 Authenticate and E5 Get Authentication Result (3DS OOB with issuer authentication). Seed 004. */

const A = 'seed 004 Authenticate';
const G = 'seed 004 Get Authentication Result';

const R = {
  body: rule('OUT-AUTHN-006', `${A} requestBody application/json object`, { title: 'The Authenticate request body is a JSON object' }),
  authenticationId: rule('OUT-AUTHN-007', `${A} authenticationId (required string; same as acsTransactionId for 3DS)`, {
    title: 'Authenticate carries authenticationId, a string',
  }),
  operation: rule('OUT-AUTHN-008', `${A} operation (required, enum ["3DS_CHALLENGE_OOB_ISSUER"])`, {
    title: 'Authenticate carries operation 3DS_CHALLENGE_OOB_ISSUER',
  }),
  details: rule('OUT-AUTHN-009', `${A} details (oneOf: 3DS_CHALLENGE_OOB_ISSUER operation)`, { title: 'details, if present, is an object' }),
  panSuffix: rule('OUT-AUTHN-010', `${A} details.panSuffix (minLength 4, maxLength 4)`),
  acsTransactionId: rule('OUT-AUTHN-011', `${A} details.acsTransactionId (string)`),
  purchase: rule('OUT-AUTHN-012', `${A} details.purchase (object)`),
  merchantName: rule('OUT-AUTHN-013', `${A} details.purchase.merchantName (string)`),
  amount: rule('OUT-AUTHN-014', `${A} details.purchase.amount (string, minor units)`),
  currencyCode: rule('OUT-AUTHN-015', `${A} details.purchase.currencyCode (string, ISO 4217 alpha)`),
  response: rule('OUT-AUTHN-016', `${A} responses.200 application/json object`, { title: 'Authenticate answers 200 with a JSON object' }),
  status: rule('OUT-AUTHN-017', `${A} responses.200 authenticationStatus (required, enum AUTHENTICATED, PENDING, NO_AUTHENTICATOR)`, {
    title: 'Authenticate 200 has authenticationStatus AUTHENTICATED, PENDING or NO_AUTHENTICATOR',
  }),
  resultResponse: rule('OUT-AUTHN-018', `${G} responses.200 application/json object`, { title: 'Get Authentication Result answers 200 with a JSON object' }),
  resultStatus: rule(
    'OUT-AUTHN-019',
    `${G} responses.200 authenticationStatus (required, enum AUTHENTICATED, PENDING, AUTHENTICATION_FAILED, TECHNICAL_ERROR)`,
    {
      title: 'Get Authentication Result 200 has authenticationStatus AUTHENTICATED, PENDING, AUTHENTICATION_FAILED or TECHNICAL_ERROR',
    },
  ),
  reason: rule('OUT-AUTHN-020', `${G} responses.200 reason (minLength 1, maxLength 64)`),
} as const;

export const authenticateRequest = defineMessage({
  id: 'issuer.authenticate.request',
  title: 'Authenticate request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.authenticate',
  part: 'request',
  source: A,
  field: consumerApiRequest(
    obj({
      rule: R.body,
      fields: {
        authenticationId: text({ rule: R.authenticationId, hint: 'uuid' }),
        operation: oneOf({ rule: R.operation, values: ['3DS_CHALLENGE_OOB_ISSUER'] }),
        details: obj({
          rule: R.details,
          fields: {
            cardId,
            panSuffix: text({ rule: R.panSuffix, min: 4, max: 4, hint: 'digits' }),
            acsTransactionId: text({ rule: R.acsTransactionId, hint: 'uuid' }),
            purchase: purchase({ object: R.purchase, merchantName: R.merchantName, amount: R.amount, currencyCode: R.currencyCode }, 'currency-alpha'),
          },
        }),
      },
      required: { authenticationId: R.authenticationId, operation: R.operation },
    }),
    R.body,
  ),
});

export const authenticateResponse = defineMessage({
  id: 'issuer.authenticate.response.200',
  title: 'Authenticate response 200',
  direction: 'issuer-as-server',
  endpoint: 'issuer.authenticate',
  part: 'response',
  status: 200,
  source: `${A} responses.200`,
  field: obj({
    rule: R.response,
    fields: { authenticationStatus: oneOf({ rule: R.status, values: ['AUTHENTICATED', 'PENDING', 'NO_AUTHENTICATOR'] }) },
    required: { authenticationStatus: R.status },
  }),
});

export const authenticateError = defineMessage({
  id: 'issuer.authenticate.response.4xx',
  title: 'Authenticate error (401, 403, 404, 500)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.authenticate',
  part: 'response',
  source: `${A} responses 401/403/404/500 (error schema)`,
  field: errorBody,
});

export const getAuthenticationResultRequest = defineMessage({
  id: 'issuer.getAuthenticationResult.request',
  title: 'Get Authentication Result request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getAuthenticationResult',
  part: 'request',
  source: G,
  field: request({
    path: pathParams({ issuerId: issuerIdPath, consumerId: consumerIdPath, authenticationId: authenticationIdPath }),
    headers: issuerHeaders,
  }),
});

export const AUTHENTICATION_FINAL_STATUSES = ['AUTHENTICATED', 'AUTHENTICATION_FAILED', 'TECHNICAL_ERROR'] as const;

export const getAuthenticationResultResponse = defineMessage({
  id: 'issuer.getAuthenticationResult.response.200',
  title: 'Get Authentication Result response 200',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getAuthenticationResult',
  part: 'response',
  status: 200,
  source: `${G} responses.200`,
  field: obj({
    rule: R.resultResponse,
    fields: {
      authenticationStatus: oneOf({ rule: R.resultStatus, values: ['AUTHENTICATED', 'PENDING', 'AUTHENTICATION_FAILED', 'TECHNICAL_ERROR'] }),
      reason: text({ rule: R.reason, min: 1, max: 64, hint: 'words' }),
    },
    required: { authenticationStatus: R.resultStatus },
  }),
});

export const getAuthenticationResultNotFound = defineMessage({
  id: 'issuer.getAuthenticationResult.response.404',
  title: 'Get Authentication Result 404',
  direction: 'issuer-as-server',
  endpoint: 'issuer.getAuthenticationResult',
  part: 'response',
  status: 404,
  source: `${G} responses.404 (error schema)`,
  field: errorBody,
});
