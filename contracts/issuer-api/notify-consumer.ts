import { obj, oneOf, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { ID64 } from '../patterns.js';
import { consumerApiRequest, errorBody } from './common.js';

/** E6: Notify Consumer Operation (V1). Seed 004 schema consumerOperationNotification. */

const SRC = 'seed 004 Notify Consumer Operation (V1)';
const S = (f: string) => `${SRC}, consumerOperationNotification.${f}`;

const R = {
  body: rule('OUT-NCO-003', `${SRC} requestBody consumerOperationNotification (object)`, { title: 'The notification body is a JSON object' }),
  operationId: rule('OUT-NCO-004', `${S('operationId')} (required, 1..64, ^[A-Za-z0-9_-]{1,64}$)`),
  operation: rule('OUT-NCO-005', `${S('operation')} (required, enum ["ENROLL_AUTHN"])`),
  status: rule('OUT-NCO-006', `${S('status')} (required, operationStatusSuccessfulFailed)`),
  startTime: rule('OUT-NCO-007', `${S('startTime')} (required, operationStartTime 1..64, ISO 8601)`),
  endTime: rule('OUT-NCO-008', `${S('endTime')} (operationEndTime 1..64, ISO 8601)`),
  requestorType: rule('OUT-NCO-009', `${S('requestorType')} (required, enum ["USER"])`),
  requestorId: rule('OUT-NCO-010', `${S('requestorId')} (required string: the consumerId of the end user)`),
  details: rule('OUT-NCO-011', `${S('details')} (object, oneOf ENROLL_AUTHN operation)`),
  appInstanceId: rule('OUT-NCO-012', `${S('details.appInstanceId')} (string)`),
  authnType: rule('OUT-NCO-013', `${S('details.authnType')} (enum ["BIOMETRIC","PLATFORM"])`),
  error: rule('OUT-NCO-014', `${S('error')} (operationError string, only on failure)`),
} as const;

export const notifyConsumerOperationRequest = defineMessage({
  id: 'issuer.notifyConsumerOperation.request',
  title: 'Notify Consumer Operation request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.notifyConsumerOperation',
  part: 'request',
  source: SRC,
  field: consumerApiRequest(
    obj({
      rule: R.body,
      fields: {
        operationId: text({ rule: R.operationId, min: 1, max: 64, pattern: ID64 }),
        operation: oneOf({ rule: R.operation, values: ['ENROLL_AUTHN'] }),
        status: oneOf({ rule: R.status, values: ['SUCCESSFUL', 'FAILED'] }),
        startTime: text({ rule: R.startTime, min: 1, max: 64, hint: 'iso-datetime' }),
        endTime: text({ rule: R.endTime, min: 1, max: 64, hint: 'iso-datetime' }),
        requestorType: oneOf({ rule: R.requestorType, values: ['USER'] }),
        requestorId: text({ rule: R.requestorId, hint: 'alnum' }),
        details: obj({
          rule: R.details,
          fields: {
            appInstanceId: text({ rule: R.appInstanceId, hint: 'uuid' }),
            authnType: oneOf({ rule: R.authnType, values: ['BIOMETRIC', 'PLATFORM'] }),
          },
        }),
        error: text({ rule: R.error, hint: 'words' }),
      },
      required: {
        operationId: R.operationId,
        operation: R.operation,
        status: R.status,
        startTime: R.startTime,
        requestorId: R.requestorId,
        requestorType: R.requestorType,
      },
    }),
    R.body,
  ),
});

export const notifyConsumerOperationError = defineMessage({
  id: 'issuer.notifyConsumerOperation.response.4xx',
  title: 'Notify Consumer Operation error (400, 404, 500)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.notifyConsumerOperation',
  part: 'response',
  source: `${SRC} responses 400/404/500 (error schema)`,
  field: errorBody,
});
