/**
 * Starting a worker thread on a module of ours, from the built package (`.js`) or from sources
 * (`.ts`, tests and benchmarks). From sources the worker registers the TypeScript loader itself:
 * `--import tsx` in the parent's execArgv does not reach a worker's own module loading.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `sibling` is the worker module's name without extension, beside `fromModule` (import.meta.url). */
export function startWorker(fromModule: string, sibling: string, options: WorkerOptions = {}): Worker {
  const fromSources = fromModule.endsWith('.ts');
  const url = new URL(`./${sibling}${fromSources ? '.ts' : '.js'}`, fromModule);
  if (!fromSources) return new Worker(url, options);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { ...options, eval: true });
}
