import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consumerInfoBadLanguage } from '../../fixtures/broken-issuers/consumer-info-bad-language.js';
import { noAuthEnforced } from '../../fixtures/broken-issuers/no-auth-enforced.js';
import { panEchoedInError } from '../../fixtures/broken-issuers/pan-echoed-in-error.js';
import { startReferenceIssuer, type IssuerVariant, type RunningIssuer, type TestConsumer } from '../../fixtures/reference-issuer/index.js';
import { REPORTERS } from '../../src/outputs/report/index.js';
import { runMain } from '../cli/run-cli.js';

/**
 * Redaction, proven: the reference issuer is seeded with canary values (PAN, names, email, phone,
 * address, client secret); runs against it and against variants that leak them write every report
 * format; no output file and no console line may contain a canary, nor an unredacted token.
 */

const CANARY = {
  pan: '4111111111111111',
  secret: 'canary-secret-Zq81xWv3Lm',
  firstName: 'Quillonette',
  lastName: 'Vantablackson',
  email: 'quillonette.canary@example.org',
  phone: '699887766',
  line1: '77 Canarywharf Lane',
  dateOfBirth: '1971-03-29',
};

const consumer: TestConsumer = {
  consumerId: 'cons-c4n4ry01',
  info: {
    language: 'en-US',
    firstName: CANARY.firstName,
    lastName: CANARY.lastName,
    dateOfBirth: CANARY.dateOfBirth,
    email: CANARY.email,
    mobilePhoneNumber: { countryCode: '+33', phoneNumber: CANARY.phone },
    residencyAddress: { line1: CANARY.line1, zipCode: '75002', countryCode: 'FR' },
  },
  cardIds: ['crd_c4n4rycard01'],
};

const issuers: RunningIssuer[] = [];
afterAll(async () => {
  for (const i of issuers) await i.close();
});

/** A JWT or JWE in clear: three or five base64url parts starting with a JSON header. */
const CLEAR_TOKEN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/;

async function runAgainst(variant: IssuerVariant | undefined): Promise<{ texts: string[]; code: number }> {
  const issuer = await startReferenceIssuer({ consumers: [consumer], clientSecret: CANARY.secret, ...(variant ? { variant } : {}) });
  issuers.push(issuer);
  const dir = mkdtempSync(join(tmpdir(), 'd1c-canary-'));
  const config = join(dir, 'd1.json');
  writeFileSync(
    config,
    JSON.stringify({
      target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId },
      auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: '${env:D1C_CANARY_SECRET}' },
      testData: { consumers: [{ consumerId: consumer.consumerId, cardIds: consumer.cardIds, pans: [CANARY.pan] }] },
    }),
  );
  const out = join(dir, 'out');
  const result = await runMain(['run', '--config', config, '--out', out, '--runs', '2', '--report', Object.keys(REPORTERS).join(',')], {
    env: { D1C_CANARY_SECRET: CANARY.secret },
  });
  const files = readdirSync(out);
  expect(files.length).toBe(Object.keys(REPORTERS).length);
  return { texts: [result.stdout, result.stderr, ...files.map((f) => readFileSync(join(out, f), 'utf8'))], code: result.code };
}

describe('canary values never reach a report or the console', () => {
  it.each([
    ['the compliant reference issuer', undefined, 0],
    ['a variant returning an invalid consumerInfo (personal data in the evidence)', consumerInfoBadLanguage, 1],
    ['a variant echoing a PAN in an error body', panEchoedInError, 1],
    ['a variant serving personal data without a token', noAuthEnforced, 1],
  ] as const)('against %s', { timeout: 120_000 }, async (_name, variant, expectedCode) => {
    const { texts, code } = await runAgainst(variant);
    expect(code).toBe(expectedCode);
    const all = texts.join('\n');
    for (const [kind, value] of Object.entries(CANARY)) expect(all.includes(value), `${kind} canary leaked`).toBe(false);
    expect(all).not.toMatch(CLEAR_TOKEN);
    if (variant) expect(all).toContain(variant.ruleId);
    if (variant === panEchoedInError) expect(all).toContain('411111******1111');
  });
});
