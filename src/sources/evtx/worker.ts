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

const CHUNK_SIZE = 65536;

parentPort?.on('message', (req: BatchRequest) => {
  try {
    const buf = Buffer.from(req.buf);
    // One JSON text per chunk: the main thread's JSON.parse rebuilds objects several times faster
    // than structured-clone deserialisation would, and parsing chunk by chunk as they are handed
    // on keeps few of them alive at once on the thread that must not lag.
    const parts: string[] = [];
    // Rendered text (JSON lines, XML) travels as plain strings, not escaped inside JSON text.
    const field = req.opts.text ? 'text' : req.opts.xml ? 'xml' : undefined;
    const texts: string[][] | undefined = field ? [] : undefined;
    for (let i = 0; i < req.count; i++) {
      const last = i === req.count - 1;
      const r = processBatch(buf.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE), req.first + i, 1, last ? req.lastLength : CHUNK_SIZE, req.opts, req.events);
      if (texts) {
        const t: string[] = new Array(r.records.length);
        for (let j = 0; j < r.records.length; j++) {
          t[j] = r.records[j][field!] ?? '';
          r.records[j][field!] = undefined;
        }
        texts.push(t);
      }
      parts.push(JSON.stringify(r, bigintAsNumber));
    }
    parentPort!.postMessage({ id: req.id, parts, texts, field });
  } catch (e) {
    parentPort!.postMessage({ id: req.id, error: e instanceof Error ? e.message : String(e) });
  }
});
