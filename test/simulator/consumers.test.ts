import { describe, expect, it } from 'vitest';
import { call, consumerPath, json, PERSONAL, simulatorPerTest } from './helpers.js';

/** Register / Update / Delete consumer and Get card list: contracts, profiles, policies and consumerId hygiene. */

const s = simulatorPerTest();

const failed = () => s.failed();
const warned = () => s.warned();
const register = (consumerId: string, personalInformation: unknown = PERSONAL, headers: Record<string, string> = {}) =>
  call(s.sim, 'PUT', consumerPath(consumerId), { token: s.token, headers, body: { personalInformation } });

describe('consumerId hygiene (IN-ID-002)', () => {
  it('flags an email address as consumerId', async () => {
    const answer = await register(PERSONAL.email);
    expect(answer.status).toBe(400);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'consumerId' });
    // '@' and '.' are outside the consumerId pattern too.
    expect(failed()).toEqual(['IN-ID-002', 'IN-PATH-002']);
  });

  it('flags a consumerId made of the names sent in personalInformation, or of the phone number', async () => {
    expect((await register('smithfield-johanna-01')).status).toBe(204);
    expect(failed()).toEqual(['IN-ID-002']);
    await s.restart();
    await register('c-33612345678');
    expect(failed()).toEqual(['IN-ID-002']);
  });

  it('checks the consumerId of later calls against what was registered', async () => {
    expect((await register('johanna-0001', { firstName: 'Ana', lastName: 'Lee' })).status).toBe(204);
    expect(failed()).toEqual([]);
    expect(
      (await call(s.sim, 'POST', consumerPath('johanna-0001', '/operations:update'), { token: s.token, body: { personalInformation: PERSONAL } })).status,
    ).toBe(200);
    expect(failed()).toEqual(['IN-ID-002']);
    await call(s.sim, 'GET', consumerPath('johanna-0001', '/cards'), { token: s.token });
    expect(
      s.sim
        .results()
        .filter((r) => r.ruleId === 'IN-ID-002' && r.status === 'FAILED')
        .map((r) => r.endpoint),
    ).toEqual(['d1.updateConsumer', 'd1.getCardList']);
  });
});

describe('personalInformation (IN-CON-*)', () => {
  it('refuses a bad language (IN-CON-004), warns on a lower-case country (IN-CON-011)', async () => {
    const bad = await register('cons-0001', { ...PERSONAL, language: 'EN_us' });
    expect(bad.status).toBe(400);
    expect(json(bad)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'personalInformation.language' });
    expect(failed()).toEqual(['IN-CON-004']);
    expect(s.sim.state.consumers()).toEqual([]);
    expect((await register('cons-0002', { ...PERSONAL, language: 'en-us' })).status).toBe(204);
    expect(warned()).toEqual(['IN-CON-011']);
  });

  it('refuses a personalInformation without lastName (IN-CON-009)', async () => {
    const { lastName: _, ...rest } = PERSONAL;
    const answer = await register('cons-0001', rest);
    expect(json(answer)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'personalInformation.lastName' });
    expect(failed()).toEqual(['IN-CON-009']);
  });

  it('warns when recommended data is missing (IN-CON-002); the Click to Pay profile makes contact data mandatory (IN-CON-012)', async () => {
    const slim = { firstName: 'Ana', lastName: 'Lee', language: 'en-US' };
    expect((await register('cons-0001', slim)).status).toBe(204);
    expect(warned()).toEqual(['IN-CON-002']);
    expect(failed()).toEqual([]);
    await s.restart({ profiles: ['click-to-pay'] });
    const answer = await register('cons-0001', slim);
    expect(answer.status).toBe(400);
    expect(failed()).toEqual(['IN-CON-012', 'IN-CON-013']);
    expect((await register('cons-0002')).status).toBe(204);
    expect(s.sim.exercisedRules()).toContain('IN-CON-003');
  });

  it('applies the requestUnknownFields policy to undocumented fields (IN-CON-005)', async () => {
    const extra = { ...PERSONAL, nickname: 'Jo' };
    expect((await register('cons-0001', extra)).status).toBe(204);
    expect(warned()).toEqual(['IN-CON-005']);
    // The finding names the undocumented field by its path, never its value.
    const finding = s.sim.results().find((r) => r.ruleId === 'IN-CON-005' && r.status === 'WARNING');
    expect(finding?.message).toMatch(/; undocumented: body\.personalInformation\.nickname \(policy requestUnknownFields=warn\)$/);
    expect(finding?.message).not.toContain("'Jo'");
    const topLevel = await call(s.sim, 'PUT', consumerPath('cons-0009'), {
      token: s.token,
      body: { personalInformation: PERSONAL, segment: 'gold', 'jo@example.com': 1 },
    });
    expect(topLevel.status).toBe(204);
    const named = s.sim
      .results()
      .filter((r) => r.ruleId === 'IN-CON-005' && r.status === 'WARNING')
      .map((r) => r.message);
    expect(named).toContainEqual(expect.stringMatching(/; undocumented: body\.segment, body\.<a key not shown> \(policy requestUnknownFields=warn\)$/));
    expect(JSON.stringify(named)).not.toContain('jo@example.com');
    await s.restart({ policies: { requestUnknownFields: 'reject' } });
    const refused = await register('cons-0001', extra);
    expect(json(refused)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'personalInformation' });
    expect(failed()).toEqual(['IN-CON-005']);
    await s.restart({ policies: { requestUnknownFields: 'allow' } });
    expect((await register('cons-0001', extra)).status).toBe(204);
    expect(s.sim.results().filter((r) => r.status !== 'PASSED')).toEqual([]);
  });
});

describe('headers', () => {
  it('refuses a 16-character x-user-id (IN-HDR-005) and a bad x-correlation-id (IN-HDR-001)', async () => {
    const user = await register('cons-0001', PERSONAL, { 'x-user-id': 'a'.repeat(16) });
    expect(json(user)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'x-user-id' });
    expect(failed()).toEqual(['IN-HDR-005']);
    expect((await register('cons-0001', PERSONAL, { 'x-user-id': 'a'.repeat(15) })).status).toBe(204);
    const corr = await register('cons-0002', PERSONAL, { 'x-correlation-id': 'req 1.2' });
    expect(json(corr)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'x-correlation-id' });
    expect(failed()).toEqual(['IN-HDR-001', 'IN-HDR-005']);
  });

  it('warns on an x-correlation-id derived from personal data (IN-HDR-003)', async () => {
    expect((await register('cons-0001', PERSONAL, { 'x-correlation-id': 'smithfield-req-1' })).status).toBe(204);
    expect(failed()).toEqual([]);
    expect(warned()).toEqual(['IN-HDR-003']);
  });
});

describe('update, delete and the card list', () => {
  it('refuses a reason with punctuation (IN-CON-007) and a body that is not an object (IN-CON-014); a delete without a body is valid', async () => {
    await register('cons-0001');
    const reason = await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: s.token, body: { reason: 'customer asked, closed.' } });
    expect(json(reason)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'reason' });
    expect(failed()).toEqual(['IN-CON-007']);
    const notObject = await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), {
      token: s.token,
      body: '["closed"]',
      headers: { 'content-type': 'application/json' },
    });
    expect(json(notObject)).toEqual({ errorCode: 'FIELD_INVALID_FORMAT', error: 'body' });
    expect(failed()).toEqual(['IN-CON-007', 'IN-CON-014']);
    expect(s.sim.state.consumers()[0]?.state).toBe('ACTIVE');
    // Seed 001 marks neither the body nor its reason required.
    const empty = await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: s.token });
    expect(empty.status).toBe(200);
    expect(json(empty)).toHaveProperty('operationId');
    expect(s.sim.state.consumers()[0]?.state).toBe('DELETED');
  });

  it('answers 404 for an unknown or deleted consumer', async () => {
    for (const [method, suffix, body] of [
      ['GET', '/cards', undefined],
      ['POST', '/operations:update', { personalInformation: PERSONAL }],
      ['POST', '/operations:delete', {}],
    ] as const) {
      const answer = await call(s.sim, method, consumerPath('cons-nobody', suffix), { token: s.token, body });
      expect(answer.status, suffix).toBe(404);
      expect(json(answer)).toHaveProperty('error');
    }
    expect(failed()).toEqual([]);
  });

  it('refuses a deleted consumerId by default (seed 001: a returning user needs a new consumerId), allows it under deletedConsumerIdReuse allow (IN-ID-006)', async () => {
    await register('cons-0001');
    await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: s.token, body: {} });
    const again = await register('cons-0001');
    expect(again.status).toBe(400);
    expect(json(again)).toEqual({ errorCode: 'FIELD_INVALID_VALUE', error: 'consumerId' });
    expect(failed()).toEqual(['IN-ID-006']);
    expect(s.sim.results().find((r) => r.ruleId === 'IN-ID-006' && r.status === 'FAILED')?.message).toBe(
      'the consumerId was deleted and the deletedConsumerIdReuse policy is reject',
    );
    // A new consumerId for the returning user is what seed 001 asks for.
    expect((await register('cons-0002')).status).toBe(204);
    await s.restart({ policies: { deletedConsumerIdReuse: 'allow', d1RegisterSuccessStatus: 200 } });
    expect((await register('cons-0001')).status).toBe(200);
    await call(s.sim, 'POST', consumerPath('cons-0001', '/operations:delete'), { token: s.token, body: {} });
    expect((await register('cons-0001')).status).toBe(200);
    expect(
      s.sim
        .results()
        .filter((r) => r.ruleId === 'IN-ID-006')
        .map((r) => r.status),
    ).toEqual(['PASSED']);
    expect(failed()).toEqual([]);
  });
});

describe('a consumerId names one end user (IN-ID-003)', () => {
  const other = {
    language: 'fr-FR',
    firstName: 'Marcel',
    lastName: 'Pagnol',
    email: 'marcel.pagnol@example.net',
    mobilePhoneNumber: { countryCode: '+33', phoneNumber: '698765432' },
  };

  it('lets the same person be registered again, even after a change of name, email or phone', async () => {
    expect((await register('cons-0001')).status).toBe(204);
    expect((await register('cons-0001', { ...PERSONAL, lastName: 'Smithfield-Jones', email: 'johanna.sj@example.com' })).status).toBe(204);
    expect(failed()).toEqual([]);
    expect(
      s.sim
        .results()
        .filter((r) => r.ruleId === 'IN-ID-003')
        .map((r) => [r.status, r.count]),
    ).toEqual([['PASSED', 2]]);
  });

  it('fails an ACTIVE consumerId registered again for another person', async () => {
    expect((await register('cons-0001')).status).toBe(204);
    expect((await register('cons-0001', other)).status).toBe(204);
    expect(failed()).toEqual(['IN-ID-003']);
  });
});

describe('a request body nested 30k deep, under the 64 KiB body cap (issue 12 item 8)', () => {
  it('is refused as a bad body and graded, never a 500 that drops the call', async () => {
    const deep = `{"personalInformation":${'['.repeat(30_000)}${']'.repeat(30_000)}}`;
    const answer = await call(s.sim, 'PUT', consumerPath('deep-0001'), { token: s.token, body: deep, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(s.sim.results().some((r) => r.endpoint === 'd1.registerConsumer' && r.status === 'FAILED')).toBe(true);
  });
});
