/**
 * `loupe threats [list|show|set]`: the threats of a case (from `loupe analyze`, `loupe serve` or
 * `loupe hunt`), one with its tree and hits, and analyst states (who and when are recorded).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { threatLine, threatText, termSafe } from '../../detect/chains/render.js';
import { defaultDbPath, openStore } from '../../store/index.js';
import { openThreatStore, THREAT_STATES, type ThreatState } from '../../store/threats.js';
import { safe } from '../format.js';

function withCase<T>(o: { db?: string; case: string }, fn: (threats: ReturnType<typeof openThreatStore>) => T): T | undefined {
  const store = openStore(o.db ?? defaultDbPath());
  try {
    const c = store.findCase(o.case);
    if (!c) {
      process.stderr.write(`loupe threats: no case named ${safe(o.case, 64)}\n`);
      process.exitCode = 2;
      return undefined;
    }
    return fn(openThreatStore(store, c));
  } finally {
    store.close();
  }
}

export function register(program: Command): void {
  const threats = program.command('threats').description('threats found by process-chain scoring: list, show one, set an analyst state');

  threats
    .command('list', { isDefault: true })
    .description('threats, latest first')
    .option('--case <name>', 'case', 'default')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--state <state>', `only this state (${THREAT_STATES.join(', ')})`)
    .option('--host <name>', 'only this host')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 100)
    .option('--json', 'print as JSON')
    .action((o) => {
      if (o.state !== undefined && !(THREAT_STATES as readonly string[]).includes(o.state)) {
        process.stderr.write(`loupe threats: --state must be one of ${THREAT_STATES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      withCase(o, (t) => {
        const list = t.listThreats({ state: o.state as ThreatState | undefined, host: o.host, limit: o.limit });
        if (o.json) process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (!list.length) process.stdout.write('no threats\n');
        else for (const x of list) process.stdout.write(`${threatLine(x)}\n`);
      });
    });

  threats
    .command('show')
    .description('one threat: tactics, techniques, attribution, the process tree with its hits')
    .argument('<id>')
    .option('--case <name>', 'case', 'default')
    .option('--db <path>', 'store file')
    .option('--hits', 'also list every hit')
    .option('--json', 'print as JSON (threat, hits, state history)')
    .action((id: string, o) => {
      withCase(o, (t) => {
        const x = t.threat(id);
        if (!x) {
          process.stderr.write(`loupe threats: no threat ${termSafe(id, 40)}\n`);
          process.exitCode = 1;
          return;
        }
        const hits = o.hits || o.json ? t.hits(x.chainId, 1000) : [];
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ threat: x, hits, hitTotal: t.hitCount(x.chainId), states: t.stateHistory(id) }, null, 2)}\n`);
          return;
        }
        process.stdout.write(`${threatText(x)}\n`);
        for (const s of t.stateHistory(id))
          process.stdout.write(`  state ${s.state} by ${termSafe(s.by, 64)} at ${new Date(s.at).toISOString()}${s.note ? `: ${termSafe(s.note, 200)}` : ''}\n`);
        if (o.hits) {
          process.stdout.write(`  hits (${t.hitCount(x.chainId)}):\n`);
          for (const h of hits)
            process.stdout.write(`    ${new Date(h.time).toISOString()} ${h.level.padEnd(13)} ${termSafe(h.title, 100)} on ${termSafe(h.processKey, 80)}${h.allowed ? ` (allowed: ${termSafe(h.allowed, 60)})` : ''}\n`);
        }
      });
    });

  threats
    .command('set')
    .description(`set a threat's analyst state (${THREAT_STATES.join(', ')})`)
    .argument('<id>')
    .argument('<state>')
    .option('--note <text>', 'why')
    .option('--by <name>', 'who (default: your user name)')
    .option('--case <name>', 'case', 'default')
    .option('--db <path>', 'store file')
    .action((id: string, state: string, o) => {
      if (!(THREAT_STATES as readonly string[]).includes(state)) {
        process.stderr.write(`loupe threats set: state must be one of ${THREAT_STATES.join(', ')}\n`);
        process.exitCode = 2;
        return;
      }
      withCase(o, (t) => {
        const who = o.by ?? userInfo().username;
        const c = t.setState(id, state as ThreatState, who, o.note);
        if (!c) {
          process.stderr.write(`loupe threats: no threat ${termSafe(id, 40)}\n`);
          process.exitCode = 1;
        } else process.stdout.write(`${c.threatId} is ${c.state} (by ${termSafe(c.by, 64)} at ${new Date(c.at).toISOString()})\n`);
      });
    });
}
