import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { pactsCommand } from '../../src/cli/commands/pact-commands.js';
import { D1_TO_ISSUER } from '../../src/core/pact/interactions.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/** The pact commands in-process through main(): `pacts`, `verify-pacts`, the pact step of `run`, the broker flags. */

const tmp = () => mkdtempSync(join(tmpdir(), 'd1c-pact-cli-'));
const readReport = (dir: string) => Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
const NO_TOKEN = { PACT_BROKER_TOKEN: '' };

/** Runs `fn` with PACT_BROKER_TOKEN set to `token` (or unset), and no basic-auth variables, restoring them after. */
async function withToken<T>(token: string | undefined, fn: () => Promise<T>): Promise<T> {
  const names = ['PACT_BROKER_TOKEN', 'PACT_BROKER_USERNAME', 'PACT_BROKER_PASSWORD'] as const;
  const saved = names.map((n) => [n, process.env[n]] as const);
  for (const n of names) Reflect.deleteProperty(process.env, n);
  if (token !== undefined) process.env.PACT_BROKER_TOKEN = token;
  try {
    return await fn();
  } finally {
    for (const [n, v] of saved) {
      if (v === undefined) Reflect.deleteProperty(process.env, n);
      else process.env[n] = v;
    }
  }
}

/** `pacts` in-process, its output captured (no process to spawn). */
async function pacts(args: readonly string[], token?: string): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await withToken(token, () => pactsCommand(args, { out: (t) => out.push(t), err: (t) => err.push(t) }));
  return { code, out, err };
}

/** The CLI's `main` in-process: how a refusal reaches the user (one line on stderr, exit 2). */
async function refusal(argv: readonly string[], token?: string): Promise<{ code: number; err: string[] }> {
  const err: string[] = [];
  const code = await withToken(token, () =>
    main(
      argv,
      () => undefined,
      (t) => err.push(t),
    ),
  );
  return { code, err };
}

describe('d1-conformance pacts', () => {
  it('writes both pact files and says the broker is not configured', { timeout: 60_000 }, async () => {
    const out = tmp();
    const { code, out: stdout, err } = await pacts(['--out', out]);
    expect(code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['D1-issuer-backend.json', 'issuer-backend-D1.json']);
    expect(stdout).toEqual([join(out, 'D1-issuer-backend.json'), join(out, 'issuer-backend-D1.json')]);
    expect(err).toContain('pact broker: not configured (no --broker-url), pacts not published');
  });

  it(
    'with --broker-url and no broker there: the files are written, then one line naming the broker, exit 2, never the token',
    { timeout: 60_000 },
    async () => {
      // Publishing for real is test/pact/broker.test.ts (a broker on 127.0.0.1); port 9 has nothing.
      const out = tmp();
      const { code, err } = await pacts(['--out', out, '--broker-url', 'http://127.0.0.1:9'], 'broker-secret-token-1');
      expect(code).toBe(2);
      expect(readdirSync(out).sort()).toEqual(['D1-issuer-backend.json', 'issuer-backend-D1.json']);
      expect(err.filter((l) => !l.startsWith('pacts: '))).toEqual([
        'd1-conformance pacts: pact broker http://127.0.0.1:9 could not be reached (GET /): connection refused',
      ]);
      expect(err.join('\n')).not.toContain('broker-secret-token-1');
    },
  );

  it('refuses a missing --out, a bad broker URL and a broker without a token, with one line and exit 2', async () => {
    const results = [
      await refusal(['pacts']),
      await refusal(['pacts', '--out', tmp(), '--broker-url', 'not a url']),
      await refusal(['pacts', '--out', tmp(), '--broker-url', 'http://127.0.0.1:9']),
    ];
    expect(results.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(results.map((r) => r.err)).toEqual([
      ['d1-conformance pacts: --out DIR is required (e.g. --out contracts/pacts)'],
      ['d1-conformance pacts: --broker-url must be an http(s) URL; got "not a url"'],
      [
        "d1-conformance pacts: --broker-url needs the broker's credentials in the environment: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD",
      ],
    ]);
  });
});

describe('d1-conformance verify-pacts', () => {
  it('exits 1 against consumer-info-bad-language, naming OUT-CI-009 and the interaction', { timeout: 60_000 }, async () => {
    const out = tmp();
    // A broker URL in the environment alone must not make the verifier fetch from a broker (port 9: nothing there).
    const { code, stdout, stderr } = await runMain(['verify-pacts', '--variant', 'consumer-info-bad-language', '--out', out], {
      env: { ...NO_TOKEN, PACT_BROKER_BASE_URL: 'http://127.0.0.1:9' },
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      'OUT-CI-009 issuer.getConsumerInfo "pact: a request for the information of a known consumer": body.language must be a string matching LANGUAGE',
    );
    expect(stderr).toContain('pact verification: 13 interactions, 2 failed, 0 skipped');
    expect(stderr).toContain('pact broker: not configured (no --broker-url), verification results not published');
    const report = readReport(out);
    expect(report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['OUT-CI-009']);
    expect(report.errors).toEqual([]);
  });

  it('refuses bad broker and state flags before starting anything (no broker is called)', async () => {
    const results = [
      await refusal(['verify-pacts', '--broker-url', 'nope']),
      await refusal(['verify-pacts', '--broker-url', 'http://127.0.0.1:9'], 't'),
      await refusal(['verify-pacts', '--broker-url', 'http://127.0.0.1:9', '--provider-version', '1.0.0']),
      await refusal(['verify-pacts', '--provider-version', '1.0.0']),
      await refusal(['verify-pacts', '--provider-states-url', 'states']),
      await refusal(['run', '--broker-url', 'http://127.0.0.1:9', '--provider-version', '1.0.0']),
    ];
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(results.map((r) => r.err)).toEqual([
      ['d1-conformance verify-pacts: --broker-url must be an http(s) URL; got "nope"'],
      ['d1-conformance verify-pacts: --broker-url needs --provider-version (the version of the issuer backend being verified, e.g. its git SHA)'],
      [
        "d1-conformance verify-pacts: --broker-url needs the broker's credentials in the environment: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD",
      ],
      ['d1-conformance verify-pacts: --provider-version needs --broker-url'],
      ['d1-conformance verify-pacts: --provider-states-url must be an http(s) URL; got "states"'],
      [
        "d1-conformance run: --broker-url needs the broker's credentials in the environment: PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD",
      ],
    ]);
  });
});

describe('the pact step of d1-conformance run', () => {
  it('puts PASSED pact results for every interaction in the run report (the first shard carries them)', { timeout: 120_000 }, async () => {
    const out = tmp();
    const { code, stderr } = await runMain(['run', '--shard', '1/9', '--runs', '1', '--out', out, '--seed', '7'], { env: NO_TOKEN });
    expect(code).toBe(0);
    // No endpoint stopped: the verification run alongside the suites is the one kept.
    expect(stderr).toContain('pact verification (alongside the suites): 13 interactions, 0 failed, 0 skipped');
    const report = readReport(out);
    const pact = report.results.filter((r) => r.case.startsWith('pact: '));
    expect(new Set(pact.map((r) => r.case))).toEqual(new Set(D1_TO_ISSUER.interactions.map((i) => `pact: ${i.description}`)));
    expect(pact.every((r) => r.status === 'PASSED')).toBe(true);
    expect(report.summary.cases.FAILED).toBe(0);
  });
});
