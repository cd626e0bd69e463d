import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { Report } from '../../src/core/results/model.js';
import { urlSecrets, withoutUserInfo } from '../../src/core/util/url.js';

/**
 * A password in the target URL (`http://user:secret@host`) is a secret: no console line, report
 * file, configuration copy or error names it. In-process through main(); the target's token
 * endpoint does not exist, so the run ends early (INCOMPLETE) after printing what it prints.
 */

const CANARY = 'canary-url-pass-9k2';
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume();
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such route"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('a password in the target URL', () => {
  it('is learnt as a secret in both encodings, and stripped from printed URLs', () => {
    expect(urlSecrets('http://u:p%40ss@h/')).toEqual(['p%40ss', 'p@ss']);
    expect(urlSecrets('http://h/')).toEqual([]);
    expect(withoutUserInfo(`http://bank:${CANARY}@127.0.0.1:8080/d1`)).toBe('http://127.0.0.1:8080/d1');
  });

  it('appears in no output of a run: console, report.json, summary.md, report.html, JUnit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-urlpass-'));
    const config = join(dir, 'd1.json');
    writeFileSync(
      config,
      JSON.stringify({
        target: { baseUrl: `http://bank:${CANARY}@127.0.0.1:${port}`, issuerId: 'ISSUER0001' },
        auth: { mode: 'oauth', clientId: 'd1', clientSecret: 'another-secret-value' },
        testData: { consumers: [{ consumerId: 'cons-0001' }] },
      }),
    );
    const lines: string[] = [];
    const out = join(dir, 'out');
    const code = await main(
      ['run', '--config', config, '--out', out],
      (t) => lines.push(t),
      (t) => lines.push(t),
    );
    expect(code).toBe(2);
    const console = lines.join('\n');
    expect(console).toContain(`127.0.0.1:${port}`);
    expect(console).not.toContain(CANARY);
    for (const file of readdirSync(out)) expect(readFileSync(join(out, file), 'utf8'), file).not.toContain(CANARY);
    const report = Report.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    expect(report.target.baseUrl).toBe(`http://127.0.0.1:${port}/`);
    expect(report.summary.verdict).toBe('INCOMPLETE');
  });
});
