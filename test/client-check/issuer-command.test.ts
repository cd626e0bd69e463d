import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_BYTES, runIssuerCommand, type CommandOptions } from '../../src/client-side/client-check/issuer-command.js';

/**
 * The issuer's command as client-check runs it (issue 12 items 14 and 15): whatever it prints,
 * memory stays bounded (lines cut at MAX_LINE_BYTES); whatever it leaves behind, its whole
 * process group ends with it, and client-check does not wait on a child that holds its output open.
 */

function options(overrides: Partial<CommandOptions> = {}): CommandOptions & { lines: string[] } {
  const lines: string[] = [];
  return {
    env: {},
    timeoutMs: 30_000,
    redact: (l) => l,
    echo: (l) => {
      lines.push(l);
    },
    lines,
    ...overrides,
  };
}

/**
 * Whether the process still runs. A zombie has ended: orphans are reparented to this container's
 * PID 1, which reaps them late, and kill(pid, 0) succeeds on a zombie.
 */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  // The group was signalled as the command ended; give the kernel a moment to deliver it.
  for (let i = 0; i < 20 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

describe('the command output is kept and relayed line by line, each line capped', () => {
  it('a 20 MB line with no newline is cut at MAX_LINE_BYTES with a marker, and the lines around it pass whole', async () => {
    const o = options();
    const script = `process.stdout.write('before\\n' + 'x'.repeat(20 * 1024 * 1024)); process.stdout.write('\\nafter\\r\\n' + 'y'.repeat(10 * 1024 * 1024))`;
    const outcome = await runIssuerCommand([process.execPath, '-e', script], o);
    expect(outcome.exitCode).toBe(0);
    expect(MAX_LINE_BYTES).toBe(65_536);
    const marker = `... [line cut at ${MAX_LINE_BYTES} bytes]`;
    expect(o.lines.map((l) => l.length)).toEqual([6, MAX_LINE_BYTES + marker.length, 5, MAX_LINE_BYTES + marker.length]);
    expect(o.lines[0]).toBe('before');
    expect(o.lines[1]?.endsWith(`x${marker}`)).toBe(true);
    expect(o.lines[2]).toBe('after');
    expect(o.lines[3]?.endsWith(`y${marker}`)).toBe(true);
    expect(outcome.lastLines).toEqual(o.lines);
  });

  it('a multi-byte character is never split into garbage at the cut, nor across chunks', async () => {
    const o = options();
    // 3-byte characters: the cut falls inside one of them, and chunk boundaries do too.
    const outcome = await runIssuerCommand([process.execPath, '-e', `process.stdout.write('€'.repeat(100000) + '\\n' + 'é'.repeat(1000))`], o);
    expect(outcome.exitCode).toBe(0);
    expect(o.lines).toHaveLength(2);
    expect(o.lines[0]).toMatch(/^€+\.\.\. \[line cut at 65536 bytes\]$/);
    expect(o.lines[1]).toBe('é'.repeat(1000));
  });

  it('keeps only the last lines for the verdict', async () => {
    const o = options({ keepLines: 3 });
    const outcome = await runIssuerCommand([process.execPath, '-e', `for (let i = 1; i <= 50; i++) console.log('line', i)`], o);
    expect(o.lines).toHaveLength(50);
    expect(outcome.lastLines).toEqual(['line 48', 'line 49', 'line 50']);
  });
});

describe('the command runs in its own process group, ended with it', () => {
  it('a background child holding stdout open: client-check returns promptly after the command exits, the child is gone', async () => {
    const o = options();
    const started = Date.now();
    const outcome = await runIssuerCommand(['sh', '-c', 'sleep 300 & echo $!; exit 0'], o);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.timedOut).toBe(false);
    const pid = Number(o.lines[0]);
    expect(pid).toBeGreaterThan(0);
    expect(await gone(pid)).toBe(true);
  });

  it('a background child that would write a marker file later is ended with the command', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd1c-bg-'));
    const marker = join(dir, 'marker');
    const o = options();
    const outcome = await runIssuerCommand(['sh', '-c', `(sleep 1; touch '${marker}') >/dev/null 2>&1 & echo $!; exit 0`], o);
    expect(outcome.exitCode).toBe(0);
    expect(await gone(Number(o.lines[0]))).toBe(true);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(existsSync(marker)).toBe(false);
  });

  it('a background child that ignores SIGTERM and holds stdout open is killed too, within the grace period', async () => {
    const o = options();
    const started = Date.now();
    const outcome = await runIssuerCommand(['sh', '-c', `sh -c 'trap "" TERM; while true; do sleep 0.2; done' & echo $!; exit 0`], o);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(outcome.exitCode).toBe(0);
    expect(await gone(Number(o.lines[0]))).toBe(true);
  });

  it('on timeout the whole group is stopped: the command and its background child', async () => {
    const o = options({ timeoutMs: 500 });
    const outcome = await runIssuerCommand(['sh', '-c', 'sleep 300 & echo $!; sleep 300'], o);
    expect(outcome.timedOut).toBe(true);
    expect(outcome.exitCode).toBeUndefined();
    expect(await gone(Number(o.lines[0]))).toBe(true);
  });
});
