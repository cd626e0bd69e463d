import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { expectVerdict } from './verdicts.js';

/**
 * client-check's exit code always equals the verdict written in every report (issue 12 item 11):
 * 0 PASSED, 1 FAILED, 2 INCOMPLETE; an exit 2 with no report says so. In-process through main(),
 * with tiny `node -e` commands and the bundled reference client.
 */

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'd1c-verdict-'));
}

async function clientCheck(args: readonly string[]): Promise<{ code: number; out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    ['client-check', ...args],
    (t) => out.push(t),
    (t) => err.push(t),
  );
  return { code, out: out.join('\n'), err };
}

const node = (script: string) => ['--', process.execPath, '-e', script];

describe('client-check: the exit code is the written verdict', () => {
  // The bundled reference client (0, PASSED everywhere) and a broken one (1, FAILED everywhere):
  // client-check.test.ts, on the runs it makes anyway (a reference client run costs a process).

  it('a command that crashes before any call: 2 and INCOMPLETE everywhere, its exit code named', async () => {
    const dir = outDir();
    const r = await clientCheck(['--out', dir, ...node("throw new Error('boom before calling D1')")]);
    expectVerdict(dir, r.code, 'INCOMPLETE');
    expect(r.err.join('\n')).toContain('the command failed (exit code 1)');
    expect(r.err.join('\n')).toContain('boom before calling D1');
  });

  it('a command that exits 0 having made no call: 2 and INCOMPLETE everywhere', async () => {
    const dir = outDir();
    const r = await clientCheck(['--out', dir, ...node("console.log('all my tests skipped')")]);
    expectVerdict(dir, r.code, 'INCOMPLETE');
    expect(r.out).toContain('the command made no call to the D1 simulator');
  });

  it('a command killed by a signal: 2 and INCOMPLETE everywhere, the signal named', async () => {
    const dir = outDir();
    const r = await clientCheck(['--out', dir, ...node("process.kill(process.pid, 'SIGKILL')")]);
    expectVerdict(dir, r.code, 'INCOMPLETE');
    expect(r.err.join('\n')).toContain('the command failed (signal SIGKILL)');
  });

  it('a command that outlives --timeout: 2 and INCOMPLETE everywhere', async () => {
    const dir = outDir();
    const r = await clientCheck(['--timeout', '1', '--out', dir, ...node('setTimeout(() => {}, 30000)')]);
    expectVerdict(dir, r.code, 'INCOMPLETE');
    expect(r.out).toContain('did not finish within 1 s');
  });

  it('a command that cannot be started: 2, no report, and the one error line says so', async () => {
    const dir = outDir();
    const r = await clientCheck(['--out', dir, '--', '/nonexistent/integration-tests']);
    expect(r.code).toBe(2);
    expect(r.err.at(-1)).toBe(`d1-conformance client-check: cannot start /nonexistent/integration-tests (ENOENT); no report written`);
    expect(readdirSync(dir).filter((f) => f.startsWith('report') || f === 'summary.md')).toEqual([]);
  });

  it('the simulator cannot start (its port is taken): 2, no report, and the one error line says so', async () => {
    const dir = outDir();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    const config = join(outDir(), 'c.json');
    writeFileSync(config, JSON.stringify({ port }));
    try {
      const r = await clientCheck(['--config', config, '--out', dir, ...node('1')]);
      expect(r.code).toBe(2);
      expect(r.err).toEqual([`d1-conformance client-check: port ${port} on 127.0.0.1 is not available (EADDRINUSE); no report written`]);
      expect(existsSync(join(dir, 'report.json'))).toBe(false);
    } finally {
      busy.close();
    }
  });
});
