import { CompactSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, cardPath, consumerPath, encryptCard, ISSUER_ID, JWT_BEARER, makeAssertion, PAN, PERSONAL, simulatorPerTest, tokenCall } from './helpers.js';

/**
 * The rules whose failing side no other test shows: each breach below breaks exactly one rule,
 * and the simulator names exactly that rule.
 */

const s = simulatorPerTest();
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
const registerCard = async (encryptedData: string, cardId = 'card-0001') =>
  call(s.sim, 'PUT', cardPath(cardId), { token: s.token, body: { consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedData } });

describe('the token call', () => {
  it('IN-AUTH-004: an assertion that is not a compact JWS', async () => {
    expect((await tokenCall(s.sim, 'not-a-jws')).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-004']);
  });

  it('IN-AUTH-013: iat that is not a number', async () => {
    const signed = await new CompactSign(
      new TextEncoder().encode(JSON.stringify({ iss: ISSUER_ID, sub: ISSUER_ID, exp: Math.floor(Date.now() / 1000) + 300, iat: 'now' })),
    )
      .setProtectedHeader({ alg: 'ES256', kid: s.keys.kid })
      .sign(s.keys.privateKey);
    expect((await tokenCall(s.sim, signed)).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-013']);
  });

  it('IN-AUTH-014: a token-call x-correlation-id out of pattern', async () => {
    expect((await tokenCall(s.sim, await makeAssertion(s.keys), { headers: { 'x-correlation-id': 'corr id!' } })).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-014']);
  });

  it('IN-AUTH-018: an assertion header that is not JSON', async () => {
    expect((await tokenCall(s.sim, `${b64('not json')}.${b64('{}')}.c2ln`)).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-018']);
  });

  it('IN-AUTH-019: a correctly signed assertion whose payload is not JSON', async () => {
    const signed = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'ES256', kid: s.keys.kid }).sign(s.keys.privateKey);
    expect((await tokenCall(s.sim, signed)).status).toBe(400);
    expect(s.failed()).toEqual(['IN-AUTH-019']);
  });

  it('the same request as JSON is accepted (IN-AUTH-002 both ways is in auth.test.ts)', async () => {
    const answer = await call(s.sim, 'POST', '/authz/v1/oauth2/token', { body: { grant_type: JWT_BEARER, assertion: await makeAssertion(s.keys) } });
    expect(answer.status).toBe(200);
    expect(s.failed()).toEqual([]);
  });
});

describe('consumers', () => {
  it('IN-CON-010: personalInformation that is not an object', async () => {
    expect((await call(s.sim, 'PUT', consumerPath('cons-0001'), { token: s.token, body: { personalInformation: 'Johanna Smithfield' } })).status).toBe(400);
    expect(s.failed()).toEqual(['IN-CON-010']);
  });

  it('IN-CON-003: with the Click to Pay profile, personalInformation without language', async () => {
    await s.restart({ profiles: ['click-to-pay'] });
    const { language: _language, ...withoutLanguage } = PERSONAL;
    expect((await call(s.sim, 'PUT', consumerPath('cons-0001'), { token: s.token, body: { personalInformation: withoutLanguage } })).status).toBe(400);
    expect(s.failed()).toEqual(['IN-CON-003']);
  });
});

describe('cards', () => {
  it('IN-CARD-001: Register card with POST', async () => {
    const answer = await call(s.sim, 'POST', cardPath('card-0001'), { token: s.token, body: { consumerId: 'cons-0001' } });
    expect(answer.status).toBe(405);
    expect(s.failed()).toEqual(['IN-CARD-001']);
  });

  it('IN-JWE-005: an ephemeral key on P-384', async () => {
    const p384 = await generateKeyPair('ECDH-ES', { crv: 'P-384' });
    expect((await registerCard(await encryptCard(s.sim, { pan: PAN, exp: '1230' }, { key: p384.publicKey }))).status).toBe(400);
    expect(s.failed()).toEqual(['IN-JWE-005']);
  });

  it('IN-JWE-009: a JWE protected header that is not JSON', async () => {
    const jwe = await encryptCard(s.sim, { pan: PAN, exp: '1230' });
    const [, ...rest] = jwe.split('.');
    expect((await registerCard([b64('not json'), ...rest].join('.'))).status).toBe(400);
    expect(s.failed()).toEqual(['IN-JWE-009']);
  });
});

describe('concurrent registrations of one cardId', () => {
  it('leave exactly one ACTIVE card; every other PAN is refused under IN-ID-004', async () => {
    const pans = ['4111111111111111', '5555555555554444', '4000056655665556', '6011111111111117', '378282246310005', '4012888888881881'];
    const jwes = await Promise.all(pans.map((pan) => encryptCard(s.sim, { pan, exp: '1230' })));
    const answers = await Promise.all(jwes.map((jwe) => registerCard(jwe, 'card-race')));
    expect(answers.filter((a) => a.status === 204)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 400)).toHaveLength(pans.length - 1);
    expect(s.sim.state.cards().filter((c) => c.state === 'ACTIVE')).toHaveLength(1);
    const findings = s.sim.results().filter((r) => r.ruleId === 'IN-ID-004' && r.status === 'FAILED');
    expect(findings.reduce((n, r) => n + r.count, 0)).toBe(pans.length - 1);
    expect(s.failed()).toEqual(['IN-ID-004']);
  });
});

describe('undocumented request body fields (requestUnknownFields policy)', () => {
  const card = async () => ({ consumerId: 'cons-0001', cardProductId: 'prod-classic-01', encryptedData: await encryptCard(s.sim, { pan: PAN, exp: '1230' }) });

  it('warn (default): IN-CARD-008 and IN-CON-005 on extra top-level fields, the call served', async () => {
    expect((await call(s.sim, 'PUT', cardPath('card-0001'), { token: s.token, body: { ...(await card()), nickname: 'travel card' } })).status).toBe(204);
    expect((await call(s.sim, 'PUT', consumerPath('cons-0002'), { token: s.token, body: { personalInformation: PERSONAL, segment: 'gold' } })).status).toBe(
      204,
    );
    expect(s.failed()).toEqual([]);
    expect(s.warned()).toEqual(['IN-CARD-008', 'IN-CON-005']);
  });

  it('reject: refused with 400 naming the rule; allow: not graded', async () => {
    await s.restart({ policies: { requestUnknownFields: 'reject' } });
    expect((await call(s.sim, 'PUT', cardPath('card-0001'), { token: s.token, body: { ...(await card()), nickname: 'travel card' } })).status).toBe(400);
    expect(s.failed()).toEqual(['IN-CARD-008']);
    await s.restart({ policies: { requestUnknownFields: 'allow' } });
    expect((await call(s.sim, 'PUT', cardPath('card-0001'), { token: s.token, body: { ...(await card()), nickname: 'travel card' } })).status).toBe(204);
    expect([...s.failed(), ...s.warned()]).toEqual([]);
  });
});

describe('the media type of a banking body', () => {
  it('a JSON body sent as text/plain is read, with a warning under its body rule (IN-CON-001)', async () => {
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001'), {
      token: s.token,
      body: JSON.stringify({ personalInformation: PERSONAL }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(204);
    expect(s.failed()).toEqual([]);
    expect(s.warned()).toEqual(['IN-CON-001']);
  });

  it('application/json with a charset is fine', async () => {
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001'), {
      token: s.token,
      body: JSON.stringify({ personalInformation: PERSONAL }),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(answer.status).toBe(204);
    expect([...s.failed(), ...s.warned()]).toEqual([]);
  });
});
