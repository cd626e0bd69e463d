import { fork } from 'node:child_process';
import { compactDecrypt, CompactEncrypt, compactVerify, exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { request } from 'undici';
import { personalInformation } from '../fixtures/reference-client/data.js';
import { startSimulator } from '../src/client-side/simulator/index.js';

/**
 * D1 simulator figures: validated requests per second, the simulator's CPU time per request, and
 * latency percentiles on this machine, the load coming from a child process over keep-alive
 * connections. Every request is fully
 * graded: bearer token checked (its ES256 signature is verified once, then the token is known:
 * token.ts), contract, hygiene, state; Register card also decrypts its ECDH-ES/A256GCM JWE; the
 * token call verifies an ES256 assertion and signs a token.
 * Beside each figure: the raw `jose` cost of the crypto that request does (same algorithms, same
 * key sizes, same concurrency, in this process), and the simulator's overhead over it, by wall
 * time (raw ops/s / simulator req/s) and by CPU time (simulator CPU per request / raw CPU per op:
 * the steadier figure on a shared machine, where the wall figures swing with other load).
 * Goal: at least 3,000 validated requests per second for the consumer APIs on 2 cores.
 * `npx tsx bench/simulator.ts [consumer] [card] [token]` runs only the named scenarios.
 */

const ISSUER = 'ISSUER0001';
const CONNECTIONS = 32;
const DURATION_MS = 3_000;
/** Each scenario first runs this long unmeasured: JIT, and the first findings' evidence (redacted in full, then only counted). */
const WARMUP_MS = 1_000;
const RAW_MS = 500;
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

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * The raw jose cost of one scenario's crypto: `op` run by CONNECTIONS concurrent loops in this
 * process (WebCrypto work goes to libuv's pool, as the simulator's does), ops per second.
 */
async function rawOps(op: () => Promise<unknown>): Promise<{ perSecond: number; cpuMsPerOp: number }> {
  const run = async (ms: number) => {
    let n = 0;
    const deadline = performance.now() + ms;
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        while (performance.now() < deadline) {
          await op();
          n++;
        }
      }),
    );
    return n;
  };
  await run(RAW_MS / 5);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const n = await run(RAW_MS);
  return { perSecond: (n / (performance.now() - started)) * 1000, cpuMsPerOp: cpuMs(process.cpuUsage(cpu)) / n };
}

/** User + system CPU time of this process (all its threads: the event loop and libuv's crypto pool), ms. */
const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

// The same crypto as the simulator's, on keys of the same kinds and sizes (keys.ts, token.ts, decrypt.ts).
const rawJwe = await generateKeyPair('ECDH-ES', { crv: 'P-256' });
const rawCard = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ pan: luhn('411111000000000'), exp: '1230' })))
  .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: 'raw' })
  .encrypt(rawJwe.publicKey);
const rawIssuerKey = await importJWK(await exportJWK(publicKey), 'ES256');
const rawAssertion = await assertion();
const rawSigning = await generateKeyPair('ES256');
const decrypt = () => compactDecrypt(rawCard, rawJwe.privateKey, { keyManagementAlgorithms: ['ECDH-ES'], contentEncryptionAlgorithms: ['A256GCM'] });
const verify = () => compactVerify(rawAssertion, rawIssuerKey, { algorithms: ['ES256'] });
const sign = () =>
  new SignJWT({ scope: 'd1-api:account:full d1-api:consumer:full d1-api:card:full' })
    .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
    .setIssuer('urn:d1-conformance:d1-simulator')
    .setAudience('d1-banking-api')
    .setSubject(ISSUER)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(rawSigning.privateKey);

interface Scenario {
  readonly name: string;
  readonly label: string;
  readonly requests: readonly LoadRequest[];
  readonly goal?: number;
  /** What jose work each request does, and that work alone; none when the request does no crypto. */
  readonly crypto?: { readonly what: string; readonly op: () => Promise<unknown> };
  readonly note?: string;
}

const scenarios: Scenario[] = [
  {
    name: 'floor',
    label: "simulator's JWE key (GET, nothing graded)",
    requests: [{ method: 'GET', path: '/.well-known/d1-jwe-key.json', headers: {} }],
    note: 'HTTP and load-generator floor on this machine: no grading, no crypto',
  },
  {
    name: 'consumer',
    label: 'consumer APIs (register, update, card list)',
    requests: consumerApis,
    goal: 3000,
    note: 'no crypto per request (the bearer is verified once, then known)',
  },
  { name: 'card', label: 'register card (JWE ECDH-ES/A256GCM decrypted)', requests: cards, crypto: { what: 'decrypt', op: decrypt } },
  {
    name: 'token',
    label: 'token (ES256 assertion verified, token signed)',
    requests: tokens,
    crypto: { what: 'verify+sign', op: async () => (await verify(), sign()) },
  },
];

async function load(s: Scenario): Promise<void> {
  const before = s.crypto === undefined ? undefined : await rawOps(s.crypto.op);
  const child = fork(new URL('./simulator-load.mjs', import.meta.url), { execArgv: [], stdio: 'inherit' });
  let cpu: NodeJS.CpuUsage | undefined;
  const result = await new Promise<{ ok: number; failed: number; elapsedMs: number; latencies: number[]; cpuMs: number }>((resolve, reject) => {
    child.on('message', (m: { kind: string; ok: number; failed: number; elapsedMs: number; latencies: number[] }) => {
      if (m.kind === 'measuring') cpu = process.cpuUsage();
      else resolve({ ...m, cpuMs: cpu === undefined ? NaN : cpuMs(process.cpuUsage(cpu)) });
    });
    child.once('error', reject);
    // After 'done' this changes nothing: the promise is settled.
    child.once('exit', (code) => {
      reject(new Error(`load generator exited (${String(code)})`));
    });
    child.send({ baseUrl: sim.baseUrl, connections: CONNECTIONS, warmupMs: WARMUP_MS, durationMs: DURATION_MS, requests: s.requests });
  });
  const sorted = result.latencies.sort((a, b) => a - b);
  // Only 2xx answers count: a refused call is cheap and would flatter the figure.
  const rps = (result.ok / result.elapsedMs) * 1000;
  const cpuPerRequest = result.cpuMs / (result.ok + result.failed);
  const verdict = s.goal === undefined ? '' : ` (goal >= ${fmt(s.goal)}/s: ${rps >= s.goal ? 'met' : 'NOT met'})`;
  // The simulator idle (before the load, and after it: the mean), so the two never compete for the
  // cores, while a load coming and going on the machine weighs on both sides alike.
  const after = s.crypto === undefined ? undefined : await rawOps(s.crypto.op);
  let beside = s.note ?? '';
  if (s.crypto !== undefined && before !== undefined && after !== undefined) {
    const raw = (before.perSecond + after.perSecond) / 2;
    const rawCpu = (before.cpuMsPerOp + after.cpuMsPerOp) / 2;
    beside = `raw jose ${s.crypto.what} ${fmt(raw)} ops/s, ${rawCpu.toFixed(2)} ms CPU/op | overhead ${(raw / rps).toFixed(1)}x wall, ${(cpuPerRequest / rawCpu).toFixed(1)}x CPU`;
  }
  console.log(
    `${s.label.padEnd(46)} ${fmt(rps).padStart(6)} req/s, ${cpuPerRequest.toFixed(2)} ms CPU/req${verdict} | ${beside}  [p50 ${percentile(sorted, 0.5)} ms  p90 ${percentile(sorted, 0.9)} ms  p99 ${percentile(sorted, 0.99)} ms, ${String(result.ok)} 2xx, ${String(result.failed)} other]`,
  );
}

console.log(
  `(${String(CONNECTIONS)} keep-alive connections from a child process, ${String(WARMUP_MS / 1000)} s warm-up then ${String(DURATION_MS / 1000)} s per scenario; CPU = the simulator process's user+system time; raw jose: the same crypto alone, ${String(CONNECTIONS)} in flight, before and after; overhead = simulator / raw, per request)`,
);
const only = process.argv.slice(2);
for (const s of scenarios) if (only.length === 0 || only.includes(s.name)) await load(s);
const [rawVerify, rawSign] = [await rawOps(verify), await rawOps(sign)];
console.log(
  `raw jose ES256 verify ${fmt(rawVerify.perSecond)} ops/s (${rawVerify.cpuMsPerOp.toFixed(2)} ms CPU), ES256 sign ${fmt(rawSign.perSecond)} ops/s (${rawSign.cpuMsPerOp.toFixed(2)} ms CPU) (P-256)`,
);
const results = sim.results();
const count = (status: string) => results.filter((r) => r.status === status).reduce((n, r) => n + r.count, 0);
const rules = (status: string) => [...new Set(results.filter((r) => r.status === status).map((r) => r.ruleId))].join(', ') || 'none';
console.log(
  `graded: ${String(results.reduce((n, r) => n + r.count, 0))} checks, ${String(count('FAILED'))} failed (${rules('FAILED')}), ${String(count('WARNING'))} warnings (${rules('WARNING')}); rss ${String(Math.round(process.memoryUsage().rss / 2 ** 20))} MiB`,
);
await sim.close();
