import { UsageError } from '../core/errors/index.js';
import type { OutputLevel } from '../outputs/console-detail.js';
import type { RunProgress } from '../server-side/runner/suite-runner.js';

/** `--quiet` / `--verbose` (at most one). */
export function outputLevel(values: { quiet?: boolean | undefined; verbose?: boolean | undefined }): OutputLevel {
  if (values.quiet === true && values.verbose === true) throw new UsageError('--quiet and --verbose cannot go together');
  return values.quiet === true ? 'quiet' : values.verbose === true ? 'verbose' : 'normal';
}

/**
 * Progress as whole lines on stderr, the same on a terminal and in a CI log: the start and end of
 * each suite with the endpoints it called; `--verbose` adds every test; `--quiet` prints none.
 */
export function progressLines(level: OutputLevel, err: (line: string) => void): (event: RunProgress) => void {
  if (level === 'quiet') return () => undefined;
  return (event) => {
    if (event.kind === 'suite-start') err(`start ${event.suite} (${event.tests} tests)`);
    else if (event.kind === 'suite-end')
      err(
        `end   ${event.suite}: ${event.passed} checks passed, ${event.failed} failed, ${(event.ms / 1000).toFixed(1)}s${event.endpoints.length > 0 ? ` (${event.endpoints.join(', ')})` : ''}`,
      );
    else if (level === 'verbose') err(`  ${event.failed > 0 ? 'FAIL' : 'ok  '} ${event.test} (${event.passed} passed, ${event.failed} failed)`);
  };
}
