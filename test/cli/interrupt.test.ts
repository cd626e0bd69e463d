import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
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
