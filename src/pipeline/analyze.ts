/**
 * The data flow of `loupe analyze`: inputs → reader → events → graph + detectors → store.
 *
 * Every input is read by the reader that recognises its content. A damaged record is counted and
 * reported with where it was; an input nothing recognises, or whose reader gives up, is reported
 * and the run goes on with the next one. Writes go to the store in batches, one transaction each.
 */
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { Detector } from '../detect/types.js';
import type { Event } from '../normalize/event.js';
import { expandPaths, type ExpandOptions } from '../sources/inputs.js';
import { chooseReader } from '../sources/registry.js';
import type { Input, Location, ReadContext } from '../sources/types.js';
import type { CaseStore } from '../store/types.js';
import { Ingestor } from './ingest.js';
import type { BatchWriter } from '../store/sqlite/async-writer.js';

export interface FileSummary {
  name: string;
  format: string;
  size?: number;
  sha256?: string;
  /** Events produced. */
  events: number;
  errors: number;
  /** The first reasons, each with where it happened. */
  errorSamples: string[];
  facts?: Record<string, unknown>;
  ms: number;
}

export interface Progress {
  fileStart?(name: string, size: number | undefined): void;
  bytes?(n: number): void;
  fileEnd?(summary: FileSummary): void;
}

export interface AnalyzeOptions {
  store: CaseStore;
  detectors?: Detector[];
  progress?: Progress;
  expand?: ExpandOptions;
  /** Events per store transaction (default 5,000). */
  batchSize?: number;
  /** Also hand each event to this callback (tests, exporters). */
  onEvent?(e: Event, id: string): void;
  /** Write through this writer thread instead of `store` directly (file stores; see async-writer.ts). */
  writer?: BatchWriter;
  /** Options for readers, handed to each as `ReadContext.options` (see src/sources/types.ts). */
  readerOptions?: Record<string, unknown>;
  /** Wraps each store write, to commit other writes with it (see IngestOptions.commit). */
  commit?(write: () => void): void;
}

export interface AnalyzeResult {
  files: FileSummary[];
  events: number;
  errors: number;
  /** Inputs that gave no events and had errors (unknown format, empty, unreadable). */
  unreadable: number;
  alerts: number;
  ms: number;
}

const MAX_SAMPLES = 20;

function where(loc: Location): string {
  const parts: string[] = [];
  if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.record !== undefined) parts.push(`record ${loc.record}`);
  if (loc.offset !== undefined) parts.push(`offset ${loc.offset}`);
  return parts.join(', ') || 'input';
}

async function sha256Of(input: Input): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of input.open() as AsyncIterable<Buffer>) h.update(chunk);
  return h.digest('hex');
}

/** Counts bytes as the reader consumes them, for the progress bar. */
function metered(input: Input, onBytes: ((n: number) => void) | undefined): Input {
  if (!onBytes) return input;
  return {
    ...input,
    open: () => {
      const meter = new Transform({
        transform(chunk: Buffer, _e, cb: TransformCallback) {
          onBytes(chunk.length);
          cb(null, chunk);
        },
      });
      const src = input.open();
      src.on('error', (err) => meter.destroy(err));
      return src.pipe(meter);
    },
  };
}

function describeHead(head: Buffer): string {
  if (head.length === 0) return 'the file is empty';
  const printable = head.subarray(0, 16).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
  const hex = head.subarray(0, 8).toString('hex').replace(/(..)/g, '$1 ').trim();
  return `not a format Loupe reads (starts with ${hex} "${printable}")`;
}

export async function analyzePaths(paths: string[], opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const t0 = Date.now();
  const store = opts.store;
  const result: AnalyzeResult = { files: [], events: 0, errors: 0, unreadable: 0, alerts: 0, ms: 0 };
  let current: ReadContext | undefined;
  const ingest = new Ingestor({
    store,
    detectors: opts.detectors,
    batchSize: opts.batchSize,
    onEvent: opts.onEvent,
    writer: opts.writer,
    commit: opts.commit,
    onDetectorError: (name, e, err) => current?.error({ record: e.origin.record, line: e.origin.line }, `detector ${name} failed: ${err.message}`),
  });

  const finishFile = (s: FileSummary, evidenceId?: number) => {
    result.files.push(s);
    result.events += s.events;
    result.errors += s.errors;
    if (s.events === 0 && s.errors > 0) result.unreadable++;
    const rec = { name: s.name, sha256: s.sha256, format: s.format, size: s.size, records: s.events, errors: s.errors, errorSamples: s.errorSamples, facts: s.facts };
    if (evidenceId === undefined) store.addEvidence(rec);
    // With the file's last batch, so that the next file is read while the store catches up.
    else ingest.updateEvidence(evidenceId, rec);
    opts.progress?.fileEnd?.(s);
  };

  for await (const x of expandPaths(paths, opts.expand)) {
    if ('problem' in x) {
      finishFile({ name: x.problem.name, format: 'unreadable', events: 0, errors: 1, errorSamples: [x.problem.reason], ms: 0 });
      continue;
    }
    const input = x.input;
    const started = Date.now();
    const summary: FileSummary = { name: input.name, format: 'unknown', size: input.size, events: 0, errors: 0, errorSamples: [], ms: 0 };
    const chosen = chooseReader(input, opts.readerOptions);
    if (!chosen) {
      summary.errors = 1;
      summary.errorSamples.push(describeHead(input.head));
      finishFile(summary);
      continue;
    }
    summary.format = chosen.reader.format;
    opts.progress?.fileStart?.(input.name, input.size);
    try {
      summary.sha256 = await sha256Of(input);
    } catch (err) {
      summary.errors = 1;
      summary.errorSamples.push(`cannot read: ${(err as Error).message}`);
      finishFile(summary);
      continue;
    }
    const evidenceId = store.addEvidence({ name: input.name, sha256: summary.sha256, format: summary.format, size: input.size, records: 0, errors: 0, errorSamples: [] });
    const idPrefix = summary.sha256.slice(0, 16);
    const ctx: ReadContext = (current = {
      error(loc: Location, reason: string) {
        summary.errors++;
        if (summary.errorSamples.length < MAX_SAMPLES) summary.errorSamples.push(`${where(loc)}: ${reason}`);
      },
      fact(key: string, value: unknown) {
        (summary.facts ??= {})[key] = value;
      },
      options: opts.readerOptions,
    });
    try {
      for await (const batch of chosen.reader.read(metered(input, opts.progress?.bytes), ctx)) {
        for (const e of batch) {
          const seq = ++summary.events;
          ingest.add(e, `${idPrefix}:${seq}`, evidenceId, seq);
        }
        await ingest.settle(1);
      }
    } catch (err) {
      ctx.error({}, `reading stopped: ${(err as Error).message}`);
    }
    for (const note of input.notes ?? []) ctx.error({}, note);
    // The file's counts go with its last batch; held nodes go when many are held or with the last
    // file's (see GraphBuilder). Not waiting for the store here keeps both cores busy across files.
    summary.ms = Date.now() - started;
    finishFile(summary, evidenceId);
    ingest.flush();
    await ingest.settle(1);
  }

  await ingest.finish((name, err) => {
    result.errors++;
    result.files.push({ name: `(detector ${name})`, format: 'detector', events: 0, errors: 1, errorSamples: [`finish failed: ${err.message}`], ms: 0 });
  });
  result.alerts = ingest.alerts;
  result.ms = Date.now() - t0;
  return result;
}
