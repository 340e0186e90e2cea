/**
 * VirusTotal sandbox behaviour reports (API v3): the list `/files/{id}/behaviours` returns (one
 * `file_behaviour` object per sandbox), a single `file_behaviour` object, or its bare attributes.
 * A `/files/{id}` object (the sample's metadata, type `file`) is recognised too: it holds no
 * behaviour Loupe reads, so it gives no events, only facts about the sample.
 *
 * What a report says, and what it does not:
 * - `processes_tree` names processes by pid, name and (for some sandboxes) seconds since the
 *   start of the analysis; see vt-process-tree.ts for how repeated entries become processes.
 *   Each process gets `process.entity_id`, a hash of the run and its place in the tree (ECS
 *   allows "a hash of some uniquely identifying components"), so that pids reused across the
 *   detonations one report merges never fold two processes into one.
 * - Everything else (files, registry, DNS, HTTP, IP traffic, loaded modules) is a list for the
 *   whole analysis, with no process and no time. Those events are left without a process (never
 *   pinned on the root process) and stamped with the analysis date.
 * - Times: `analysis_date` (epoch seconds) is the base; `time_offset` seconds are added to it.
 *   A report without `analysis_date` is stamped at 0 (1970) and says so in an error.
 */
import { createHash } from 'node:crypto';
import type { Event, EventOrigin } from '../../normalize/event.js';
import { splitPath, toInt, toStr } from '../../normalize/values.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { headText, readJsonDocument } from './json-doc.js';
import { makeEvent, processFields, registryPath, setDll, setFile, setRegistry, text, Unmapped, urlHost } from './common.js';
import { resolveProcessTree, type TreeProcess } from './vt-process-tree.js';

const FORMAT = 'virustotal';
const DATASET = 'sandbox.virustotal';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Attribute names only VirusTotal behaviour reports use. */
const VT_KEYS = [
  'processes_tree', 'has_html_report', 'files_opened', 'files_written', 'files_dropped', 'files_deleted',
  'files_attribute_changed', 'registry_keys_opened', 'registry_keys_set', 'dns_lookups', 'http_conversations',
  'ip_traffic', 'modules_loaded', 'processes_created', 'command_executions', 'mutexes_created', 'sandbox_name',
  'analysis_date', 'has_pcap', 'has_evtx', 'has_memdump', 'calls_highlighted', 'verdicts',
];

function sniff(input: Input): number {
  const s = headText(input.head);
  if (!/^\s*[{[]/.test(s)) return 0;
  if (/"type"\s*:\s*"file_behaviour"/.test(s)) return 0.95;
  let hits = 0;
  for (const k of VT_KEYS) if (s.includes(`"${k}"`)) hits++;
  if (hits >= 3 && /^\s*\{\s*"(attributes|data|links|meta|id|type)"/.test(s)) return 0.9;
  if (hits >= 4) return 0.8;
  // `/files/{id}`: the sample's metadata.
  if (/^\s*\{\s*"data"\s*:\s*\{/.test(s) && /"type"\s*:\s*"file"/.test(s)) return 0.85;
  if (/^\s*\{\s*"data"\s*:\s*\{/.test(s) && /"(last_analysis_stats|last_analysis_results|first_submission_date|times_submitted)"/.test(s)) return 0.8;
  return 0;
}

/** What to keep of the document: behaviour attributes, ids, and a few sample facts. */
function keep(path: readonly (string | number)[]): boolean {
  // data.attributes.last_analysis_results (70 engines) and exiftool are not needed.
  const i = path.indexOf('attributes');
  if (i >= 0 && path.length === i + 2) {
    const k = path[i + 1];
    if (k === 'last_analysis_results' || k === 'exiftool' || k === 'trid' || k === 'pe_info' || k === 'behaviour') return false;
  }
  return true;
}

interface Report {
  id?: string;
  sandbox?: string;
  attrs: Obj;
  where: string;
}

/** The behaviour reports in a document, whatever its wrapping. */
function reportsOf(doc: unknown): { reports: Report[]; metadata?: Obj } {
  const one = (o: Obj, where: string): Report | undefined => {
    if (isObj(o.attributes)) {
      const attrs = o.attributes;
      return { id: toStr(o.id), sandbox: toStr(attrs.sandbox_name), attrs, where };
    }
    if (VT_KEYS.some((k) => k in o)) return { id: toStr(o.id), sandbox: toStr(o.sandbox_name), attrs: o, where };
    return undefined;
  };
  if (!isObj(doc)) return { reports: [] };
  const data = doc.data;
  if (Array.isArray(data)) {
    const reports: Report[] = [];
    data.forEach((d, i) => {
      if (isObj(d) && (d.type === undefined || d.type === 'file_behaviour')) {
        const r = one(d, `data[${i}]`);
        if (r) reports.push(r);
      }
    });
    return { reports };
  }
  if (isObj(data)) {
    if (data.type === 'file') return { reports: [], metadata: data };
    const r = one(data, 'data');
    return { reports: r ? [r] : [] };
  }
  if (doc.type === 'file') return { reports: [], metadata: doc };
  const r = one(doc, 'document');
  return { reports: r ? [r] : [] };
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

function strings(v: unknown): string[] {
  return list(v).map((x) => toStr(x)).filter((x): x is string => x !== undefined);
}

/** The run's host: the report id names sample and sandbox (`<sha256>_<sandbox>`) in API v3. */
function runHost(r: Report): string {
  const id = r.id ?? 'unknown';
  const sandbox = r.sandbox ?? 'unknown sandbox';
  return id.includes('_') ? `sandbox:virustotal:${id}` : `sandbox:${sandbox}:${id}`;
}

/**
 * Tencent HABO names a process `image args...` (`cmd.exe /K name.exe"`); Dr.Web names it by
 * path. The image is the first word when it ends like an executable; the whole name is then the
 * command line as the sandbox wrote it.
 */
function splitName(name: string): { image: string; commandLine?: string } {
  const m = /^(\S+\.(?:exe|com|bat|cmd|scr|pif|dll|msi|ps1|vbs|js))\s+(.+)$/i.exec(name);
  if (m && !name.includes('\\')) return { image: m[1], commandLine: name };
  return { image: name };
}

function readReport(r: Report, origin: (record: number) => EventOrigin, ctx: ReadContext, unmapped: Unmapped): Event[] {
  const a = r.attrs;
  const host = runHost(r);
  const out: Event[] = [];
  let record = 0;
  const date = toInt(a.analysis_date);
  const base = date !== undefined ? date * 1000 : 0;
  if (date === undefined) ctx.error({}, `${r.where}: report has no analysis_date; its events are stamped 1970-01-01`);
  const add = (e: Event) => out.push(e);
  const ev = (action: Parameters<typeof makeEvent>[1], raw: Obj, code: string, ts = base) => makeEvent(ts, action, raw, origin(++record), host, DATASET, code);

  // Full paths for Tencent's bare image names, from the lists of created/terminated processes.
  const fullPaths = new Map<string, string | null>();
  for (const p of [...strings(a.processes_created), ...strings(a.processes_terminated)]) {
    const n = splitPath(p).name.toLowerCase();
    const prev = fullPaths.get(n);
    if (prev === undefined) fullPaths.set(n, p);
    else if (prev !== null && prev.toLowerCase() !== p.toLowerCase()) fullPaths.set(n, null);
  }

  // Processes
  const tree = resolveProcessTree(a.processes_tree);
  for (const p of tree.problems) ctx.error({}, `${r.where}: ${p}`);
  const guid = (p: TreeProcess) => createHash('sha1').update(`${host}\u0000${p.firstEntry}`).digest('hex').slice(0, 32).toUpperCase();
  const exeOf = (p: TreeProcess) => {
    const { image, commandLine } = splitName(p.name);
    const full = !image.includes('\\') ? fullPaths.get(image.toLowerCase()) : undefined;
    return { exe: full ?? image, commandLine };
  };
  for (const p of tree.processes) {
    const ts = base + (p.offset ?? 0) * 1000;
    const { exe, commandLine } = exeOf(p);
    const e = ev('process-start', { process_id: p.pid, name: p.name, time_offset: p.offset, parent_process_id: p.parent?.pid }, 'processes_tree', ts);
    e.process = { ...processFields({ pid: p.pid, executable: exe, commandLine, start: ts }), entity_id: guid(p) };
    if (p.parent) {
      const pe = exeOf(p.parent);
      e.process.parent = { ...processFields({ pid: p.parent.pid, executable: pe.exe, commandLine: pe.commandLine }), entity_id: guid(p.parent) };
    }
    if (e.raw.time_offset === undefined) delete e.raw.time_offset;
    if (e.raw.parent_process_id === undefined) delete e.raw.parent_process_id;
    add(e);
  }

  // Files
  const fileList = (key: string, action: 'file-access' | 'file-modify' | 'file-delete') => {
    for (const path of strings(a[key])) {
      const e = ev(action, { [key]: path }, key);
      setFile(e, path);
      add(e);
    }
  };
  fileList('files_opened', 'file-access');
  fileList('files_written', 'file-modify');
  fileList('files_attribute_changed', 'file-modify');
  fileList('files_deleted', 'file-delete');
  for (const d of list(a.files_dropped)) {
    const o = isObj(d) ? d : { path: d };
    const path = toStr(o.path);
    if (!path) {
      if (toStr(o.sha256)) unmapped.add('files_dropped without a path');
      continue;
    }
    const e = ev('file-create', { ...o }, 'files_dropped');
    setFile(e, path, { sha256: o.sha256 });
    add(e);
  }
  for (const c of list(a.files_copied)) {
    if (!isObj(c)) continue;
    const dst = toStr(c.destination);
    if (!dst) continue;
    const e = ev('file-create', { ...c }, 'files_copied');
    setFile(e, dst, { originalPath: toStr(c.source) });
    add(e);
  }
  for (const m of strings(a.modules_loaded)) {
    const e = ev('image-load', { modules_loaded: m }, 'modules_loaded');
    setDll(e, m);
    add(e);
  }

  // Registry
  for (const k of strings(a.registry_keys_opened)) {
    const e = ev('registry-key-access', { registry_keys_opened: k }, 'registry_keys_opened');
    setRegistry(e, k);
    add(e);
  }
  for (const s of list(a.registry_keys_set)) {
    const o = isObj(s) ? s : { key: s };
    const full = toStr(o.key);
    if (!full) continue;
    const norm = registryPath(full);
    const cut = norm.lastIndexOf('\\');
    const e = ev('registry-value-set', { ...o }, 'registry_keys_set');
    if (cut > 0) setRegistry(e, norm.slice(0, cut), norm.slice(cut + 1), toStr(o.value));
    else setRegistry(e, norm, undefined, toStr(o.value));
    add(e);
  }
  for (const k of strings(a.registry_keys_deleted)) {
    const e = ev('registry-key-delete', { registry_keys_deleted: k }, 'registry_keys_deleted');
    setRegistry(e, k);
    add(e);
  }

  // Network: one event per lookup (never a second, "unresolved" one).
  for (const d of list(a.dns_lookups)) {
    if (!isObj(d)) continue;
    const name = text(d.hostname, 1024);
    if (!name) continue;
    const e = ev('dns-query', { ...d }, 'dns_lookups');
    const ips = strings(d.resolved_ips);
    e.dns = { question: { name } };
    if (ips.length) {
      e.dns.answers = ips.map((ip) => ({ type: ip.includes(':') ? 'AAAA' : 'A', data: ip }));
      e.dns.resolved_ip = ips;
    }
    add(e);
  }
  for (const h of list(a.http_conversations)) {
    if (!isObj(h)) continue;
    const url = text(h.url, 8192);
    if (!url) continue;
    const e = ev('http-request', { ...h }, 'http_conversations');
    const hostName = urlHost(url);
    e.url = { original: url, full: url };
    if (hostName) e.url.domain = hostName;
    const method = toStr(h.request_method);
    const status = toInt(h.response_status_code);
    if (method || status !== undefined) {
      e.http = {};
      if (method) e.http.request = { method: method.toUpperCase() };
      if (status !== undefined) e.http.response = { status_code: status };
    }
    const headers = isObj(h.request_headers) ? h.request_headers : undefined;
    const ua = headers ? toStr(headers['User-Agent'] ?? headers['user-agent']) : undefined;
    if (ua) e.user_agent = { original: text(ua, 2048) };
    add(e);
  }
  for (const t of list(a.ip_traffic)) {
    if (!isObj(t)) continue;
    const ip = toStr(t.destination_ip);
    if (!ip) continue;
    const e = ev('network-connection', { ...t }, 'ip_traffic');
    e.destination = { ip };
    const port = toInt(t.destination_port);
    if (port !== undefined) e.destination.port = port;
    const proto = toStr(t.transport_layer_protocol);
    if (proto) e.network = { transport: proto.toLowerCase() };
    add(e);
  }

  for (const k of Object.keys(a)) {
    if (HANDLED.has(k)) continue;
    const v = a[k];
    if (Array.isArray(v)) unmapped.add(k, v.length);
  }
  return out;
}

const HANDLED = new Set([
  'processes_tree', 'files_opened', 'files_written', 'files_attribute_changed', 'files_deleted', 'files_dropped',
  'files_copied', 'modules_loaded', 'registry_keys_opened', 'registry_keys_set', 'registry_keys_deleted',
  'dns_lookups', 'http_conversations', 'ip_traffic',
]);

async function* readVirusTotal(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const doc = await readJsonDocument(input.open(), { keep, onBytes: ctx.progress });
  if (doc.error) {
    ctx.error({ offset: doc.truncatedAt }, doc.error);
    return;
  }
  if (doc.truncatedAt !== undefined) ctx.error({ offset: doc.truncatedAt }, 'report is truncated; read what came before the cut');
  if (doc.trailingAt !== undefined) ctx.error({ offset: doc.trailingAt }, 'text after the report was ignored');
  const { reports, metadata } = reportsOf(doc.value);
  if (metadata) {
    const at = isObj(metadata.attributes) ? metadata.attributes : {};
    ctx.fact?.('content', 'VirusTotal file object (/files/{id}): sample metadata, no behaviour events');
    ctx.fact?.('sample', {
      sha256: toStr(at.sha256) ?? toStr(metadata.id),
      md5: toStr(at.md5),
      sha1: toStr(at.sha1),
      name: toStr(at.meaningful_name),
      type: toStr(at.type_description),
      size: toInt(at.size),
      detections: isObj(at.last_analysis_stats) ? at.last_analysis_stats : undefined,
    });
    return;
  }
  if (reports.length === 0) {
    ctx.error({}, 'no VirusTotal behaviour report found in the document');
    return;
  }
  let record = 0;
  const unmapped = new Unmapped();
  const sandboxes: string[] = [];
  for (const r of reports) {
    sandboxes.push(`${r.sandbox ?? 'unknown sandbox'} → host ${runHost(r)}`);
    const events = readReport(r, () => ({ file: input.name, format: FORMAT, record: ++record }), ctx, unmapped);
    for (let i = 0; i < events.length; i += 2000) yield events.slice(i, i + 2000);
  }
  ctx.fact?.('sandbox runs', sandboxes);
  ctx.fact?.('times', 'analysis_date (+ time_offset for processes); files, registry and network lists carry no time and no process');
  unmapped.report(ctx.fact?.bind(ctx));
}

export const virusTotalReader: Reader = {
  format: FORMAT,
  description: 'VirusTotal sandbox behaviour reports (API v3 file_behaviour, Dr.Web, Tencent HABO, ...) and /files/{id} objects',
  sniff,
  read: readVirusTotal,
};
