/**
 * A bounded loopback load run against a real `loupe serve` process: N agents, each generating
 * Sysmon events (NXLog JSON) at a fixed rate and sending them in gzip NDJSON batches with an
 * Idempotency-Key, retrying the same batch after 429 (Retry-After), connection errors and 5xx; the
 * server killed with SIGKILL mid-run and restarted on the same database. At the end the server is
 * stopped and the stored events counted: acknowledged must equal stored, and every generated event
 * must have been acknowledged. Used by test/server/load.test.ts (short) and bench/server.bench.ts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { openAgentRegistry } from '../../src/store/threats.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A loopback port nobody listens on now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface LoadOptions {
  dir: string;
  port: number;
  agents: number;
  /** Events per second per agent. */
  rate: number;
  seconds: number;
  /** Events per batch. */
  batch: number;
  /** Batches each agent may have in flight at once (default 2). */
  inflight?: number;
  /** Seconds into the run at which the server is killed with SIGKILL and restarted (none if undefined). */
  killAt?: number;
  /** Most seconds to wait, after generation ends, for agents to get everything acknowledged. */
  drainSeconds: number;
  /** Extra `loupe serve` arguments. */
  serveArgs?: string[];
  log?(s: string): void;
}

export interface LoadResult {
  /** Events the agents' schedules produced (agents x rate x seconds). */
  scheduled: number;
  /** Events the agents put into batches and sent at least once. */
  generated: number;
  acknowledged: number;
  stored: number;
  batches: number;
  duplicates: number;
  busy: number;
  errors: number;
  kills: number;
  /** Latencies of acknowledged requests (ms). */
  p50: number;
  p99: number;
  max: number;
  /** Acknowledged events per second from the first send to the last acknowledgement. */
  sustained: number;
  seconds: number;
  serverPeakRssMb?: number;
  drained: boolean;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const EXPLORER = 'C:\\Windows\\explorer.exe';
const IMAGES = [
  'C:\\Windows\\System32\\cmd.exe',
  'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
  'C:\\Windows\\System32\\notepad.exe',
  'C:\\Windows\\System32\\whoami.exe',
];

function utc(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

function hex(n: number, w: number): string {
  return n.toString(16).padStart(w, '0').slice(-w).toUpperCase();
}

/** One agent's endless stream of plausible Sysmon events (process trees with activity). */
export class EventGenerator {
  private n = 0;
  private procs: { guid: string; pid: number; image: string; left: number }[] = [];
  private nextPid = 1000;
  private readonly explorer: string;

  constructor(
    readonly host: string,
    private readonly t0: number,
    private readonly agent: number,
  ) {
    this.explorer = `{${hex(agent, 8)}-0000-0000-0000-000000000001}`;
  }

  private guid(): string {
    const k = this.n;
    return `{${hex(this.agent, 8)}-${hex(k >>> 16, 4)}-${hex(k & 0xffff, 4)}-0000-${hex(k, 12)}}`;
  }

  next(): string {
    const i = this.n++;
    const t = utc(this.t0 + i);
    const base = { Channel: SYSMON, Hostname: this.host, UtcTime: t, EventTime: t, SourceName: 'Microsoft-Windows-Sysmon', RecordNumber: i + 1 };
    if (this.procs.length < 8 || i % 25 === 0) {
      const parent = this.procs.length && i % 3 === 0 ? this.procs[i % this.procs.length]! : undefined;
      const image = IMAGES[i % IMAGES.length]!;
      const p = { guid: this.guid(), pid: this.nextPid++ % 65000, image, left: 20 };
      this.procs.push(p);
      return JSON.stringify({
        ...base,
        EventID: 1,
        ProcessGuid: p.guid,
        ProcessId: p.pid,
        Image: image,
        CommandLine: image.endsWith('whoami.exe') ? 'whoami /all' : `"${image}" --run ${i}`,
        User: 'CORP\\user',
        IntegrityLevel: 'Medium',
        Hashes: `MD5=${hex(i, 32)}`,
        ParentProcessGuid: parent?.guid ?? this.explorer,
        ParentProcessId: parent?.pid ?? 900,
        ParentImage: parent?.image ?? EXPLORER,
        ParentCommandLine: parent?.image ?? EXPLORER,
      });
    }
    const p = this.procs[i % this.procs.length]!;
    if (--p.left <= 0) {
      this.procs.splice(this.procs.indexOf(p), 1);
      return JSON.stringify({ ...base, EventID: 5, ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image });
    }
    if (i % 2 === 0)
      return JSON.stringify({
        ...base,
        EventID: 3,
        ProcessGuid: p.guid,
        ProcessId: p.pid,
        Image: p.image,
        Protocol: 'tcp',
        Initiated: 'true',
        SourceIp: '10.0.0.5',
        SourcePort: 40000 + (i % 20000),
        DestinationIp: `198.51.100.${i % 250}`,
        DestinationPort: 443,
      });
    return JSON.stringify({ ...base, EventID: 11, ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image, TargetFilename: `C:\\Users\\user\\AppData\\Local\\Temp\\f${i}.tmp` });
  }
}

function serverCommand(dir: string, port: number, extra: string[]): { cmd: string; args: string[] } {
  const script = join(REPO, 'test', 'server', 'child-server.ts');
  return { cmd: process.execPath, args: ['--import', 'tsx', script, 'serve', '--db', join(dir, 'live.db'), '--port', String(port), ...extra] };
}

async function healthy(port: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
      if (r.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function peakRss(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(s);
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function loadRun(o: LoadOptions): Promise<LoadResult> {
  const log = o.log ?? (() => {});
  const db = join(o.dir, 'live.db');
  // Tokens first (as `loupe agents add` would).
  const tokens: string[] = [];
  {
    const store = openSqliteStore(db);
    const reg = openAgentRegistry(store);
    for (let a = 0; a < o.agents; a++) tokens.push(reg.add(`load-agent-${a}`, 'agent').token);
    store.close();
  }
  const { cmd, args } = serverCommand(o.dir, o.port, o.serveArgs ?? []);
  let server: ChildProcess | undefined;
  let peak = 0;
  const start = async () => {
    server = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => {
      const s = d.toString();
      if (/error|fail/i.test(s)) log(`server: ${s.trim().slice(0, 300)}`);
    });
    if (!(await healthy(o.port, 60_000))) throw new Error('the server did not come up');
  };
  const stop = async (signal: NodeJS.Signals) => {
    const s = server;
    if (!s || s.exitCode !== null) return;
    const rss = peakRss(s.pid);
    if (rss) peak = Math.max(peak, rss);
    const done = new Promise((r) => s.once('exit', r));
    s.kill(signal);
    await done;
  };
  await start();

  const latencies: number[] = [];
  let generated = 0;
  let acknowledged = 0;
  let batches = 0;
  let duplicates = 0;
  let busy = 0;
  let errors = 0;
  let kills = 0;
  let firstSend = 0;
  let lastAck = 0;
  let generating = true;
  const t0 = performance.now();
  const base = Date.UTC(2024, 0, 10, 9, 0, 0);

  const agents = tokens.map((token, a) => {
    const gen = new EventGenerator(`load-ws-${a}`, base, a + 1);
    let made = 0;
    let k = 0;
    /** Events the schedule has produced so far (rate x elapsed, up to rate x seconds). */
    const due = () => Math.min(Math.floor((o.rate * (performance.now() - t0)) / 1000), o.rate * o.seconds);
    const sender = async () => {
      let pending: { key: string; body: Buffer; n: number } | undefined;
      for (;;) {
        if (!pending) {
          const n = Math.min(o.batch, due() - made);
          if (n <= 0) {
            if (!generating && due() - made <= 0) return;
            await new Promise((r) => setTimeout(r, 10));
            continue;
          }
          // Built when sent (the content depends only on the event's number), so that a backlog
          // costs no memory on the agent's side.
          const lines: string[] = [];
          for (let i = 0; i < n; i++) lines.push(gen.next());
          made += n;
          generated += n;
          pending = { key: `agent${a}-${k++}`, body: gzipSync(Buffer.from(lines.join('\n'))), n };
        }
        const sent = performance.now();
        if (!firstSend) firstSend = sent;
        try {
          const r = await fetch(`http://127.0.0.1:${o.port}/api/v1/ingest`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip', 'idempotency-key': pending.key },
            body: pending.body,
          });
          if (r.status === 200) {
            const j = (await r.json()) as { accepted: number; duplicate?: boolean };
            latencies.push(performance.now() - sent);
            acknowledged += j.accepted;
            if (j.duplicate) duplicates++;
            if (j.accepted !== pending.n) log(`agent ${a}: batch ${pending.key} accepted ${j.accepted} of ${pending.n}`);
            batches++;
            lastAck = performance.now();
            pending = undefined;
          } else if (r.status === 429) {
            busy++;
            await r.arrayBuffer();
            const wait = Number(r.headers.get('retry-after') ?? '1');
            await new Promise((res) => setTimeout(res, Math.min(10, Math.max(1, wait)) * 1000));
          } else {
            errors++;
            const text = await r.text();
            if (errors <= 5) log(`agent ${a}: HTTP ${r.status} ${text.slice(0, 200)}`);
            await new Promise((res) => setTimeout(res, 200));
          }
        } catch (err) {
          // Connection refused or reset: the server is down; send the same batch again.
          errors++;
          if (errors <= 5) log(`agent ${a}: ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '').slice(0, 200)}`);
          await new Promise((res) => setTimeout(res, 200));
        }
      }
    };
    return { done: Promise.all(Array.from({ length: o.inflight ?? 2 }, sender)) };
  });

  let killer: Promise<void> | undefined;
  if (o.killAt !== undefined)
    killer = new Promise<void>((res) => setTimeout(res, o.killAt! * 1000)).then(async () => {
      log(`SIGKILL to the server at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      await stop('SIGKILL');
      kills++;
      await start();
      log(`server back at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    });

  await new Promise((r) => setTimeout(r, o.seconds * 1000));
  generating = false;
  log(`generation stopped at ${((performance.now() - t0) / 1000).toFixed(1)} s: ${generated} events; draining`);
  let limit: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    Promise.all(agents.map((x) => x.done)).then(() => true),
    new Promise<boolean>((r) => (limit = setTimeout(() => r(false), o.drainSeconds * 1000))),
  ]);
  clearTimeout(limit); // or it would keep the process alive until the limit
  await killer;
  // A clean stop: queued batches are committed before the server exits.
  await stop('SIGTERM');

  const d = new Database(db, { readonly: true });
  const stored = (d.prepare("SELECT count(*) AS n FROM events e JOIN cases c ON c.id = e.case_id WHERE c.name = 'live'").get() as { n: number }).n;
  d.close();
  latencies.sort((a, b) => a - b);
  const span = (lastAck - firstSend) / 1000;
  return {
    scheduled: o.agents * o.rate * o.seconds,
    generated,
    acknowledged,
    stored,
    batches,
    duplicates,
    busy,
    errors,
    kills,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? 0,
    sustained: span > 0 ? acknowledged / span : 0,
    seconds: (performance.now() - t0) / 1000,
    serverPeakRssMb: peak || undefined,
    drained,
  };
}

export function describe(r: LoadResult): string {
  return [
    `scheduled ${r.scheduled} events, sent ${r.generated}, acknowledged ${r.acknowledged}, stored ${r.stored} (${r.stored === r.acknowledged ? 'acknowledged = stored' : 'acknowledged != stored'}); ` +
      (r.drained ? `lost ${r.scheduled - r.acknowledged}` : `${r.scheduled - r.acknowledged} still waiting on the agents' side when the drain limit hit (not lost: unacknowledged)`),
    `batches ${r.batches} (${r.duplicates} answered as duplicates after a resend), 429s ${r.busy}, connection errors/5xx ${r.errors}, server kills ${r.kills}`,
    `sustained ${Math.round(r.sustained)} events/s; ingest latency p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, max ${r.max.toFixed(1)} ms`,
    `run ${r.seconds.toFixed(1)} s${r.serverPeakRssMb ? `; server peak RSS ${r.serverPeakRssMb.toFixed(0)} MB` : ''}${r.drained ? '' : '; NOT drained within the limit'}`,
  ].join('\n');
}

