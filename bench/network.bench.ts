/**
 * Network verdicts at scale. Each scenario runs in its own process so that its peak memory is
 * its own:
 * - load: 1M generated indicators (a plain list, mixed types) read, validated and indexed;
 * - lookups: domain (suffix, label by label) and address (exact + CIDR) look-ups per second
 *   against those 1M indicators (goal: 1M look-ups/s);
 * - analysis: 100k and 1M generated connection records (with DNS answers naming the
 *   destinations, some of them TinyCheck feed domains) through the network detector with
 *   TinyCheck's feed and whitelist (goal: 1M connections in under 10 s; TinyCheck's
 *   `netflow_check` took 12.2 s for 60k on a 2-core VM, ../shared/reference/tinycheck.md).
 * Event generation is timed separately and left out of the analysis rate.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { importIocText } from '../src/detect/ioc/importers/index.js';
import { IocIndex } from '../src/detect/ioc/ioc-index.js';
import { loadIndicators } from '../src/detect/ioc/load.js';
import { NetworkDetector } from '../src/detect/network/index.js';
import type { Event } from '../src/normalize/event.js';

const self = fileURLToPath(import.meta.url);
/** Replaces each string by a flat copy, as JSON.parse would give it. */
function flatten(a: string[]): void {
  const copy = JSON.parse(JSON.stringify(a)) as string[];
  for (let i = 0; i < a.length; i++) a[i] = copy[i]!;
}
const cpuSeconds = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const mb = (b: number) => Math.round(b / 1048576);
const maxRss = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** A small deterministic generator (no Math.random: runs compare). */
function rng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyz';
function word(r: () => number, min = 4, max = 10): string {
  const n = min + Math.floor(r() * (max - min + 1));
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHA[Math.floor(r() * 26)];
  return s;
}
const TLDS = ['com', 'net', 'org', 'io', 'info', 'ru', 'de', 'fr', 'co.uk', 'xyz'];
const SYLLABLES = ['ka', 'lo', 'mi', 'ster', 'tion', 'ra', 'ne', 'to', 'shop', 'cloud', 'net', 'app', 'di', 'ver', 'san', 'mar', 'co', 'line', 'data', 'pro'];
/** A name people could have chosen (the DGA check has nothing to say about it). */
function pronounceable(r: () => number): string {
  const n = 2 + Math.floor(r() * 3);
  let s = '';
  for (let i = 0; i < n; i++) s += SYLLABLES[Math.floor(r() * SYLLABLES.length)];
  return s;
}
const ip4 = (r: () => number) => `${1 + Math.floor(r() * 222)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${1 + Math.floor(r() * 254)}`;

/** 1M indicators: 60 % domains, 20 % IPv4, 8 % CIDRs, 5 % IPv6, 7 % SHA-1. */
function generateIndicators(n: number): { text: string; domains: string[]; ips: string[] } {
  const r = rng(42);
  const lines: string[] = [];
  const domains: string[] = [];
  const ips: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = r();
    if (p < 0.6) {
      const d = `${r() < 0.5 ? `${word(r)}.` : ''}${word(r)}${i}.${TLDS[Math.floor(r() * TLDS.length)]}`;
      domains.push(d);
      lines.push(d);
    } else if (p < 0.8) {
      const a = ip4(r);
      ips.push(a);
      lines.push(a);
    } else if (p < 0.88) {
      const prefix = 16 + Math.floor(r() * 17);
      lines.push(`${ip4(r)}/${prefix}`);
    } else if (p < 0.93) {
      lines.push(`2001:db8:${Math.floor(r() * 65536).toString(16)}::${Math.floor(r() * 65536).toString(16)}`);
    } else {
      let h = '';
      for (let k = 0; k < 40; k++) h += '0123456789abcdef'[Math.floor(r() * 16)];
      lines.push(h);
    }
  }
  return { text: lines.join('\n'), domains, ips };
}

async function loadAndLookups(): Promise<void> {
  const N = 1_000_000;
  const gen = generateIndicators(N);
  global.gc?.();
  const base = process.memoryUsage();
  const t0 = performance.now();
  const cLoad = process.cpuUsage();
  const result = importIocText(gen.text, { name: 'generated.txt' });
  const t1 = performance.now();
  const index = IocIndex.from(result.indicators);
  const t2 = performance.now();
  global.gc?.();
  const after = process.memoryUsage();
  const loadCpu = cpuSeconds(cLoad);
  const errors = result.issues.filter((i) => i.severity === 'error').length;
  console.log(`load: ${N.toLocaleString('en-US')} indicators (${mb(Buffer.byteLength(gen.text))} MB of text): import+validate ${((t1 - t0) / 1000).toFixed(2)} s, index ${((t2 - t1) / 1000).toFixed(2)} s, total ${((t2 - t0) / 1000).toFixed(2)} s (${Math.round(N / ((t2 - t0) / 1000)).toLocaleString('en-US')} indicators/s); CPU ${loadCpu.toFixed(2)} s; ${errors} refused`);
  console.log(`load: memory held by indicators + index: heap +${mb(after.heapUsed - base.heapUsed)} MB, RSS +${mb(after.rss - base.rss)} MB (RSS ${mb(after.rss)} MB)`);

  // Look-ups: half hits (an indicator, often under a new subdomain), half misses.
  const r = rng(7);
  const M = 2_000_000;
  const names: string[] = new Array(M);
  for (let i = 0; i < M; i++) {
    if (i % 2 === 0) {
      const d = gen.domains[Math.floor(r() * gen.domains.length)]!;
      names[i] = r() < 0.5 ? `${word(r, 3, 6)}.${d}` : d;
    } else names[i] = `${word(r, 3, 6)}.${word(r)}.${TLDS[Math.floor(r() * TLDS.length)]}`;
  }
  // Names as a reader delivers them: flat strings from JSON.parse, not concatenation ropes.
  flatten(names);
  // The set-up's garbage (2M names and their copies) is collected before the clock starts: the
  // look-ups allocate nothing, and the collector's work on that garbage is not theirs.
  global.gc?.();
  let hits = 0;
  let t = performance.now();
  let c0 = process.cpuUsage();
  for (let i = 0; i < M; i++) if (index.matchDomain(names[i]!)) hits++;
  let s = (performance.now() - t) / 1000;
  let cpu = cpuSeconds(c0);
  console.log(`lookups: ${M.toLocaleString('en-US')} domain look-ups in ${s.toFixed(2)} s wall = ${Math.round(M / s).toLocaleString('en-US')}/s; ${cpu.toFixed(2)} s CPU = ${Math.round(M / cpu).toLocaleString('en-US')}/s (${hits.toLocaleString('en-US')} hits; goal 1,000,000/s)`);
  const addrs: string[] = new Array(M);
  for (let i = 0; i < M; i++) addrs[i] = i % 2 === 0 ? gen.ips[Math.floor(r() * gen.ips.length)]! : ip4(r);
  flatten(addrs);
  global.gc?.();
  hits = 0;
  t = performance.now();
  c0 = process.cpuUsage();
  for (let i = 0; i < M; i++) if (index.matchIp(addrs[i]!) || index.matchCidr(addrs[i]!)) hits++;
  s = (performance.now() - t) / 1000;
  cpu = cpuSeconds(c0);
  console.log(`lookups: ${M.toLocaleString('en-US')} address look-ups (exact, then CIDR) in ${s.toFixed(2)} s wall = ${Math.round(M / s).toLocaleString('en-US')}/s; ${cpu.toFixed(2)} s CPU = ${Math.round(M / cpu).toLocaleString('en-US')}/s (${hits.toLocaleString('en-US')} hits)`);
  // Calibration: one plain Map.get per name on the same machine, now. A suffix look-up does one
  // per label plus the hashing, so it cannot beat this; the ratio says what the machine allowed.
  const plain = new Map<string, number>();
  for (let i = 0; i < gen.domains.length; i++) plain.set(gen.domains[i]!, i);
  global.gc?.();
  c0 = process.cpuUsage();
  t = performance.now();
  hits = 0;
  for (let i = 0; i < M; i++) if (plain.get(names[i]!) !== undefined) hits++;
  s = (performance.now() - t) / 1000;
  cpu = cpuSeconds(c0);
  console.log(`lookups: calibration, one plain Map.get per name: ${Math.round(M / s).toLocaleString('en-US')}/s wall, ${Math.round(M / cpu).toLocaleString('en-US')}/s CPU`);
  console.log(`lookups: load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores during the run (wall figures suffer when the machine is shared; CPU figures less)`);
  console.log(`load+lookups: peak RSS ${maxRss()} MB`);
}

/** Connection events as the Zeek normalizer shapes them (what the detector reads). */
function makeEvent(log: 'conn' | 'dns', raw: Record<string, unknown>, ts: number, record: number): Event {
  return {
    '@timestamp': ts * 1000,
    event: { kind: 'event', category: ['network'], type: ['connection'], action: log === 'conn' ? 'network-connection' : 'dns-query', dataset: `zeek.${log}` },
    zeek: { log },
    raw,
    origin: { file: 'generated', format: 'bench', record },
  };
}

async function analysis(nConns: number): Promise<void> {
  const { iocs, whitelist, report } = await loadIndicators({});
  if (report.iocCount === 0) console.log('analysis: TinyCheck feed not found; running without it');
  const feedDomains = ['evil-stalker.com'];
  // A few of the destinations are named by feed domains (IOC-03/04 alerts), the rest by random names.
  for (const s of report.sources) if (s.name.includes('iocs.json')) feedDomains.length = 0;
  const r = rng(3);
  const SOURCES = 200;
  const DESTS = Math.min(20000, Math.max(2000, nConns / 50));
  const dests = Array.from({ length: DESTS }, () => ip4(r));
  const names = dests.map((_, i) => (i % 500 === 0 ? `c2.${['copy9.com', 'thetruthspy.com', 'mspy.com', 'flexispy.com'][i % 4]}` : `${pronounceable(r)}.${pronounceable(r)}${i}.${TLDS[i % TLDS.length]}`));
  const ports = [443, 443, 443, 80, 8080, 5228, 53, 993, 8443, 3478];
  const srcs = Array.from({ length: SOURCES }, (_, i) => `192.168.${1 + (i >> 8)}.${1 + (i & 255)}`);
  // Each source talks to 100 destinations: pairs stay bounded as in real traffic.
  const perSource = srcs.map(() => Array.from({ length: 100 }, () => Math.floor(r() * DESTS)));

  let record = 0;
  const t0 = 1_700_000_000;
  let jitter = rng(11);
  const generate = (sink: (e: Event) => void) => {
    for (let i = 0; i < DESTS; i++) {
      const ts = t0 + i * 0.01;
      sink(makeEvent('dns', { ts, uid: `D${i}`, 'id.orig_h': srcs[i % SOURCES], 'id.orig_p': 5353, 'id.resp_h': '192.168.1.1', 'id.resp_p': 53, proto: 'udp', query: names[i], qtype_name: 'A', rcode_name: 'NOERROR', answers: [dests[i]] }, ts, ++record));
    }
    for (let i = 0; i < nConns; i++) {
      const s = i % SOURCES;
      const d = perSource[s]![Math.floor(i / SOURCES) % 100]!;
      // Every 50th destination is a clockwork beacon (regular times, constant sizes); the others
      // are talked to in bursts, at random moments of one hour of the day, with random sizes.
      const beacon = d % 50 === 0;
      const ts = beacon ? t0 + i * (86400 / nConns) : t0 + ((d * 7 + s * 13) % 23) * 3600 + jitter() * 3600;
      const size = beacon ? 200 + (i % 300) : 100 + Math.floor(jitter() * 5000);
      const port = ports[d % ports.length]!;
      sink(
        makeEvent(
          'conn',
          {
            ts,
            uid: `C${i}`,
            'id.orig_h': srcs[s],
            'id.orig_p': 40000 + (i % 20000),
            'id.resp_h': dests[d],
            'id.resp_p': port,
            proto: port === 53 || port === 3478 ? 'udp' : 'tcp',
            service: port === 80 || port === 8080 ? 'http' : port === 53 ? 'dns' : 'ssl',
            duration: (i % 1000) / 10,
            orig_bytes: size,
            resp_bytes: 1000 + (i % 5000),
            orig_ip_bytes: size + 40,
            conn_state: 'SF',
          },
          ts,
          ++record,
        ),
      );
    }
  };

  // Generation alone, to subtract: the sink reads a field so the events are really built.
  let count = 0;
  let t = performance.now();
  generate((e) => {
    count += (e.raw['id.orig_h'] as string).length;
  });
  const genMs = performance.now() - t;

  record = 0;
  jitter = rng(11);
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  const det = new NetworkDetector({ iocs, whitelist });
  t = performance.now();
  generate((e) => det.onEvent(e, { eventId: `g${e.origin.record}`, emit: () => undefined }));
  const ingestMs = performance.now() - t;
  const t2 = performance.now();
  const f = await det.analyse();
  const finishMs = performance.now() - t2;
  const cpu = process.cpuUsage(cpu0);
  const rss1 = process.memoryUsage().rss;
  global.gc?.();
  // What the detector holds after the run (state + findings), garbage collected.
  const heldMB = mb(process.memoryUsage().heapUsed - heap0);
  const analysisMs = ingestMs - genMs + finishMs;
  const byRule: Record<string, number> = {};
  for (const a of f.alerts) byRule[a.ruleId] = (byRule[a.ruleId] ?? 0) + 1;
  const tinycheckRate = 60000 / 12.2;
  const rate = nConns / (analysisMs / 1000);
  console.log(
    `analysis: ${nConns.toLocaleString('en-US')} connections + ${DESTS.toLocaleString('en-US')} DNS answers, ${f.destinations.length.toLocaleString('en-US')} destinations, ${SOURCES} sources: ` +
      `${(analysisMs / 1000).toFixed(2)} s (per-event ${((ingestMs - genMs) / 1000).toFixed(2)} s + finish ${(finishMs / 1000).toFixed(2)} s; generation ${(genMs / 1000).toFixed(2)} s excluded) = ` +
      `${Math.round(rate).toLocaleString('en-US')} connections/s; TinyCheck ${Math.round(tinycheckRate).toLocaleString('en-US')}/s (60k in 12.2 s) → ×${Math.round(rate / tinycheckRate)}`,
  );
  console.log(`analysis: CPU ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s for generation + analysis (wall ${((ingestMs + finishMs) / 1000).toFixed(2)} s; load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  console.log(`analysis: ${f.alerts.length} alerts ${JSON.stringify(byRule)}; RSS +${mb(rss1 - rss0)} MB, heap held after GC +${heldMB} MB, peak RSS ${maxRss()} MB`);
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--child');
  if (i >= 0) {
    const kind = process.argv[i + 1];
    if (kind === 'load') await loadAndLookups();
    else await analysis(Number(process.argv[i + 2]));
    return;
  }
  for (const args of [['load'], ['analysis', '100000'], ['analysis', '1000000']]) {
    const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.exitCode = 1;
  }
}

await main();
