import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ClientEnvError,
  D1Client,
  luhnCheckDigit,
  personalInformation,
  readClientEnv,
  runJourney,
  runJourneyWith,
  testPan,
} from '../../fixtures/reference-client/index.js';
import { findPans } from '../../src/core/hygiene/index.js';
import type { RunningSimulator } from '../../src/client-side/simulator/index.js';
import { JOURNEY_RULES } from '../simulator/helpers.js';
import { envFor, ISSUER_ID, issuerKeyPair, ruleIds, SIGNING_KID, simulatorFor, type IssuerKeyPair } from './helpers.js';

const MAIN = fileURLToPath(new URL('../../fixtures/reference-client/main.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The rules a compliant journey must give the simulator something to check. */
/** What the reference journey exercises: every step of a compliant journey, and its second customer's implicit registration. */
const CORE_RULES = [...JOURNEY_RULES, 'IN-CARD-004', 'IN-CON-011'];

let keys: IssuerKeyPair;
beforeAll(async () => {
  keys = await issuerKeyPair();
});

/** How many token calls the simulator graded (IN-AUTH-015 is checked once per token issued). */
function tokenCalls(sim: RunningSimulator): number {
  return sim
    .results()
    .filter((r) => r.ruleId === 'IN-AUTH-015')
    .reduce((n, r) => n + r.count, 0);
}

describe('the reference client against the D1 simulator', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await simulatorFor(keys);
  });
  afterEach(() => sim.close());

  it('completes the journey with one token, no FAILED and no WARNING, exercising the core rules', async () => {
    const summary = await runJourney(envFor(sim, keys));
    expect(summary.steps.map((s) => [s.step, s.status])).toEqual([
      ['token', 200],
      ['registerConsumer', 204],
      ['registerCard', 204],
      ['updateConsumer', 200],
      ['getCardList', 200],
      ['deleteConsumer', 200],
      ['registerCardNewConsumer', 204],
      ['deleteNewConsumer', 200],
    ]);
    expect(summary.completed).toBe(true);
    expect(summary.steps.find((s) => s.step === 'getCardList')?.note).toBe('1 card(s)');

    const results = sim.results();
    expect(ruleIds(results, 'FAILED')).toEqual([]);
    expect(ruleIds(results, 'WARNING')).toEqual([]);
    const exercised = sim.exercisedRules();
    for (const id of CORE_RULES) expect(exercised, id).toContain(id);
    expect(tokenCalls(sim)).toBe(1);

    // The second customer was registered implicitly by their card (IN-CARD-004).
    expect(sim.state.consumers().map((c) => [c.state, c.implicit])).toEqual([
      ['DELETED', false],
      ['DELETED', true],
    ]);
    // Delete cascaded: the consumers and their cards are gone, and only the last 4 digits were kept.
    expect(sim.state.cards().map((c) => c.state)).toEqual(['DELETED', 'DELETED']);
  });

  it('runs two journeys on one client (one token, new ids, a new test PAN) without a finding', async () => {
    const client = new D1Client(envFor(sim, keys));
    try {
      expect((await runJourneyWith(client)).completed).toBe(true);
      expect((await runJourneyWith(client)).completed).toBe(true);
    } finally {
      await client.close();
    }
    expect(tokenCalls(sim)).toBe(1);
    expect(ruleIds(sim.results(), 'FAILED')).toEqual([]);
    expect(ruleIds(sim.results(), 'WARNING')).toEqual([]);
    const consumerIds = sim.state.consumers().map((c) => c.consumerId);
    expect(new Set(consumerIds).size).toBe(4);
    for (const id of [...consumerIds, ...sim.state.cards().map((c) => c.cardId)]) expect(id).toMatch(/^[A-Za-z0-9_-]{1,48}$/);
  });
});

describe('token reuse', () => {
  it('reuses its token while 60 s or more are left and fetches a new one below that, with no IN-AUTH-015 warning', async () => {
    let clock = Date.UTC(2030, 0, 15, 9, 0, 0);
    const now = () => clock;
    const sim = await simulatorFor(keys, { now });
    const client = new D1Client(envFor(sim, keys), {}, { now });
    try {
      const path = (suffix = '') => `/banking/v2/issuers/${ISSUER_ID}/consumers/c-token-reuse-01${suffix}`;
      expect((await client.call('registerConsumer', 'PUT', path(), { personalInformation: personalInformation() })).status).toBe(204);
      clock += 830_000; // 70 s left
      expect((await client.call('getCardList', 'GET', path('/cards'))).status).toBe(200);
      expect(tokenCalls(sim)).toBe(1);
      clock += 15_000; // 55 s left
      expect((await client.call('getCardList', 'GET', path('/cards'))).status).toBe(200);
      expect(tokenCalls(sim)).toBe(2);
      expect(ruleIds(sim.results(), 'WARNING')).toEqual([]);
      expect(ruleIds(sim.results(), 'FAILED')).toEqual([]);
    } finally {
      await client.close();
      await sim.close();
    }
  });
});

describe('test data', () => {
  it('makes Luhn-valid test PANs in the test BIN, that the hygiene scanner sees as PANs', () => {
    expect(luhnCheckDigit('411111111111111')).toBe('1');
    for (let i = 0; i < 20; i++) {
      const pan = testPan();
      expect(pan).toMatch(/^411111\d{10}$/);
      expect(findPans(pan).map((p) => p.digits)).toEqual([pan]);
    }
  });
});

describe('readClientEnv', () => {
  let dir: string;
  let good: Record<string, string>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'd1-client-env-'));
    const sim = await simulatorFor(keys);
    await sim.close();
    await writeFile(join(dir, 'public.json'), JSON.stringify(sim.jwePublicJwk));
    await writeFile(join(dir, 'private.json'), JSON.stringify(keys.privateJwk));
    await writeFile(join(dir, 'garbage.json'), `{"d": "${String(keys.privateJwk.d)}", `);
    good = {
      D1_BASE_URL: 'http://127.0.0.1:9/',
      D1_TOKEN_URL: 'http://127.0.0.1:9/authz/v1/oauth2/token',
      D1_ISSUER_ID: ISSUER_ID,
      D1_JWE_PUBLIC_KEY: join(dir, 'public.json'),
      D1_JWE_KID: 'jwe-kid',
      ISSUER_SIGNING_KEY: join(dir, 'private.json'),
      ISSUER_SIGNING_KID: SIGNING_KID,
    };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the variables and the two JWK files', () => {
    const env = readClientEnv(good);
    expect(env).toMatchObject({ baseUrl: 'http://127.0.0.1:9', issuerId: ISSUER_ID, jweKid: 'jwe-kid', signingKid: SIGNING_KID });
    expect(env.signingPrivateJwk.d).toBe(keys.privateJwk.d);
    expect(env.cardProductId).toBeUndefined();
    expect(readClientEnv({ ...good, D1_CARD_PRODUCT_ID: 'prod-gold-02' }).cardProductId).toBe('prod-gold-02');
  });

  it.each([
    [{ D1_BASE_URL: '' }, 'D1_BASE_URL is not set'],
    [{ D1_TOKEN_URL: 'not a url' }, 'D1_TOKEN_URL is not a URL'],
    [{ D1_BASE_URL: 'ftp://127.0.0.1/' }, 'D1_BASE_URL must be an http or https URL'],
    [{ D1_ISSUER_ID: 'ISSUER001' }, 'D1_ISSUER_ID must be exactly 10 characters of [A-Za-z0-9_-]'],
    [{ D1_JWE_PUBLIC_KEY: '/nonexistent/d1.json' }, 'D1_JWE_PUBLIC_KEY: cannot read the file /nonexistent/d1.json'],
    [{ D1_JWE_PUBLIC_KEY: 'private.json' }, "D1_JWE_PUBLIC_KEY: the JWK holds a private key; give D1's public key only"],
    [{ ISSUER_SIGNING_KEY: 'garbage.json' }, 'ISSUER_SIGNING_KEY: the file is not JSON (a JWK is expected)'],
    [{ ISSUER_SIGNING_KEY: 'public.json' }, 'ISSUER_SIGNING_KEY: the JWK has no private part (d)'],
    [{ ISSUER_SIGNING_KID: ' ' }, 'ISSUER_SIGNING_KID is not set'],
    [{ D1_CARD_PRODUCT_ID: 'prod classic' }, 'D1_CARD_PRODUCT_ID must be 1..48 characters of [A-Za-z0-9_-]'],
  ])('refuses %o with one line naming the variable', (change, message) => {
    const vars: Record<string, string> = { ...good };
    for (const [k, v] of Object.entries(change)) vars[k] = v.endsWith('.json') && !v.startsWith('/') ? join(dir, v) : v;
    const read = () => readClientEnv(vars);
    expect(read).toThrow(ClientEnvError);
    expect(read).toThrow(message);
    try {
      read();
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain(String(keys.privateJwk.d));
    }
  });
});

// --- the executable entry, as a real child process ------------------------------------------

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** main.ts with exactly these variables (nothing inherited but PATH, so a developer's D1_* cannot leak in). */
function runMain(vars: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', MAIN],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...vars }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('fixtures/reference-client/main.ts', () => {
  let sim: RunningSimulator;
  let dir: string;
  let vars: Record<string, string>;
  beforeAll(async () => {
    sim = await simulatorFor(keys);
    dir = await mkdtemp(join(tmpdir(), 'd1-reference-client-'));
    await writeFile(join(dir, 'd1-jwe.json'), JSON.stringify(sim.jwePublicJwk));
    await writeFile(join(dir, 'issuer-signing.json'), JSON.stringify(keys.privateJwk));
    vars = {
      D1_BASE_URL: sim.baseUrl,
      D1_TOKEN_URL: sim.tokenUrl,
      D1_ISSUER_ID: ISSUER_ID,
      D1_JWE_PUBLIC_KEY: join(dir, 'd1-jwe.json'),
      D1_JWE_KID: sim.jweKid,
      ISSUER_SIGNING_KEY: join(dir, 'issuer-signing.json'),
      ISSUER_SIGNING_KID: SIGNING_KID,
    };
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('completes the journey (exit 0) and prints no PAN, token, assertion or personal data', async () => {
    const run = await runMain(vars);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toEqual([
      'token 200 ok',
      'registerConsumer 204 ok',
      'registerCard 204 ok',
      'updateConsumer 200 ok',
      'getCardList 200 ok (1 card(s))',
      'deleteConsumer 200 ok',
      'registerCardNewConsumer 204 ok',
      'deleteNewConsumer 200 ok',
      'journey completed',
    ]);
    // Belt and braces: whatever the lines say, nothing secret or personal is in them.
    expect(run.stdout).not.toMatch(/\d{12,}/);
    expect(run.stdout).not.toMatch(/eyJ/);
    expect(findPans(run.stdout)).toEqual([]);
    const info = personalInformation();
    for (const value of [info.email, info.firstName, info.lastName, info.mobilePhoneNumber.phoneNumber, info.residencyAddress.line1])
      expect(run.stdout).not.toContain(value);
    expect(ruleIds(sim.results(), 'FAILED')).toEqual([]);
  });

  it('runs a broken variant named by D1_CLIENT_VARIANT and exits 1 when D1 refuses a step', async () => {
    const mark = sim.results().length;
    const run = await runMain({ ...vars, D1_CLIENT_VARIANT: 'reason-punctuation' });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('variant reason-punctuation (breaks IN-CON-007)');
    expect(run.stdout).toContain('deleteConsumer 400 refused (FIELD_INVALID_FORMAT)');
    expect(ruleIds(sim.results().slice(mark), 'FAILED')).toEqual(['IN-CON-007']);
  });

  it('exits 2 with one line on stderr, no stack trace, when a variable is missing', async () => {
    const { D1_TOKEN_URL: _gone, ...rest } = vars;
    const run = await runMain(rest);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('d1-reference-client: D1_TOKEN_URL is not set\n');
  });

  it('exits 2 naming the variable, without the key, when a key file holds no private key', async () => {
    const run = await runMain({ ...vars, ISSUER_SIGNING_KEY: join(dir, 'd1-jwe.json') });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('d1-reference-client: ISSUER_SIGNING_KEY: the JWK has no private part (d)\n');
    expect(run.stderr).not.toContain(String(sim.jwePublicJwk.x));
  });
});
