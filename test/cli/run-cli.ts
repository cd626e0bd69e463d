import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOptions {
  readonly cwd?: string;
  /** Variables to set for the command; `undefined` unsets one. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

const BIN = join(import.meta.dirname, '../../bin/d1-conformance.js');

/**
 * Runs the real `d1-conformance` binary the way a user does, and never throws on a non-zero exit.
 * Only for what only a process shows (signals, exit codes, pipes, the launcher): the e2e tests.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, maxBuffer: 32 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** runMain calls in flight: a cwd or env of one would leak into the others, so those must run alone. */
let inFlight = 0;
let isolated = false;

/**
 * The same command in-process through main(), as the tests of what is not about a process do
 * (issue 13: a run's cost is its checks, not a Node start-up): stdout and stderr as text.
 * `cwd` and `env` are the process's own, set for the call and restored after (the forks pool
 * gives each test file its own process); such a call may not overlap another.
 */
export async function runMain(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const { main } = await import('../../src/cli/main.js');
  const scoped = options.cwd !== undefined || options.env !== undefined;
  if (isolated || (scoped && inFlight > 0)) throw new Error('runMain with cwd or env cannot overlap another runMain (run them one after the other)');
  const restore = scoped ? enter(options) : () => undefined;
  inFlight++;
  isolated = scoped;
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(
      args,
      (t) => out.push(t),
      (t) => err.push(t),
    );
    return { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
  } finally {
    inFlight--;
    isolated = false;
    restore();
  }
}

function enter(options: CliOptions): () => void {
  const cwd = process.cwd();
  const saved = Object.entries(options.env ?? {}).map(([name]) => [name, process.env[name]] as const);
  for (const [name, value] of Object.entries(options.env ?? {})) setVar(name, value);
  if (options.cwd !== undefined) process.chdir(options.cwd);
  return () => {
    process.chdir(cwd);
    for (const [name, value] of saved) setVar(name, value);
  };
}

function setVar(name: string, value: string | undefined): void {
  if (value === undefined) Reflect.deleteProperty(process.env, name);
  else process.env[name] = value;
}
