import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Runs the issuer's integration command with D1's whereabouts in its environment and waits for
 * it. Its output is passed on line by line through `redact` (it may print what it sent to D1:
 * tokens, PANs, personal data), and the last lines are kept for the verdict when it fails.
 */

export interface CommandOutcome {
  /** The exit code, or undefined when it was stopped by a signal (the timeout's, or another). */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  /** Its last output lines, redacted. */
  readonly lastLines: readonly string[];
  readonly durationMs: number;
}

export interface CommandOptions {
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly redact: (line: string) => string;
  /** Where each (redacted) output line goes. */
  readonly echo: (line: string) => void;
  readonly keepLines?: number;
}

/** Thrown when the command cannot be started at all (not found, not executable). */
export class CommandStartError extends Error {
  override readonly name = 'CommandStartError';
}

export function runIssuerCommand(argv: readonly string[], options: CommandOptions): Promise<CommandOutcome> {
  const [program, ...args] = argv;
  if (program === undefined) return Promise.reject(new CommandStartError('no command given'));
  const started = performance.now();
  const keep = options.keepLines ?? 20;
  const lastLines: string[] = [];
  return new Promise((resolve, reject) => {
    // detached: the command gets its own process group, so the timeout can stop its children too.
    const child = spawn(program, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    const onLine = (line: string) => {
      const clean = options.redact(line);
      lastLines.push(clean);
      if (lastLines.length > keep) lastLines.shift();
      options.echo(clean);
    };
    for (const stream of [child.stdout, child.stderr]) createInterface({ input: stream, crlfDelay: Infinity }).on('line', onLine);
    const stop = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop('SIGTERM');
      setTimeout(() => {
        stop('SIGKILL');
      }, 2_000).unref();
    }, options.timeoutMs);
    // Ctrl-C on client-check also stops the command it started.
    const onExit = () => {
      stop('SIGTERM');
    };
    process.once('exit', onExit);
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      reject(new CommandStartError(`cannot start ${program} (${e.code ?? e.message})`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      process.off('exit', onExit);
      resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, timedOut, lastLines, durationMs: performance.now() - started });
    });
  });
}

/** The command as a report may show it: the program and how many arguments (arguments may hold secrets). */
export function describeCommand(argv: readonly string[]): string {
  const [program = '', ...args] = argv;
  const name = program.split('/').at(-1) ?? program;
  return args.length === 0 ? name : `${name} (+${args.length} argument${args.length === 1 ? '' : 's'})`;
}
