/**
 * Hand-built Windows event sequences for chain tests: NXLog-shaped records (as Mordor and agents
 * send them) turned into events by Loupe's own normalizer, a stand-in detector that raises alerts
 * on chosen command lines, and a run helper that drives the real Ingestor with chain persistence.
 */
import { ChainEngine, type ChainEngineOptions } from '../../src/detect/chains/engine.js';
import { chainCommit, resumeChains } from '../../src/detect/chains/persist.js';
import type { Alert, Detector, Level } from '../../src/detect/types.js';
import type { Event } from '../../src/normalize/event.js';
import { fromNxlog, normalizeWindows } from '../../src/normalize/windows.js';
import { Ingestor } from '../../src/pipeline/ingest.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { openThreatStore, type ThreatStore } from '../../src/store/threats.js';
import type { CaseStore, Store } from '../../src/store/types.js';

export const T0 = Date.UTC(2024, 0, 10, 9, 0, 0);
export const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
export const EXPLORER = 'C:\\Windows\\explorer.exe';
export const SERVICES = 'C:\\Windows\\System32\\services.exe';

function utc(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

let record = 0;

function event(o: Record<string, unknown>): Event {
  const rec = fromNxlog(o);
  if (!rec) throw new Error('bad record');
  return normalizeWindows(rec, { file: 'seq', format: 'nxlog-json', record: ++record });
}

export interface Proc {
  host?: string;
  guid?: string;
  pid: number;
  image: string;
  cmd?: string;
  user?: string;
  integrity?: string;
  hashes?: string;
}

export function guid(n: number): string {
  return `{5770385F-C22A-${String(n).padStart(4, '0')}-0000-001000000000}`.toUpperCase();
}

/** Sysmon 1. */
export function start(t: number, child: Proc, parent: Proc): Event {
  return event({
    EventID: 1,
    Channel: SYSMON,
    Hostname: child.host ?? 'ws1.corp',
    UtcTime: utc(t),
    ProcessGuid: child.guid,
    ProcessId: child.pid,
    Image: child.image,
    CommandLine: child.cmd ?? child.image,
    User: child.user ?? 'CORP\\alice',
    IntegrityLevel: child.integrity ?? 'Medium',
    Hashes: child.hashes,
    ParentProcessGuid: parent.guid,
    ParentProcessId: parent.pid,
    ParentImage: parent.image,
    ParentCommandLine: parent.cmd ?? parent.image,
  });
}

/** Sysmon 5. */
export function end(t: number, p: Proc): Event {
  return event({ EventID: 5, Channel: SYSMON, Hostname: p.host ?? 'ws1.corp', UtcTime: utc(t), ProcessGuid: p.guid, ProcessId: p.pid, Image: p.image });
}

/** Sysmon 3 (an event on a process that is not a start). */
export function connect(t: number, p: Proc, ip = '203.0.113.9'): Event {
  return event({
    EventID: 3,
    Channel: SYSMON,
    Hostname: p.host ?? 'ws1.corp',
    UtcTime: utc(t),
    ProcessGuid: p.guid,
    ProcessId: p.pid,
    Image: p.image,
    Protocol: 'tcp',
    Initiated: 'true',
    SourceIp: '10.0.0.5',
    SourcePort: 49700,
    DestinationIp: ip,
    DestinationPort: 443,
  });
}

/** Security 4688 (no GUIDs: pids only). */
export function start4688(t: number, child: Proc, parent: { pid: number; image: string }): Event {
  return event({
    EventID: 4688,
    Channel: 'Security',
    Hostname: child.host ?? 'ws1.corp',
    TimeCreated: new Date(t).toISOString(),
    NewProcessId: `0x${child.pid.toString(16)}`,
    NewProcessName: child.image,
    CommandLine: child.cmd ?? child.image,
    ProcessId: `0x${parent.pid.toString(16)}`,
    ParentProcessName: parent.image,
    SubjectUserName: 'alice',
    SubjectDomainName: 'CORP',
  });
}

/** Security 4689. */
export function end4689(t: number, p: Proc): Event {
  return event({ EventID: 4689, Channel: 'Security', Hostname: p.host ?? 'ws1.corp', TimeCreated: new Date(t).toISOString(), ProcessId: `0x${p.pid.toString(16)}`, ProcessName: p.image });
}

export interface Rule {
  /** Raised when the event's command line (or, for other events, the destination ip) contains this. */
  match: string;
  id: string;
  level: Level;
  techniques?: string[];
  tactics?: string[];
}

/** A stand-in for Sigma: alerts on substrings of the command line or the destination IP. */
export function ruleDetector(rules: Rule[]): Detector {
  return {
    name: 'test-rules',
    onEvent(e, ctx) {
      const text = e.event.action === 'process-start' ? (e.process?.command_line ?? '') : (e.destination?.ip ?? '');
      for (const r of rules) {
        if (!text.includes(r.match)) continue;
        const a: Alert = {
          id: `test:${r.id}:${ctx.eventId}`,
          detector: 'test-rules',
          ruleId: r.id,
          title: `rule ${r.id}`,
          level: r.level,
          time: e['@timestamp'],
          techniques: r.techniques ?? [],
          tactics: r.tactics ?? [],
          events: [{ id: ctx.eventId, time: e['@timestamp'] }],
          count: 1,
        };
        if (e.host?.name) a.host = e.host.name;
        ctx.emit(a);
      }
    },
  };
}

export interface Run {
  store: Store;
  caseStore: CaseStore;
  threats: ThreatStore;
  engine: ChainEngine;
  ingest: Ingestor;
  feed(events: Event[]): void;
}

let evidence = 0;

/** Opens (or reopens) a store, resumes its chains, and feeds events through the real pipeline. */
export function runner(opts: { db?: string; rules?: Rule[]; engine?: ChainEngineOptions; caseName?: string; resume?: boolean } = {}): Run {
  const store = openSqliteStore(opts.db ?? ':memory:');
  const caseStore = store.openCase(opts.caseName ?? 'seq');
  const threats = openThreatStore(store, caseStore);
  const engine = new ChainEngine(opts.engine);
  if (opts.resume) resumeChains(engine, threats);
  const ingest = new Ingestor({ store: caseStore, detectors: [ruleDetector(opts.rules ?? []), engine], commit: chainCommit(engine, threats) });
  const ev = caseStore.addEvidence({ name: `seq-${++evidence}`, format: 'test', records: 0, errors: 0, errorSamples: [] });
  let seq = threats.lastSeq(ev);
  return {
    store,
    caseStore,
    threats,
    engine,
    ingest,
    feed(events) {
      for (const e of events) {
        seq++;
        ingest.add(e, `seq${ev}:${seq}`, ev, seq);
      }
      ingest.flush();
    },
  };
}
