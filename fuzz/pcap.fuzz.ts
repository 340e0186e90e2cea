// Long robustness run for the capture readers and dissectors: 10,000 mutated captures (or
// FUZZ_CASES), each must finish without throwing and within FUZZ_MS_LIMIT (default 5 s).
// Replay one case with FUZZ_SEED=<seed> FUZZ_CASES=1.
import { mutate, rng, runOne, seeds } from '../test/pcap/fuzz-core.js';

const cases = Number(process.env.FUZZ_CASES ?? 10000);
const seed = Number(process.env.FUZZ_SEED ?? 1);
const limit = Number(process.env.FUZZ_MS_LIMIT ?? 5000);
const s = seeds();
const r = rng(seed);
let errors = 0;
let records = 0;
let slowest = 0;
let failed = 0;
const kinds: Record<string, number> = {};
const t0 = Date.now();
for (let i = 0; i < cases; i++) {
  const src = s[i % s.length]!;
  const m = mutate(src.buf, r);
  kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
  try {
    const out = await runOne(m.buf);
    errors += out.errors;
    records += out.records;
    slowest = Math.max(slowest, out.ms);
    if (out.ms > limit) {
      failed++;
      console.log(`SLOW case ${i} seed ${seed} (${src.name}, ${m.kind}): ${out.ms.toFixed(0)} ms`);
    }
  } catch (e) {
    failed++;
    console.log(`CRASH case ${i} seed ${seed} (${src.name}, ${m.kind}): ${(e as Error).stack}`);
  }
}
console.log(`pcap fuzz: ${cases} cases from ${s.length} seeds in ${((Date.now() - t0) / 1000).toFixed(1)} s; mutations ${JSON.stringify(kinds)}`);
console.log(`errors reported ${errors}, records produced ${records}, slowest case ${slowest.toFixed(0)} ms, failures ${failed}`);
process.exit(failed > 0 ? 1 : 0);
