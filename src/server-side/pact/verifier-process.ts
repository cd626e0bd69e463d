import { fork, type ChildProcess } from 'node:child_process';
import { moduleFile, nodeOptionsFor } from '../../core/util/module-paths.js';
import { PACT_DO_NOT_TRACK } from '../../core/pact/no-tracking.js';
import { oneLine, type ChildRequest, type ChildResponse } from './verifier-options.js';

/**
 * The verifier in its own process (stdout dropped: the Rust verifier prints its report there).
 * Started ahead of time, it loads Pact while the suites run. A process that answered a
 * verification without a broker is kept for the next one in this process (loading Pact (and tsx, from
 * the sources) is most of a verification's cost); one that published to a broker ends, since its log (where
 * the verifier reports a failed publish) is only complete when its stdout closes.
 */
export interface VerifierProcess {
  verify(request: ChildRequest, timeoutMs: number): Promise<ChildResponse>;
  /** Done with it: kept for the next verification when it may be, else ended (idempotent). */
  stop(): void;
}

const CHILD = moduleFile(new URL('./verifier-child', import.meta.url));

interface Child {
  readonly process: ChildProcess;
  /** The PACT_* environment it was started with: Pact reads it (PACT_DESCRIPTION filters interactions). */
  readonly pactEnv: string;
  readonly ready: Promise<void>;
  readonly stdoutClosed: Promise<void>;
  stderr: string;
  publishFailures: string[];
  /** Why it can no longer answer (it exited or failed to start). */
  gone?: ChildResponse;
  /** Who waits for its next answer. */
  answer?: (r: ChildResponse) => void;
}

/** One process kept between verifications, never holding this process open. */
let idle: Child | undefined;
let exitHook = false;

/** The verifier process's environment (exported for its test). */
export function pactEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  // Pact reads PACT_BROKER_* and would add a broker source on its own: the broker is only ever
  // the one given with --broker-url (sent over IPC). PACT_DESCRIPTION and the rest stay; usage
  // tracking is always off (no-tracking.ts).
  return {
    ...Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !e[0].startsWith('PACT_BROKER_'))),
    ...PACT_DO_NOT_TRACK,
  };
}

function pactKey(env: Record<string, string>): string {
  return JSON.stringify(Object.entries(env).filter(([k]) => k.startsWith('PACT_')).sort());
}

function startChild(): Child {
  const env = pactEnvironment(process.env);
  const proc = fork(CHILD, [], { execArgv: nodeOptionsFor(CHILD), stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: { ...env, LOG_LEVEL: 'error' } });
  let markReady: () => void = () => undefined;
  const child: Child = {
    process: proc,
    pactEnv: pactKey(env),
    ready: new Promise((resolve) => (markReady = resolve)),
    stdoutClosed: new Promise((resolve) => {
      if (proc.stdout) proc.stdout.once('close', resolve);
      else resolve();
    }),
    stderr: '',
    publishFailures: [],
  };
  proc.stderr?.on('data', (d: Buffer) => {
    if (child.stderr.length < 4096) child.stderr += d.toString('utf8');
  });
  // The Rust verifier reports a failed publish to the broker only in its log, on stdout (with its
  // report): those lines are kept, the rest is dropped as it comes.
  let partial = '';
  proc.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString('utf8')).split('\n');
    partial = (lines.pop() ?? '').slice(-8192);
    for (const line of lines) {
      const failure = publishFailureOf(line);
      if (failure !== undefined && child.publishFailures.length < 3) child.publishFailures.push(failure);
    }
  });
  const end = (r: ChildResponse) => {
    child.gone ??= r;
    if (idle === child) idle = undefined;
    const waiting = child.answer;
    child.answer = undefined;
    markReady();
    waiting?.(child.gone);
  };
  proc.on('message', (m: ChildResponse | { ready: true }) => {
    if ('ready' in m) markReady();
    else {
      const waiting = child.answer;
      child.answer = undefined;
      waiting?.(m);
    }
  });
  proc.on('error', (e) => {
    end({ ok: false, message: e.message });
  });
  proc.on('exit', (code) => {
    const last = child.stderr.trim() === '' ? '' : `: ${child.stderr.trim().split('\n').slice(-1).join('')}`;
    end({ ok: false, message: `the verifier process exited (${String(code)})${last}` });
  });
  return child;
}

function alive(child: Child): boolean {
  return child.gone === undefined && child.process.exitCode === null && child.process.signalCode === null;
}

/** Whether an idle child may hold this process open (in use: yes; kept for later: no). */
function hold(child: Child, on: boolean): void {
  const handles = [child.process, child.process.channel, child.process.stdout, child.process.stderr] as ({ ref?: () => void; unref?: () => void } | null | undefined)[];
  for (const h of handles) (on ? h?.ref : h?.unref)?.call(h);
}

export function startVerifierProcess(): VerifierProcess {
  let child: Child;
  if (idle && alive(idle) && idle.pactEnv === pactKey(pactEnvironment(process.env))) {
    child = idle;
    hold(child, true);
  } else {
    if (idle) idle.process.kill();
    child = startChild();
  }
  idle = undefined;
  let reusable = false;
  let stopped = false;
  const kill = () => {
    if (alive(child)) child.process.kill();
  };
  return {
    verify: (request, timeoutMs) =>
      new Promise((resolve) => {
        // Publishing to a broker: the process ends after its answer, so its whole log is read.
        const keep = request.broker === undefined;
        let settled = false;
        const finish = (r: ChildResponse, answered: boolean) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          child.answer = undefined;
          if (answered && keep) {
            reusable = true;
            resolve(r);
            return;
          }
          // The child exits once it has answered: its log is complete when its stdout closes.
          void Promise.race([child.stdoutClosed, new Promise((done) => setTimeout(done, 2_000))]).then(() => {
            kill();
            resolve(r.ok ? { ...r, publishFailures: [...child.publishFailures] } : r);
          });
        };
        const timer = setTimeout(() => {
          finish({ ok: false, message: `no verification result within ${Math.round(timeoutMs / 1000)} s` }, false);
        }, timeoutMs);
        if (child.gone) {
          finish(child.gone, false);
          return;
        }
        child.publishFailures = [];
        child.stderr = '';
        child.answer = (r) => {
          finish(r, alive(child));
        };
        void child.ready.then(() => {
          if (!settled && alive(child)) child.process.send({ ...request, keep });
        });
      }),
    stop: () => {
      if (stopped) return;
      stopped = true;
      if (!reusable || !alive(child) || idle !== undefined) {
        kill();
        return;
      }
      idle = child;
      hold(child, false);
      if (!exitHook) {
        exitHook = true;
        process.once('exit', () => idle?.process.kill());
      }
    },
  };
}

/** The reason in a verifier log line saying publishing the results failed, without ANSI colours; else undefined. */
export function publishFailureOf(line: string): string | undefined {
  const at = line.indexOf(PUBLISH_FAILED);
  if (at < 0) return undefined;
  return oneLine(line.slice(at + PUBLISH_FAILED.length).replace(ANSI, '')) || 'no details';
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

const PUBLISH_FAILED = 'Publishing of verification results failed with an error: ';
