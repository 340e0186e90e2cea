/**
 * FireEye AX / MAS "extended" JSON alert reports, 8.1 (`explanation.osChanges: [ {...} ]`,
 * camelCase) and 8.2 (`explanation["os-changes"]`, an object or a list, kebab-case).
 *
 * Every alert is read (not only the first); each is one detonation, its own host
 * `sandbox:fireeye-ax:<appliance>:<alert id>`. Changes read:
 * - process (mode started → process-start with pid, ppid, image, parent image, command line,
 *   hashes; terminated/killed → process-end);
 * - network with `processinfo` (imagepath, pid): dns_query and the dns_query_answer lines that
 *   follow it are ONE lookup (one dns-query event with its answers); connect →
 *   network-connection; http_request (`GET /x HTTP/1.1~~Host: h~~...`) → http-request;
 * - file (created → file-create, deleted → file-delete, CopyFile → file-create with the source as
 *   original_path, modified/written → file-modify, any other mode → file-access);
 * - regkey (`\REGISTRY\HIVE\key\"name" = data`; added → key create, setval → value set,
 *   deleteval → value delete, deleted → key delete, other modes → read).
 * Times: `timestamp` of a change is taken as milliseconds after the alert's `occurred` (values run
 * to hundreds of thousands in analyses that last minutes); `occurred` is read with its zone.
 */
import type { Event, EventAction } from '../../normalize/event.js';
import { parseTime, toInt, toStr } from '../../normalize/values.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { headText, readJsonDocument } from './json-doc.js';
import { makeEvent, processFields, setFile, setRegistry, text, Unmapped } from './common.js';

const FORMAT = 'fireeye-ax';
const DATASET = 'sandbox.fireeye_ax';
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function sniff(input: Input): number {
  const s = headText(input.head);
  if (!/^\s*\{/.test(s)) return 0;
  const marks = ['"osChanges"', '"os-changes"', '"malwareDetected"', '"malware-detected"', '"alertUrl"', '"alert-url"', '"appliance"', '"cncServices"', '"cnc-services"'].filter((m) => s.includes(m)).length;
  if (/^\s*\{\s*"(alert|alerts|appliance|version|msg|product)"\s*:/.test(s) && marks >= 2) return 0.9;
  return marks >= 3 ? 0.8 : 0;
}

/** `2018-03-31 13:40:01 +0000`, `2018-03-31T13:40:01Z`, with or without zone (then UTC). */
function occurredAt(v: unknown): number | undefined {
  const s = toStr(v)?.trim();
  if (!s) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2}(?:\.\d+)?)Z?\s*([+-]\d{2}:?\d{2})?$/.exec(s);
  if (m) return parseTime(`${m[1]}T${m[2]}${m[3] ? m[3].replace(/^([+-]\d{2})(\d{2})$/, '$1:$2') : 'Z'}`);
  return parseTime(s, true);
}

function osChangesOf(alert: Obj): Obj[] {
  const ex = isObj(alert.explanation) ? alert.explanation : {};
  const oc = ex['os-changes'] ?? ex.osChanges ?? ex['os_changes'];
  return list(oc).filter(isObj);
}

/** `\REGISTRY\MACHINE\Software\X\"Name" = data` → key, value name, data. */
function splitRegValue(v: string): { key: string; value?: string; data?: string } {
  const m = /^(.*?)\\"([^"]*)"(?:\s*=\s*([\s\S]*))?$/.exec(v);
  if (!m) return { key: v };
  return { key: m[1], value: m[2], data: m[3] };
}

function httpRequestOf(s: string): { method?: string; path?: string; host?: string; ua?: string } {
  const parts = s.split('~~');
  const first = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/[\d.]+)?$/.exec(parts[0]?.trim() ?? '');
  const headers: Record<string, string> = {};
  for (const h of parts.slice(1)) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim();
  }
  return { method: first?.[1], path: first?.[2], host: headers.host, ua: headers['user-agent'] };
}

async function* readAx(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const doc = await readJsonDocument(input.open(), { onBytes: ctx.progress });
  if (doc.error) {
    ctx.error({ offset: doc.truncatedAt }, doc.error);
    return;
  }
  if (doc.truncatedAt !== undefined) ctx.error({ offset: doc.truncatedAt }, 'report is truncated; read what came before the cut');
  const root = isObj(doc.value) ? doc.value : {};
  const alerts = list(root.alert ?? root.alerts).filter(isObj);
  const appliance = toStr(root.appliance) ?? 'appliance';
  if (!alerts.length) ctx.error({}, 'no alert in the report');
  const unmapped = new Unmapped();
  let record = 0;
  const hosts: string[] = [];
  for (const [ai, alert] of alerts.entries()) {
    const occurred = occurredAt(alert.occurred);
    if (occurred === undefined) ctx.error({}, `alert[${ai}]: no readable "occurred" time (${JSON.stringify(alert.occurred ?? null).slice(0, 40)}); its changes are stamped 1970-01-01 + offset`);
    const base = occurred ?? 0;
    const host = `sandbox:fireeye-ax:${appliance}:${toStr(alert.id) ?? ai}`;
    hosts.push(host);
    const out: Event[] = [];
    const ev = (offset: unknown, action: EventAction, raw: Obj, code: string) => {
      const off = toInt(offset);
      return makeEvent(base + (off ?? 0), action, raw, { file: input.name, format: FORMAT, record: ++record }, host, DATASET, code);
    };
    const actorOf = (o: Obj) => {
      const pi = isObj(o.processinfo) ? o.processinfo : undefined;
      if (!pi) return undefined;
      return processFields({ pid: pi.pid, executable: pi.imagepath, md5: pi.md5sum });
    };
    for (const changes of osChangesOf(alert)) {
      const openDns = new Map<string, Event>();
      for (const [type, items] of Object.entries(changes)) {
        for (const raw of list(items)) {
          if (!isObj(raw)) continue;
          const mode = toStr(raw.mode) ?? '';
          const actor = actorOf(raw);
          const value = toStr(raw.value) ?? (isObj(raw.values) ? toStr(raw.values.value) : undefined);
          if (type === 'process') {
            if (mode === 'started') {
              const e = ev(raw.timestamp, 'process-start', { ...raw }, 'process');
              e.process = processFields({ pid: raw.pid, executable: value, commandLine: raw.cmdline, start: e['@timestamp'], md5: raw.md5sum, sha1: raw.sha1sum, sha256: raw.sha256sum });
              if (toInt(raw.ppid) !== undefined) e.process.parent = processFields({ pid: raw.ppid, executable: raw.parentname });
              out.push(e);
            } else if (mode === 'terminated' || mode === 'killed' || mode === 'exited') {
              const e = ev(raw.timestamp, 'process-end', { ...raw }, 'process');
              e.process = processFields({ pid: raw.pid, executable: value });
              out.push(e);
            } else unmapped.add(`process mode ${mode || '(none)'}`);
            continue;
          }
          if (type === 'network') {
            const key = `${actor?.pid}|${String(raw.hostname ?? '').toLowerCase()}`;
            if (mode === 'dns_query' || mode === 'dns_query_answer') {
              const name = text(raw.hostname, 1024);
              if (!name) continue;
              const ip = toStr(raw.ipaddress);
              let e = openDns.get(key);
              if (mode === 'dns_query' || !e) {
                e = ev(raw.timestamp, 'dns-query', { ...raw }, `network.${mode}`);
                if (actor) e.process = actor;
                e.dns = { question: { name } };
                const qt = toStr(raw.qtype);
                if (qt) e.raw.qtype = qt;
                openDns.set(key, e);
                out.push(e);
              }
              if (mode === 'dns_query_answer' && ip) (e.dns!.answers ??= []).push({ type: ip.includes(':') ? 'AAAA' : 'A', data: ip });
              continue;
            }
            if (mode === 'connect' || mode === 'http_request') {
              const ip = toStr(raw.ipaddress);
              const port = toInt(raw.destination_port);
              const proto = toStr(raw.protocol_type)?.toLowerCase();
              const req = mode === 'http_request' ? httpRequestOf(String(raw.http_request ?? '')) : undefined;
              const e = ev(raw.timestamp, req?.path ? 'http-request' : 'network-connection', { ...raw }, `network.${mode}`);
              if (actor) e.process = actor;
              if (ip) e.destination = { ip, ...(port !== undefined ? { port } : {}) };
              if (proto) e.network = { transport: proto };
              if (req?.path) {
                const hostName = req.host?.replace(/:\d+$/, '');
                const full = /^[a-z]+:\/\//i.test(req.path) ? req.path : hostName ? `http://${req.host}${req.path.startsWith('/') ? '' : '/'}${req.path}` : undefined;
                e.url = { original: text(req.path, 8192) };
                if (full) e.url.full = text(full, 8192);
                if (hostName) e.url.domain = hostName.toLowerCase();
                if (req.method) e.http = { request: { method: req.method } };
                if (req.ua) e.user_agent = { original: text(req.ua, 2048) };
              }
              out.push(e);
              continue;
            }
            unmapped.add(`network mode ${mode || '(none)'}`);
            continue;
          }
          if (type === 'file') {
            if (!value) continue;
            const action: EventAction =
              mode === 'created' || mode === 'CopyFile' ? 'file-create'
              : mode === 'deleted' ? 'file-delete'
              : mode === 'modified' || mode === 'written' || mode === 'write' ? 'file-modify'
              : 'file-access';
            const e = ev(raw.timestamp, action, { ...raw }, `file.${mode}`);
            if (actor) e.process = actor;
            setFile(e, value, { md5: raw.md5sum, sha1: raw.sha1sum, sha256: raw.sha256sum, originalPath: mode === 'CopyFile' ? toStr(raw.source) : undefined });
            out.push(e);
            continue;
          }
          if (type === 'regkey') {
            if (!value) continue;
            const r = splitRegValue(value);
            const action: EventAction =
              mode === 'added' ? 'registry-key-create'
              : mode === 'setval' ? 'registry-value-set'
              : mode === 'deleteval' ? 'registry-value-delete'
              : mode === 'deleted' ? 'registry-key-delete'
              : 'registry-key-access';
            const e = ev(raw.timestamp, action, { ...raw }, `regkey.${mode}`);
            if (actor) e.process = actor;
            const isValue = action === 'registry-value-set' || action === 'registry-value-delete';
            setRegistry(e, r.key, isValue ? r.value : undefined, isValue ? r.data : undefined);
            out.push(e);
            continue;
          }
          unmapped.add(type);
        }
      }
    }
    for (let i = 0; i < out.length; i += 2000) yield out.slice(i, i + 2000);
  }
  ctx.fact?.('sandbox runs', hosts);
  ctx.fact?.('times', 'change timestamps read as milliseconds after the alert\'s "occurred"');
  unmapped.report(ctx.fact?.bind(ctx));
}

export const fireEyeAxReader: Reader = {
  format: FORMAT,
  description: 'FireEye AX / MAS extended JSON alert reports (8.1 osChanges, 8.2 os-changes)',
  sniff,
  read: readAx,
};
