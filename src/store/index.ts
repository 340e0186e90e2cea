/** Opening the store: the one place that knows which implementation backs it. */
import { resolve } from 'node:path';
import { openSqliteStore } from './sqlite/store.js';
import type { Store } from './types.js';

/** `--db`, else `$LOUPE_DB`, else `./loupe-data/loupe.db` under the current folder. */
export function defaultDbPath(): string {
  return resolve(process.env.LOUPE_DB ?? 'loupe-data/loupe.db');
}

export function openStore(path = defaultDbPath()): Store {
  return openSqliteStore(path);
}

export type { Store, CaseStore } from './types.js';
