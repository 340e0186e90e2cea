/**
 * `readEvtx`: the EVTX reader as a stream of record batches, usable on its own (no Loupe event
 * model involved). Reads chunk by chunk, so memory stays flat however large the file; spreads
 * batches of chunks over worker threads when the input is large enough to pay for them, and
 * hands the records back in file order.
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../util/start-worker.js';
import type { Event } from '../../normalize/event.js';
import { processBatch, type BatchResult, type EventsRequest } from './batch.js';
import type { Issue, RenderOptions, RenderedRecord } from './chunk.js';
import { FILE_HEADER_SIZE, parseFileHeader, type FileHeader } from './file-header.js';
import { openSource, type ChunkBatch, type EvtxSourceSpec } from './source.js';
import type { BatchRequest } from './worker.js';

export type { Issue, IssueKind, RenderOptions, RenderedRecord } from './chunk.js';

export interface ReadEvtxOptions extends RenderOptions {
  /**
   * A record or chunk that could not be read (these are what the evtx crate counts as errors), and
   * damage that lost nothing (`kind: 'warning'`: CRC mismatches, wiped space, a truncated end).
   * Without it, issues are dropped; Loupe's Reader always passes one.
   */
  onIssue?(issue: Issue): void;
  /** The file header, once read (its CRC problem, if any, is also reported as a warning). */
  onHeader?(header: FileHeader): void;
  /** Bytes of input consumed so far, after each batch. */
  onProgress?(bytes: number): void;
  /**
   * Worker threads, besides the calling thread, which parses its share of the chunks too: 0 parses
   * on the calling thread alone. Default: one per core but one (at most 3; so one worker on two
   * cores) when the input is at least `workerThreshold` bytes or of unknown size, else 0.
   */
  threads?: number;
  /** Inputs smaller than this are parsed on the calling thread (default 8 MiB). */
  workerThreshold?: number;
  /** Chunks per batch handed to a worker (default 8: 512 KiB); the calling thread reads 1 at a time. */
  batchChunks?: number;
}

const DEFAULT_BATCH = 8;
/**
 * Young-generation size for workers (MiB). Records live from parsing until they are serialised;
 * with V8's default the survivors of a batch spill into the old generation and major GCs take a
 * third of the time.
 */
const WORKER_YOUNG_GEN_MB = 64;
const DEFAULT_THRESHOLD = 8 * 1024 * 1024;

/**
 * Reads an EVTX file (path), stream or buffer; yields the records of each batch of chunks, in
 * file order. Never throws for damaged content: what cannot be read is reported to `onIssue` with
 * where it was and why, and reading goes on. Throws only when the input cannot be opened.
 */
export async function* readEvtx(spec: EvtxSourceSpec, opts: ReadEvtxOptions = {}): AsyncGenerator<RenderedRecord[]> {
  for await (const r of readBatches(spec, opts, undefined)) if (r.records.length) yield r.records;
}

/**
 * Like `readEvtx`, but yields Loupe events (Sysmon, Security, PowerShell, System, ... normalised),
 * built on the worker threads when there are any. `file` names the evidence in each event's origin.
 */
export async function* readEvtxEvents(spec: EvtxSourceSpec, file: string, opts: ReadEvtxOptions = {}): AsyncGenerator<Event[]> {
  const o = { ...opts, json: true, xml: false };
  for await (const r of readBatches(spec, o, { file })) if (r.events?.length) yield r.events;
}

async function* readBatches(spec: EvtxSourceSpec, opts: ReadEvtxOptions, events: EventsRequest | undefined): AsyncGenerator<BatchResult> {
  const src = await openSource(spec);
  const report = (i: Issue): void => opts.onIssue?.(i);
  const render: RenderOptions = { json: opts.json, xml: opts.xml, separateAttributes: opts.separateAttributes, text: opts.text, pretty: opts.pretty };
  try {
    const head = await src.header();
    let header: FileHeader;
    try {
      header = parseFileHeader(head);
    } catch (e) {
      report({ kind: 'chunk', chunk: -1, offset: 0, reason: `not an EVTX file: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    opts.onHeader?.(header);
    if (!header.checksumOk) {
      report({ kind: 'warning', chunk: -1, offset: 0, reason: `file header CRC32 mismatch (stored 0x${header.checksum.toString(16).padStart(8, '0')}); chunks are read anyway` });
    }
    if (head.length < FILE_HEADER_SIZE) return;

    const threads = chooseThreads(opts, src.size);
    // On the calling thread, a chunk at a time: records are handed on before the next chunk is
    // parsed, so few survive into the old generation (larger batches cost half again in GC).
    const batchChunks = Math.max(1, opts.batchChunks ?? (threads === 0 ? 1 : DEFAULT_BATCH));
    let consumed = FILE_HEADER_SIZE;
    const done = (b: ChunkBatch, r: BatchResult): BatchResult => {
      for (const i of r.issues) report(i);
      consumed += (b.count - 1) * 65536 + b.lastLength;
      opts.onProgress?.(consumed);
      return r;
    };

    if (threads === 0) {
      for (;;) {
        const b = await src.next(batchChunks);
        if (!b) break;
        yield done(b, processBatch(b.buf, b.first, b.count, b.lastLength, render, events));
      }
      return;
    }

    const pool = sharedPool(threads);
    // The calling thread parses one batch in every (threads + 1) itself: moving results between
    // threads costs about what parsing them does, so on two cores "one worker and this thread"
    // beats "two workers and this thread waiting". Every worker keeps one batch queued behind the
    // one it is parsing; no more, so memory is bounded by the batches in flight, not the file.
    const maxInFlight = threads * 2 + 1;
    const inFlight: { b: ChunkBatch; p: Promise<BatchParts> | null }[] = [];
    let eof = false;
    let turn = 0;
    for (;;) {
      while (!eof && inFlight.length < maxInFlight) {
        const b = await src.next(batchChunks);
        if (!b) {
          eof = true;
          break;
        }
        const local = turn++ % (threads + 1) === threads;
        inFlight.push({ b, p: local ? null : pool.run(b, render, events) });
      }
      const next = inFlight.shift();
      if (!next) break;
      if (!next.p) {
        // This thread's share, parsed now, while the workers get on with theirs.
        const b = next.b;
        for (let i = 0; i < b.count; i++) {
          const last = i === b.count - 1;
          const r = processBatch(b.buf.subarray(i * 65536, (i + 1) * 65536), b.first + i, 1, last ? b.lastLength : 65536, render, events);
          for (const is of r.issues) report(is);
          if (last) {
            consumed += (b.count - 1) * 65536 + b.lastLength;
            opts.onProgress?.(consumed);
          }
          yield r;
        }
        continue;
      }
      const { parts, texts, field } = await next.p;
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i];
        const r = typeof part === 'string' ? (JSON.parse(part) as BatchResult) : part;
        if (texts && field && typeof part === 'string') {
          const t = texts[i];
          for (let j = 0; j < r.records.length; j++) r.records[j][field] = t[j];
        }
        // Progress and issues per chunk; the batch's byte count once, with its last chunk.
        for (const is of r.issues) report(is);
        if (i === parts.length - 1) {
          consumed += (next.b.count - 1) * 65536 + next.b.lastLength;
          opts.onProgress?.(consumed);
        }
        yield r;
      }
    }
  } finally {
    await src.close();
  }
}

let pool: WorkerPool | null = null;

/**
 * Workers are started once and shared by every read in the process (starting one costs tens of
 * milliseconds, much more when running from sources); they do not keep the process alive.
 */
function sharedPool(threads: number): WorkerPool {
  if (!pool) pool = new WorkerPool();
  pool.ensure(threads);
  return pool;
}

/** Stops the shared worker threads (tests and benchmarks that want a clean exit or fresh workers). */
export async function closeEvtxWorkers(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close();
}

function chooseThreads(opts: ReadEvtxOptions, size: number | undefined): number {
  if (opts.threads !== undefined) return Math.max(0, Math.floor(opts.threads));
  const threshold = opts.workerThreshold ?? DEFAULT_THRESHOLD;
  if (size !== undefined && size < threshold) return 0;
  return Math.max(1, Math.min(3, availableParallelism() - 1));
}

/** A worker on ./worker (TypeScript when running from sources), young generation bounded. */
function startEvtxWorker(): Worker {
  return startWorker(import.meta.url, 'worker', { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GEN_MB } });
}

/**
 * A batch's results: one JSON text per chunk from a worker (with the records' rendered text apart,
 * when text was asked for), or results parsed here.
 */
interface BatchParts {
  parts: (string | BatchResult)[];
  texts?: string[][];
  field?: 'text' | 'xml';
}

interface Pending {
  resolve(r: BatchParts): void;
  batch: ChunkBatch;
  opts: RenderOptions;
  events: EventsRequest | undefined;
  worker: number;
}

/**
 * A fixed set of workers fed round-robin. A batch whose worker fails (crash, out of memory) is
 * parsed again on the calling thread, so a worker's death costs time, never records.
 */
class WorkerPool {
  private readonly workers: (Worker | null)[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private turn = 0;
  /** How many workers the current reads use (the pool may hold more from an earlier read). */
  private active = 0;

  /** At least `n` live workers, the first `n` used from now on. */
  ensure(n: number): void {
    for (let i = 0; i < n; i++) {
      if (i >= this.workers.length) this.workers.push(this.spawn(i));
      else if (!this.workers[i]) this.workers[i] = this.spawn(i);
    }
    this.active = n;
  }

  private spawn(i: number): Worker {
    const w = startEvtxWorker();
    w.on('message', (m: { id: number; parts?: string[]; texts?: string[][]; field?: 'text' | 'xml'; error?: string }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.settle(p.worker);
      p.resolve(m.parts ? { parts: m.parts, texts: m.texts, field: m.field } : this.fallback(p, m.error ?? 'worker failed'));
    });
    w.on('error', (e) => this.failWorker(i, e.message));
    w.on('exit', (code) => {
      if (this.workers[i] === w) this.failWorker(i, `worker exited with code ${code}`);
    });
    // Idle workers must not keep the process alive; busy ones must (see run() and settle()).
    // After the listeners: adding a 'message' listener refs the worker again.
    w.unref();
    return w;
  }

  /** Re-does on this thread every batch the dead worker still owed. */
  private failWorker(i: number, why: string): void {
    this.workers[i] = null;
    for (const [id, p] of this.pending) {
      if (p.worker !== i) continue;
      this.pending.delete(id);
      p.resolve(this.fallback(p, why));
    }
  }

  private fallback(p: Pending, why: string): BatchParts {
    // The worker got a copy of the batch (see run()); ours is still here to parse.
    const b = p.batch;
    const r = processBatch(b.buf, b.first, b.count, b.lastLength, p.opts, p.events);
    r.issues.unshift({ kind: 'warning', chunk: b.first, offset: FILE_HEADER_SIZE + b.first * 65536, reason: `worker thread failed (${why}); chunks ${b.first}..${b.first + b.count - 1} parsed on the main thread` });
    return { parts: [r] };
  }

  /** Unrefs worker `i` once nothing is pending on it. */
  private settle(i: number): void {
    for (const p of this.pending.values()) if (p.worker === i) return;
    this.workers[i]?.unref();
  }

  run(b: ChunkBatch, opts: RenderOptions, events: EventsRequest | undefined): Promise<BatchParts> {
    // Pick the next live worker; none left means this thread does the work.
    let w: Worker | null = null;
    let wi = -1;
    const n = Math.min(this.active, this.workers.length);
    for (let k = 0; k < n && !w; k++) {
      wi = this.turn++ % n;
      w = this.workers[wi];
    }
    if (!w) return Promise.resolve({ parts: [processBatch(b.buf, b.first, b.count, b.lastLength, opts, events)] });
    const id = this.nextId++;
    return new Promise<BatchParts>((resolve) => {
      this.pending.set(id, { resolve, batch: b, opts, events, worker: wi });
      const req: BatchRequest = { id, buf: b.buf.buffer as ArrayBuffer, first: b.first, count: b.count, lastLength: b.lastLength, opts, events };
      // Copied, not transferred (512 KiB, cheap): the batch stays here in case the worker dies.
      w!.ref();
      w!.postMessage(req);
    });
  }

  async close(): Promise<void> {
    const ws = this.workers.splice(0).filter((w): w is Worker => w !== null);
    await Promise.all(ws.map((w) => w.terminate()));
  }
}
