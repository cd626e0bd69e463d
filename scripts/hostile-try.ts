import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { startHostileTarget, CANARY, type HostileMode } from '../fixtures/hostile-target/index.js';
const mode = process.argv[2] as HostileMode;
const extra = process.argv.slice(3);
const t = await startHostileTarget(mode);
const dir = mkdtempSync(join(tmpdir(), 'hostile-'));
const cfg = join(dir, 'd1.json');
writeFileSync(cfg, JSON.stringify({ target: { baseUrl: t.baseUrl, issuerId: t.issuerId }, auth: { mode: 'oauth', clientId: t.clientId, clientSecret: t.clientSecret }, testData: { consumers: [{ consumerId: t.consumerId, pans: [CANARY.pan] }] }, timeouts: { requestMs: 1000 }, cases: { propertyRuns: 1 } }));
const t0 = Date.now();
const out = join(dir, 'out');
execFile(process.execPath, ['bin/d1-conformance.js', 'run', '--config', cfg, '--out', out, ...extra], { maxBuffer: 1e8 }, async (e, stdout, stderr) => {
  console.log(mode, 'exit', e?.code ?? 0, 'in', Date.now() - t0, 'ms; offHostHits', t.offHostHits());
  console.log(stderr.slice(0, 1500)); console.log(stdout.slice(0, 2500));
  const all = [stdout, stderr, ...readdirSync(out).map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
  for (const [k, v] of Object.entries(CANARY)) for (const form of [v, v.replaceAll('/', '\\/'), encodeURIComponent(v)]) if (all.includes(form)) console.log('LEAK', k, form);
  try { const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')); console.log('verdict', rep.summary.verdict, rep.summary.incomplete, JSON.stringify(rep.stops).slice(0, 800)); } catch (err) { console.log('no report', String(err)); }
  await t.close();
});
