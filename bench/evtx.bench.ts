/**
 * EVTX throughput and memory, Loupe against its peers on the same files:
 *
 * - Loupe's reader rendering every record as the evtx crate's JSON (as the text `loupe evtx dump`
 *   prints, and as JS objects), as XML, and as normalised Loupe events; on one thread, and with
 *   the reader's default worker threads (one per core but one, the main thread parsing its share);
 * - libevtx's `evtxexport` (Debian libevtx-utils), default text export and `-f xml`;
 * - python-evtx's `evtx_dump.py` (Debian python3-evtx), its record loop run in one process for
 *   all files (so interpreter start-up is paid once, in its favour).
 *
 * Datasets: all shared EVTX files (evtx/samples and the sigma-regression cases), and a 1 GB file
 * made of security.evtx's chunks over and over, under the system temp folder (deleted at the
 * end). One log's chunks, with a header announcing them all: libevtx reads only the chunks the
 * header announces, and stops early in a file whose chunks come from different logs, which would
 * flatter it. python-evtx reads ~0.2 MB/s, so on the 1 GB file it is timed on its first 32 MB.
 * The records each peer actually read are printed next to its figures.
 *
 * Each measurement runs in a process of its own so that its peak memory (max RSS, worker threads
 * included) is its own. Throughput is given per wall-clock second and per CPU second (user +
 * system, all threads): on a shared machine the second is the steadier comparison, the first is
 * what the workers buy. Usage: npm run bench -- evtx  (LOUPE_EVTX_BENCH_GB=0.25 for a smaller file)
 */
import { spawnSync } from 'node:child_process';
import { crc32 } from 'node:zlib';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { needShared, shared } from '../test/helpers/shared.js';

const SELF = fileURLToPath(import.meta.url);
const CHUNK = 65536;
const HEADER = 4096;

interface Measure {
  seconds: number;
  /** CPU seconds (user + system, all threads): what a busy shared machine does not inflate. */
  cpu: number;
  bytes: number;
  records: number;
  errors: number;
  maxRssMb: number;
}

// ------------------------------------------------------------------------------------------
// Child mode: read the files, print one JSON line with the figures.

async function measureChild(mode: string, threads: number, passes: number, files: string[]): Promise<void> {
  const { readEvtx, readEvtxEvents, closeEvtxWorkers } = await import('../src/sources/evtx/read.js');
  let records = 0;
  let errors = 0;
  let bytes = 0;
  const onIssue = (i: { kind: string }): void => {
    if (i.kind !== 'warning') errors++;
  };
  // Start the workers before the clock: their start-up is a once-per-process cost.
  if (threads > 0) {
    for await (const b of readEvtx(files[0], { threads, workerThreshold: 0 })) void b;
  }
  // Pass 1 is cold (JIT warming up, templates compiled for the first time); pass 2, when asked
  // for, is what a long-running process sees.
  for (let pass = 1; pass <= passes; pass++) {
    records = 0;
    errors = 0;
    bytes = 0;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const f of files) {
      bytes += statSync(f).size;
      const opts = { threads, workerThreshold: 0, onIssue, json: mode !== 'xml', xml: mode === 'xml', text: mode === 'text' };
      if (mode === 'events') {
        for await (const b of readEvtxEvents(f, f, opts)) records += b.length;
      } else {
        for await (const b of readEvtx(f, opts)) records += b.length;
      }
    }
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const m: Measure = { seconds, cpu: (c.user + c.system) / 1e6, bytes, records, errors, maxRssMb: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(JSON.stringify(m) + '\n');
  }
  await closeEvtxWorkers();
}

// ------------------------------------------------------------------------------------------
// Parent mode.

function listEvtx(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) listEvtx(p, out);
    else if (name.endsWith('.evtx')) out.push(p);
  }
  return out;
}

/** Loupe's figures; with `warm`, also a second pass in the same process. */
function loupe(mode: string, threads: number, files: string[], warm = false): { cold: Measure; warm?: Measure } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--measure', mode, String(threads), warm ? '2' : '1', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`measure ${mode}/${threads} failed: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Measure);
  return { cold: lines[0], warm: warm ? lines[1] : undefined };
}

interface Timed {
  seconds: number;
  cpu: number;
  maxRssMb: number;
  /** Records the peer read, when it tells. */
  records?: number;
}

/** Runs `cmd` under /usr/bin/time; output to /dev/null. Wall and CPU seconds, max RSS (MB). */
function timed(cmd: string, args: string[]): Timed {
  const r = spawnSync('/usr/bin/time', ['-f', 'LOUPE_TIME %e %U %S %M', cmd, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const m = /LOUPE_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${cmd} failed: ${(r.stderr ?? '').slice(0, 500)}`);
  const n = /LOUPE_RECORDS (\d+)/.exec(r.stderr ?? '');
  return { seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), maxRssMb: Number(m[4]) / 1024, records: n ? Number(n[1]) : undefined };
}

function evtxexport(files: string[], xml: boolean): Timed {
  const sum: Timed = { seconds: 0, cpu: 0, maxRssMb: 0 };
  for (const f of files) {
    const t = timed('evtxexport', xml ? ['-f', 'xml', f] : [f]);
    sum.seconds += t.seconds;
    sum.cpu += t.cpu;
    sum.maxRssMb = Math.max(sum.maxRssMb, t.maxRssMb);
  }
  return sum;
}

/** Records evtxexport reads from `files` (an untimed run counting its "Event number" lines). */
function evtxexportRecords(files: string[]): number {
  let n = 0;
  for (const f of files) {
    const r = spawnSync('sh', ['-c', 'evtxexport "$1" 2>/dev/null | grep -c "^Event number"', 'sh', f], { encoding: 'utf8' });
    n += Number(r.stdout.trim()) || 0;
  }
  return n;
}

/** python-evtx: evtx_dump.py's record loop, for all files in one interpreter. */
function pythonEvtx(files: string[]): Timed {
  const script = [
    'import sys, Evtx.Evtx as evtx',
    'out = open("/dev/null", "w")',
    'n = 0',
    'for path in sys.argv[1:]:',
    '    try:',
    '        with evtx.Evtx(path) as log:',
    '            for record in log.records():',
    '                try:',
    '                    out.write(record.xml())',
    '                    n += 1',
    '                except Exception:',
    '                    pass',
    '    except Exception:',
    '        pass',
    'sys.stderr.write("LOUPE_RECORDS %d\\n" % n)',
  ].join('\n');
  return timed('/usr/bin/python3', ['-c', script, ...files]);
}

function have(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
}

/**
 * A file header announcing `chunks` chunks (first 0, last chunks-1), clean, CRC set: libevtx reads
 * only as many chunks as the header announces, so the header must tell the truth.
 */
function fileHeader(template: Buffer, chunks: number): Buffer {
  const h = Buffer.from(template.subarray(0, HEADER));
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks - 1)), 16);
  h.writeUInt16LE(Math.min(chunks, 0xffff), 42);
  h.writeUInt32LE(0, 120); // flags: clean
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return h;
}

/** A file of about `bytes` made of `source`'s chunks (each chunk intact), repeated. */
function buildBigFile(path: string, bytes: number, source: string): void {
  const chunks: Buffer[] = [];
  {
    const b = readFileSync(source);
    for (let o = HEADER; o + CHUNK <= b.length; o += CHUNK) {
      const c = b.subarray(o, o + CHUNK);
      if (c.toString('latin1', 0, 8) === 'ElfChnk\0') chunks.push(c);
    }
  }
  const count = Math.ceil((bytes - HEADER) / CHUNK);
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, fileHeader(readFileSync(source), count));
    for (let i = 0; i < count; i++) writeSync(fd, chunks[i % chunks.length]);
  } finally {
    closeSync(fd);
  }
}

/** The first chunks of `src` (about `bytes`), with a header that says so. */
function copyPrefix(src: string, dst: string, bytes: number): void {
  const count = Math.floor((bytes - HEADER) / CHUNK);
  const fd = openSync(dst, 'w');
  const buf = readFileSync(src).subarray(0, HEADER + count * CHUNK);
  writeSync(fd, fileHeader(buf, count));
  writeSync(fd, buf.subarray(HEADER));
  closeSync(fd);
}

const mb = (b: number): string => (b / 1e6).toFixed(1);
const num = (x: number): string => Math.round(x).toLocaleString('en-US');

function line(label: string, m: Measure): void {
  console.log(
    `  ${label.padEnd(38)} wall ${m.seconds.toFixed(2).padStart(7)} s ${(m.bytes / 1e6 / m.seconds).toFixed(1).padStart(6)} MB/s ${num(m.records / m.seconds).padStart(8)} rec/s` +
      ` | cpu ${m.cpu.toFixed(2).padStart(7)} s ${(m.bytes / 1e6 / m.cpu).toFixed(1).padStart(6)} MB/cpu-s | peak RSS ${m.maxRssMb.toFixed(0)} MB` +
      (m.errors ? ` | ${num(m.records)} records, ${m.errors} errors` : ''),
  );
}

function peerLine(label: string, t: Timed, bytes: number, records: number, vs: [string, Measure][], peerRecords?: number, estimated = false): void {
  line(label, { ...t, bytes, records, errors: 0 });
  const read = peerRecords ?? t.records;
  const loupe = estimated ? `Loupe's share of the whole file by bytes ~${num(records)}` : `Loupe read ${num(records)}`;
  if (read !== undefined) console.log(`      (${label} read ${num(read)} records; ${loupe})`);
  for (const [name, m] of vs) {
    const wall = (m.bytes / m.seconds) / (bytes / t.seconds);
    const cpu = (m.bytes / m.cpu) / (bytes / t.cpu);
    console.log(`      Loupe ${name} vs ${label}: ${wall.toFixed(1)}x (wall MB/s), ${cpu.toFixed(1)}x (MB per CPU second)`);
  }
}

type Key = 'j0' | 'j2' | 't0' | 't2' | 'x0' | 'x2' | 'e0' | 'e2';
/** The reader's default on this machine: one worker per core but one, the calling thread parsing too. */
const WORKERS = Math.max(1, Math.min(3, availableParallelism() - 1));
const MT = `main + ${WORKERS} worker${WORKERS > 1 ? 's' : ''}`;
const RUNS: [Key, string, number, string][] = [
  ['t0', 'text', 0, 'Loupe JSON lines (text), 1 thread'],
  ['t2', 'text', WORKERS, `Loupe JSON lines (text), ${MT}`],
  ['j0', 'json', 0, 'Loupe JSON objects, 1 thread'],
  ['j2', 'json', WORKERS, `Loupe JSON objects, ${MT}`],
  ['x0', 'xml', 0, 'Loupe XML, 1 thread'],
  ['x2', 'xml', WORKERS, `Loupe XML, ${MT}`],
  ['e0', 'events', 0, 'Loupe events (normalised), 1 thread'],
  ['e2', 'events', WORKERS, `Loupe events (normalised), ${MT}`],
];

/**
 * Loupe's figures on `files`, each measurement in its own process; with `warm`, the second pass
 * (same process) is measured too and returned under `warm`.
 */
function measureAll(files: string[], warm = false): { cold: Record<Key, Measure>; warm?: Record<Key, Measure> } {
  const cold = {} as Record<Key, Measure>;
  const hot = {} as Record<Key, Measure>;
  for (const [key, mode, threads, label] of RUNS) {
    const r = loupe(mode, threads, files, warm);
    cold[key] = r.cold;
    line(label + (warm ? ', cold' : ''), r.cold);
    if (r.warm) {
      hot[key] = r.warm;
      line(label + ', warm', r.warm);
    }
  }
  return { cold, warm: warm ? hot : undefined };
}

async function parent(): Promise<void> {
  const missing = needShared('evtx', 'samples');
  if (missing) {
    console.log(`evtx bench skipped: ${missing}`);
    return;
  }
  const samples = listEvtx(shared('evtx', 'samples'));
  const regression = existsSync(shared('sigma-regression', 'regression_data')) ? listEvtx(shared('sigma-regression', 'regression_data')) : [];
  const allShared = [...samples, ...regression];
  const sharedBytes = allShared.reduce((a, f) => a + statSync(f).size, 0);
  const gb = Number(process.env.LOUPE_EVTX_BENCH_GB ?? 1);
  const big = join(tmpdir(), `loupe-evtx-bench-${process.pid}.evtx`);
  const bigPrefix = join(tmpdir(), `loupe-evtx-bench-${process.pid}-prefix.evtx`);
  const peers = { evtxexport: have('evtxexport'), python: existsSync('/usr/bin/evtx_dump.py') };
  console.log(`EVTX bench: ${allShared.length} shared files (${mb(sharedBytes)} MB), then a ${gb} GB file; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  if (!peers.evtxexport) console.log('  (evtxexport not installed: apt-get install -y libevtx-utils)');
  if (!peers.python) console.log('  (python-evtx not installed: apt-get install -y python3-evtx)');

  try {
    // ---- all shared files
    console.log(`\nAll shared EVTX files (${allShared.length} files, ${mb(sharedBytes)} MB):`);
    const { cold: r, warm: w } = measureAll(allShared, true);
    if (peers.evtxexport) {
      peerLine('evtxexport (text)', evtxexport(allShared, false), sharedBytes, r.j0.records, [
        ['JSON text 1 thread cold', r.t0], ['JSON text 1 thread warm', w!.t0], [`JSON text ${MT} warm`, w!.t2],
      ], evtxexportRecords(allShared));
      peerLine('evtxexport -f xml', evtxexport(allShared, true), sharedBytes, r.j0.records, [
        ['XML 1 thread cold', r.x0], ['XML 1 thread warm', w!.x0], [`XML ${MT} warm`, w!.x2],
      ]);
    }
    if (peers.python) {
      peerLine('python-evtx (XML)', pythonEvtx(allShared), sharedBytes, r.j0.records, [['XML 1 thread cold', r.x0], ['JSON text 1 thread cold', r.t0]]);
    }

    // ---- 1 GB
    buildBigFile(big, gb * 1e9, samples.find((f) => f.endsWith('/security.evtx')) ?? samples[0]);
    const bigBytes = statSync(big).size;
    console.log(`\nOne ${mb(bigBytes)} MB file of security.evtx's chunks:`);
    const b = measureAll([big]).cold;
    console.log(`  memory as files grow (peak RSS, ${mb(sharedBytes)} MB of files -> one ${mb(bigBytes)} MB file): ` +
      `JSON objects 1 thread ${r.j0.maxRssMb.toFixed(0)} -> ${b.j0.maxRssMb.toFixed(0)} MB, ${MT} ${r.j2.maxRssMb.toFixed(0)} -> ${b.j2.maxRssMb.toFixed(0)} MB, ` +
      `events ${MT} ${r.e2.maxRssMb.toFixed(0)} -> ${b.e2.maxRssMb.toFixed(0)} MB`);
    if (peers.evtxexport) {
      peerLine('evtxexport (text)', evtxexport([big], false), bigBytes, b.j0.records, [['JSON text 1 thread', b.t0], [`JSON text ${MT}`, b.t2], ['JSON objects 1 thread', b.j0]], evtxexportRecords([big]));
      peerLine('evtxexport -f xml', evtxexport([big], true), bigBytes, b.j0.records, [['XML 1 thread', b.x0], [`XML ${MT}`, b.x2]]);
    }
    if (peers.python) {
      const prefixBytes = 32 * 1024 * 1024;
      copyPrefix(big, bigPrefix, prefixBytes);
      const pBytes = statSync(bigPrefix).size;
      // Its records/s on the prefix: the prefix holds the same share of records as of bytes.
      peerLine(`python-evtx (XML), first ${mb(pBytes)} MB`, pythonEvtx([bigPrefix]), pBytes, Math.round(b.j0.records * (pBytes / bigBytes)), [['XML 1 thread', b.x0], ['JSON text 1 thread', b.t0]], undefined, true);
    }
  } finally {
    rmSync(big, { force: true });
    rmSync(bigPrefix, { force: true });
  }
}

if (process.argv[2] === '--measure') {
  await measureChild(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), process.argv.slice(6));
} else {
  await parent();
}
