import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tokenTypeLowercase } from '../../fixtures/broken-issuers/token-type-lowercase.js';
import { startReferenceIssuer } from '../../fixtures/reference-issuer/index.js';
import { Report } from '../../src/core/results/model.js';
import { runMain } from '../cli/run-cli.js';

/** A target the user points at: an external broken issuer, a hostile one, a silent one. */

const servers: { close(): unknown }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});

function listen(server: Server): Promise<string> {
  servers.push({ close: () => new Promise((r) => server.close(r)) });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }),
  );
}

function writeConfig(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'd1c-cfg-')), 'd1.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const TOKEN = JSON.stringify({ access_token: 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJkMSJ9.c2lnbmF0dXJl', token_type: 'Bearer', expires_in: '900' });

describe('run against a target given with --target / --config', () => {
  it('an external broken issuer: exit 1 naming its rule', { timeout: 120_000 }, async () => {
    const issuer = await startReferenceIssuer({ variant: tokenTypeLowercase });
    servers.push(issuer);
    const config = writeConfig({
      auth: { mode: 'oauth', clientId: issuer.clientId, clientSecret: '${env:D1C_TEST_SECRET}' },
      testData: { consumers: issuer.consumers.filter((c) => c.state !== 'INVALID').map((c) => ({ consumerId: c.consumerId, cardIds: [...c.cardIds] })) },
    });
    const out = mkdtempSync(join(tmpdir(), 'd1c-out-'));
    const result = await runMain(['run', '--config', config, '--target', issuer.baseUrl, '--issuer-id', issuer.issuerId, '--out', out, '--runs', '3'], {
      env: { D1C_TEST_SECRET: issuer.clientSecret },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('OUT-AUTH-003');
    expect(result.stdout + result.stderr).not.toContain(issuer.clientSecret);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.target.reference).toBe(false);
    // The replay re-runs this target with this config, not the bundled issuer.
    expect(report.replay).toBe(
      `npx d1-conformance run --config ${config} --target ${issuer.baseUrl} --issuer-id ${issuer.issuerId} --runs 3 --seed ${report.seed}`,
    );
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain(report.replay);
    expect(report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId)).toEqual(['OUT-AUTH-003']);
    expect(readFileSync(join(out, 'report.json'), 'utf8')).not.toContain(issuer.clientSecret);
  });

  it('a hostile target (resets, garbage, a 2 MiB body) becomes findings, never a crash', { timeout: 120_000 }, async () => {
    let n = 0;
    // Built once: a run makes hundreds of calls, and building 2 MiB per answer cost more than the run.
    const huge = Buffer.from(`{"pad":"${'x'.repeat(2 * 1024 * 1024)}"}`);
    const baseUrl = await listen(
      createServer((req, res) => {
        if (req.url?.startsWith('/authz/')) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(TOKEN);
          return;
        }
        n++;
        if (n % 3 === 0) req.socket.destroy();
        else if (n % 3 === 1) res.writeHead(200, { 'content-type': 'application/json' }).end('{"firstName": garbage');
        else res.writeHead(200, { 'content-type': 'application/json' }).end(huge);
      }),
    );
    const config = writeConfig({
      target: { baseUrl, issuerId: 'ISSUER0001' },
      auth: { mode: 'oauth', clientId: 'd1', clientSecret: 'hostile-secret' },
      testData: { consumers: [{ consumerId: 'cons-0001' }] },
      cases: { propertyRuns: 1 },
    });
    const out = mkdtempSync(join(tmpdir(), 'd1c-out-'));
    const result = await runMain(['run', '--config', config, '--out', out]);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(1);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.errors).toEqual([]);
    expect(report.summary.rules.FAILED).toBeGreaterThan(10);
    expect(report.results.some((r) => r.evidence?.transportError !== undefined)).toBe(true);
  });

  it('a token endpoint that never answers: exit 2 with one line', { timeout: 60_000 }, async () => {
    const baseUrl = await listen(createServer(() => undefined));
    const config = writeConfig({
      target: { baseUrl, issuerId: 'ISSUER0001' },
      auth: { mode: 'oauth', clientId: 'd1', clientSecret: 'silent-secret' },
      testData: { consumers: [{ consumerId: 'cons-0001' }] },
      timeouts: { requestMs: 500 },
    });
    const result = await runMain(['run', '--config', config, '--out', mkdtempSync(join(tmpdir(), 'd1c-out-'))]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('no response within 500 ms');
  });
});
