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
 * checks per second; goal: under 4 s wall), and the harness's per-request cost against raw undici
 * on the same server in the same process (goal: within 1.3x). Goals: issue 13.
 */

/** Harness time per request over raw undici's, on the same requests to the same server. */
const HARNESS_GOAL = 1.3;
/** Wall seconds of a default run (issue 13). */
const RUN_GOAL_S = 4;
const verdict = (met: boolean) => (met ? 'met' : 'NOT met');

/** Wall seconds of a command, as a user starts it (the report of the last run is read back). */
function timed(cmd: string, args: readonly string[]): number {
  const started = performance.now();
  execFileSync(cmd, args, { stdio: 'ignore' });
  return performance.now() - started;
}

// The build the bin runs is made fresh first: a stale one would be rebuilt inside the first timing.
timed(process.execPath, ['bin/d1-conformance.js', 'help']);
const runs: { wall: number; out: string }[] = [];
for (let i = 0; i < 3; i++) {
  const out = mkdtempSync(join(tmpdir(), 'd1c-bench-'));
  runs.push({ wall: timed(process.execPath, ['bin/d1-conformance.js', 'run', '--out', out, '--seed', '1']), out });
}
runs.sort((a, b) => a.wall - b.wall);
const median = runs[1] ?? runs[0];
if (!median) throw new Error('no run');
const wall = median.wall;
const report = Report.parse(JSON.parse(readFileSync(join(median.out, 'report.json'), 'utf8')));
const checks = report.results.reduce((n, r) => n + r.count, 0);
console.log(
  `full run, node bin/d1-conformance.js run      ${(wall / 1000).toFixed(1)} s wall (median of 3), ${(report.durationMs / 1000).toFixed(1)} s in the run, ${checks} checks = ${Math.round((checks / report.durationMs) * 1000)} checks/s (goal: under ${RUN_GOAL_S} s wall: ${verdict(wall < RUN_GOAL_S * 1000)})`,
);
// npx is npm: before it starts the bin, it loads the project's whole dependency tree (about a second here).
const npxWall = timed('npx', ['d1-conformance', 'run', '--out', mkdtempSync(join(tmpdir(), 'd1c-bench-')), '--seed', '1']);
const npxHelp = timed('npx', ['d1-conformance', 'help']) - timed(process.execPath, ['bin/d1-conformance.js', 'help']);
console.log(
  `full run, npx d1-conformance run              ${(npxWall / 1000).toFixed(1)} s wall, of which npx's own start-up about ${(npxHelp / 1000).toFixed(1)} s (goal: under ${RUN_GOAL_S} s wall: ${verdict(npxWall < RUN_GOAL_S * 1000)})`,
);

const issuer = await startReferenceIssuer();
const N = 6000;
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
const client = createHttpClient({ timeoutMs: 5000 });
const redactor = new Redactor().addSecret(token);
const rec = new Recorder(redactor);
const kit = new Kit({ config: { profiles: [], policies: { unknownResponseFields: 'warn', expiresInType: 'string-or-number' } }, effective: (m: unknown) => m } as never, rec);
const rawRequests = async (n: number) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) await (await request(url, { headers, dispatcher: agent })).body.text();
  return performance.now() - t;
};
const harnessRequests = async (n: number) => {
  const t = performance.now();
  for (let i = 0; i < n; i++) {
    const exchange = await client.send({ method: 'GET', url, headers });
    inspectResponse(rec, exchange, 'issuer.getConsumerInfo', { slowAfterMs: 5000 });
    kit.expectBody(exchange, getConsumerInfoResponse, 'bench');
  }
  return performance.now() - t;
};
await rawRequests(600);
await harnessRequests(600);
// Alternating rounds: a load that comes and goes on the machine weighs on both sides alike.
const ROUNDS = 20;
let raw = 0;
let harness = 0;
const ratios: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  const rawMs = await rawRequests(N / ROUNDS);
  const harnessMs = await harnessRequests(N / ROUNDS);
  raw += rawMs;
  harness += harnessMs;
  ratios.push(harnessMs / rawMs);
}
await agent.close();
await client.close();
await issuer.close();

const perSec = (ms: number) => Math.round((N / ms) * 1000);
console.log(`raw undici GET consumer info                  ${perSec(raw)} req/s`);
console.log(`harness (client + oracle + contract check)   ${perSec(harness)} req/s`);
ratios.sort((a, b) => a - b);
const ratio = ratios[Math.floor(ROUNDS / 2)] ?? harness / raw;
console.log(
  `harness / raw time per request               ${ratio.toFixed(2)}x, median of ${ROUNDS} alternating rounds (range ${(ratios[0] ?? 0).toFixed(2)}-${(ratios[ROUNDS - 1] ?? 0).toFixed(2)}x) (goal: within ${HARNESS_GOAL}x: ${verdict(ratio <= HARNESS_GOAL)})`,
);
