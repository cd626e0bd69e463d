import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Child processes and worker threads that load this project's TypeScript sources: tsx, resolved
 * from this package, so they work from any working directory.
 */

/** The Node flags a child process needs. */
export function typescriptExecArgv(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

/**
 * A worker thread running a TypeScript module. Node 20 resolves a worker's entry before the hooks
 * of its `--import` are in place, so the entry is a line of JavaScript that registers tsx first.
 */
export function typescriptWorker(module: URL): Worker {
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module.href)}); });`, { eval: true });
}
