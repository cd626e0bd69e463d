import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { refusingTarget } from './refusing-target.js';

/**
 * What only a process shows of a run's output: a closed stdout pipe (EPIPE), handled by the
 * launcher. A run that is cheap to end: the target refuses the token (exit 2, a full report).
 */

const { config } = refusingTarget();

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
