import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * What only a process shows of a run's output: a closed stdout pipe (EPIPE), handled by the
 * launcher. A run that is cheap to end: the target refuses the token (exit 2, a full report).
 */

let server: Server;
let baseUrl: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_client"}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(
  () =>
    new Promise<void>((r) =>
      server.close(() => {
        r();
      }),
    ),
);

function config(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'd1c-outdir-cfg-')), 'd1.json');
  writeFileSync(
    file,
    JSON.stringify({
      target: { baseUrl, issuerId: 'ISSUER0001' },
      auth: { mode: 'oauth', clientId: 'd1', clientSecret: 'outdir-secret' },
      testData: { consumers: [{ consumerId: 'c1' }] },
    }),
  );
  return file;
}

describe('stdout closed early (`d1-conformance run | head -1`)', () => {
  it('the run goes on and exits with its verdict, not 0', async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-outdir-'));
    const bin = join(import.meta.dirname, '../../bin/d1-conformance.js');
    const child = spawn(process.execPath, [bin, 'run', '--config', config(), '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Like `head -0`: the reader is gone before the first line, so every write to stdout meets EPIPE.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
  });
});
