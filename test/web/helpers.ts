/**
 * A Loupe server over the built-in example for the web UI's tests: the example's Sysmon events
 * analysed (Sigma, network checks, process chains) into an in-memory store, optionally with one
 * hostile process start (markup in its command line) under the intrusion's Word process, a second
 * empty case for the case picker, and an analyst and an agent token.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildDetectors } from '../../src/detect/index.js';
import { chainSession } from '../../src/detect/chains/session.js';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { buildServer } from '../../src/server/app.js';
import { writeExample } from '../../src/sources/example/generate.js';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/store.js';
import { openAgentRegistry } from '../../src/store/threats.js';
import type { CaseStore } from '../../src/store/types.js';

/** A command line an attacker would like a web console to run: script, image error handler, a long tail. */
export const HOSTILE_CMD = 'cmd.exe /c "<script>alert(document.cookie)</script>" <img src=x onerror=alert(1)> & echo pwned' + ' A'.repeat(3000);
export const HOSTILE_PID = 31337;

export interface ExampleServer {
  app: FastifyInstance;
  store: SqliteStore;
  caseStore: CaseStore;
  emptyCase: CaseStore;
  analyst: string;
  agent: string;
  /** Events the example wrote (plus the hostile one). */
  events: number;
  close(): Promise<void>;
}

/** The example's first record (Word started by Explorer) turned into cmd.exe started by Word, with a hostile command line. */
function hostileLine(first: string): string {
  const rec = JSON.parse(first) as { Event: { System: Record<string, unknown>; EventData: Record<string, unknown> } };
  const d = rec.Event.EventData;
  d.ParentProcessGuid = d.ProcessGuid;
  d.ParentProcessId = d.ProcessId;
  d.ParentImage = d.Image;
  d.ParentCommandLine = d.CommandLine;
  d.ProcessGuid = '{1DFAD264-7A7A-7A7A-7A7A-7A7A7A7A7A7A}';
  d.ProcessId = HOSTILE_PID;
  d.Image = 'C:\\Windows\\System32\\cmd.exe';
  d.OriginalFileName = 'Cmd.Exe';
  d.CommandLine = HOSTILE_CMD;
  // Five seconds after Word started.
  d.UtcTime = (d.UtcTime as string).replace(':00.000', ':05.000');
  rec.Event.System.EventRecordID = 9999;
  (rec.Event.System.TimeCreated as { '#attributes': { SystemTime: string } })['#attributes'].SystemTime = `${(d.UtcTime as string).replace(' ', 'T')}000Z`;
  return JSON.stringify(rec);
}

export async function exampleServer(o: { hostile?: boolean; webRoot?: string } = {}): Promise<ExampleServer> {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-web-'));
  try {
    const file = join(dir, 'example-intrusion.sysmon.json');
    let events = await writeExample(file);
    const paths = [file];
    if (o.hostile) {
      const hostile = join(dir, 'hostile.sysmon.json');
      writeFileSync(hostile, `${hostileLine(readFileSync(file, 'utf8').split('\n')[0]!)}\n`);
      paths.push(hostile);
      events++;
    }
    const store = openSqliteStore(':memory:');
    const caseStore = store.openCase('example');
    const emptyCase = store.openCase('empty case');
    const { detectors } = await buildDetectors({});
    const chains = chainSession(store, caseStore, detectors);
    await analyzePaths(paths, { store: caseStore, detectors });
    chains?.save();
    const agents = openAgentRegistry(store);
    const analyst = agents.add('alice', 'analyst').token;
    const agent = agents.add('ws-agent', 'agent').token;
    // `store` is the UI's option (every case browsable); buildServer hands its options on to it.
    const options = { caseStore, threats: chains!.threats, agents, detectors: [], store, webRoot: o.webRoot };
    const { app } = await buildServer(options);
    await app.ready();
    return {
      app,
      store,
      caseStore,
      emptyCase,
      analyst,
      agent,
      events,
      async close() {
        await app.close();
        store.close();
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
