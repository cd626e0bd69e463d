import { Worker } from 'node:worker_threads';
import { CompactEncrypt, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { request } from 'undici';
import { personalInformation } from '../fixtures/reference-client/data.js';
import { startSimulator } from '../src/client-side/simulator/index.js';

/**
 * D1 simulator figures: validated requests per second and latency percentiles on this machine,
 * the load coming from a worker thread over keep-alive connections. Every request is fully
 * graded: bearer token verified (ES256), contract, hygiene, state; Register card also decrypts
 * its ECDH-ES/A256GCM JWE; the token call verifies an ES256 assertion and signs a token.
 * Goal: at least 3,000 validated requests per second for the consumer APIs on 2 cores.
 */

const ISSUER = 'ISSUER0001';
const CONNECTIONS = 32;
const DURATION_MS = 3_000;
const PERSONAL = personalInformation();

interface LoadRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
}

const { privateKey, publicKey } = await generateKeyPair('ES256');
const sim = await startSimulator({ issuerId: ISSUER, issuerKeys: [{ kid: 'bench-key', publicJwk: await exportJWK(publicKey) }] });
const assertion = () =>
  new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: 'bench-key' })
    .setIssuer(ISSUER)
    .setSubject(ISSUER)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
const tokenRes = await request(sim.tokenUrl, {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion() }).toString(),
});
const { access_token: token } = (await tokenRes.body.json()) as { access_token: string };
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-correlation-id': 'bench-corr-01' };
const consumerPath = (id: string, suffix = '') => `/banking/v2/issuers/${ISSUER}/consumers/${id}${suffix}`;

// 100 consumers, registered once so updates and card lists find them.
const ids = Array.from({ length: 100 }, (_, i) => `bench-c${String(i).padStart(3, '0')}`);
for (const id of ids)
  await (await request(sim.baseUrl + consumerPath(id), { method: 'PUT', headers, body: JSON.stringify({ personalInformation: PERSONAL }) })).body.text();

const consumerApis: LoadRequest[] = ids.flatMap((id) => [
  { method: 'PUT', path: consumerPath(id), headers, body: JSON.stringify({ personalInformation: PERSONAL }) },
  {
    method: 'POST',
    path: consumerPath(id, '/operations:update'),
    headers,
    body: JSON.stringify({ personalInformation: { ...PERSONAL, lastName: 'Doe-Smith' } }),
  },
  { method: 'GET', path: consumerPath(id, '/cards'), headers },
]);

const recipient = await importJWK(sim.jwePublicJwk, 'ECDH-ES');
const luhn = (body: string) => {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
};
const cards: LoadRequest[] = [];
for (let i = 0; i < 100; i++) {
  const pan = luhn(`411111${String(i).padStart(9, '0')}`);
  const encryptedData = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ pan, exp: '1230' })))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: sim.jweKid })
    .encrypt(recipient);
  cards.push({
    method: 'PUT',
    path: `/banking/v2/issuers/${ISSUER}/cards/bench-card-${String(i)}`,
    headers,
    body: JSON.stringify({ consumerId: ids[i % ids.length], cardProductId: 'prod-classic-01', encryptedData }),
  });
}

const tokens: LoadRequest[] = [];
for (let i = 0; i < 50; i++) {
  tokens.push({
    method: 'POST',
    path: '/authz/v1/oauth2/token',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: await assertion() }).toString(),
  });
}

function percentile(sorted: readonly number[], q: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0).toFixed(1);
}

async function load(label: string, requests: readonly LoadRequest[], goal?: number): Promise<void> {
  const worker = new Worker(new URL('./simulator-load.mjs', import.meta.url), {
    workerData: { baseUrl: sim.baseUrl, connections: CONNECTIONS, durationMs: DURATION_MS, requests },
  });
  const result = await new Promise<{ ok: number; failed: number; elapsedMs: number; latencies: number[] }>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const sorted = result.latencies.sort((a, b) => a - b);
  // Only 2xx answers count: a refused call is cheap and would flatter the figure.
  const rps = Math.round((result.ok / result.elapsedMs) * 1000);
  const verdict = goal === undefined ? '' : rps >= goal ? `  (goal >= ${String(goal)}/s: met)` : `  (goal >= ${String(goal)}/s: NOT met)`;
  console.log(
    `${label.padEnd(44)} ${String(rps).padStart(6)} 2xx/s  p50 ${percentile(sorted, 0.5)} ms  p90 ${percentile(sorted, 0.9)} ms  p99 ${percentile(sorted, 0.99)} ms  (${String(result.ok)} 2xx, ${String(result.failed)} other)${verdict}`,
  );
}

console.log(`(${String(CONNECTIONS)} keep-alive connections from a worker thread, ${String(DURATION_MS / 1000)} s per scenario)`);
await load('consumer APIs (register, update, card list)', consumerApis, 3000);
await load('register card (JWE ECDH-ES/A256GCM decrypted)', cards);
await load('token (ES256 assertion verified, token signed)', tokens);
const findings = sim.results().filter((r) => r.status === 'FAILED');
console.log(
  `graded: ${String(sim.results().reduce((n, r) => n + r.count, 0))} checks, ${String(findings.length)} findings (${[...new Set(findings.map((f) => f.ruleId))].join(', ') || 'none'}); rss ${String(Math.round(process.memoryUsage().rss / 2 ** 20))} MiB`,
);
await sim.close();
