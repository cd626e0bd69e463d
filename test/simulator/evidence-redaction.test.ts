import { describe, expect, it } from 'vitest';
import { call, consumerPath, PERSONAL, simulatorPerTest } from './helpers.js';

/** What findings show of a request: never the personal data it carried, however the client wrote it. */

const s = simulatorPerTest();
const everything = () => JSON.stringify(s.sim.results());

describe('finding evidence', () => {
  it('masks personal data a client escaped in its JSON (.NET writes non-ASCII as \\u00XX)', async () => {
    const info = { ...PERSONAL, language: 'english', firstName: 'Hélène', lastName: 'François-Dupré' };
    // The escapes System.Text.Json writes by default.
    const body = JSON.stringify({ personalInformation: info }).replace(
      /[\u0080-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
    expect(body).toContain('H\\u00E9l\\u00E8ne');
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001'), { token: s.token, body, headers: { 'content-type': 'application/json' } });
    expect(answer.status).toBe(400);
    expect(s.failed()).toEqual(['IN-CON-004']);
    const text = everything();
    for (const canary of ['Hélène', 'H\\\\u00E9l', 'Dupr', 'Fran', PERSONAL.email, PERSONAL.residencyAddress.line1]) expect(text, canary).not.toContain(canary);
    expect(text).toContain('<pii>');
  });

  it('masks the personal data of a request sent with the wrong method', async () => {
    const answer = await call(s.sim, 'POST', consumerPath('cons-0001'), { token: s.token, body: { personalInformation: PERSONAL } });
    expect(answer.status).toBe(405);
    expect(s.failed()).toEqual(['IN-CON-001']);
    const text = everything();
    for (const canary of [PERSONAL.firstName, PERSONAL.lastName, PERSONAL.residencyAddress.line1, PERSONAL.residencyAddress.city])
      expect(text, canary).not.toContain(canary);
  });

  it('does not show a body it could not read', async () => {
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001'), {
      token: s.token,
      body: `{"personalInformation": {"firstName": "${PERSONAL.firstName}"`,
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    const finding = s.sim.results().find((r) => r.status === 'FAILED');
    expect(finding?.evidence?.request.body).toMatch(/^<body not shown: \d+ bytes, not well-formed JSON>$/);
    expect(everything()).not.toContain(PERSONAL.firstName);
  });

  // Issue 12 item 1: a refused call (bad token, wrong path issuerId) is recorded too, with its body.
  const PERSONAL_CANARIES = [
    PERSONAL.firstName,
    PERSONAL.lastName,
    PERSONAL.residencyAddress.line1,
    PERSONAL.residencyAddress.city,
    PERSONAL.mobilePhoneNumber.phoneNumber,
  ];

  it('masks the personal data of a call refused for its path issuerId', async () => {
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001', '', 'ISSUER000'), { token: s.token, body: { personalInformation: PERSONAL } });
    expect(answer.status).toBe(401);
    expect(s.failed()).toContain('IN-PATH-001');
    const text = everything();
    for (const canary of PERSONAL_CANARIES) expect(text, canary).not.toContain(canary);
  });

  it('masks the personal data of a call refused for its token', async () => {
    const answer = await call(s.sim, 'PUT', consumerPath('cons-0001'), { token: 'not-a-token-0123456789', body: { personalInformation: PERSONAL } });
    expect(answer.status).toBe(401);
    expect(s.failed().length).toBeGreaterThan(0);
    const text = everything();
    for (const canary of PERSONAL_CANARIES) expect(text, canary).not.toContain(canary);
  });
});
