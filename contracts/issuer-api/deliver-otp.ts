import { obj, oneOf, text } from '../../src/core/rulebook/fields.js';
import { defineMessage } from '../../src/core/rulebook/message.js';
import { rule } from '../../src/core/rulebook/rule.js';
import { consumerApiRequest, errorBody, purchase } from './common.js';

/** E3: Deliver OTP. Seed 004 is exact (digitalCardRequestorInformation, deviceInformationForOTP, threeDSDetails). */

const SRC = 'seed 004 Deliver OTP';
const S = (f: string) => `${SRC}, requestBody.${f}`;

const R = {
  body: rule('OUT-OTP-007', `${SRC} requestBody application/json object; outbound.md OUT-OTP-002`, {
    title: 'The Deliver OTP body is a JSON object (a malformed or empty body is refused with 400)',
  }),
  otp: rule('OUT-OTP-008', `${S('otp')} (required object, required ["value","reason"])`),
  otpValue: rule('OUT-OTP-009', `${S('otp.value')} (required, 1..15)`),
  otpExpiration: rule('OUT-OTP-010', `${S('otp.expirationDate')} (4..32, ISO 8601 YYYY-MM-DDThh:mm:ss[.SSS]Z)`),
  otpReason: rule('OUT-OTP-011', `${S('otp.reason')} (required, enum CARD-DIGITIZATION, DEVICE-BINDING, CARDHOLDER-VERIFICATION, 3DS-AUTHENTICATION)`),
  deliveryChannel: rule('OUT-OTP-012', `${S('deliveryChannel')} (required, enum ["SMS","EMAIL"])`),
  requestor: rule('OUT-OTP-013', `${SRC} digitalCardRequestorInformation (additionalProperties false)`),
  requestorId: rule('OUT-OTP-014', `${SRC} digitalCardRequestorInformation.id (11..11)`),
  walletId: rule('OUT-OTP-015', `${SRC} digitalCardRequestorInformation.walletId (maxLength 32)`),
  requestorName: rule('OUT-OTP-016', `${SRC} digitalCardRequestorInformation.name (maxLength 256)`),
  tspId: rule('OUT-OTP-017', `${SRC} digitalCardRequestorInformation.tspId (11..11)`),
  originalRequestorId: rule('OUT-OTP-018', `${SRC} digitalCardRequestorInformation.originalDigitalCardRequestorId (11..11)`),
  device: rule('OUT-OTP-019', `${SRC} deviceInformationForOTP (additionalProperties false)`),
  storageType: rule('OUT-OTP-020', `${SRC} deviceInformationForOTP.digitalCardStorageType (maxLength 32)`),
  devicePhone: rule('OUT-OTP-021', `${SRC} deviceInformationForOTP.phoneNumber (1..20)`),
  deviceName: rule('OUT-OTP-022', `${SRC} deviceInformationForOTP.deviceName (maxLength 128)`),
  panSuffix: rule('OUT-OTP-006', `${S('panSuffix')} (required, minLength 4, maxLength 4); outbound.md OUT-OTP-006`, {
    title: 'Deliver OTP carries panSuffix, exactly 4 characters (the last 4 PAN digits)',
  }),
  threeDS: rule('OUT-OTP-023', `${S('threeDSDetails')} (object; 3DS Authentication only)`),
  acsTransactionId: rule('OUT-OTP-024', `${S('threeDSDetails.acsTransactionId')} (string)`),
  purchase: rule('OUT-OTP-025', `${S('threeDSDetails.purchase')} (object)`),
  merchantName: rule('OUT-OTP-026', `${S('threeDSDetails.purchase.merchantName')} (string)`),
  amount: rule('OUT-OTP-027', `${S('threeDSDetails.purchase.amount')} (string, minor units)`),
  currencyCode: rule('OUT-OTP-028', `${S('threeDSDetails.purchase.currencyCode')} (string, ISO 4217 numeric)`),
} as const;

/** The storage types seed 004 lists in digitalCardStorageType's description (not an enum there). */
const STORAGE_TYPES = [
  'HCE',
  'SPAY_PHONE',
  'SPAY_TABLET',
  'SPAY_WATCH',
  'SPAY_TV',
  'IPHONE',
  'IWATCH',
  'IPAD',
  'MAC_BOOK',
  'ANDROID_PHONE',
  'ANDROID_TABLET',
  'ANDROID_WATCH',
  'MOBILE_PHONE',
  'TABLET',
  'WATCH',
  'MOBILE_PHONE_OR_TABLET',
  'BRACELET',
  'UNKNOWN',
];

export const deliverOtpRequest = defineMessage({
  id: 'issuer.deliverOtp.request',
  title: 'Deliver OTP request (D1 -> issuer)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.deliverOtp',
  part: 'request',
  source: SRC,
  field: consumerApiRequest(
    obj({
      rule: R.body,
      fields: {
        otp: obj({
          rule: R.otp,
          fields: {
            value: text({ rule: R.otpValue, min: 1, max: 15, hint: 'digits' }),
            expirationDate: text({ rule: R.otpExpiration, min: 4, max: 32, hint: 'iso-datetime' }),
            reason: oneOf({ rule: R.otpReason, values: ['CARD-DIGITIZATION', 'DEVICE-BINDING', 'CARDHOLDER-VERIFICATION', '3DS-AUTHENTICATION'] }),
          },
          required: { value: R.otpValue, reason: R.otpReason },
        }),
        deliveryChannel: oneOf({ rule: R.deliveryChannel, values: ['SMS', 'EMAIL'] }),
        digitalCardRequestor: obj({
          rule: R.requestor,
          strict: true,
          fields: {
            id: text({ rule: R.requestorId, min: 11, max: 11, hint: 'digits' }),
            walletId: text({ rule: R.walletId, max: 32, hint: 'alnum' }),
            name: text({ rule: R.requestorName, max: 256, hint: 'words' }),
            tspId: text({ rule: R.tspId, min: 11, max: 11, hint: 'digits' }),
            originalDigitalCardRequestorId: text({ rule: R.originalRequestorId, min: 11, max: 11, hint: 'digits' }),
          },
        }),
        deviceInformation: obj({
          rule: R.device,
          strict: true,
          fields: {
            digitalCardStorageType: text({ rule: R.storageType, max: 32, examples: STORAGE_TYPES }),
            phoneNumber: text({ rule: R.devicePhone, min: 1, max: 20, hint: 'digits' }),
            deviceName: text({ rule: R.deviceName, max: 128, hint: 'words' }),
          },
        }),
        panSuffix: text({ rule: R.panSuffix, min: 4, max: 4, hint: 'digits' }),
        threeDSDetails: obj({
          rule: R.threeDS,
          fields: {
            acsTransactionId: text({ rule: R.acsTransactionId, hint: 'uuid' }),
            purchase: purchase({ object: R.purchase, merchantName: R.merchantName, amount: R.amount, currencyCode: R.currencyCode }, 'currency-numeric'),
          },
        }),
      },
      required: { otp: R.otp, deliveryChannel: R.deliveryChannel, panSuffix: R.panSuffix },
    }),
    R.body,
  ),
});

export const deliverOtpError = defineMessage({
  id: 'issuer.deliverOtp.response.4xx',
  title: 'Deliver OTP error (400, 401, 403, 404, 500)',
  direction: 'issuer-as-server',
  endpoint: 'issuer.deliverOtp',
  part: 'response',
  source: `${SRC} responses 400/401/403/404/500 (error schema)`,
  field: errorBody,
});
