/** `--db` and `--case` as every store-reading command takes them. */
import type { Command } from 'commander';
import { defaultDbPath, openStore } from '../store/index.js';
import type { CaseStore, Store } from '../store/types.js';

export function withStoreOptions(cmd: Command): Command {
  return cmd.option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)').option('--case <name>', 'case', 'default');
}

/** Runs `fn` with the named case open; a missing case is an error that lists the cases there are. */
export async function withCase<T>(o: { db?: string; case: string }, fn: (c: CaseStore, store: Store) => T | Promise<T>): Promise<T | undefined> {
  const store = openStore(o.db ?? defaultDbPath());
  try {
    const c = store.findCase(o.case);
    if (!c) {
      const names = store.listCases().map((x) => x.name);
      process.stderr.write(`loupe: no case "${o.case}" in ${o.db ?? defaultDbPath()}${names.length ? ` (cases: ${names.join(', ')})` : ' (no cases yet: run loupe analyze first)'}\n`);
      process.exitCode = 2;
      return undefined;
    }
    return await fn(c, store);
  } finally {
    store.close();
  }
}
