/**
 * The store writer thread: owns its own connection to the store file and commits the batches it
 * is sent, one transaction each, in order. See async-writer.ts.
 */
import { parentPort } from 'node:worker_threads';
import type { CaseStore, WriteBatch } from '../types.js';
import { openSqliteStore, type SqliteStore } from './store.js';

let store: SqliteStore | undefined;
const cases = new Map<string, CaseStore>();

parentPort!.on('message', (m: { n: number; path: string; caseName: string; batch: WriteBatch } | { close: true }) => {
  if ('close' in m) {
    store?.close();
    parentPort!.postMessage({ closed: true });
    return;
  }
  try {
    store ??= openSqliteStore(m.path);
    let c = cases.get(m.caseName);
    if (!c) cases.set(m.caseName, (c = store.openCase(m.caseName)));
    c.write(m.batch);
    parentPort!.postMessage({ n: m.n });
  } catch (err) {
    parentPort!.postMessage({ n: m.n, error: (err as Error).message });
  }
});
