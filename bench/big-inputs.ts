import { execFile, execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/**
 * Big hostile files, each handed to a real process under /usr/bin/time -v (issue 12 item 14):
 * a 250 MB gzip bomb to `verify` (was 870 MB peak), a 10.8 MB configuration of 230k consumers
 * to `run` (was 2.4 GB). Goals: refused in one line, exit 1 / 2, peak RSS of a Node process that
 * only reads the cap (about 100 MB), whatever the input's size.
 */

const dir = mkdtempSync(join(tmpdir(), 'd1c-bench-big-'));

const bomb = join(dir, 'bomb.tar.gz');
const MB = 1024 * 1024;
await pipeline(
  Readable.from(
    (function* () {
      const zeros = Buffer.alloc(MB);
      for (let i = 0; i < 250; i++) yield zeros;
    })(),
  ),
  createGzip({ level: 9 }),
  createWriteStream(bomb),
);
execFileSync(process.execPath, ['bin/d1-conformance.js', 'keys', '--out', join(dir, 'keys')], { stdio: 'ignore' });
const pub = join(dir, 'keys', 'd1c-signing.public.jwk.json');

const config = join(dir, 'big.json');
const consumers = Array.from({ length: 230_000 }, (_, i) => ({ consumerId: `consumer-${String(i).padStart(8, '0')}` }));
writeFileSync(config, JSON.stringify({ target: { baseUrl: 'http://127.0.0.1:9', issuerId: 'ISSUER0001' }, auth: { mode: 'none' }, testData: { consumers } }));

const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
async function measure(label: string, args: readonly string[]): Promise<void> {
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
    const [cmd, argv] = time ? [time, ['-v', process.execPath, ...args]] : [process.execPath, [...args]];
    execFile(cmd, argv, (error, _so, se) => {
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stderr: se });
    });
  });
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(stderr)?.[1] ?? NaN) / 1024;
  const line = stderr.split('\n').find((l) => l.startsWith('d1-conformance') || l.startsWith('NOT VERIFIED')) ?? '';
  console.log(
    `${label.padEnd(44)} exit ${code}  ${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s  peak RSS ${Number.isNaN(rss) ? 'n/a' : rss.toFixed(0).padStart(4)} MB  ${line.slice(0, 110)}`,
  );
}

await measure('verify: 250 MB gzip bomb', ['bin/d1-conformance.js', 'verify', bomb, '--pub', pub]);
await measure('run --config: 10.8 MB, 230k consumers', ['bin/d1-conformance.js', 'run', '--config', config, '--out', join(dir, 'out')]);
