import { defineConfig } from 'vitest/config';

/**
 * Two projects, both in `npm test`: `unit` runs everything in-process (library calls, and the CLI
 * through main() with test/cli/run-cli.ts runMain); `e2e` is the few tests of what only a process
 * shows (signals, exit codes, a closed pipe, the launcher, npm-started runs), named *.e2e.test.ts.
 */
const E2E = 'test/**/*.e2e.test.ts';

export default defineConfig({
  test: {
    // Real servers and whole runs need more than the 5 s default on 2 cores.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A process per file: tests may set process.env or the working directory for a call (runMain).
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: on 2 cores the files ran one at a time,
    // while most of them wait on sockets, child processes and timers. Two files at once.
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [E2E], isolate: false } },
      // The bin runs the build in dist/: made fresh once before the processes start (test/global-setup.ts).
      { extends: true, test: { name: 'e2e', include: [E2E], globalSetup: ['test/global-setup.ts'] } },
    ],
  },
});
