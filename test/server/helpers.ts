/**
 * A live server on an in-memory (or file) store with tokens, for the server tests; events as
 * NXLog lines; a stand-in detector (see test/chains/helpers.ts).
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { ChainEngine, type ChainEngineOptions } from '../../src/detect/chains/engine.js';
import type { Detector } from '../../src/detect/types.js';
import { buildServer, type ServerOptions } from '../../src/server/app.js';
import type { LiveIngest } from '../../src/server/live.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/store.js';
import { openAgentRegistry, openThreatStore, type ThreatStore } from '../../src/store/threats.js';
import type { CaseStore } from '../../src/store/types.js';
import { ruleDetector, type Rule } from '../chains/helpers.js';

export interface TestServer {
  app: FastifyInstance;
  live: LiveIngest;
  store: SqliteStore;
  caseStore: CaseStore;
  threats: ThreatStore;
  agent: string;
  agent2: string;
  analyst: string;
  close(): Promise<void>;
}

export async function testServer(
  o: { db?: string; rules?: Rule[]; detectors?: Detector[]; engine?: ChainEngineOptions; server?: Partial<ServerOptions>; tokens?: boolean } = {},
): Promise<TestServer> {
  const store = openSqliteStore(o.db ?? ':memory:');
  const caseStore = store.openCase('live');
  const threats = openThreatStore(store, caseStore);
  const agents = openAgentRegistry(store);
  const mk = (name: string, role: 'agent' | 'analyst') => agents.rotate(name)?.token ?? agents.add(name, role).token;
  const agent = mk('ws-agent-1', 'agent');
  const agent2 = mk('ws-agent-2', 'agent');
  const analyst = mk('alice', 'analyst');
  const detectors = o.detectors ?? [ruleDetector(o.rules ?? []), new ChainEngine(o.engine)];
  const { app, live } = await buildServer({ caseStore, threats, agents, detectors, ...o.server });
  await app.ready();
  return {
    app,
    live,
    store,
    caseStore,
    threats,
    agent,
    agent2,
    analyst,
    async close() {
      await app.close();
      store.close();
    },
  };
}

export function ndjson(objs: unknown[]): string {
  return objs.map((x) => JSON.stringify(x)).join('\n') + '\n';
}

export function gz(text: string): Buffer {
  return gzipSync(Buffer.from(text));
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

function utc(t: number): string {
  return new Date(t).toISOString().replace('T', ' ').replace('Z', '');
}

/** NXLog-shaped Sysmon 1. */
export function nxStart(t: number, host: string, child: { guid: string; pid: number; image: string; cmd: string }, parent: { guid: string; pid: number; image: string }): Record<string, unknown> {
  return {
    EventID: 1,
    Channel: SYSMON,
    Hostname: host,
    UtcTime: utc(t),
    ProcessGuid: child.guid,
    ProcessId: child.pid,
    Image: child.image,
    CommandLine: child.cmd,
    User: 'CORP\\alice',
    IntegrityLevel: 'Medium',
    ParentProcessGuid: parent.guid,
    ParentProcessId: parent.pid,
    ParentImage: parent.image,
    ParentCommandLine: parent.image,
  };
}

/** NXLog-shaped Sysmon 3. */
export function nxConnect(t: number, host: string, p: { guid: string; pid: number; image: string }, ip: string): Record<string, unknown> {
  return {
    EventID: 3,
    Channel: SYSMON,
    Hostname: host,
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
  };
}
