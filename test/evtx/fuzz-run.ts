/**
 * The fuzz loop shared by the short run in the tests and `npm run fuzz -- evtx`: mutants of real
 * samples through the public reader, each with a time bound, counting what the reader reported.
 * A crash is an exception out of the reader; a hang is a mutant slower than the bound.
 */
import { readFileSync } from 'node:fs';
import { readEvtx } from '../../src/sources/evtx/read.js';
import { MUTATIONS, mutate, type Mutation } from './mutate.js';

export interface FuzzStats {
  mutants: number;
  records: number;
  recordErrors: number;
  chunkErrors: number;
  warnings: number;
  crashes: { file: string; kind: Mutation; seed: number; error: string }[];
  slow: { file: string; kind: Mutation; seed: number; ms: number }[];
  maxMs: number;
  peakRssMb: number;
  /** Heap in use after the last mutant minus before the first, after garbage collection when exposed. */
  heapGrowthMb: number;
}

export interface FuzzOptions {
  files: string[];
  iterations: number;
  seed: number;
  /** A mutant slower than this counts as a hang. */
  boundMs: number;
  /** Render XML too (every third mutant), and JSON text (every third): all three renderers. */
  xml?: boolean;
  onProgress?(done: number, stats: FuzzStats): void;
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function runFuzz(o: FuzzOptions): Promise<FuzzStats> {
  const sources = o.files.map((f) => ({ f, b: readFileSync(f) }));
  const stats: FuzzStats = {
    mutants: 0, records: 0, recordErrors: 0, chunkErrors: 0, warnings: 0, crashes: [], slow: [], maxMs: 0, peakRssMb: 0, heapGrowthMb: 0,
  };
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < o.iterations; i++) {
    const seed = o.seed + i;
    const src = sources[i % sources.length];
    const kind = MUTATIONS[Math.floor(i / sources.length) % MUTATIONS.length];
    const buf = mutate(src.b, kind, seed);
    const t0 = performance.now();
    try {
      for await (const batch of readEvtx(buf, {
        threads: 0,
        json: true,
        xml: o.xml === true && i % 3 === 1,
        text: o.xml === true && i % 3 === 2,
        onIssue: (is) => {
          if (is.kind === 'warning') stats.warnings++;
          else if (is.kind === 'record') stats.recordErrors++;
          else stats.chunkErrors++;
        },
      })) {
        stats.records += batch.length;
      }
    } catch (e) {
      stats.crashes.push({ file: src.f, kind, seed, error: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
    const ms = performance.now() - t0;
    if (ms > stats.maxMs) stats.maxMs = ms;
    if (ms > o.boundMs) stats.slow.push({ file: src.f, kind, seed, ms });
    stats.mutants++;
    const rss = process.memoryUsage().rss / 1e6;
    if (rss > stats.peakRssMb) stats.peakRssMb = rss;
    o.onProgress?.(i + 1, stats);
  }
  gc();
  stats.heapGrowthMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  return stats;
}
