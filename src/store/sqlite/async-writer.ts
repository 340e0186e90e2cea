/**
 * Writes to the store from a second thread, so that SQLite's work overlaps with reading,
 * normalising, graph building and detection on the main thread (the two cores both work).
 * Events are serialised here, before crossing, because strings cross threads almost for free
 * while object graphs are cloned field by field.
 *
 * Batches commit in the order they were sent. `write` resolves once its batch is committed.
 * SQLite allows one writer at a time: while this writer is busy the main connection should only
 * read. A file store only (an in-memory database cannot be shared between threads).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import type { WriteBatch } from '../types.js';
import { prepareEvents } from './store.js';

export interface BatchWriter {
  write(batch: WriteBatch): Promise<void>;
  close(): Promise<void>;
}

export function openAsyncWriter(path: string, caseName: string): BatchWriter {
  const worker: Worker = startWorker(import.meta.url, 'writer-worker');
  let next = 0;
  const waiting = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let failed: Error | undefined;
  worker.on('message', (m: { n?: number; error?: string; closed?: boolean }) => {
    if (m.n === undefined) return;
    const w = waiting.get(m.n);
    waiting.delete(m.n);
    if (m.error) w?.reject(new Error(`store write failed: ${m.error}`));
    else w?.resolve();
  });
  worker.on('error', (e) => {
    failed = e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  });
  return {
    write(batch: WriteBatch): Promise<void> {
      if (failed) return Promise.reject(failed);
      const n = next++;
      const { events, ...rest } = batch;
      const prepared = [...(rest.prepared ?? []), ...(events ? prepareEvents(events) : [])];
      return new Promise<void>((resolve, reject) => {
        waiting.set(n, { resolve, reject });
        worker.postMessage({ n, path, caseName, batch: { ...rest, prepared } });
      });
    },
    async close(): Promise<void> {
      await new Promise<void>((resolve) => {
        worker.once('message', () => resolve());
        worker.postMessage({ close: true });
      });
      await worker.terminate();
    },
  };
}
