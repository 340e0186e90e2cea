/**
 * Cuckoo Sandbox and CAPE `report.json`.
 *
 * - Processes from `behavior.processes` (pid, parent pid, path, command line, `first_seen`), or
 *   from `behavior.processtree` when the list is absent; each becomes a process-start.
 * - Per-process activity from `behavior.generic[].summary` (Cuckoo 2: file_created, file_written,
 *   file_deleted, file_opened, dll_loaded, regkey_written, regkey_opened, regkey_read,
 *   regkey_deleted, connects_ip, resolves_host, fetches_url): attributed to that pid, right after
 *   the process's start so that the run's pid table names the right process. These summaries carry
 *   no time: their events are stamped with the process's first_seen.
 * - `behavior.summary` (one summary for the whole run, CAPE's shape): process-less.
 * - `network` (dns, http/http_ex/https_ex, tcp, udp): from the capture, so process-less; tcp/udp
 *   times are seconds since the capture's start, added to `info.started`.
 * - API calls (`behavior.processes[].calls`), memory dumps, strings, signatures and static
 *   analysis are not read (and never held in memory).
 * Time base: `info.started` (Cuckoo writes it without a zone; read as UTC). Host:
 * `sandbox:cuckoo:<task id>:<sample sha256 or name>`.
 */
import type { Event, EventAction } from '../../normalize/event.js';
import { parseTime, toInt, toStr } from '../../normalize/values.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { headText, readJsonDocument } from './json-doc.js';
import { makeEvent, processFields, registryPath, setDll, setFile, setRegistry, text, Unmapped, urlHost } from './common.js';

const FORMAT = 'cuckoo';
const DATASET = 'sandbox.cuckoo';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strs = (v: unknown): string[] => list(v).map((x) => toStr(x)).filter((x): x is string => x !== undefined);

function sniff(input: Input): number {
  const s = headText(input.head);
  if (!/^\s*\{\s*"(info|target|behavior|network|statistics|signatures)"\s*:/.test(s)) return 0;
  const marks = ['"machine"', '"package"', '"processtree"', '"cuckoo"', '"CAPE"', '"monitor"', '"started"', '"route"', '"platform"'].filter((m) => s.includes(m)).length;
  return marks >= 3 ? 0.9 : 0;
}

const KEEP_TOP = new Set(['info', 'target', 'behavior', 'network']);
const KEEP_BEHAVIOR = new Set(['processes', 'processtree', 'generic', 'summary']);

function keep(path: readonly (string | number)[]): boolean {
  if (path.length === 1) return KEEP_TOP.has(String(path[0]));
  if (path[0] === 'behavior' && path.length === 2) return KEEP_BEHAVIOR.has(String(path[1]));
  if (path[0] === 'behavior' && path[1] === 'processes' && path.length === 4) return path[3] !== 'calls';
  if (path[0] === 'target' && path.length === 3) return path[2] !== 'strings' && path[2] !== 'urls';
  if (path[0] === 'network' && path.length === 2) return path[1] !== 'pcap_sha256' && path[1] !== 'sorted_pcap_sha256';
  return true;
}

/** epoch seconds (number or numeric string), or a `YYYY-MM-DD hh:mm:ss` read as UTC. */
function timeOf(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v > 1e11 ? v : v * 1000;
  const s = toStr(v);
  if (!s) return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  return parseTime(s, true);
}

interface Proc {
  pid: number;
  ppid?: number;
  exe?: string;
  name?: string;
  cmd?: string;
  first?: number;
}

function collectProcesses(b: Obj): Proc[] {
  const out: Proc[] = [];
  const fromObj = (p: Obj): Proc | undefined => {
    const pid = toInt(p.process_id ?? p.pid);
    if (pid === undefined) return undefined;
    const environ = isObj(p.environ) ? p.environ : {};
    return {
      pid,
      ppid: toInt(p.parent_id ?? p.ppid),
      exe: toStr(p.process_path ?? p.module_path ?? environ.ImagePathName),
      name: toStr(p.process_name ?? p.name),
      cmd: toStr(p.command_line ?? environ.CommandLine),
      first: timeOf(p.first_seen),
    };
  };
  if (Array.isArray(b.processes) && b.processes.length) {
    for (const p of b.processes) if (isObj(p)) {
      const q = fromObj(p);
      if (q) out.push(q);
    }
    return out;
  }
  const walk = (n: unknown, parent?: number, depth = 0) => {
    if (!isObj(n) || depth > 256) return;
    const q = fromObj(n);
    if (q) {
      if (q.ppid === undefined) q.ppid = parent;
      out.push(q);
    }
    for (const c of list(n.children)) walk(c, q?.pid, depth + 1);
  };
  for (const r of list(b.processtree)) walk(r);
  return out;
}

async function* readCuckoo(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const doc = await readJsonDocument(input.open(), { keep, onBytes: ctx.progress });
  if (doc.error) {
    ctx.error({ offset: doc.truncatedAt }, doc.error);
    return;
  }
  if (doc.truncatedAt !== undefined) ctx.error({ offset: doc.truncatedAt }, 'report is truncated; read what came before the cut');
  const r = isObj(doc.value) ? doc.value : {};
  const info = isObj(r.info) ? r.info : {};
  const target = isObj(r.target) ? r.target : {};
  const file = isObj(target.file) ? target.file : {};
  const behavior = isObj(r.behavior) ? r.behavior : {};
  const network = isObj(r.network) ? r.network : {};
  const started = timeOf(info.started);
  const base = started ?? 0;
  if (started === undefined) ctx.error({}, 'report has no info.started; events without their own time are stamped 1970-01-01');
  const sample = toStr(file.sha256) ?? toStr(file.name) ?? toStr(target.url) ?? 'unknown-sample';
  const host = `sandbox:cuckoo:${toStr(info.id) ?? '?'}:${sample}`;
  ctx.fact?.('host', host);
  ctx.fact?.('time base', started !== undefined ? `info.started ${new Date(base).toISOString()} (written without a zone; read as UTC)` : 'none');
  const unmapped = new Unmapped();
  let record = 0;
  const out: Event[] = [];
  const ev = (ts: number, action: EventAction, raw: Obj, code: string) => makeEvent(ts, action, raw, { file: input.name, format: FORMAT, record: ++record }, host, DATASET, code);

  const procs = collectProcesses(behavior).sort((a, b) => (a.first ?? 0) - (b.first ?? 0));
  const generic = new Map<number, Obj[]>();
  for (const g of list(behavior.generic)) {
    if (!isObj(g)) continue;
    const pid = toInt(g.pid);
    if (pid !== undefined) (generic.get(pid) ?? generic.set(pid, []).get(pid)!).push(g);
  }
  const exeOf = new Map<number, string | undefined>();
  for (const p of procs) {
    const ts = p.first ?? base;
    const e = ev(ts, 'process-start', { process_id: p.pid, parent_id: p.ppid, process_name: p.name, process_path: p.exe, command_line: p.cmd, first_seen: p.first }, 'process');
    for (const k of Object.keys(e.raw)) if (e.raw[k] === undefined) delete e.raw[k];
    e.process = processFields({ pid: p.pid, executable: p.exe ?? p.name, commandLine: p.cmd, start: ts });
    if (p.ppid !== undefined) e.process.parent = processFields({ pid: p.ppid, executable: exeOf.get(p.ppid) });
    exeOf.set(p.pid, p.exe ?? p.name);
    out.push(e);
    // its per-process summary, right after its start
    for (const g of generic.get(p.pid) ?? []) {
      const s = isObj(g.summary) ? g.summary : {};
      summaryEvents(s, ts, (action, raw, code) => {
        const x = ev(ts, action, raw, code);
        x.process = processFields({ pid: p.pid, executable: p.exe ?? p.name });
        return x;
      }, out, unmapped);
    }
    generic.delete(p.pid);
  }
  for (const [pid] of generic) unmapped.add(`behavior.generic for pid ${pid} (no such process)`);
  if (isObj(behavior.summary)) summaryEvents(behavior.summary, base, (action, raw, code) => ev(base, action, raw, code), out, unmapped);

  // network, from the capture
  for (const d of list(network.dns)) {
    if (!isObj(d)) continue;
    const name = text(d.request, 1024);
    if (!name) continue;
    const e = ev(base, 'dns-query', { ...d }, 'network.dns');
    e.dns = { question: { name, ...(toStr(d.type) ? { type: toStr(d.type) } : {}) } };
    const answers = list(d.answers).filter(isObj).map((a) => ({ type: toStr(a.type), data: String(a.data ?? '') })).filter((a) => a.data);
    if (answers.length) e.dns.answers = answers;
    out.push(e);
  }
  for (const key of ['http', 'http_ex', 'https_ex']) {
    for (const h of list(network[key])) {
      if (!isObj(h)) continue;
      const hostHeader = toStr(h.host);
      const uri = toStr(h.uri);
      const path = toStr(h.path);
      let url = uri && /^[a-z]+:\/\//i.test(uri) ? uri : undefined;
      if (!url && hostHeader && (path ?? uri)) {
        const scheme = key === 'https_ex' ? 'https' : 'http';
        const p = path ?? uri!;
        url = `${scheme}://${hostHeader}${p.startsWith('/') ? '' : '/'}${p}`;
      }
      if (!url) continue;
      const e = ev(base, 'http-request', { ...h }, `network.${key}`);
      e.url = { original: text(url, 8192), full: text(url, 8192) };
      const hn = urlHost(url);
      if (hn) e.url.domain = hn;
      const method = toStr(h.method);
      if (method) e.http = { request: { method: method.toUpperCase() } };
      const ua = toStr(h['user-agent']);
      if (ua) e.user_agent = { original: text(ua, 2048) };
      const dst = toStr(h.dst);
      const port = toInt(h.dport ?? h.port);
      if (dst || port !== undefined) e.destination = { ...(dst ? { ip: dst } : {}), ...(port !== undefined ? { port } : {}) };
      out.push(e);
    }
  }
  for (const proto of ['tcp', 'udp']) {
    for (const c of list(network[proto])) {
      if (!isObj(c)) continue;
      const dst = toStr(c.dst);
      if (!dst) continue;
      const rel = typeof c.time === 'number' ? c.time : undefined;
      const e = ev(rel !== undefined ? base + Math.round(rel * 1000) : base, 'network-connection', { ...c }, `network.${proto}`);
      e.destination = { ip: dst };
      const dport = toInt(c.dport);
      if (dport !== undefined) e.destination.port = dport;
      const src = toStr(c.src);
      const sport = toInt(c.sport);
      if (src || sport !== undefined) e.source = { ...(src ? { ip: src } : {}), ...(sport !== undefined ? { port: sport } : {}) };
      e.network = { transport: proto };
      out.push(e);
    }
  }
  for (let i = 0; i < out.length; i += 2000) yield out.slice(i, i + 2000);
  ctx.fact?.('attribution', 'processes and behavior.generic per pid; behavior.summary and network process-less');
  unmapped.report(ctx.fact?.bind(ctx));
}

/** Cuckoo's and CAPE's summary lists to events. */
function summaryEvents(s: Obj, _ts: number, mk: (a: EventAction, raw: Obj, code: string) => Event, out: Event[], unmapped: Unmapped): void {
  const files = (keys: string[], action: EventAction) => {
    for (const k of keys) for (const p of strs(s[k])) {
      const e = mk(action, { [k]: p }, k);
      setFile(e, p);
      out.push(e);
    }
  };
  files(['file_created'], 'file-create');
  files(['file_written', 'file_recreated', 'write_files'], 'file-modify');
  files(['file_deleted', 'delete_files'], 'file-delete');
  files(['file_opened', 'file_read', 'read_files'], 'file-access');
  for (const k of ['dll_loaded']) for (const p of strs(s[k])) {
    const e = mk('image-load', { [k]: p }, k);
    setDll(e, p);
    out.push(e);
  }
  for (const k of ['regkey_written', 'write_keys']) for (const p of strs(s[k])) {
    const n = registryPath(p);
    const cut = n.lastIndexOf('\\');
    const e = mk('registry-value-set', { [k]: p }, k);
    if (cut > 0) setRegistry(e, n.slice(0, cut), n.slice(cut + 1));
    else setRegistry(e, n);
    out.push(e);
  }
  for (const k of ['regkey_opened', 'keys']) for (const p of strs(s[k])) {
    const e = mk('registry-key-access', { [k]: p }, k);
    setRegistry(e, p);
    out.push(e);
  }
  for (const k of ['regkey_read', 'read_keys']) for (const p of strs(s[k])) {
    const n = registryPath(p);
    const cut = n.lastIndexOf('\\');
    const e = mk('registry-key-access', { [k]: p }, k);
    setRegistry(e, cut > 0 ? n.slice(0, cut) : n);
    out.push(e);
  }
  for (const k of ['regkey_deleted', 'delete_keys']) for (const p of strs(s[k])) {
    const e = mk('registry-key-delete', { [k]: p }, k);
    setRegistry(e, p);
    out.push(e);
  }
  for (const ip of strs(s.connects_ip)) {
    const e = mk('network-connection', { connects_ip: ip }, 'connects_ip');
    e.destination = { ip };
    out.push(e);
  }
  for (const h of strs(s.resolves_host)) {
    const e = mk('dns-query', { resolves_host: h }, 'resolves_host');
    e.dns = { question: { name: h } };
    out.push(e);
  }
  for (const u of strs(s.fetches_url)) {
    const e = mk('http-request', { fetches_url: u }, 'fetches_url');
    e.url = { original: text(u, 8192), full: text(u, 8192) };
    const hn = urlHost(u);
    if (hn) e.url.domain = hn;
    out.push(e);
  }
  const handled = new Set(['file_created', 'file_written', 'file_recreated', 'write_files', 'file_deleted', 'delete_files', 'file_opened', 'file_read', 'read_files', 'dll_loaded', 'regkey_written', 'write_keys', 'regkey_opened', 'keys', 'regkey_read', 'read_keys', 'regkey_deleted', 'delete_keys', 'connects_ip', 'resolves_host', 'fetches_url']);
  for (const k of Object.keys(s)) if (!handled.has(k) && Array.isArray(s[k])) unmapped.add(k, (s[k] as unknown[]).length);
}

export const cuckooReader: Reader = {
  format: FORMAT,
  description: 'Cuckoo Sandbox and CAPE report.json (processes, per-process summaries, network)',
  sniff,
  read: readCuckoo,
};
