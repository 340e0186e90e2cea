/**
 * The long EVTX fuzz run: 10,000 mutants (bit flips, interesting bytes, truncations, chunks
 * swapped or zeroed, record/free-space/template/substitution sizes and name offsets set huge) of
 * every shared sample, through the public reader. Fails on any exception escaping the reader, any
 * mutant slower than the bound, or heap left growing. Usage: npm run fuzz -- evtx [iterations] [seed]
 */
import { readdirSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { needShared, shared } from '../test/helpers/shared.js';
import { runFuzz } from '../test/evtx/fuzz-run.js';

setFlagsFromString('--expose-gc');
(globalThis as { gc?: () => void }).gc = runInNewContext('gc') as () => void;

const missing = needShared('evtx', 'samples');
if (missing) {
  console.log(`evtx fuzz skipped: ${missing}`);
  process.exit(0);
}
const iterations = Number(process.argv[2] ?? 10000);
const seed = Number(process.argv[3] ?? 1);
const BOUND_MS = 10_000;
const dir = shared('evtx', 'samples');
const files = readdirSync(dir).filter((f) => f.endsWith('.evtx')).sort().map((f) => `${dir}/${f}`);

const t0 = performance.now();
const stats = await runFuzz({
  files,
  iterations,
  seed,
  boundMs: BOUND_MS,
  xml: true,
  onProgress: (done, s) => {
    if (done % 1000 === 0) {
      console.log(`  ${done}/${iterations} mutants, ${s.crashes.length} crashes, slowest ${s.maxMs.toFixed(0)} ms, peak RSS ${s.peakRssMb.toFixed(0)} MB`);
    }
  },
});
const secs = (performance.now() - t0) / 1000;
console.log(`evtx fuzz: ${stats.mutants} mutants of ${files.length} samples (seed ${seed}) in ${secs.toFixed(0)} s`);
console.log(`  crashes: ${stats.crashes.length}; over ${BOUND_MS / 1000} s: ${stats.slow.length}; slowest: ${stats.maxMs.toFixed(0)} ms`);
console.log(`  reported: ${stats.recordErrors} record errors, ${stats.chunkErrors} chunk errors, ${stats.warnings} warnings; ${stats.records} records read`);
console.log(`  memory: peak RSS ${stats.peakRssMb.toFixed(0)} MB, heap growth after GC ${stats.heapGrowthMb.toFixed(1)} MB`);
for (const c of stats.crashes.slice(0, 10)) console.log(`  CRASH ${c.kind} seed ${c.seed} ${c.file}\n${c.error}`);
for (const s of stats.slow.slice(0, 10)) console.log(`  SLOW ${s.kind} seed ${s.seed} ${s.file}: ${s.ms.toFixed(0)} ms`);
const ok = stats.crashes.length === 0 && stats.slow.length === 0 && stats.heapGrowthMb < 100;
process.exit(ok ? 0 : 1);
