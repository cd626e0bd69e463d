import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../../src/core/results/model.js';

/**
 * What only a process shows of `client-check` and `simulate`: the real binary stopped by a
 * signal. Everything else about them runs in-process: client-check.test.ts.
 */

const BIN = join(import.meta.dirname, '../../bin/d1-conformance.js');

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'd1c-client-check-'));
}

function readReport(dir: string): Report {
  return Report.parse(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')));
}

function failed(report: Report): string[] {
  return report.rules.filter((r) => r.status === 'FAILED').map((r) => r.ruleId);
}

describe('client-check interrupted', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s: exit %i, no report, and the issuer command it started is stopped with its background child', async (signal, code) => {
    const work = outDir();
    const pidFile = join(work, 'pid');
    // The command leaves a background child of its own (same process group), then waits.
    const script = `const bg = require('node:child_process').spawn('sleep', ['300'], { stdio: 'ignore' }); require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + bg.pid); setTimeout(() => {}, 60000);`;
    const child = spawn(process.execPath, [BIN, 'client-check', '--out', work, '--', process.execPath, '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 50));
    const pids = readFileSync(pidFile, 'utf8').split(' ').map(Number);
    expect(pids).toHaveLength(2);
    child.kill(signal);
    expect(await exited).toBe(code);
    expect(stderr).toContain(`interrupted (${signal})`);
    expect(readdirSync(work).filter((f) => f.startsWith('report') || f === 'summary.md')).toEqual([]);
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        // A zombie has ended (orphans wait for this container's PID 1 to reap them).
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    for (let i = 0; i < 50 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 100));
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe('simulate', () => {
  it('listens on 127.0.0.1, prints where D1 is, grades calls, and writes the report on Ctrl-C', async () => {
    const dir = outDir();
    const child = spawn(process.execPath, [BIN, 'simulate', '--out', dir, '--report', 'json,md'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Stop with Ctrl-C')) resolve();
      });
      child.once('exit', () => {
        reject(new Error(`simulate exited early: ${stderr}`));
      });
    });
    const base = /export D1_BASE_URL=(http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    expect(base).toBeDefined();
    expect(stdout).toContain('none registered');
    // A call with no token: IN-AUTH-016.
    const res = await fetch(`${base ?? ''}/banking/v2/issuers/ISSUER0001/consumers/c-1/cards`);
    expect(res.status).toBe(401);
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    const report = readReport(dir);
    expect(failed(report)).toEqual(['IN-AUTH-016']);
    expect(existsSync(join(dir, 'summary.md'))).toBe(true);
    expect(stdout).toContain('verdict: FAILED');
  });
});
