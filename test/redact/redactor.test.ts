import { describe, expect, it } from 'vitest';
import { toCurl } from '../../src/core/http/curl.js';
import { maskPan, Redactor } from '../../src/core/redact/redactor.js';

const CANARY = {
  pan: '4111111111111111',
  secret: 'canary-client-secret-0xC0FFEE',
  token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.c2lnbmF0dXJlLWNhbmFyeQ',
  otp: '482913',
  name: 'Zebulon',
  email: 'zebulon.canary@example.com',
  phone: '+33612345678',
};

describe('the redactor', () => {
  const r = new Redactor().addSecret(CANARY.secret, CANARY.token).addOtp(CANARY.otp).addPersonal(CANARY.name);
  const text = `pan ${CANARY.pan} secret ${CANARY.secret} Authorization: Bearer ${CANARY.token} otp ${CANARY.otp} name ${CANARY.name} mail ${CANARY.email} tel ${CANARY.phone}`;
  const out = r.text(text);

  it.each(Object.entries(CANARY))('removes the %s canary', (_kind, value) => {
    expect(text).toContain(value);
    expect(out).not.toContain(value);
  });

  it('keeps enough to debug: PAN as BIN + last 4, a secret as its first 4 characters and length', () => {
    expect(maskPan('4111 1111 1111 1111')).toBe('4111 11** **** 1111');
    expect(r.text(`x ${CANARY.pan} y`)).toContain('411111******1111');
    expect(r.text(`secret=${CANARY.secret}`)).toContain(`<redacted:cana…(${CANARY.secret.length})>`);
  });

  it('masks a 1-2 character personal value only as a whole JSON string, never inside prose or other words', () => {
    const short = new Redactor().addPersonal('Ma', 'CA');
    expect(short.text('information about Ma, Tarjeta no existe in CA')).toBe('information about Ma, Tarjeta no existe in CA');
    expect(short.text('{"firstName":"Ma","state":"CA","note":"Mama"}')).toBe('{"firstName":"<pii>","state":"<pii>","note":"Mama"}');
    // The same JSON embedded as a string in another JSON document.
    expect(short.text(JSON.stringify('{"state":"CA"}'))).toBe(JSON.stringify('{"state":"<pii>"}'));
  });

  it('masks a 3-character personal value as a word in its own case, a longer one in any case', () => {
    const r3 = new Redactor().addPersonal('Sol', 'Zebulon');
    expect(r3.text('Sol paid; el sol; Solano; ZEBULON; zebulon2')).toBe('<pii> paid; el sol; Solano; <pii>; zebulon2');
  });

  it('masks Authorization headers and writes credentials as placeholders in curl commands', () => {
    expect(r.headers({ Authorization: `Bearer ${CANARY.token}` })).toEqual({ authorization: 'Bearer <redacted>' });
    const curl = toCurl(
      {
        method: 'POST',
        url: 'http://127.0.0.1:1/x',
        headers: { authorization: `Bearer ${CANARY.token}` },
        body: JSON.stringify({ otp: { value: CANARY.otp } }),
      },
      r,
    );
    expect(curl).toContain('$D1_ACCESS_TOKEN');
    expect(curl).not.toContain(CANARY.token);
    expect(curl).not.toContain(CANARY.otp);
  });

  // Issue 12 item 7: the harness hands every Get Consumer Information body to learnPersonalInfo,
  // error bodies included; their texts are the target's, not personal data.
  it('learns the personal fields of a consumerInfo, not the texts of an error body beside them', () => {
    const learned = new Redactor()
      .learnPersonalInfo({
        error: 'Tarjeta no existe',
        rsp_codigo: '14',
        errorCode: 'CARD_NOT_FOUND',
        message: 'internal',
        name: 'NotFoundError',
        title: 'Card not found',
        state: 'BLOCKED',
      })
      .learnPersonalInfo({
        language: 'es-ES',
        firstName: 'Zebulon',
        lastName: 'Quixote',
        dateOfBirth: '1980-02-29',
        mobilePhoneNumber: { countryCode: '+34', phoneNumber: '600111222' },
        residencyAddress: { line1: 'Calle Mayor 1', city: 'Getafe', state: 'Madrid', zipCode: '28901', countryCode: 'ES', extra: 'Bloque Zeta' },
        unknownField: 'kept',
      });
    const body =
      '{"error":"Tarjeta no existe","rsp_codigo":"14","errorCode":"CARD_NOT_FOUND","message":"internal","name":"NotFoundError","title":"Card not found","state":"BLOCKED","language":"es-ES","countryCode":"ES"}';
    expect(learned.text(body)).toBe(body);
    const personal = 'Zebulon Quixote, 1980-02-29, 600111222, Calle Mayor 1, Getafe 28901, Madrid, Bloque Zeta';
    expect(learned.text(personal)).toBe('<pii> <pii>, <pii>, <pii>, <pii>, <pii> <pii>, <pii>, <pii>');
    expect(learned.text('unknownField kept')).toBe('unknownField kept');
  });

  it('shows a URL-encoded stretch decoded only where it masks something, and keeps JSON text valid', () => {
    const r = new Redactor();
    const json = JSON.stringify({ url: `https://x.example/cb?q=${encodeURIComponent('"4111 1111 1111 1111"\n')}&plain=a%20b` });
    const out = r.text(json);
    expect(out).not.toContain('1111%201111');
    expect(out).toContain('a%20b');
    expect(JSON.parse(out)).toEqual({ url: 'https://x.example/cb?q=%224111 11** **** 1111%22%0A&plain=a%20b' });
  });
});

describe('personal values have a length', () => {
  it('a text longer than any personal field is not learned (a whole non-JSON body): no giant pattern, nothing masked by it', () => {
    const body = `{"a":${'['.repeat(200_000)}`;
    const r = new Redactor().addPersonal(body, 'Johanna');
    const started = performance.now();
    expect(r.text(`${body.slice(0, 40)} Johanna`)).toBe(`${body.slice(0, 40)} <pii>`);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
