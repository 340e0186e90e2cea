/**
 * What the sandbox readers share: building events with the fields the graph reads, registry paths
 * in every spelling sandboxes use, and the run's host name.
 *
 * A sandbox report describes one detonation. Its processes are named by pid only, so every event
 * of a report carries `host.name` naming that run (`sandbox:<sandbox>:<sample or task id>`): the
 * graph's per-host pid table then ties the run's activity to the run's processes, and two runs
 * never share a process.
 */
import type { Event, EventAction, EventCategory, EventOrigin, ProcessFields } from '../../normalize/event.js';
import { normaliseRegistryPath } from '../../normalize/windows/sysmon.js';
import { bound, splitPath, toInt, toStr } from '../../normalize/values.js';

/** Largest string kept from a report field (a command line, a URL, a registry value). */
export const MAX_TEXT = 64 * 1024;

export function text(v: unknown, max = MAX_TEXT): string | undefined {
  const s = toStr(v);
  return s === undefined ? undefined : bound(s, max);
}

const KINDS: Record<string, { category: EventCategory[]; type: string[] }> = {
  'process-start': { category: ['process'], type: ['start'] },
  'process-end': { category: ['process'], type: ['end'] },
  'network-connection': { category: ['network'], type: ['connection', 'start'] },
  'dns-query': { category: ['network'], type: ['protocol', 'info'] },
  'http-request': { category: ['network', 'web'], type: ['protocol', 'access'] },
  'file-create': { category: ['file'], type: ['creation'] },
  'file-modify': { category: ['file'], type: ['change'] },
  'file-delete': { category: ['file'], type: ['deletion'] },
  'file-rename': { category: ['file'], type: ['change'] },
  'file-access': { category: ['file'], type: ['access'] },
  'image-load': { category: ['library'], type: ['start'] },
  'registry-key-create': { category: ['registry'], type: ['creation'] },
  'registry-key-delete': { category: ['registry'], type: ['deletion'] },
  'registry-value-set': { category: ['registry'], type: ['change'] },
  'registry-value-delete': { category: ['registry'], type: ['deletion'] },
  'registry-key-access': { category: ['registry'], type: ['access'] },
  'remote-thread': { category: ['process'], type: ['change'] },
  other: { category: ['host'], type: ['info'] },
};

/** A new event of the given action with the category and type that go with it. */
export function makeEvent(
  ts: number,
  action: EventAction,
  raw: Record<string, unknown>,
  origin: EventOrigin,
  host: string | undefined,
  dataset: string,
  code?: string,
): Event {
  const k = KINDS[action] ?? KINDS.other;
  const e: Event = {
    '@timestamp': ts,
    event: { kind: 'event', category: [...k.category], type: [...k.type], action, dataset },
    raw,
    origin,
  };
  if (code !== undefined) e.event.code = code;
  if (host) e.host = { name: host };
  return e;
}

/** Process fields from what a report says, leaving out what it does not. */
export function processFields(o: { pid?: unknown; executable?: unknown; commandLine?: unknown; name?: unknown; start?: number; md5?: unknown; sha1?: unknown; sha256?: unknown; user?: unknown }): ProcessFields {
  const p: ProcessFields = {};
  const pid = toInt(o.pid);
  if (pid !== undefined && pid >= 0) p.pid = pid;
  const exe = text(o.executable, 4096);
  if (exe) {
    p.executable = exe;
    p.name = splitPath(exe).name;
  }
  const name = text(o.name, 1024);
  if (name && !p.name) p.name = name;
  const cl = text(o.commandLine);
  if (cl) p.command_line = cl;
  if (o.start !== undefined && Number.isFinite(o.start)) p.start = o.start;
  const md5 = hex(o.md5, 32);
  const sha1 = hex(o.sha1, 40);
  const sha256 = hex(o.sha256, 64);
  if (md5 || sha1 || sha256) {
    p.hash = {};
    if (md5) p.hash.md5 = md5;
    if (sha1) p.hash.sha1 = sha1;
    if (sha256) p.hash.sha256 = sha256;
  }
  const user = text(o.user, 512);
  if (user) {
    const i = user.indexOf('\\');
    p.user = i >= 0 ? { domain: user.slice(0, i) || undefined, name: user.slice(i + 1) } : { name: user };
    if (p.user.domain === undefined) delete p.user.domain;
  }
  return p;
}

/** A lower-case hex digest of the expected length, or undefined. */
export function hex(v: unknown, len: number): string | undefined {
  const s = toStr(v)?.trim().toLowerCase();
  return s && s.length === len && /^[0-9a-f]+$/.test(s) ? s : undefined;
}

/** Sets `e.file` from a path. */
export function setFile(e: Event, path: string, extra: { sha256?: unknown; md5?: unknown; sha1?: unknown; size?: unknown; originalPath?: string } = {}): void {
  const p = bound(path, 4096);
  const { directory, name, extension } = splitPath(p);
  e.file = { path: p, name };
  if (directory) e.file.directory = directory;
  if (extension) e.file.extension = extension;
  const sha256 = hex(extra.sha256, 64);
  const md5 = hex(extra.md5, 32);
  const sha1 = hex(extra.sha1, 40);
  if (sha256 || md5 || sha1) {
    e.file.hash = {};
    if (md5) e.file.hash.md5 = md5;
    if (sha1) e.file.hash.sha1 = sha1;
    if (sha256) e.file.hash.sha256 = sha256;
  }
  const size = toInt(extra.size);
  if (size !== undefined) e.file.size = size;
  if (extra.originalPath) e.file.original_path = bound(extra.originalPath, 4096);
}

/** Sets `e.dll` for an image load. */
export function setDll(e: Event, path: string): void {
  const p = bound(path, 4096);
  e.dll = { path: p, name: splitPath(p).name };
}

/**
 * Registry paths as sandboxes write them: `\REGISTRY\MACHINE\...`, `\Registry\User\S-1-5-...`,
 * `HKEY_LOCAL_MACHINE\...`, VirusTotal's `<HKLM>\...`, `HKLM\...`: all to `HKLM\...` and friends.
 */
export function registryPath(raw: string): string {
  let p = raw.trim();
  const angle = /^<(HK[A-Z]{1,4})>/i.exec(p);
  if (angle) p = angle[1].toUpperCase() + p.slice(angle[0].length);
  p = normaliseRegistryPath(p);
  return bound(p, 4096);
}

/**
 * Sets `e.registry` for a key (`value` undefined) or for a value under a key. `path` is the key's
 * path; for values the event's path is key + `\` + value name, as Sysmon writes it.
 */
export function setRegistry(e: Event, keyPath: string, value?: string, data?: string, dataType?: string): void {
  const key = registryPath(keyPath);
  const parts = key.split('\\');
  const path = value !== undefined ? `${key}\\${value}` : key;
  e.registry = { path, hive: parts[0] };
  const rest = parts.slice(1).join('\\');
  if (rest) e.registry.key = rest;
  if (value !== undefined) e.registry.value = value;
  if (data !== undefined) e.registry.data = { strings: [bound(data, 4096)], ...(dataType ? { type: dataType } : {}) };
}

/** `host:port`, `[v6]:port` and bare hosts. Ports may be service names (`https`). */
export function splitHostPort(s: string): { host: string; port?: number; service?: string } {
  const t = s.trim();
  const v6 = /^\[([^\]]+)\](?::(.+))?$/.exec(t);
  if (v6) return withPort(v6[1], v6[2]);
  const i = t.lastIndexOf(':');
  if (i > 0 && t.indexOf(':') === i) return withPort(t.slice(0, i), t.slice(i + 1));
  return { host: t };
}

/** Well-known service names Windows and Procmon print instead of port numbers. */
const SERVICES: Record<string, number> = {
  http: 80, https: 443, ftp: 21, 'ftp-data': 20, ssh: 22, telnet: 23, smtp: 25, domain: 53, dns: 53,
  bootps: 67, bootpc: 68, tftp: 69, pop3: 110, sunrpc: 111, epmap: 135, ntp: 123, 'netbios-ns': 137,
  'netbios-dgm': 138, 'netbios-ssn': 139, imap: 143, snmp: 161, ldap: 389, 'microsoft-ds': 445,
  smtps: 465, submission: 587, ldaps: 636, imaps: 993, pop3s: 995, 'ms-sql-s': 1433, 'ms-wbt-server': 3389,
  'rdp': 3389, 'llmnr': 5355, 'ws-discovery': 3702, 'ssdp': 1900, 'mdns': 5353, 'http-alt': 8080,
  kerberos: 88, 'kerberos-sec': 88, wsd: 5357, 'winrm': 5985,
};

function withPort(host: string, port: string | undefined): { host: string; port?: number; service?: string } {
  if (port === undefined || port === '') return { host };
  const n = toInt(port);
  if (n !== undefined && n >= 0 && n <= 65535) return { host, port: n };
  const svc = port.trim().toLowerCase();
  const known = SERVICES[svc];
  return known !== undefined ? { host, port: known, service: svc } : { host, service: svc };
}

/** A URL's host, lower case, or undefined when it has none. */
export function urlHost(u: string): string | undefined {
  try {
    const h = new URL(u).hostname.toLowerCase();
    return h.startsWith('[') ? h.slice(1, -1) : h || undefined;
  } catch {
    return undefined;
  }
}

/** Counts of what a report holds but Loupe does not turn into events, for a fact. */
export class Unmapped {
  private readonly counts = new Map<string, number>();
  add(what: string, n = 1): void {
    if (n > 0) this.counts.set(what, (this.counts.get(what) ?? 0) + n);
  }
  report(fact: ((k: string, v: unknown) => void) | undefined, key = 'not turned into events'): void {
    if (this.counts.size && fact) fact(key, Object.fromEntries([...this.counts].sort()));
  }
}
