import { spawn } from 'node:child_process';

/**
 * Runs the issuer's integration command with D1's whereabouts in its environment and waits for
 * it. Its output is passed on line by line through `redact` (it may print what it sent to D1:
 * tokens, PANs, personal data), and the last lines are kept for the verdict when it fails.
 *
 * Hostile or careless commands (issue 12 items 14 and 15): a line is cut at MAX_LINE_BYTES, so
 * memory stays bounded whatever is printed; the command runs in its own process group, which is
 * ended when the command exits, times out or the tool is interrupted, so no background child
 * outlives client-check, and output still open OUTPUT_GRACE_MS after the command exited is dropped.
 */

/** How long output is still awaited after the command itself exited (a background child may hold the pipe). */
export const OUTPUT_GRACE_MS = 2_000;
/** How long the process group has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2_000;
/** On an interrupt the tool is exiting: the group gets only this long between SIGTERM and SIGKILL. */
const EXIT_KILL_GRACE_MS = 300;

export interface CommandOutcome {
  /** The exit code, or undefined when it was stopped by a signal (the timeout's, or another). */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly timedOut: boolean;
  /** Its last output lines, redacted (each at most MAX_LINE_BYTES and a marker). */
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
    // detached: the command leads its own process group, so the group (its children too) can be ended.
    const child = spawn(program, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const group = child.pid !== undefined ? new ProcessGroup(child.pid) : undefined;
    let timedOut = false;
    let settled = false;
    const onLine = (line: string) => {
      const clean = options.redact(line);
      lastLines.push(clean);
      if (lastLines.length > keep) lastLines.shift();
      options.echo(clean);
    };
    for (const stream of [child.stdout, child.stderr]) {
      const lines = new LineSplitter(onLine);
      stream.on('data', (chunk: Buffer) => {
        lines.push(chunk);
      });
      stream.once('end', () => {
        lines.end();
      });
    }
    const timer = setTimeout(() => {
      timedOut = true;
      group?.end(KILL_GRACE_MS);
    }, options.timeoutMs);
    let graceTimer: NodeJS.Timeout | undefined;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(graceTimer);
      resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, timedOut, lastLines, durationMs: performance.now() - started });
    };
    child.once('error', (e: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      group?.forget();
      reject(new CommandStartError(`cannot start ${program} (${e.code ?? e.message})`));
    });
    child.once('exit', (code, signal) => {
      // The command is done: what it left running in its group goes too (SIGTERM now, SIGKILL after the grace).
      group?.end(KILL_GRACE_MS);
      // A leftover that keeps the pipes open (and shrugs off SIGTERM) is not waited for beyond the grace.
      graceTimer = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, OUTPUT_GRACE_MS);
    });
    // 'close': exited and every pipe drained, so the last lines are all in.
    child.once('close', finish);
  });
}

/**
 * The command's process group: SIGTERM, then SIGKILL after a grace, to every process in it.
 * While it may still hold processes, the tool's own exit (Ctrl-C, SIGTERM) ends it too.
 */
class ProcessGroup {
  private killTimer: NodeJS.Timeout | undefined;
  private readonly onExit = () => {
    this.signal('SIGTERM');
    // The event loop is over: wait synchronously, briefly, for the group to leave on its own.
    const deadline = Date.now() + EXIT_KILL_GRACE_MS;
    while (Date.now() < deadline && this.signal(0)) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25);
    this.signal('SIGKILL');
  };

  constructor(private readonly pgid: number) {
    process.once('exit', this.onExit);
  }

  end(graceMs: number): void {
    if (this.killTimer !== undefined) return;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => {
      this.signal('SIGKILL');
      this.forget();
    }, graceMs);
    // The grace never keeps the tool alive: if it exits first, onExit does the SIGKILL.
    this.killTimer.unref();
  }

  forget(): void {
    clearTimeout(this.killTimer);
    process.off('exit', this.onExit);
  }

  /** true when some process of the group could be signalled. */
  private signal(signal: NodeJS.Signals | 0): boolean {
    try {
      process.kill(-this.pgid, signal);
      return true;
    } catch {
      return false; // the group is empty
    }
  }
}

/** The longest output line kept or relayed; the rest of a longer line is dropped. */
export const MAX_LINE_BYTES = 65_536;
const CUT_MARKER = `... [line cut at ${MAX_LINE_BYTES} bytes]`;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines (LF, CRLF) without ever holding more than MAX_LINE_BYTES of a
 * line: a longer line is cut there, at a UTF-8 character boundary, and marked; the rest of it is
 * dropped as it arrives (readline keeps a line whole: 20 MB printed with no newline was 20 MB held).
 */
export class LineSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  private cut = false;

  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const lf = chunk.indexOf(LF, start);
      this.take(chunk.subarray(start, lf === -1 ? chunk.length : lf));
      if (lf === -1) return;
      this.flush();
      start = lf + 1;
    }
  }

  /** The stream ended: a last line with no newline is a line too. */
  end(): void {
    if (this.size > 0 || this.cut) this.flush();
  }

  private take(piece: Buffer): void {
    if (this.cut) return;
    const room = MAX_LINE_BYTES - this.size;
    if (piece.length > room) {
      this.cut = true;
      piece = piece.subarray(0, room);
    }
    if (piece.length === 0) return;
    // A copy: a view would pin the whole chunk it came from.
    this.parts.push(Buffer.from(piece));
    this.size += piece.length;
  }

  private flush(): void {
    let line = Buffer.concat(this.parts, this.size);
    if (this.cut) line = line.subarray(0, utf8Boundary(line));
    else if (line.at(-1) === CR) line = line.subarray(0, -1);
    const text = line.toString('utf8') + (this.cut ? CUT_MARKER : '');
    this.parts = [];
    this.size = 0;
    this.cut = false;
    this.onLine(text);
  }
}

/** The length of `buf` without a multi-byte character the cut left incomplete at its end. */
function utf8Boundary(buf: Buffer): number {
  let lead = buf.length - 1;
  // Continuation bytes are 10xxxxxx; a character has at most 3 of them.
  while (lead >= 0 && buf.length - lead <= 4 && ((buf[lead] ?? 0) & 0xc0) === 0x80) lead--;
  if (lead < 0) return buf.length;
  const first = buf[lead] ?? 0;
  const width = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
  return lead + width > buf.length ? lead : buf.length;
}

/** The command as a report may show it: the program and how many arguments (arguments may hold secrets). */
export function describeCommand(argv: readonly string[]): string {
  const [program = '', ...args] = argv;
  const name = program.split('/').at(-1) ?? program;
  return args.length === 0 ? name : `${name} (+${args.length} argument${args.length === 1 ? '' : 's'})`;
}
