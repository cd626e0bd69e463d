import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request, Agent } from 'undici';
import { getConsumerInfoResponse } from '../contracts/issuer-api/consumer-info.js';
import { startReferenceIssuer } from '../fixtures/reference-issuer/index.js';
import { createHttpClient } from '../src/core/http/client.js';
import { Kit } from '../src/server-side/harness/kit.js';
import { inspectResponse } from '../src/server-side/harness/oracle.js';
import { Recorder } from '../src/core/results/recorder.js';
import { Redactor } from '../src/core/redact/redactor.js';
import { Report } from '../src/core/results/model.js';

/**
 * Run figures: a full default `d1-conformance run` against the reference issuer (wall time,
 * checks per second), and the harness's per-request cost against raw undici on the same server
 * in the same process (goal: within 2x).
 */

const out = mkdtempSync(join(tmpdir(), 'd1c-bench-'));
const started = performance.now();
execFileSync(process.execPath, ['bin/d1-conformance.js', 'run', '--out', out, '--seed', '1'], { stdio: 'ignore' });
const wall = performance.now() - started;
const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
const checks = report.results.reduce((n, r) => n + r.count, 0);
console.log(
  `full run (reference issuer, default cases)   ${(wall / 1000).toFixed(1)} s wall, ${(report.durationMs / 1000).toFixed(1)} s in the run, ${checks} checks = ${Math.round((checks / report.durationMs) * 1000)} checks/s (goal: under 20 s)`,
);

const issuer = await startReferenceIssuer();
const N = 2000;
const basic = `Basic ${Buffer.from(`${issuer.clientId}:${issuer.clientSecret}`).toString('base64')}`;
const tokenRes = await request(`${issuer.baseUrl}/authz/d1/v1/oauth2/token`, {
  method: 'POST',
  headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
  body: 'grant_type=client_credentials',
});
const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };
const consumer = issuer.consumers[0];
if (!consumer) throw new Error('reference issuer has no consumer');
const url = `${issuer.baseUrl}/banking/d1/v1/issuers/${issuer.issuerId}/consumers/${consumer.consumerId}`;
const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };

const agent = new Agent({ keepAliveTimeout: 10_000, connections: 16 });
for (let i = 0; i < 200; i++) await (await request(url, { headers, dispatcher: agent })).body.text();
let t = performance.now();
for (let i = 0; i < N; i++) await (await request(url, { headers, dispatcher: agent })).body.text();
const raw = performance.now() - t;
await agent.close();

const client = createHttpClient({ timeoutMs: 5000 });
const redactor = new Redactor().addSecret(token);
const rec = new Recorder(redactor);
const kit = new Kit({ config: { profiles: [], policies: { unknownResponseFields: 'warn', expiresInType: 'string-or-number' } } } as never, rec);
for (let i = 0; i < 200; i++) await client.send({ method: 'GET', url, headers });
t = performance.now();
for (let i = 0; i < N; i++) {
  const exchange = await client.send({ method: 'GET', url, headers });
  inspectResponse(rec, exchange, 'issuer.getConsumerInfo', { slowAfterMs: 5000 });
  kit.expectBody(exchange, getConsumerInfoResponse, 'bench');
}
const harness = performance.now() - t;
await client.close();
await issuer.close();

const perSec = (ms: number) => Math.round((N / ms) * 1000);
console.log(`raw undici GET consumer info                  ${perSec(raw)} req/s`);
console.log(`harness (client + oracle + contract check)   ${perSec(harness)} req/s`);
console.log(`harness / raw time per request               ${(harness / raw).toFixed(2)}x (goal: within 2x)`);
