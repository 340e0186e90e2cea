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
 *
 * Then where the time goes, on one thread and without the store: the same input read only; read
 * and JSON.parse'd; read into events (normalised); into the graph; through the detectors; and
 * serialised for the store. Each stage includes the ones before it, so the first two bound from
 * above what any ingest that parses its JSON can reach on this machine.
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
import { expandPaths } from '../src/sources/inputs.js';
import { jsonValues } from '../src/sources/json/values.js';
import { chooseReader } from '../src/sources/registry.js';
import { GraphBuilder } from '../src/graph/builder.js';
import { prepareEvents } from '../src/store/sqlite/store.js';
import type { ReadContext } from '../src/sources/types.js';

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

const STAGES = ['read', 'parse', 'normalise', 'graph', 'detect', 'serialise'] as const;
type Stage = (typeof STAGES)[number];

/** One stage of the ingest on this thread alone (see the header); prints events and times. */
async function stageChild(input: string, stage: Stage): Promise<void> {
  const upTo = (s: Stage) => STAGES.indexOf(stage) >= STAGES.indexOf(s);
  const detectors = upTo('detect') ? (await buildDetectors({})).detectors : [];
  const graph = new GraphBuilder();
  const ctx: ReadContext = { error() {}, fact() {} };
  let events = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for await (const x of expandPaths([input])) {
    if ('problem' in x) throw new Error(x.problem.reason);
    if (!upTo('normalise')) {
      for await (const values of jsonValues(x.input.open(), { onError() {} }))
        for (const v of values) {
          events++;
          if (upTo('parse')) JSON.parse(v.text);
        }
      continue;
    }
    const chosen = chooseReader(x.input);
    if (!chosen) throw new Error(`${input}: no reader`);
    for await (const batch of chosen.reader.read(x.input, ctx)) {
      for (const e of batch) {
        const id = `bench:${++events}`;
        if (upTo('graph')) {
          graph.addEvent(e, id);
          if (graph.pending >= 20_000) graph.drain();
        }
        for (const d of detectors) d.onEvent(e, { eventId: id, emit() {}, raised: [] });
        if (upTo('serialise')) prepareEvents([{ id, evidenceId: 1, seq: events, event: e }]);
      }
    }
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ events, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

function stages(label: string, input: string): void {
  console.log(`\nWhere the time goes (${label}), one thread, no store; each stage includes the ones above it:`);
  let before = 0;
  for (const stage of STAGES) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--stage', stage, input], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.log(`  ${stage}: failed\n${r.stderr.slice(-2000)}`);
      return;
    }
    const j = JSON.parse(line);
    const perEvent = (j.ms * 1000) / j.events;
    console.log(
      `  ${stage.padEnd(10)} ${(j.events / (j.ms / 1000)).toFixed(0).padStart(8)} events/s  ${perEvent.toFixed(1).padStart(6)} µs/event (+${(perEvent - before).toFixed(1)})  cpu ${(j.cpuMs / 1000).toFixed(1)} s`,
    );
    before = perEvent;
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
} else if (process.argv[2] === '--stage') {
  applyHeapPolicy();
  await stageChild(process.argv[4], process.argv[3] as Stage);
} else {
  console.log('Ingest: evidence to graph + Sigma (built-in rules) + SQLite store, end to end, one process');
  const mordor = shared('mordor', 'datasets', 'atomic', 'windows', 'lateral_movement', 'host', 'empire_dcom_shellwindows_stager.zip');
  run('largest Mordor recording (49.5 MB JSON)', mordor);
  stages('largest Mordor recording', mordor);
  // The example files are written here, before the measured process starts, so that its peak
  // memory is the ingest's alone and not the generator's.
  const dir = mkdtempSync(join(tmpdir(), 'loupe-bench-example-'));
  try {
    for (const n of [100_000, 1_000_000]) {
      const file = join(dir, `example-${n}.json`);
      await writeExample(file, { hosts: 50, events: n });
      run(`example generator, ${n / 1000 >= 1000 ? `${n / 1e6}M` : `${n / 1000}k`} events, 50 hosts`, file);
      if (n === 100_000) stages('example generator, 100k events', file);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
