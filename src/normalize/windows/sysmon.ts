/**
 * Sysmon (Microsoft-Windows-Sysmon/Operational) event ids 1-29 to ECS. Field names follow
 * Sysmon's schema; the mapping follows what Winlogbeat's Sysmon module does where it has one.
 */
import type { Event } from '../event.js';
import { compact, normGuid, parseHashes, parseTime, splitPath, toBool, toInt, toStr } from '../values.js';
import { type Data, parseUser, proc, setKind, withHashes } from './common.js';

function mainProcess(e: Event, d: Data): void {
  const p = proc(d.Image, d.ProcessId, d.ProcessGuid, d.CommandLine);
  const user = parseUser(d.User);
  if (user) {
    p.user = user;
    e.user = user;
  }
  e.process = p;
}

function registry(e: Event, d: Data): void {
  const path = toStr(d.TargetObject);
  if (!path) return;
  const norm = normaliseRegistryPath(path);
  const parts = norm.split('\\');
  e.registry = { path: norm, hive: parts[0] };
  const details = toStr(d.Details);
  // For value events the last component is the value name; the key is everything before.
  e.registry.key = parts.slice(1, -1).join('\\') || undefined;
  e.registry.value = parts[parts.length - 1];
  if (details !== undefined) {
    const m = /^(DWORD|QWORD|Binary Data)\b/.exec(details);
    e.registry.data = { strings: [details], type: m ? (m[1] === 'DWORD' ? 'REG_DWORD' : m[1] === 'QWORD' ? 'REG_QWORD' : 'REG_BINARY') : 'REG_SZ' };
  }
}

const HIVES: Array<[RegExp, string]> = [
  [/^\\REGISTRY\\MACHINE(?=\\|$)/i, 'HKLM'],
  [/^\\REGISTRY\\USER(?=\\|$)/i, 'HKU'],
  [/^HKEY_LOCAL_MACHINE(?=\\|$)/i, 'HKLM'],
  [/^HKEY_USERS(?=\\|$)/i, 'HKU'],
  [/^HKEY_CURRENT_USER(?=\\|$)/i, 'HKCU'],
  [/^HKEY_CLASSES_ROOT(?=\\|$)/i, 'HKCR'],
  [/^HKEY_CURRENT_CONFIG(?=\\|$)/i, 'HKCC'],
];

/** `\REGISTRY\MACHINE\...` and `HKEY_LOCAL_MACHINE\...` both become `HKLM\...`. */
export function normaliseRegistryPath(path: string): string {
  for (const [re, short] of HIVES) if (re.test(path)) return path.replace(re, short);
  return path;
}

function file(e: Event, path: unknown, hashes?: unknown): void {
  const p = toStr(path);
  if (!p) return;
  const { directory, name, extension } = splitPath(p);
  e.file = { path: p, name, directory, extension };
  const h = parseHashes(hashes);
  if (h) e.file.hash = h;
  if (!directory) delete e.file.directory;
  if (!extension) delete e.file.extension;
}

export function sysmon(e: Event, id: number, d: Data): void {
  e.event.dataset = 'windows.sysmon';
  const rule = toStr(d.RuleName);
  if (rule) e.rule = { name: rule };
  switch (id) {
    case 1: {
      setKind(e, 'process-start', ['process'], ['start']);
      mainProcess(e, d);
      const p = e.process!;
      withHashes(p, d.Hashes);
      const cwd = toStr(d.CurrentDirectory);
      if (cwd) p.working_directory = cwd;
      const il = toStr(d.IntegrityLevel);
      if (il) p.integrity_level = il;
      p.start = parseTime(d.UtcTime, true) ?? e['@timestamp'];
      const pe = compact({
        original_file_name: toStr(d.OriginalFileName),
        description: toStr(d.Description),
        product: toStr(d.Product),
        company: toStr(d.Company),
        file_version: toStr(d.FileVersion),
      });
      if (pe) p.pe = pe;
      const parent = proc(d.ParentImage, d.ParentProcessId, d.ParentProcessGuid, d.ParentCommandLine);
      const pu = parseUser(d.ParentUser);
      if (pu) parent.user = pu;
      if (Object.keys(parent).length) p.parent = parent;
      break;
    }
    case 2:
      setKind(e, 'file-modify', ['file'], ['change']);
      mainProcess(e, d);
      file(e, d.TargetFilename);
      break;
    case 3: {
      setKind(e, 'network-connection', ['network'], ['connection', 'start']);
      mainProcess(e, d);
      const transport = toStr(d.Protocol)?.toLowerCase();
      e.network = { transport, direction: toBool(d.Initiated) === false ? 'ingress' : 'egress' };
      if (!transport) delete e.network.transport;
      e.source = { ip: toStr(d.SourceIp), port: toInt(d.SourcePort), domain: toStr(d.SourceHostname) };
      e.destination = { ip: toStr(d.DestinationIp), port: toInt(d.DestinationPort), domain: toStr(d.DestinationHostname) };
      break;
    }
    case 4:
    case 16:
      setKind(e, 'other', ['configuration'], ['change']);
      break;
    case 5:
      setKind(e, 'process-end', ['process'], ['end']);
      mainProcess(e, d);
      e.process!.end = parseTime(d.UtcTime, true) ?? e['@timestamp'];
      break;
    case 6: {
      setKind(e, 'driver-load', ['driver'], ['start']);
      const p = toStr(d.ImageLoaded);
      if (p) e.dll = { path: p, name: splitPath(p).name, hash: parseHashes(d.Hashes) };
      break;
    }
    case 7: {
      setKind(e, 'image-load', ['library'], ['start']);
      mainProcess(e, d);
      const p = toStr(d.ImageLoaded);
      if (p) {
        e.dll = { path: p, name: splitPath(p).name };
        const h = parseHashes(d.Hashes);
        if (h) e.dll.hash = h;
        const signed = toBool(d.Signed);
        if (signed !== undefined || d.Signature !== undefined)
          e.dll.code_signature = { signed, subject_name: toStr(d.Signature), status: toStr(d.SignatureStatus) };
      }
      break;
    }
    case 8:
    case 10: {
      setKind(e, id === 8 ? 'remote-thread' : 'process-access', ['process'], ['access']);
      const src = proc(d.SourceImage, d.SourceProcessId, d.SourceProcessGuid ?? d.SourceProcessGUID);
      const su = parseUser(d.SourceUser);
      if (su) {
        src.user = su;
        e.user = su;
      }
      const tid = toInt(d.SourceThreadId);
      if (tid !== undefined) src.thread = { id: tid };
      e.process = src;
      const tgt = proc(d.TargetImage, d.TargetProcessId, d.TargetProcessGuid ?? d.TargetProcessGUID);
      const tu = parseUser(d.TargetUser);
      if (tu) tgt.user = tu;
      e.target = { process: tgt };
      break;
    }
    case 9:
      setKind(e, 'raw-access-read', ['file'], ['access']);
      mainProcess(e, d);
      file(e, d.Device);
      break;
    case 11:
      setKind(e, 'file-create', ['file'], ['creation']);
      mainProcess(e, d);
      file(e, d.TargetFilename);
      if (e.file) e.file.created = parseTime(d.CreationUtcTime, true);
      break;
    case 12: {
      const t = toStr(d.EventType)?.toLowerCase() ?? '';
      setKind(e, t.includes('delete') ? 'registry-key-delete' : 'registry-key-create', ['registry'], [t.includes('delete') ? 'deletion' : 'creation']);
      mainProcess(e, d);
      registry(e, d);
      // Key events name a key, not a value: the whole path is the key.
      if (e.registry) {
        const parts = e.registry.path!.split('\\');
        e.registry.key = parts.slice(1).join('\\') || undefined;
        delete e.registry.value;
      }
      break;
    }
    case 13:
      setKind(e, 'registry-value-set', ['registry'], ['change']);
      mainProcess(e, d);
      registry(e, d);
      break;
    case 14:
      setKind(e, 'registry-key-rename', ['registry'], ['change']);
      mainProcess(e, d);
      registry(e, d);
      if (e.registry) {
        e.registry.key = e.registry.path!.split('\\').slice(1).join('\\') || undefined;
        delete e.registry.value;
        const nn = toStr(d.NewName);
        if (nn) e.registry.data = { strings: [normaliseRegistryPath(nn)], type: 'new-name' };
      }
      break;
    case 15:
      setKind(e, 'file-stream-create', ['file'], ['creation']);
      mainProcess(e, d);
      file(e, d.TargetFilename, d.Hash ?? d.Hashes);
      break;
    case 17:
    case 18:
      setKind(e, id === 17 ? 'pipe-create' : 'pipe-connect', ['file'], [id === 17 ? 'creation' : 'access']);
      mainProcess(e, d);
      {
        const pipe = toStr(d.PipeName);
        if (pipe) e.file = { name: pipe, path: `\\\\.\\pipe${pipe.startsWith('\\') ? '' : '\\'}${pipe}` };
      }
      break;
    case 19:
    case 20:
    case 21:
      setKind(e, 'wmi-event', ['configuration'], ['change']);
      {
        const user = parseUser(d.User);
        if (user) e.user = user;
      }
      break;
    case 22: {
      setKind(e, 'dns-query', ['network'], ['protocol', 'info']);
      mainProcess(e, d);
      const name = toStr(d.QueryName);
      if (name) {
        e.dns = { question: { name } };
        const results = parseQueryResults(toStr(d.QueryResults));
        if (results.answers.length) e.dns.answers = results.answers;
        if (results.ips.length) e.dns.resolved_ip = results.ips;
        const status = toInt(d.QueryStatus);
        if (status !== undefined) e.dns.response_code = status === 0 ? 'NOERROR' : status === 9003 ? 'NXDOMAIN' : String(status);
      }
      e.network = { protocol: 'dns' };
      break;
    }
    case 23:
    case 26:
      setKind(e, 'file-delete', ['file'], ['deletion']);
      mainProcess(e, d);
      file(e, d.TargetFilename, d.Hashes);
      break;
    case 24:
      setKind(e, 'clipboard-change', ['host'], ['change']);
      mainProcess(e, d);
      break;
    case 25:
      setKind(e, 'process-tampering', ['process'], ['change']);
      mainProcess(e, d);
      break;
    case 27:
    case 28:
    case 29:
      setKind(e, id === 29 ? 'file-create' : 'other', ['file'], [id === 29 ? 'creation' : 'denied']);
      mainProcess(e, d);
      file(e, d.TargetFilename, d.Hashes);
      break;
    default:
      break;
  }
  if (e.process && e.process.entity_id === undefined) {
    const g = normGuid(d.ProcessGuid);
    if (g) e.process.entity_id = g;
  }
  if (e.source) cleanEndpoint(e, 'source');
  if (e.destination) cleanEndpoint(e, 'destination');
}

function cleanEndpoint(e: Event, side: 'source' | 'destination'): void {
  const ep = e[side]!;
  for (const k of Object.keys(ep) as Array<keyof typeof ep>) if (ep[k] === undefined) delete ep[k];
}

/**
 * Sysmon's QueryResults: `type:  5 cname.example;::ffff:1.2.3.4;10.0.0.1;` — CNAMEs are written
 * as `type:  5 <name>`, addresses bare, IPv4 sometimes mapped into IPv6.
 */
export function parseQueryResults(s: string | undefined): { answers: { type?: string; data: string }[]; ips: string[] } {
  const answers: { type?: string; data: string }[] = [];
  const ips: string[] = [];
  if (!s) return { answers, ips };
  for (const raw of s.split(';')) {
    const part = raw.trim();
    if (!part) continue;
    const m = /^type:\s*(\d+)\s+(.*)$/.exec(part);
    if (m) {
      const t = Number(m[1]);
      answers.push({ type: t === 5 ? 'CNAME' : t === 12 ? 'PTR' : t === 15 ? 'MX' : t === 16 ? 'TXT' : `TYPE${t}`, data: m[2].trim() });
      continue;
    }
    const ip = part.startsWith('::ffff:') && part.includes('.') ? part.slice(7) : part;
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
      ips.push(ip);
      answers.push({ type: 'A', data: ip });
    } else if (ip.includes(':') && /^[0-9a-fA-F:.]+$/.test(ip)) {
      ips.push(ip.toLowerCase());
      answers.push({ type: 'AAAA', data: ip.toLowerCase() });
    }
  }
  return { answers, ips };
}
