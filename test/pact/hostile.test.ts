import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startReferenceIssuer, type IssuerVariant } from '../../fixtures/reference-issuer/index.js';
import { parseConfig } from '../../src/core/config/load-config.js';
import { main } from '../../src/cli/main.js';
import { ISSUER_PACT_FILE, verifyIssuerPacts } from '../../src/server-side/pact/verify.js';
import { verifyPactsStep } from '../../src/server-side/pact/verify-step.js';
import { Report } from '../../src/core/results/model.js';
import { startReferenceTarget } from '../../src/cli/reference-target.js';

/** These tests restart the reference issuer over plain http with the target's configuration (mutual TLS: test/run/mtls-run.test.ts). */
const PLAIN = { mtls: false };

/**
 * The pact verification against a hostile target: a redirect is a finding, never followed (the
 * verifier would re-send the request body, an OTP request here, to wherever the target points).
 * A Pact Broker that cannot be reached or answers an error fails the verification (the run's
 * errors: INCOMPLETE, exit 2); results are never said to be sent.
 */

/** A server on 127.0.0.1 that only counts the requests it gets: the place a redirect points to. */
async function recorder(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

describe('pact verification against a target that redirects', () => {
  it('never follows the redirect (the other port gets nothing) and fails the interaction naming the redirect', { timeout: 60_000 }, async () => {
    const elsewhere = await recorder();
    const redirecting: IssuerVariant = {
      id: 'test-otp-redirect',
      ruleId: 'OUT-OTP-001',
      description: 'Deliver OTP answers 307 to another port (method and body preserved)',
      hooks: {
        rewrite: (reply, request) =>
          request.endpoint === 'issuer.deliverOtp' ? { status: 307, headers: { location: `${elsewhere.url}/collect?otp=123456` }, body: { type: 'none' } } : reply,
      },
    };
    const target = await startReferenceTarget(undefined, PLAIN);
    await target.issuer.close();
    const issuer = await startReferenceIssuer({ variant: redirecting, clientSecret: target.issuer.clientSecret });
    try {
      const config = parseConfig({ ...target.config, target: { baseUrl: issuer.baseUrl, issuerId: issuer.issuerId } });
      const outcome = await verifyIssuerPacts(config);
      expect(elsewhere.calls).toEqual([]);
      expect(outcome.errors).toEqual([]);
      const failed = outcome.results.filter((r) => r.status === 'FAILED');
      expect([...new Set(failed.map((r) => r.ruleId))]).toEqual(['OUT-OTP-001']);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) {
        expect(f.endpoint).toBe('issuer.deliverOtp');
        expect(f.message).toBe(`the target answered 307 redirect to ${elsewhere.url}; redirects are not followed`);
      }
      // The origin only: neither the path nor the query (an OTP value) of the Location is repeated.
      expect(JSON.stringify(outcome.results)).not.toContain('otp=123456');
      expect(JSON.stringify(outcome.results)).not.toContain('/collect');
      // Every other interaction still passed.
      expect(outcome.results.filter((r) => r.endpoint !== 'issuer.deliverOtp').every((r) => r.status === 'PASSED')).toBe(true);
    } finally {
      await issuer.close();
      await new Promise((resolve) => elsewhere.server.close(resolve));
    }
  });
});

describe("the issuer's own state-change URL redirecting", () => {
  it('is never followed (the other port gets nothing): an error of the run naming the redirect', { timeout: 60_000 }, async () => {
    const elsewhere = await recorder();
    const states = createServer((req, res) => {
      req.resume();
      res.writeHead(308, { location: `${elsewhere.url}/states?consumerId=cons-secret` }).end();
    });
    await new Promise<void>((resolve) => states.listen(0, '127.0.0.1', resolve));
    const target = await startReferenceTarget(undefined, PLAIN);
    try {
      // Two interactions with a provider state are enough to show the redirect is refused and named
      // once: each interaction's refused state change costs the verifier about a second (13: ~15 s).
      const pact = JSON.parse(readFileSync(ISSUER_PACT_FILE, 'utf8')) as { interactions: { providerStates?: unknown[] }[] };
      const stateful = pact.interactions.filter((i) => (i.providerStates ?? []).length > 0).slice(0, 2);
      expect(stateful).toHaveLength(2);
      const pactFile = join(mkdtempSync(join(tmpdir(), 'd1c-pact-hostile-')), 'pact.json');
      writeFileSync(pactFile, JSON.stringify({ ...pact, interactions: stateful }));
      const outcome = await verifyIssuerPacts(parseConfig(target.config), {
        pactFile,
        providerStatesUrl: `http://127.0.0.1:${String((states.address() as AddressInfo).port)}/pact/states`,
      });
      expect(elsewhere.calls).toEqual([]);
      expect(outcome.errors).toEqual([`the provider-state URL answered 308 redirect to ${elsewhere.url}; redirects are not followed`]);
      expect(JSON.stringify(outcome)).not.toContain('cons-secret');
    } finally {
      await target.issuer.close();
      await Promise.all([states, elsewhere.server].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});

/** A port on 127.0.0.1 nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A Pact Broker that answers 500 to everything, counting the calls. */
async function failingBroker(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"broker down"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls };
}

/**
 * A minimal Pact Broker serving the committed D1 -> issuer pact (index, pacts-for-verification,
 * the pact) and answering `publishStatus` to the published verification results.
 */
async function pactBroker(publishStatus: number): Promise<{ server: Server; url: string; published: string[] }> {
  const pact = JSON.parse(readFileSync(ISSUER_PACT_FILE, 'utf8')) as Record<string, unknown>;
  const published: string[] = [];
  let base = '';
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const hal = (status: number, value: unknown) => res.writeHead(status, { 'content-type': 'application/hal+json' }).end(JSON.stringify(value));
      const url = req.url ?? '/';
      if (url === '/') return hal(200, { _links: { 'pb:provider-pacts-for-verification': { href: `${base}/pacts/provider/{provider}/for-verification`, templated: true } } });
      if (url.endsWith('/for-verification') && req.method === 'GET') return hal(200, { _links: { self: { href: `${base}${url}` } } });
      if (url.endsWith('/for-verification'))
        return hal(200, { _embedded: { pacts: [{ shortDescription: 'main', verificationProperties: { notices: [], pending: false }, _links: { self: { href: `${base}/pacts/1`, name: 'D1' } } }] } });
      if (url === '/pacts/1') return hal(200, { ...pact, _links: { 'pb:publish-verification-results': { href: `${base}/pacts/1/verification-results` } } });
      if (url === '/pacts/1/verification-results' && req.method === 'POST') {
        published.push(body);
        return hal(publishStatus, publishStatus < 300 ? { _links: {} } : { error: 'broker down' });
      }
      return hal(404, { error: 'not found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url: base, published };
}

describe('pact verification with a Pact Broker that fails', () => {
  it('says results were sent only when the broker took them; a failed publish is an error of the run', { timeout: 60_000 }, async () => {
    const [taking, refusing] = await Promise.all([pactBroker(201), pactBroker(500)]);
    const target = await startReferenceTarget(undefined, PLAIN);
    try {
      const config = parseConfig(target.config);
      const step = async (url: string) => {
        const lines: string[] = [];
        const outcome = await verifyPactsStep(config, { broker: { url, token: 'broker-token-canary', providerVersion: '1.2.3' } }, { err: (t) => lines.push(t) });
        return { outcome, lines };
      };
      const ok = await step(taking.url);
      expect(ok.outcome.errors).toEqual([]);
      expect(ok.outcome.results.length).toBeGreaterThan(0);
      expect(ok.outcome.results.every((r) => r.status === 'PASSED')).toBe(true);
      expect(ok.lines.at(-1)).toBe(`pact broker: verification results sent to ${taking.url} (provider version 1.2.3)`);
      expect(taking.published.length).toBeGreaterThan(0);

      const failed = await step(refusing.url);
      expect(refusing.published.length).toBeGreaterThan(0);
      // The verification itself ran and passed; the broker step failed: the run is INCOMPLETE.
      expect(failed.outcome.results.every((r) => r.status === 'PASSED')).toBe(true);
      expect(failed.outcome.errors).toEqual([
        expect.stringMatching(/^pact broker http:\/\/127\.0\.0\.1:\d+: publishing the verification results failed \(HTTP 500 Internal Server Error\): .*500/),
      ]);
      expect(failed.lines.some((l) => l.startsWith('pact verification: 13 interactions, 0 failed'))).toBe(true);
      expect(failed.lines.at(-1)).toMatch(
        /^pact broker: FAILED, verification results not sent to http:\/\/127\.0\.0\.1:\d+ \(provider version 1\.2\.3\): publishing the verification results failed \(HTTP 500 Internal Server Error\)/,
      );
      expect(JSON.stringify(failed)).not.toContain('broker-token-canary');
    } finally {
      await target.issuer.close();
      await Promise.all([taking, refusing].map((b) => new Promise((resolve) => b.server.close(resolve))));
    }
  });

  it('reports an unreachable broker and a broker answering 500 as the verification failing, never as results sent', { timeout: 60_000 }, async () => {
    const broken = await failingBroker();
    const target = await startReferenceTarget(undefined, PLAIN);
    try {
      const config = parseConfig(target.config);
      for (const url of [`http://user:broker-pw-canary@127.0.0.1:${String(await closedPort())}`, broken.url]) {
        const lines: string[] = [];
        const outcome = await verifyPactsStep(config, { broker: { url, token: 'broker-token-canary', providerVersion: '1.2.3' } }, { err: (t) => lines.push(t) });
        expect(outcome.results).toEqual([]);
        expect(outcome.errors).toHaveLength(1);
        // The broker is asked for its index first: one line naming it (never its user info) and what it answered.
        expect(outcome.errors[0]).toMatch(
          url === broken.url
            ? /^pact broker http:\/\/127\.0\.0\.1:\d+ answered HTTP 500 Internal Server Error to GET \/: broker down$/
            : /^pact broker http:\/\/127\.0\.0\.1:\d+ could not be reached \(GET \/\): connection refused$/,
        );
        expect(lines.some((l) => l.includes('results sent'))).toBe(false);
        expect(lines.at(-1)).toMatch(/^pact broker: FAILED, verification results not sent to http:\/\/127\.0\.0\.1:\d+\/? \(provider version 1\.2\.3\)/);
        expect(JSON.stringify([outcome, lines])).not.toMatch(/broker-pw-canary|broker-token-canary/);
      }
      expect(broken.calls.length).toBeGreaterThan(0);
    } finally {
      await target.issuer.close();
      await new Promise((resolve) => broken.server.close(resolve));
    }
  });

  it('makes verify-pacts INCOMPLETE, exit 2, when the broker fails', { timeout: 60_000 }, async () => {
    const broken = await failingBroker();
    const out = mkdtempSync(join(tmpdir(), 'd1c-pact-broker-'));
    const saved = process.env.PACT_BROKER_TOKEN;
    process.env.PACT_BROKER_TOKEN = 'broker-token-canary';
    const lines: string[] = [];
    try {
      const code = await main(['verify-pacts', '--broker-url', broken.url, '--provider-version', '1.2.3', '--out', out, '--report', 'json'], (t) => lines.push(t), (t) => lines.push(t));
      const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
      expect(report.summary.verdict).toBe('INCOMPLETE');
      expect(report.errors).toEqual([`pact broker ${broken.url} answered HTTP 500 Internal Server Error to GET /: broker down`]);
      expect(code).toBe(2);
      expect(lines.join('\n')).not.toContain('results sent');
      expect(lines.join('\n')).not.toContain('broker-token-canary');
    } finally {
      if (saved === undefined) Reflect.deleteProperty(process.env, 'PACT_BROKER_TOKEN');
      else process.env.PACT_BROKER_TOKEN = saved;
      await new Promise((resolve) => broken.server.close(resolve));
    }
  });
});
