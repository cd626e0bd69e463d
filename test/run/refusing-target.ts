import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/**
 * A target whose token endpoint refuses every client (401), for the tests of a run's output: a
 * run against it is cheap to end (its token diagnosis, exit 2) and still writes a full report.
 * Call at the top of a test file; `config()` then names a configuration file for it.
 */
export function refusingTarget(): { config: () => string } {
  let server: Server;
  let baseUrl = '';
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
  return {
    config: () => {
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
    },
  };
}
