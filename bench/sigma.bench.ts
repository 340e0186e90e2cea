/**
 * Sigma throughput: every SigmaHQ rule (plus Loupe's own) over the 67 Mordor recordings.
 *
 * The recordings are decompressed in memory first (`unzip -p` / `tar -xzOf`, run without a
 * shell), parsed and normalised to Loupe events (the NXLog shape, as the Windows JSON reader
 * does), and only then is the detector timed, on this one thread: events/s is the engine alone.
 * The end-to-end figure (JSON parse + normalise + detect) is printed beside it. Peak memory is
 * the process's max RSS. Then, per recording, which rules fired and how often (the list is
 * watched for noise).
 *
 * Peers (published, not run here): Hayabusa about 13k-18k events/s; Zircolite about 39k events/s
 * on a 10-core machine. Goal: 50k events/s on one core.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
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

function decompress(path: string): { text: string; problem?: string } {
  const isZip = path.endsWith('.zip');
  const r = spawnSync(isZip ? 'unzip' : 'tar', isZip ? ['-p', path] : ['-xzOf', path], { maxBuffer: 1 << 30, encoding: 'utf8' });
  const problem = r.status !== 0 ? `${isZip ? 'unzip' : 'tar'} exit ${r.status}: ${(r.stderr || '').trim().split('\n').pop()}` : undefined;
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
let t = performance.now();
const engine = SigmaEngine.fromPaths([builtinRulesDir(), ...RULES]);
const loadMs = performance.now() - t;
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

// 3. detection, timed alone; one warm-up pass over the first recordings so the JIT has run
{
  const warm = new SigmaDetector(engine);
  let n = 0;
  for (const r of recs.slice(0, 5)) for (const e of r.events) warm.onEvent(e, { eventId: String(n++), emit: () => {} });
}
const perRec = new Map<string, Map<string, { title: string; level: string; count: number }>>();
const det = new SigmaDetector(engine);
let alerts = 0;
let n = 0;
const cpu0 = process.cpuUsage();
t = performance.now();
for (const r of recs) {
  const fired = new Map<string, { title: string; level: string; count: number }>();
  perRec.set(r.name, fired);
  const emit = (a: Alert) => {
    alerts++;
    const f = fired.get(a.ruleId) ?? { title: a.title, level: a.level, count: 0 };
    f.count++;
    fired.set(a.ruleId, f);
  };
  for (const e of r.events) det.onEvent(e, { eventId: `${r.name}:${n++}`, emit });
}
det.finish(() => alerts++);
const detMs = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const rate = Math.round(total / (detMs / 1000));
console.log(
  `\nsigma: ${total} events in ${(detMs / 1000).toFixed(2)} s = ${rate} events/s on one thread ` +
    `(cpu ${((cpu.user + cpu.system) / 1000 / detMs).toFixed(2)} cores); ${alerts} alerts; ${det.candidateEvents} events had candidate rules`,
);
console.log(`end to end (parse + normalise + detect): ${Math.round(total / ((parseMs + detMs) / 1000))} events/s`);
const mem = process.memoryUsage();
console.log(`memory: peak RSS ${mb(resourceUsage().maxRSS * 1024)}, heap used now ${mb(mem.heapUsed)} (the events of all recordings are held in memory)`);
console.log(`peers (published): Hayabusa ~13k-18k events/s -> ratio ${(rate / 18000).toFixed(1)}x-${(rate / 13000).toFixed(1)}x; Zircolite ~39k events/s (10 cores) -> ${(rate / 39000).toFixed(1)}x; goal 50k`);

// 4. which rules fire, per recording
console.log('\nrules fired per recording (count  level  title):');
for (const r of recs) {
  const fired = [...perRec.get(r.name)!.values()].sort((a, b) => b.count - a.count);
  console.log(`${r.name}  (${r.events.length} events, ${fired.reduce((a, f) => a + f.count, 0)} alerts, ${fired.length} rules)`);
  for (const f of fired) console.log(`  ${String(f.count).padStart(6)}  ${f.level.padEnd(13)} ${f.title}`);
}
