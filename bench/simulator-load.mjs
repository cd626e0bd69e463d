// The load generator of bench/simulator.ts, in a child process so that it shares neither the
// simulator's event loop nor its CPU account (the simulator's CPU time per request is then its
// own): `connections` concurrent loops, each sending its scenario's requests, first for
// `warmupMs` unmeasured, then for `durationMs` with latencies recorded per request. The parent
// is told when the measured phase starts ('measuring') and gets the result at the end.
// Plain JS: run without tsx.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

process.once('message', async ({ baseUrl, connections, warmupMs, durationMs, requests }) => {
  const agent = new Agent({ connections, pipelining: 1, keepAliveTimeout: 30_000 });
  let next = 0;
  async function phase(ms) {
    const latencies = [];
    let ok = 0;
    let failed = 0;
    const deadline = performance.now() + ms;
    async function loop() {
      while (performance.now() < deadline) {
        const r = requests[next++ % requests.length];
        const t = performance.now();
        const res = await request(baseUrl + r.path, { method: r.method, headers: r.headers, body: r.body, dispatcher: agent });
        await res.body.text();
        latencies.push(performance.now() - t);
        if (res.statusCode < 300) ok++;
        else failed++;
      }
    }
    const started = performance.now();
    await Promise.all(Array.from({ length: connections }, loop));
    return { ok, failed, elapsedMs: performance.now() - started, latencies };
  }
  if (warmupMs > 0) await phase(warmupMs);
  process.send({ kind: 'measuring' });
  const result = await phase(durationMs);
  await agent.close();
  process.send({ kind: 'done', ...result }, () => process.exit(0));
});
