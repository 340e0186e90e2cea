/**
 * Worker thread entry: parses the batches of chunks the main thread transfers to it and sends
 * back the rendered records. Chunks are independent, so any worker can take any batch; the main
 * thread puts the answers back in file order.
 */
import { parentPort } from 'node:worker_threads';
import { processBatch, type EventsRequest } from './batch.js';
import type { RenderOptions } from './chunk.js';

export interface BatchRequest {
  id: number;
  buf: ArrayBuffer;
  first: number;
  count: number;
  lastLength: number;
  opts: RenderOptions;
  events?: EventsRequest;
}

/** 64-bit values beyond 2^53 travel as the nearest number, as the JSON rendering has them. */
function bigintAsNumber(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

parentPort?.on('message', (req: BatchRequest) => {
  try {
    const result = processBatch(Buffer.from(req.buf), req.first, req.count, req.lastLength, req.opts, req.events);
    // As JSON text: the main thread's JSON.parse rebuilds the objects several times faster than
    // structured-clone deserialisation would, and the main thread is the one that must not lag.
    parentPort!.postMessage({ id: req.id, json: JSON.stringify(result, bigintAsNumber) });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
});
