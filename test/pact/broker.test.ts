import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RULEBOOK_VERSION } from '../../contracts/version.js';
import { Report } from '../../src/core/results/model.js';
import { brokerVerifierOptions } from '../../src/server-side/pact/broker-options.js';
import { verificationBroker } from '../../src/server-side/pact/broker.js';
import { httpStatusIn } from '../../src/server-side/pact/verify.js';
import { runMain, type CliResult } from '../cli/run-cli.js';
import { startFakeBroker, type FakeBroker } from './fake-broker.js';

/**
 * The Pact Broker as Pact users expect it (issue 14): token or basic auth from the Pact CLI's
 * environment variables, consumer version selectors, pending and WIP pacts, the pacts published
 * by `pacts --broker-url`, and a broker that fails being one line and exit 2. Every broker here
 * is a real HTTP server on 127.0.0.1; every command runs in-process through main().
 */

const TOKEN = 'tok-canary-7f3a9c21e5';
const USER = 'ci-publisher';
const PASSWORD = 'pw-canary-51ce08d4b2';
const BASIC = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
/** Every broker variable unset: a test sets the ones it means. */
const NO_CREDENTIALS = { PACT_BROKER_TOKEN: undefined, PACT_BROKER_USERNAME: undefined, PACT_BROKER_PASSWORD: undefined, PACT_BROKER_BASE_URL: undefined };
const WITH_TOKEN = { ...NO_CREDENTIALS, PACT_BROKER_TOKEN: TOKEN };
const WITH_BASIC = { ...NO_CREDENTIALS, PACT_BROKER_USERNAME: USER, PACT_BROKER_PASSWORD: PASSWORD };

const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-broker-'));
const lines = (text: string) => text.split('\n').filter((l) => l !== '');
const brokers: FakeBroker[] = [];
async function broker(options: Parameters<typeof startFakeBroker>[0] = {}): Promise<FakeBroker> {
  const b = await startFakeBroker(options);
  brokers.push(b);
  return b;
}
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.close()));
});

/** Every file under `dir`, as text (the reports). */
function filesText(dir: string): string {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

/** Neither secret, nor the basic credentials, anywhere the user or a report can see. */
function expectNoSecrets(result: CliResult, out?: string): void {
  const seen = [result.stdout, result.stderr, out !== undefined ? filesText(out) : ''].join('\n');
  for (const secret of [TOKEN, PASSWORD, BASIC.slice('Basic '.length)]) expect(seen).not.toContain(secret);
}

const forVerification = (b: FakeBroker) => b.calls.find((c) => c.method === 'POST' && c.path.endsWith('/for-verification'));
const resultsPublished = (b: FakeBroker) => b.calls.filter((c) => c.method === 'POST' && c.path === '/pacts/1/verification-results');

describe('broker flags and credentials, refused before anything starts (one line, exit 2)', () => {
  const url = 'http://127.0.0.1:9';
  const verify = ['verify-pacts', '--broker-url', url, '--provider-version', '1.2.3'];
  it.each([
    [
      'a token and basic auth both',
      verify,
      { ...WITH_BASIC, PACT_BROKER_TOKEN: TOKEN },
      'd1-conformance verify-pacts: set either PACT_BROKER_TOKEN or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD for the broker, not both',
    ],
    [
      'a user name without its password',
      verify,
      { ...NO_CREDENTIALS, PACT_BROKER_USERNAME: USER },
      'd1-conformance verify-pacts: PACT_BROKER_USERNAME is set but PACT_BROKER_PASSWORD is not: basic auth to the broker needs both',
    ],
    [
      'a password without its user name',
      ['pacts', '--out', '/nonexistent/never-written', '--broker-url', url],
      { ...NO_CREDENTIALS, PACT_BROKER_PASSWORD: PASSWORD },
      'd1-conformance pacts: PACT_BROKER_PASSWORD is set but PACT_BROKER_USERNAME is not: basic auth to the broker needs both',
    ],
    [
      'no credentials at all',
      ['run', '--broker-url', url, '--provider-version', '1.2.3'],
      NO_CREDENTIALS,
      "d1-conformance run: --broker-url needs the broker's credentials in the environment: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD",
    ],
    [
      'a password in the broker URL (a flag)',
      ['pacts', '--out', '/nonexistent/never-written', '--broker-url', `http://${USER}:${PASSWORD}@127.0.0.1:9`],
      WITH_TOKEN,
      'd1-conformance pacts: --broker-url must not carry a user or password; set PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD (or PACT_BROKER_TOKEN) instead',
    ],
    [
      'selectors that are not JSON',
      [...verify, '--consumer-version-selectors', '{mainBranch:true}'],
      WITH_TOKEN,
      /^d1-conformance verify-pacts: --consumer-version-selectors must be a JSON array, e\.g\. '\[\{"mainBranch":true\},\{"deployedOrReleased":true\}\]'; got invalid JSON \(.+\)$/,
    ],
    [
      'a selector with an unknown key',
      [...verify, '--consumer-version-selectors', '[{"mainbranch":true}]'],
      WITH_TOKEN,
      /^d1-conformance verify-pacts: --consumer-version-selectors: selector 1: unknown key "mainbranch" \(known: mainBranch, branch, .*\)$/,
    ],
    [
      'a selector with a wrong value',
      [...verify, '--consumer-version-selectors', '[{"mainBranch":true},{"deployedOrReleased":"yes"}]'],
      WITH_TOKEN,
      /^d1-conformance verify-pacts: --consumer-version-selectors: selector 2, deployedOrReleased: /,
    ],
    [
      'an object instead of an array',
      [...verify, '--consumer-version-selectors', '{"mainBranch":true}'],
      WITH_TOKEN,
      `d1-conformance verify-pacts: --consumer-version-selectors must be a JSON array, e.g. '[{"mainBranch":true},{"deployedOrReleased":true}]'`,
    ],
    [
      'WIP pacts without pending pacts',
      [...verify, '--provider-branch', 'main', '--include-wip-pacts-since', '2026-01-01'],
      WITH_TOKEN,
      'd1-conformance verify-pacts: --include-wip-pacts-since needs --enable-pending (work-in-progress pacts are verified as pending)',
    ],
    [
      'WIP pacts without a provider branch',
      [...verify, '--enable-pending', '--include-wip-pacts-since', '2026-01-01'],
      WITH_TOKEN,
      'd1-conformance verify-pacts: --include-wip-pacts-since needs --provider-branch (the broker finds the WIP pacts of that branch)',
    ],
    [
      'a WIP date that is no date',
      [...verify, '--enable-pending', '--include-wip-pacts-since', '2026-02-30'],
      WITH_TOKEN,
      'd1-conformance verify-pacts: --include-wip-pacts-since must be a date, YYYY-MM-DD; got "2026-02-30"',
    ],
    ['pending pacts without a broker', ['verify-pacts', '--enable-pending'], WITH_TOKEN, 'd1-conformance verify-pacts: --enable-pending needs --broker-url'],
    [
      'selectors without a broker',
      ['run', '--consumer-version-selectors', '[{"mainBranch":true}]'],
      WITH_TOKEN,
      'd1-conformance run: --consumer-version-selectors needs --broker-url',
    ],
    [
      'a consumer branch without a broker',
      ['pacts', '--out', '/nonexistent/never-written', '--consumer-branch', 'main'],
      WITH_TOKEN,
      'd1-conformance pacts: --consumer-branch needs --broker-url',
    ],
  ] as const)('%s', async (_, argv, env, line) => {
    const result = await runMain(argv, { env });
    expect(result.code).toBe(2);
    expect(lines(result.stderr)).toEqual([typeof line === 'string' ? line : expect.stringMatching(line)]);
    expect(result.stdout).toBe('');
    expectNoSecrets(result);
  });
});

describe("the Pact Verifier's broker options", () => {
  const flags = { 'broker-url': 'https://broker.example/', 'provider-version': 'abc123', 'provider-branch': 'feat-x' };

  it('basic auth from PACT_BROKER_USERNAME / PACT_BROKER_PASSWORD, never a token alongside', () => {
    const settings = verificationBroker(flags, { PACT_BROKER_USERNAME: USER, PACT_BROKER_PASSWORD: PASSWORD });
    expect(settings).toEqual({ url: 'https://broker.example', username: USER, password: PASSWORD, providerVersion: 'abc123', branch: 'feat-x' });
    const options = settings ? brokerVerifierOptions(settings) : {};
    expect(options).toMatchObject({ pactBrokerUrl: 'https://broker.example', pactBrokerUsername: USER, pactBrokerPassword: PASSWORD });
    expect(options).not.toHaveProperty('pactBrokerToken');
  });

  it('selectors, pending and WIP pacts passed through; the default selectors otherwise', () => {
    const settings = verificationBroker(
      { ...flags, 'consumer-version-selectors': '[{"branch":"feat-x"},{"mainBranch":true}]', 'enable-pending': true, 'include-wip-pacts-since': '2026-01-01' },
      { PACT_BROKER_TOKEN: TOKEN },
    );
    expect(settings ? brokerVerifierOptions(settings) : {}).toMatchObject({
      pactBrokerToken: TOKEN,
      consumerVersionSelectors: [{ branch: 'feat-x' }, { mainBranch: true }],
      enablePending: true,
      includeWipPactsSince: '2026-01-01',
      providerVersionBranch: 'feat-x',
    });
    const plain = verificationBroker(flags, { PACT_BROKER_TOKEN: TOKEN });
    expect(plain ? brokerVerifierOptions(plain) : {}).toMatchObject({ consumerVersionSelectors: [{ mainBranch: true }, { deployedOrReleased: true }] });
    // An empty variable is no credential (CI systems set unset secrets to "").
    expect(verificationBroker(flags, { PACT_BROKER_TOKEN: '', PACT_BROKER_USERNAME: USER, PACT_BROKER_PASSWORD: PASSWORD })).toMatchObject({ username: USER });
  });
});

describe("the HTTP status in the verifier's broker messages", () => {
  it('is the status with its reason phrase, never a port or a number in a path', () => {
    expect(
      httpStatusIn("IO Error - Request to pact broker path '/pacts/1/verification-results' failed: 500 Internal Server Error. URL: 'http://127.0.0.1:40413'"),
    ).toBe(' (HTTP 500 Internal Server Error)');
    expect(httpStatusIn("Request to pact broker path '/' failed: 404 Not Found. URL: 'http://127.0.0.1:404'")).toBe(' (HTTP 404 Not Found)');
    expect(httpStatusIn('failed validation - ["consumerVersionSelectors: is not a valid selector"]')).toBe(' (HTTP 400 Bad Request)');
    expect(httpStatusIn('error sending request for url (http://127.0.0.1:450/pacts/403 Foo)')).toBe('');
    expect(httpStatusIn('Failed to access pact broker path - error sending request')).toBe('');
  });
});

describe('verify-pacts with a Pact Broker (a real one on 127.0.0.1)', () => {
  it(
    'sends the token as a bearer, and the selectors, pending and WIP settings in the pacts-for-verification request; never prints the token',
    { timeout: 90_000 },
    async () => {
      const b = await broker({ authorization: `Bearer ${TOKEN}` });
      const out = tmp();
      const selectors = [{ branch: 'feat-x' }, { mainBranch: true }, { deployedOrReleased: true, environment: 'production' }];
      const result = await runMain(
        [
          'verify-pacts',
          ...['--broker-url', b.url, '--provider-version', '1.2.3', '--provider-branch', 'feat-x'],
          ...['--consumer-version-selectors', JSON.stringify(selectors), '--enable-pending', '--include-wip-pacts-since', '2026-01-01'],
          ...['--out', out],
        ],
        { env: WITH_TOKEN },
      );
      expect(result.stderr).toContain(`pact broker: verification results sent to ${b.url} (provider version 1.2.3)`);
      expect(result.code).toBe(0);
      expect(b.calls.length).toBeGreaterThan(3);
      expect(new Set(b.calls.map((c) => c.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
      expect(JSON.parse(forVerification(b)?.body ?? '{}')).toEqual({
        consumerVersionSelectors: selectors,
        includePendingStatus: true,
        includeWipPactsSince: '2026-01-01',
        providerVersionBranch: 'feat-x',
      });
      expect(resultsPublished(b)).toHaveLength(1);
      expect(JSON.parse(resultsPublished(b)[0]?.body ?? '{}')).toMatchObject({ success: true, providerApplicationVersion: '1.2.3' });
      expect(b.calls.some((c) => c.method === 'PUT' && c.path === '/pacticipants/issuer-backend/branches/feat-x/versions/1.2.3')).toBe(true);
      expectNoSecrets(result, out);
    },
  );

  it(
    'sends basic auth from PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD, with the default selectors; never prints the password',
    { timeout: 90_000 },
    async () => {
      const b = await broker({ authorization: BASIC });
      const out = tmp();
      const result = await runMain(['verify-pacts', '--broker-url', b.url, '--provider-version', '1.2.3', '--out', out], { env: WITH_BASIC });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`pact broker: verification results sent to ${b.url} (provider version 1.2.3)`);
      expect(new Set(b.calls.map((c) => c.authorization))).toEqual(new Set([BASIC]));
      const body = JSON.parse(forVerification(b)?.body ?? '{}') as Record<string, unknown>;
      expect(body.consumerVersionSelectors).toEqual([{ mainBranch: true }, { deployedOrReleased: true }]);
      expect(body).not.toHaveProperty('includeWipPactsSince');
      expect(resultsPublished(b)).toHaveLength(1);
      expectNoSecrets(result, out);
    },
  );

  it('a failing pending pact is a warning, not a failure: the gate passes and the results are still published', { timeout: 90_000 }, async () => {
    const b = await broker({ authorization: `Bearer ${TOKEN}`, pending: true });
    const out = tmp();
    const result = await runMain(
      [
        'verify-pacts',
        '--variant',
        'consumer-info-bad-language',
        '--broker-url',
        b.url,
        '--provider-version',
        '1.2.3',
        '--enable-pending',
        '--out',
        out,
        '--report',
        'json',
      ],
      { env: WITH_TOKEN },
    );
    expect(result.code).toBe(0);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.rules.filter((r) => r.status === 'FAILED')).toEqual([]);
    const warned = report.results.filter((r) => r.ruleId === 'OUT-CI-009' && r.status === 'WARNING');
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]?.message).toMatch(/^pending pact, does not fail the gate \(--enable-pending\): body\.language must be a string matching LANGUAGE/);
    expect(JSON.parse(forVerification(b)?.body ?? '{}')).toMatchObject({ includePendingStatus: true });
    expect(resultsPublished(b)).toHaveLength(1);
    expect(JSON.parse(resultsPublished(b)[0]?.body ?? '{}')).toMatchObject({ success: false });
  });

  it('a broker refusing the credentials (401): one line naming it and the status, exit 2, INCOMPLETE, nothing verified', { timeout: 60_000 }, async () => {
    const b = await broker({ authorization: 'Bearer another-token' });
    const out = tmp();
    const result = await runMain(['verify-pacts', '--broker-url', b.url, '--provider-version', '1.2.3', '--out', out, '--report', 'json'], { env: WITH_TOKEN });
    expect(result.code).toBe(2);
    const said = `pact broker: FAILED, verification results not sent to ${b.url} (provider version 1.2.3): the broker answered HTTP 401 Unauthorized to GET / (the broker refused PACT_BROKER_TOKEN): Authentication required`;
    expect(lines(result.stderr).filter((l) => l.startsWith('pact broker'))).toEqual([said]);
    expect(result.stderr + result.stdout).not.toContain('results sent');
    expect(result.stderr + result.stdout).not.toMatch(/\n\s+at /);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.errors).toEqual([
      `pact broker ${b.url} answered HTTP 401 Unauthorized to GET / (the broker refused PACT_BROKER_TOKEN): Authentication required`,
    ]);
    // Only the index was asked: no pact was fetched, nothing published.
    expect(b.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /']);
    expectNoSecrets(result, out);
  });

  it('run, with a broker refusing the credentials: said in one line before the suites, exit 2, nothing run, no report', { timeout: 120_000 }, async () => {
    const b = await broker({ authorization: 'Bearer another-token' });
    const out = tmp();
    const result = await runMain(
      ['run', '--shard', '1/9', '--runs', '1', '--seed', '7', '--broker-url', b.url, '--provider-version', '1.2.3', '--out', out, '--report', 'json'],
      { env: WITH_TOKEN },
    );
    expect(result.code).toBe(2);
    expect(lines(result.stderr).filter((l) => !l.startsWith('d1-conformance run: http'))).toEqual([
      `d1-conformance run: pact broker ${b.url} answered HTTP 401 Unauthorized to GET / (the broker refused PACT_BROKER_TOKEN): Authentication required; nothing was run, no report written`,
    ]);
    expect(result.stderr).not.toMatch(/^start /m);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(b.calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /']);
    expectNoSecrets(result, out);
  });

  it("the pacts-for-verification request refused (400): the pacts not loaded, exit 2, with the broker's reason", { timeout: 60_000 }, async () => {
    const b = await broker({ pactsForVerification: 400 });
    const out = tmp();
    const result = await runMain(
      [
        'verify-pacts',
        '--broker-url',
        b.url,
        '--provider-version',
        '1.2.3',
        '--consumer-version-selectors',
        '[{"tag":"prod"}]',
        '--out',
        out,
        '--report',
        'json',
      ],
      { env: WITH_TOKEN },
    );
    expect(result.code).toBe(2);
    const line = lines(result.stderr).find((l) => l.startsWith('pact broker'));
    // The verifier reports a 400 by the broker's validation errors (only a 400 gives them).
    expect(line).toBe(
      `pact broker: FAILED, verification results not sent to ${b.url} (provider version 1.2.3): the pacts could not be loaded (HTTP 400 Bad Request): No pacts found for provider 'issuer-backend' matching the given consumer version selectors in pact broker '${b.url}': failed validation - ["consumerVersionSelectors: is not a valid selector"]`,
    );
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.summary.verdict).toBe('INCOMPLETE');
    expect(report.errors).toEqual([
      expect.stringMatching(new RegExp(`^pact verification could not load the pacts from pact broker ${b.url}: No pacts found .*failed validation`)),
    ]);
    expect(resultsPublished(b)).toEqual([]);
    expectNoSecrets(result, out);
  });

  it('results the broker would not take (500): exit 2, INCOMPLETE, the status named, never "sent"', { timeout: 90_000 }, async () => {
    const b = await broker({ authorization: BASIC, verificationResults: 500 });
    const out = tmp();
    const result = await runMain(['verify-pacts', '--broker-url', b.url, '--provider-version', '1.2.3', '--out', out, '--report', 'json'], { env: WITH_BASIC });
    expect(result.code).toBe(2);
    // The verifier tries again (3 attempts) before giving up.
    expect(resultsPublished(b).length).toBeGreaterThan(0);
    expect(lines(result.stderr).filter((l) => l.startsWith('pact broker'))).toEqual([
      expect.stringMatching(
        new RegExp(
          `^pact broker: FAILED, verification results not sent to ${b.url} \\(provider version 1\\.2\\.3\\): publishing the verification results failed \\(HTTP 500 Internal Server Error\\): `,
        ),
      ),
    ]);
    expect(result.stderr + result.stdout).not.toContain('results sent');
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.summary.verdict).toBe('INCOMPLETE');
    // The verification itself passed: the broker step is what failed.
    expect(report.rules.filter((r) => r.status === 'FAILED')).toEqual([]);
    expectNoSecrets(result, out);
  });
});

describe('pacts --broker-url publishes the generated pacts (a real broker on 127.0.0.1)', () => {
  it("POSTs D1's pact (D1 -> issuer-backend, not the bank's own issuer-backend -> D1) to the publish-contracts endpoint, as the rulebook version on the branch, with the token", { timeout: 90_000 }, async () => {
    const b = await broker({ authorization: `Bearer ${TOKEN}` });
    const out = tmp();
    const result = await runMain(['pacts', '--out', out, '--broker-url', b.url, '--consumer-branch', 'release-2026'], { env: WITH_TOKEN });
    expect(result.code).toBe(0);
    expect(lines(result.stderr)).toContain(
      `pact broker: published D1 -> issuer-backend to ${b.url} (version ${RULEBOOK_VERSION}, branch release-2026)`,
    );
    const posts = b.calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.path)).toEqual(['/contracts/publish']);
    expect(new Set(b.calls.map((c) => c.authorization))).toEqual(new Set([`Bearer ${TOKEN}`]));
    const bodies = posts.map((c) => JSON.parse(c.body) as { contracts: { content: string }[] });
    const files = ['D1-issuer-backend.json'];
    expect(bodies).toEqual(
      [['D1', 'issuer-backend']].map(([consumer, provider], i) => ({
        pacticipantName: consumer,
        pacticipantVersionNumber: RULEBOOK_VERSION,
        branch: 'release-2026',
        contracts: [
          {
            consumerName: consumer,
            providerName: provider,
            specification: 'pact',
            contentType: 'application/json',
            content: Buffer.from(readFileSync(join(out, files[i] ?? ''))).toString('base64'),
          },
        ],
      })),
    );
    expect(posts.every((c) => c.headers['content-type'] === 'application/json')).toBe(true);
    expectNoSecrets(result);
  });

  it('publishes on main by default, with basic auth', { timeout: 90_000 }, async () => {
    const b = await broker({ authorization: BASIC });
    const result = await runMain(['pacts', '--out', tmp(), '--broker-url', `${b.url}/`], { env: WITH_BASIC });
    expect(result.code).toBe(0);
    const posts = b.calls.filter((c) => c.method === 'POST').map((c) => JSON.parse(c.body) as { branch: string });
    expect(posts.map((p) => p.branch)).toEqual(['main']);
    expect(new Set(b.calls.map((c) => c.authorization))).toEqual(new Set([BASIC]));
    expectNoSecrets(result);
  });

  it('a broker refusing the token (401): one line naming it and the status, exit 2, nothing published', { timeout: 90_000 }, async () => {
    const b = await broker({ authorization: 'Bearer another-token' });
    const result = await runMain(['pacts', '--out', tmp(), '--broker-url', b.url], { env: WITH_TOKEN });
    expect(result.code).toBe(2);
    expect(lines(result.stderr).filter((l) => !l.startsWith('pacts: '))).toEqual([
      `d1-conformance pacts: pact broker ${b.url} answered HTTP 401 Unauthorized to GET / (the broker refused PACT_BROKER_TOKEN): Authentication required`,
    ]);
    expect(b.calls.filter((c) => c.method === 'POST')).toEqual([]);
    expectNoSecrets(result);
  });

  it('a publish the broker refuses (409), or a broker down (500), or none there: one line with the status, exit 2', { timeout: 120_000 }, async () => {
    const refusing = await broker({ publishContracts: 409 });
    const down = await broker({ everything: 503 });
    const gone = await broker();
    await gone.close();
    const expected = [
      [
        refusing.url,
        `d1-conformance pacts: pact broker ${refusing.url} answered HTTP 409 Conflict to POST /contracts/publish: {"contracts":["refused"]}; the D1 -> issuer-backend pact was not published`,
      ],
      [down.url, `d1-conformance pacts: pact broker ${down.url} answered HTTP 503 Service Unavailable to GET /: broker down`],
      [gone.url, `d1-conformance pacts: pact broker ${gone.url} could not be reached (GET /): connection refused`],
    ] as const;
    for (const [url, line] of expected) {
      const result = await runMain(['pacts', '--out', tmp(), '--broker-url', url], { env: WITH_TOKEN });
      expect(result.code).toBe(2);
      expect(lines(result.stderr).filter((l) => !l.startsWith('pacts: '))).toEqual([line]);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expectNoSecrets(result);
    }
  });
});
