import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Report } from '../../src/core/results/model.js';

/**
 * Token trouble is named first, in one line, and nothing that needs a token is judged: a token URL
 * that does not exist and credentials the target refuses are exit 2 (INCOMPLETE), with every rule
 * SKIPPED for that reason, never dozens of failures blamed on the APIs. In-process through main().
 */

const SECRET = 'canary-secret-4c1e-do-not-print';
const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

async function run(baseUrl: string): Promise<{ code: number; err: string[]; out: string[]; report: Report }> {
  const dir = mkdtempSync(join(tmpdir(), 'd1c-token-'));
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      target: { baseUrl, issuerId: 'ISSUER0001' },
      auth: { mode: 'oauth', clientId: 'd1', clientSecret: SECRET },
      testData: { consumers: [{ consumerId: 'cons-0001' }] },
    }),
  );
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['run', '--config', file, '--out', join(dir, 'out'), '--report', 'json'],
    (t) => out.push(t),
    (t) => err.push(t),
  );
  const report = Report.parse(JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')));
  return { code, err, out, report };
}

function expectJudgedInThatLight(report: Report, fragment: string): void {
  expect(report.summary.verdict).toBe('INCOMPLETE');
  expect(report.errors).toHaveLength(1);
  expect(report.errors[0]).toContain(fragment);
  expect(report.rules.filter((r) => r.status === 'FAILED' || r.status === 'PASSED')).toEqual([]);
  const auth014 = report.rules.find((r) => r.ruleId === 'OUT-AUTH-014');
  expect(auth014?.status).toBe('SKIPPED');
  expect(auth014?.reason).toContain(fragment);
}

describe('token trouble before the suites', () => {
  it('a token URL that does not exist: "no token could be obtained", exit 2, nothing blamed on the APIs', async () => {
    const base = await listen((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>not here</html>');
    });
    const { code, err, out, report } = await run(base);
    expect(code).toBe(2);
    const lines = err.filter((l) => l.includes('no token could be obtained'));
    expect(lines).toEqual([
      `d1-conformance run: no token could be obtained from ${base}/authz/d1/v1/oauth2/token (status 404, body shape: text/html, not JSON (21 bytes))`,
    ]);
    expectJudgedInThatLight(report, 'no token could be obtained');
    expect([...err, ...out, JSON.stringify(report)].join('\n')).not.toContain(SECRET);
  });

  it('credentials the target refuses: "the target refused the configured credentials", exit 2', async () => {
    const base = await listen((req, res) => {
      if (req.url?.startsWith('/authz/')) res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}');
      else res.writeHead(401).end();
    });
    const { code, err, report } = await run(base);
    expect(code).toBe(2);
    expect(err.filter((l) => l.includes('refused the configured credentials'))).toEqual([
      `d1-conformance run: the target refused the configured credentials (status 401, error invalid_client) at ${base}/authz/d1/v1/oauth2/token: check auth.clientId and auth.clientSecret`,
    ]);
    expectJudgedInThatLight(report, 'refused the configured credentials');
  });

  it('a 200 without an access_token: named with its body shape, no value of it', async () => {
    const base = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(`{"token":"${SECRET}","expires_in":300}`);
    });
    const { code, err, report } = await run(base);
    expect(code).toBe(2);
    expect(err.join('\n')).toContain('(status 200, body shape: a JSON object with keys token, expires_in (no access_token))');
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });
});
