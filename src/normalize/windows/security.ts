/**
 * Security channel (and the System, PowerShell and Task Scheduler events that matter to a
 * responder) to ECS. Process ids in the Security log are hex strings (`0xea8`); process images
 * after 5156 are device paths (`\device\harddiskvolume2\...`) and are kept as written.
 */
import type { Event } from '../event.js';
import { toInt, toStr } from '../values.js';
import { type Data, pickStr, proc, setKind, userFrom } from './common.js';
import { normaliseRegistryPath } from './sysmon.js';

const LOGON_TYPES: Record<string, string> = {
  '2': 'Interactive', '3': 'Network', '4': 'Batch', '5': 'Service', '7': 'Unlock', '8': 'NetworkCleartext',
  '9': 'NewCredentials', '10': 'RemoteInteractive', '11': 'CachedInteractive', '12': 'CachedRemoteInteractive', '13': 'CachedUnlock',
};

function subject(d: Data) {
  return userFrom(d.SubjectUserName, d.SubjectDomainName, d.SubjectUserSid);
}

function target(d: Data) {
  return userFrom(d.TargetUserName, d.TargetDomainName, d.TargetUserSid ?? d.TargetSid);
}

function logon(e: Event, d: Data): void {
  e.user = target(d);
  const type = toStr(d.LogonType);
  const id = toStr(d.TargetLogonId);
  e.winlog = { ...e.winlog, logon: { type: type ? (LOGON_TYPES[type] ?? type) : undefined, id } };
  if (!type) delete e.winlog.logon!.type;
  if (!id) delete e.winlog.logon!.id;
  const ip = toStr(d.IpAddress);
  if (ip && ip !== '::1' && ip !== '127.0.0.1') e.source = { ip, port: toInt(d.IpPort) || undefined, domain: toStr(d.WorkstationName) };
  else if (toStr(d.WorkstationName)) e.source = { domain: toStr(d.WorkstationName) };
  if (e.source) for (const k of Object.keys(e.source) as Array<keyof typeof e.source>) if (e.source[k] === undefined) delete e.source[k];
  const p = proc(d.ProcessName, d.ProcessId);
  if (Object.keys(p).length) e.process = p;
}

export function security(e: Event, id: number, d: Data): void {
  e.event.dataset = 'windows.security';
  switch (id) {
    case 4688: {
      setKind(e, 'process-start', ['process'], ['start']);
      const p = proc(d.NewProcessName, d.NewProcessId, undefined, d.CommandLine);
      // Since Windows 10 the new process's account is in Target* when it differs from the creator's.
      const tu = target(d);
      p.user = tu && tu.name ? tu : subject(d);
      if (!p.user) delete p.user;
      p.start = e['@timestamp'];
      const il = toStr(d.MandatoryLabel);
      if (il) p.integrity_level = il;
      const parent = proc(d.ParentProcessName, d.ProcessId);
      const su = subject(d);
      if (su) parent.user = su;
      if (Object.keys(parent).length) p.parent = parent;
      e.process = p;
      if (p.user) e.user = p.user;
      break;
    }
    case 4689:
      setKind(e, 'process-end', ['process'], ['end']);
      e.process = proc(d.ProcessName, d.ProcessId);
      e.process.end = e['@timestamp'];
      e.user = subject(d);
      break;
    case 4624:
      setKind(e, 'logon', ['authentication', 'session'], ['start']);
      e.event.outcome = 'success';
      logon(e, d);
      break;
    case 4625:
      setKind(e, 'logon-failed', ['authentication'], ['start']);
      e.event.outcome = 'failure';
      logon(e, d);
      break;
    case 4648:
      setKind(e, 'logon', ['authentication'], ['start']);
      e.user = target(d);
      e.process = proc(d.ProcessName, d.ProcessId);
      break;
    case 4672:
      setKind(e, 'special-logon', ['authentication', 'iam'], ['admin']);
      e.user = subject(d);
      break;
    case 4697:
      setKind(e, 'service-install', ['configuration', 'iam'], ['creation']);
      e.user = subject(d);
      break;
    case 4698:
      setKind(e, 'scheduled-task-create', ['configuration'], ['creation']);
      e.user = subject(d);
      break;
    case 4720:
      setKind(e, 'user-create', ['iam'], ['user', 'creation']);
      e.user = target(d);
      break;
    case 5156:
    case 5157: {
      setKind(e, 'network-connection', ['network'], ['connection', id === 5156 ? 'allowed' : 'denied']);
      e.process = proc(d.Application, d.ProcessID ?? d.ProcessId);
      const proto = toInt(d.Protocol);
      const inbound = toStr(d.Direction) === '%%14592';
      e.network = { transport: proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 ? 'icmp' : proto === undefined ? undefined : String(proto), direction: inbound ? 'ingress' : 'egress' };
      if (!e.network.transport) delete e.network.transport;
      // WFP names the local side "Source" for both directions.
      const local = { ip: toStr(d.SourceAddress), port: toInt(d.SourcePort) };
      const remote = { ip: toStr(d.DestAddress), port: toInt(d.DestPort) };
      e.source = inbound ? remote : local;
      e.destination = inbound ? local : remote;
      break;
    }
    case 4656:
    case 4663: {
      const type = toStr(d.ObjectType)?.toLowerCase();
      const name = toStr(d.ObjectName);
      e.process = proc(d.ProcessName, d.ProcessId);
      e.user = subject(d);
      if (type === 'key' && name) {
        setKind(e, 'registry-key-access', ['registry'], ['access']);
        const path = normaliseRegistryPath(name);
        e.registry = { path, hive: path.split('\\')[0], key: path.split('\\').slice(1).join('\\') || undefined };
      } else if (type === 'file' && name) {
        setKind(e, 'file-access', ['file'], ['access']);
        e.file = { path: name };
      }
      break;
    }
    case 4657: {
      setKind(e, 'registry-value-set', ['registry'], ['change']);
      e.process = proc(d.ProcessName, d.ProcessId);
      e.user = subject(d);
      const name = toStr(d.ObjectName);
      if (name) {
        const path = normaliseRegistryPath(name);
        const value = toStr(d.ObjectValueName);
        e.registry = { path: value ? `${path}\\${value}` : path, hive: path.split('\\')[0], key: path.split('\\').slice(1).join('\\') || undefined, value };
        const nv = toStr(d.NewValue);
        if (nv !== undefined) e.registry.data = { strings: [nv] };
      }
      break;
    }
    case 1102:
      setKind(e, 'other', ['configuration'], ['deletion']);
      e.user = subject(d);
      break;
    default:
      if (d.SubjectUserName !== undefined) e.user = subject(d);
      break;
  }
  if (e.user === undefined) delete e.user;
}

export function system(e: Event, id: number, d: Data, provider: string | undefined): void {
  e.event.dataset = 'windows.system';
  if (id === 7045 && (!provider || /service control manager/i.test(provider))) {
    setKind(e, 'service-install', ['configuration'], ['creation']);
    const account = toStr(d.AccountName);
    if (account) e.user = { name: account };
  } else if (id === 104) {
    setKind(e, 'other', ['configuration'], ['deletion']);
  }
}

export function powershell(e: Event, id: number, d: Data, pid: number | undefined): void {
  e.event.dataset = 'windows.powershell';
  // The logging process is the PowerShell host: the events belong to it.
  if (pid !== undefined) e.process = { pid };
  if (id === 4104) setKind(e, 'script-block', ['process'], ['info']);
  else if (id === 4103 || id === 800) setKind(e, 'pipeline-execution', ['process'], ['info']);
  const host = pickStr(d, 'HostApplication');
  if (host && e.process) e.process.command_line = host;
}

export function taskScheduler(e: Event, id: number, d: Data): void {
  e.event.dataset = 'windows.taskscheduler';
  if (id === 106) {
    setKind(e, 'scheduled-task-create', ['configuration'], ['creation']);
    const u = toStr(d.UserContext);
    if (u) e.user = { name: u };
  }
}
