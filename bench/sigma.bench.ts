/**
 * Sigma throughput: every SigmaHQ rule (plus Loupe's own) over the 67 Mordor recordings.
 *
 * The recordings are decompressed in memory first (`unzip -p`, run without a shell; the four
 * .tar.gz are truncated, so they are inflated leniently in-process), parsed and normalised to
 * Loupe events (the NXLog shape, as the Windows JSON reader does), and only then is the detector
 * timed, on this one thread: events/s is the engine alone.
 * The end-to-end figure (JSON parse + normalise + detect) is printed beside it. Peak memory is
 * the process's max RSS. Then, per recording, which rules fired and how often (the list is
 * watched for noise).
 *
 * Peers (published, not run here): Hayabusa about 13k-18k events/s; Zircolite about 39k events/s
 * on a 10-core machine. Goal: 50k events/s on one core.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { basename, join } from 'node:path';
import { resourceUsage } from 'node:process';
import { SigmaDetector } from '../src/detect/sigma/detector.js';
import { SigmaEngine } from '../src/detect/sigma/engine.js';
import { builtinRulesDir } from '../src/detect/sigma/loader.js';
import type { Alert } from '../src/detect/types.js';
import type { Event } from '../src/normalize/event.js';
import { normalizeWindows, toWindowsRecord, windowsJsonShape } from '../src/normalize/windows.js';
import { shared } from '../test/helpers/shared.js';

const MORDOR = shared('mordor', 'datasets', 'atomic', 'windows');
const RULES = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => shared('sigma', d));

interface Recording {
  name: string;
  lines: string[];
  problem?: string;
  events: Event[];
  badLines: number;
}

/**
 * The four .tar.gz recordings are truncated (gzip: unexpected end of file), so `tar` gives up on
 * them; we inflate what is there and read the tar members ourselves, keeping the partial last one.
 */
function untarGzLenient(path: string): { text: string; problem?: string } {
  const gz = readFileSync(path);
  let tar: Buffer;
  let problem: string | undefined;
  try {
    tar = gunzipSync(gz);
  } catch {
    tar = gunzipSync(gz, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
    problem = `truncated gzip: ${tar.length} bytes recovered`;
  }
  const parts: string[] = [];
  for (let off = 0; off + 512 <= tar.length; ) {
    const name = tar.toString('latin1', off, off + 100).replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.toString('latin1', off + 124, off + 136).replace(/\0.*$/s, '').trim() || '0', 8);
    const type = tar[off + 156];
    const start = off + 512;
    if ((type === 0x30 || type === 0) && name.endsWith('.json')) parts.push(tar.toString('utf8', start, Math.min(tar.length, start + size)));
    off = start + Math.ceil(size / 512) * 512;
  }
  return { text: parts.join('\n'), problem };
}

function decompress(path: string): { text: string; problem?: string } {
  if (!path.endsWith('.zip')) return untarGzLenient(path);
  const r = spawnSync('unzip', ['-p', path], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const problem = r.status !== 0 ? `unzip exit ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}` : undefined;
  return { text: r.stdout ?? '', problem };
}

function recordings(): string[] {
  const out: string[] = [];
  for (const tactic of readdirSync(MORDOR).sort()) {
    const dir = join(MORDOR, tactic, 'host');
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names.sort()) if (n.endsWith('.zip') || n.endsWith('.tar.gz')) out.push(join(dir, n));
  }
  return out;
}

function toEvents(rec: Recording): void {
  let i = 0;
  for (const line of rec.lines) {
    i++;
    const t = line.trim();
    if (!t) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch {
      rec.badLines++;
      continue;
    }
    const shape = windowsJsonShape(obj);
    const wr = shape ? toWindowsRecord(obj, shape) : undefined;
    if (!wr) {
      rec.badLines++;
      continue;
    }
    rec.events.push(normalizeWindows(wr, { file: rec.name, format: shape!, line: i, record: i }));
  }
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

// 1. rules
(globalThis as { gc?: () => void }).gc?.();
const heap0 = process.memoryUsage().heapUsed;
let t = performance.now();
const engine = SigmaEngine.fromPaths([builtinRulesDir(), ...RULES]);
const loadMs = performance.now() - t;
(globalThis as { gc?: () => void }).gc?.();
const engineHeap = process.memoryUsage().heapUsed - heap0;
console.log(
  `rules: ${engine.index.rules.length} rules + ${engine.correlations.length} correlations loaded, ${engine.failures.length} not loaded, in ${(loadMs / 1000).toFixed(2)} s`,
);

// 2. recordings, decompressed and parsed in memory
t = performance.now();
const recs: Recording[] = [];
let bytes = 0;
for (const path of recordings()) {
  const { text, problem } = decompress(path);
  bytes += Buffer.byteLength(text);
  recs.push({ name: basename(path), lines: text.split('\n'), problem, events: [], badLines: 0 });
}
const unzipMs = performance.now() - t;
t = performance.now();
for (const r of recs) toEvents(r);
const parseMs = performance.now() - t;
const total = recs.reduce((a, r) => a + r.events.length, 0);
console.log(
  `mordor: ${recs.length} recordings, ${mb(bytes)} of JSON lines, ${total} events; decompress ${(unzipMs / 1000).toFixed(1)} s, parse+normalise ${(parseMs / 1000).toFixed(1)} s (${Math.round(total / (parseMs / 1000))} events/s)`,
);
for (const r of recs) if (r.problem || r.badLines) console.log(`  ${r.name}: ${r.problem ?? ''}${r.badLines ? ` ${r.badLines} lines not read` : ''}`);
for (const r of recs) r.lines = [];

// 3. detection, timed alone. Pass 1 is cold (each channel/event-id candidate list builds its
// prefilter automata on first use, the JIT warms up); pass 2 runs the same events again warm.
// CPU time is this process's user+system time: on a shared machine it is the fairer figure.
const perRec = new Map<string, Map<string, { title: string; level: string; count: number }>>();
function pass(record: boolean): { ms: number; cpuMs: number; alerts: number; candidates: number } {
  const det = new SigmaDetector(engine);
  let alerts = 0;
  let n = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const r of recs) {
    const fired = new Map<string, { title: string; level: string; count: number }>();
    if (record) perRec.set(r.name, fired);
    const emit = (a: Alert) => {
      alerts++;
      if (!record) return;
      const f = fired.get(a.ruleId) ?? { title: a.title, level: a.level, count: 0 };
      f.count++;
      fired.set(a.ruleId, f);
    };
    for (const e of r.events) det.onEvent(e, { eventId: `${r.name}:${n++}`, emit });
  }
  det.finish(() => alerts++);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, alerts, candidates: det.candidateEvents };
}
const cold = pass(true);
const warm = pass(false);
const rate = (ms: number) => Math.round(total / (ms / 1000));
console.log(`\nsigma over ${total} events, one thread (alerts: ${cold.alerts} cold, ${warm.alerts} warm; ${cold.candidates} events met candidate rules):`);
console.log(`  pass 1 (cold): ${(cold.ms / 1000).toFixed(2)} s wall = ${rate(cold.ms)} events/s; ${(cold.cpuMs / 1000).toFixed(2)} s cpu = ${rate(cold.cpuMs)} events/cpu-s`);
console.log(`  pass 2 (warm): ${(warm.ms / 1000).toFixed(2)} s wall = ${rate(warm.ms)} events/s; ${(warm.cpuMs / 1000).toFixed(2)} s cpu = ${rate(warm.cpuMs)} events/cpu-s`);
console.log(`  end to end, cold (parse + normalise + detect): ${rate(parseMs + cold.ms)} events/s`);
const mem = process.memoryUsage();
const pf = engine.index.prefilterStats();
console.log(`prefilter: ${pf.lists} candidate lists (channel x event id) met, ${pf.prefilters} with a prefilter, automata ${mb(pf.bytes)}`);
console.log(`memory: engine ${mb(engineHeap)} of heap after loading the rules; peak RSS ${mb(resourceUsage().maxRSS * 1024)}, heap now ${mb(mem.heapUsed)} (all recordings' events are held in memory)`);
const best = Math.max(rate(warm.ms), rate(warm.cpuMs));
console.log(`peers (published, not run here): Hayabusa ~13k-18k events/s; Zircolite ~39k events/s on 10 cores. Goal 50k events/s on one core.`);
console.log(`  ratio of warm cpu rate: ${(rate(warm.cpuMs) / 18000).toFixed(1)}x-${(rate(warm.cpuMs) / 13000).toFixed(1)}x Hayabusa, ${(rate(warm.cpuMs) / 39000).toFixed(1)}x Zircolite; ${best >= 50000 ? 'meets' : 'misses'} the 50k goal`);

// 4. which rules fire, per recording (pass 1)
console.log('\nrules fired per recording (count  level  title):');
for (const r of recs) {
  const fired = [...perRec.get(r.name)!.values()].sort((a, b) => b.count - a.count);
  console.log(`${r.name}  (${r.events.length} events, ${fired.reduce((a, f) => a + f.count, 0)} alerts, ${fired.length} rules)`);
  for (const f of fired) console.log(`  ${String(f.count).padStart(6)}  ${f.level.padEnd(13)} ${f.title}`);
}
