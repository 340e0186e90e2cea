// Capture analysis throughput: MB/s and packets/s on the largest shared traces and on a ~1 GB
// capture built from them under /tmp (deleted afterwards), with peak memory, next to tshark
// (`tshark -r FILE -T fields -e ip.src -e ip.dst -e dns.qry.name -e http.host
// -e tls.handshake.extensions_server_name`) on the same files, and the ratio.
// Options (environment): BENCH_PCAP_MB (size of the built capture, default 1024), BENCH_NO_TSHARK=1.
import { spawnSync, execFileSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { captureRecords } from '../src/sources/pcap/reader.js';
import { readCapture } from '../src/sources/pcap/capture.js';
import { shared } from '../test/helpers/shared.js';

const TRACES = ['http/no_crlf.pcap', 'smb/smb2.pcap', 'irc-dcc-send.pcapng', 'ssh/ssh.pcap', 'quic/firefox-102.13.0esr-blog-cloudflare-com.pcap', 'wikipedia.pcap'];
const targetMB = Number(process.env.BENCH_PCAP_MB ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'loupe-pcap-bench-'));

function haveTshark(): boolean {
  if (process.env.BENCH_NO_TSHARK) return false;
  try {
    execFileSync('tshark', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Ours {
  seconds: number;
  cpu: number;
  packets: number;
  records: number;
  peakLive: number;
  peakRssMB: number;
}

async function ours(file: string): Promise<Ours> {
  const facts: Record<string, unknown> = {};
  let records = 0;
  let peakRss = process.memoryUsage().rss;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for await (const recs of captureRecords(createReadStream(file, { highWaterMark: 1 << 20 }), { error: () => {}, fact: (k, v) => { facts[k] = v; } })) {
    records += recs.length;
    if (++n % 64 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  return { seconds, cpu: (cu.user + cu.system) / 1e6, packets: Number(facts.packets ?? 0), records, peakLive: Number(facts['peak live connections'] ?? 0), peakRssMB: peakRss / 1e6 };
}

function tshark(file: string): { seconds: number; cpu?: number; peakRssMB?: number } | undefined {
  const args = ['-r', file, '-T', 'fields', '-e', 'ip.src', '-e', 'ip.dst', '-e', 'dns.qry.name', '-e', 'http.host', '-e', 'tls.handshake.extensions_server_name'];
  const t0 = performance.now();
  const useTime = existsSync('/usr/bin/time');
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M CPU %U %S', 'tshark', ...args], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 })
    : spawnSync('tshark', args, { stdio: ['ignore', 'ignore', 'ignore'] });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return undefined;
  const m = useTime ? /MAXRSS (\d+) CPU ([\d.]+) ([\d.]+)/.exec(r.stderr.toString()) : null;
  return { seconds, cpu: m ? Number(m[2]) + Number(m[3]) : undefined, peakRssMB: m ? Number(m[1]) / 1000 : undefined };
}

function row(name: string, bytes: number, o: Ours, t: ReturnType<typeof tshark>): string {
  const mb = bytes / 1e6;
  const ourMBs = mb / o.seconds;
  const parts = [
    name.padEnd(34).slice(0, 34),
    `${mb.toFixed(1).padStart(7)} MB`,
    `${ourMBs.toFixed(1).padStart(7)} MB/s`,
    `${Math.round(o.packets / o.seconds).toString().padStart(8)} pkt/s`,
    `cpu ${o.cpu.toFixed(2)} s`,
    `rss ${o.peakRssMB.toFixed(0).padStart(4)} MB`,
    `live≤${o.peakLive}`,
  ];
  if (t) {
    parts.push(`| tshark ${(mb / t.seconds).toFixed(1)} MB/s ${Math.round(o.packets / t.seconds)} pkt/s${t.cpu !== undefined ? ` cpu ${t.cpu.toFixed(2)} s` : ''}${t.peakRssMB ? ` rss ${t.peakRssMB.toFixed(0)} MB` : ''}`);
    parts.push(`| ratio wall ${(t.seconds / o.seconds).toFixed(2)}x${t.cpu !== undefined ? ` cpu ${(t.cpu / o.cpu).toFixed(2)}x` : ''}`);
  }
  return parts.join('  ');
}

/** Writes a µs pcap of about `mb` MB from Ethernet traces, each copy shifted past every timeout. */
async function buildBig(files: string[], mb: number, out: string): Promise<void> {
  const packets: Array<{ ts: number; data: Buffer }[]> = [];
  for (const f of files) {
    let buf = readFileSync(f);
    if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
    const list: { ts: number; data: Buffer }[] = [];
    const { Readable } = await import('node:stream');
    for await (const p of readCapture(Readable.from([buf]), { error: () => {} })) if (p.linktype === 1) list.push({ ts: p.ts, data: Buffer.from(p.data) });
    if (list.length > 0) packets.push(list);
  }
  const fd = openSync(out, 'w');
  const g = Buffer.alloc(24);
  g.writeUInt32LE(0xa1b2c3d4, 0);
  g.writeUInt16LE(2, 4);
  g.writeUInt16LE(4, 6);
  g.writeUInt32LE(262144, 16);
  g.writeUInt32LE(1, 20);
  writeSync(fd, g);
  let written = 24;
  let base = 1600000000;
  const limit = mb * 1e6;
  const chunk: Buffer[] = [];
  let chunkLen = 0;
  while (written < limit) {
    for (const list of packets) {
      // Gaps between packets are kept but clamped to [0, 60] s, so time only moves forward.
      let prev = list[0]!.ts;
      let ts = base;
      let last = base;
      for (const p of list) {
        ts += Math.min(60, Math.max(0, p.ts - prev));
        prev = p.ts;
        last = Math.max(last, ts);
        const h = Buffer.alloc(16);
        const sec = Math.floor(ts);
        h.writeUInt32LE(sec, 0);
        h.writeUInt32LE(Math.min(999999, Math.round((ts - sec) * 1e6)), 4);
        h.writeUInt32LE(p.data.length, 8);
        h.writeUInt32LE(p.data.length, 12);
        chunk.push(h, p.data);
        chunkLen += 16 + p.data.length;
        if (chunkLen > 8 << 20) {
          writeSync(fd, Buffer.concat(chunk));
          written += chunkLen;
          chunk.length = 0;
          chunkLen = 0;
        }
      }
      // Past the TCP inactivity timeout (5 min): the next copy's flows are new connections.
      base = last + 400;
      if (written >= limit) break;
    }
  }
  if (chunkLen > 0) writeSync(fd, Buffer.concat(chunk));
  closeSync(fd);
}

async function main(): Promise<void> {
  const withTshark = haveTshark();
  if (!withTshark) console.log('tshark not found (apt-get install -y tshark): peer figures skipped');
  const files: string[] = [];
  for (const t of TRACES) {
    const p = shared('zeek', 'traces', t);
    if (existsSync(p)) files.push(p);
  }
  const apt = shared('mordor', 'datasets', 'compound', 'apt29', 'day2', 'pcaps', 'NEWYORK.zip');
  if (existsSync(apt)) {
    try {
      execFileSync('unzip', ['-o', '-q', '-P', 'infected', apt, 'NEWYORK.cap', '-d', work]);
      files.unshift(join(work, 'NEWYORK.cap'));
    } catch {
      console.log('unzip failed: NEWYORK.cap left out');
    }
  }
  console.log('file                                   size      ours                       memory     | peer');
  for (const f of files) {
    const o = await ours(f);
    const t = withTshark ? tshark(f) : undefined;
    console.log(row(f.split('/').slice(-2).join('/'), statSync(f).size, o, t));
  }
  const big = join(work, 'big.pcap');
  const t0 = performance.now();
  await buildBig(files.filter((f) => !f.endsWith('.pcapng')), targetMB, big);
  console.log(`built ${(statSync(big).size / 1e6).toFixed(0)} MB capture from ${files.length} traces in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  global.gc?.();
  const o = await ours(big);
  const t = withTshark ? tshark(big) : undefined;
  console.log(row(`built capture (${targetMB} MB target)`, statSync(big).size, o, t));
  console.log(`records ${o.records}, packets ${o.packets}, peak live connections ${o.peakLive}, process maxRSS ${(process.resourceUsage().maxRSS / 1000).toFixed(0)} MB`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
