import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/d1-conformance.js');

describe('an interrupted run', () => {
  it('exits 130 with one line, and leaves no half-written report', { timeout: 60_000 }, async () => {
    const out = mkdtempSync(join(tmpdir(), 'd1c-int-'));
    const child = spawn(process.execPath, [BIN, 'run', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      // Interrupt once the run has started talking to the target.
      if (stderr.includes('d1-conformance run:')) child.kill('SIGINT');
    });
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (c, s) => {
        resolve({ code: c, signal: s });
      }),
    );
    // 130, or death by SIGINT (tsx re-raises the signal): a shell reports both as 130.
    expect(code === 130 || signal === 'SIGINT').toBe(true);
    expect(stderr).toContain('interrupted');
    expect(readdirSync(out).filter((f) => f.startsWith('report'))).toEqual([]);
  });
});

/**
 * Through npm (issue 12 item 16): npx / npm exec / npm run hand a SIGTERM to the `sh -c` they run
 * the bin with, which dies of it; the bin, orphaned, would run on and write its report. It notices
 * the npm process that started it is gone and exits 129 with no report. A real npm, a real bin.
 */
describe('started through npm, the wrapper signalled alone', () => {
  function project(): string {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-npm-'));
    mkdirSync(join(dir, 'node_modules/.bin'), { recursive: true });
    symlinkSync(BIN, join(dir, 'node_modules/.bin/d1-conformance'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'issuer', private: true, scripts: { sim: 'd1-conformance simulate --out out' } }));
    return dir;
  }

  function alive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      // A zombie has ended (orphans wait for this container's PID 1 to reap them).
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }

  it.each([
    ['npx', ['d1-conformance', 'simulate', '--out', 'out']],
    ['npm', ['run', 'sim']],
  ] as const)('%s: SIGTERM to npm ends the bin too, with no report', { timeout: 60_000 }, async (program, args) => {
    const dir = project();
    // Its own process group, so nothing it leaves behind outlives the test (killed in finally).
    const wrapper = spawn(program, args, {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
    const pgid = wrapper.pid ?? 0;
    try {
      let output = '';
      await new Promise<void>((resolve, reject) => {
        const onData = (d: Buffer) => {
          output += d.toString();
          if (output.includes('Stop with Ctrl-C')) resolve();
        };
        wrapper.stdout.on('data', onData);
        wrapper.stderr.on('data', onData);
        wrapper.once('exit', () => {
          reject(new Error(`npm exited early: ${output}`));
        });
      });
      // The bin: the node process of the group running bin/d1-conformance (not npm, not its sh).
      const bin = execFileSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /node \S*\.bin\/d1-conformance simulate/.test(l))
        .map((l) => Number(l.trim().split(/\s+/)[0]));
      expect(bin).toHaveLength(1);
      const pid = bin[0] ?? 0;
      // Both pipes end once their last writer is gone: npm, its sh, and the bin (its last words read too).
      const ended = Promise.all([wrapper.stdout, wrapper.stderr].map((s) => new Promise((r) => s.once('close', r))));
      process.kill(pgid, 'SIGTERM');
      await Promise.race([ended, new Promise((r) => setTimeout(r, 15_000))]);
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(pid)).toBe(false);
      expect(output).toContain('interrupted (the npm process that started it ended)');
      expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('report'))).toEqual([]);
    } finally {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // all gone
      }
    }
  });
});
