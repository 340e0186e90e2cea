/**
 * End-to-end ingest: evidence → events → graph + detectors → SQLite, as `loupe analyze` does it.
 *
 * Scenarios, each in a fresh process so that its peak memory is its own:
 * - the largest Mordor recording (zip, NXLog JSON lines);
 * - the built-in example generator at 100k and 1M events (memory should stay flat at 10x input).
 * Prints events/s, MB/s of decompressed input, CPU seconds, and peak RSS.
 *
 * Beagle, for comparison, built graphs at about 17k events/s with no storage at all (2.4 GB for
 * 400k events).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzePaths } from '../src/pipeline/analyze.js';
import { openSqliteStore } from '../src/store/sqlite/store.js';
import { openAsyncWriter } from '../src/store/sqlite/async-writer.js';
import { writeExample } from '../src/sources/example/generate.js';
import { buildDetectors } from '../src/detect/index.js';
import { shared } from '../test/helpers/shared.js';
import { applyHeapPolicy } from '../src/util/heap-policy.js';

const self = fileURLToPath(import.meta.url);

async function child(input: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-'));
  try {
    const store = openSqliteStore(join(dir, 'bench.db'));
    const c = store.openCase('bench');
    const { detectors } = await buildDetectors({});
    let bytes = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const writer = process.env.LOUPE_BENCH_SYNC ? undefined : openAsyncWriter(join(dir, 'bench.db'), 'bench');
    const r = await analyzePaths([input], { store: c, detectors, writer, progress: { bytes: (n) => (bytes += n) } });
    await writer?.close();
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    store.close();
    const dbBytes = statSync(join(dir, 'bench.db')).size;
    process.stdout.write(
      JSON.stringify({ events: r.events, errors: r.errors, alerts: r.alerts, ms, cpuMs: (cpu.user + cpu.system) / 1000, inputMB: bytes / 1e6, dbMB: dbBytes / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(label: string, input: string): void {
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', input], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    console.log(`${label}: failed\n${r.stderr.slice(-2000)}`);
    return;
  }
  const j = JSON.parse(line);
  const s = j.ms / 1000;
  console.log(
    `${label.padEnd(44)} ${String(j.events).padStart(9)} events  ${(j.events / s).toFixed(0).padStart(7)} events/s  ${(j.inputMB / s).toFixed(1).padStart(6)} MB/s  ` +
      `cpu ${(j.cpuMs / 1000).toFixed(1)} s  wall ${s.toFixed(1)} s  peak RSS ${j.maxRssMB.toFixed(0)} MB  db ${j.dbMB.toFixed(0)} MB  alerts ${j.alerts}`,
  );
}

if (process.argv[2] === '--child') {
  applyHeapPolicy(); // as the loupe command does
  await child(process.argv[3]);
} else {
  console.log('Ingest: evidence to graph + Sigma (built-in rules) + SQLite store, end to end, one process');
  const mordor = shared('mordor', 'datasets', 'atomic', 'windows', 'lateral_movement', 'host', 'empire_dcom_shellwindows_stager.zip');
  run('largest Mordor recording (49.5 MB JSON)', mordor);
  // The example files are written here, before the measured process starts, so that its peak
  // memory is the ingest's alone and not the generator's.
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-example-'));
  try {
    for (const n of [100_000, 1_000_000]) {
      const file = join(dir, `example-${n}.json`);
      await writeExample(file, { hosts: 50, events: n });
      run(`example generator, ${n / 1000 >= 1000 ? `${n / 1e6}M` : `${n / 1000}k`} events, 50 hosts`, file);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
