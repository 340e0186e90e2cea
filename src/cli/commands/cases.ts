/** `loupe cases`: the cases in a store, with what each holds. */
import type { Command } from 'commander';
import { defaultDbPath, openStore } from '../../store/index.js';
import { safe, table } from '../format.js';

export function register(program: Command): void {
  program
    .command('cases')
    .description('list the cases in the store')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--json', 'print as JSON')
    .action((o) => {
      const store = openStore(o.db ?? defaultDbPath());
      try {
        const cases = store.listCases();
        if (o.json) process.stdout.write(`${JSON.stringify(cases, null, 2)}\n`);
        else if (!cases.length) process.stdout.write('no cases yet: run loupe analyze\n');
        else
          process.stdout.write(
            `${table(['case', 'created (UTC)', 'evidence', 'events', 'alerts'], cases.map((c) => [safe(c.name, 60), new Date(c.created).toISOString().slice(0, 19), c.evidence, c.events, c.alerts]), [2, 3, 4])}\n`,
          );
      } finally {
        store.close();
      }
    });
}
