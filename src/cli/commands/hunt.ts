/**
 * `loupe hunt --from T --to T [--host H]`: rebuilds process chains from a case's stored events with
 * the rules of today, and prints the threats found (stored with the case's others).
 */
import type { Command } from 'commander';
import { buildDetectors } from '../../detect/index.js';
import { huntStored } from '../../detect/chains/hunt.js';
import { threatLine, threatText } from '../../detect/chains/render.js';
import { parseTime } from '../../normalize/values.js';
import { defaultDbPath, openStore } from '../../store/index.js';
import { openThreatStore } from '../../store/threats.js';
import { num, safe } from '../format.js';
import { chainOptions, chainOptionsFrom, collect } from './serve.js';

function time(name: string): (v: string) => number {
  return (v) => {
    const t = /^\d{10,16}$/.test(v) ? Number(v) : parseTime(v, true);
    if (t === undefined || !Number.isFinite(t)) throw new Error(`${name}: not a time (ISO 8601 like 2024-01-10T09:00:00Z, or epoch ms)`);
    return t;
  };
}

export function register(program: Command): void {
  const cmd = program
    .command('hunt')
    .description("rebuild process chains from a case's stored events with today's rules; print the threats")
    .option('--from <time>', 'first event time (ISO 8601 or epoch ms)', time('--from'))
    .option('--to <time>', 'last event time (ISO 8601 or epoch ms)', time('--to'))
    .option('--host <name>', 'only this host')
    .option('--case <name>', 'case to hunt in', 'default')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--rules <path>', 'Sigma rules folder or file (repeatable)', collect)
    .option('--no-builtin-rules', "leave Loupe's built-in Sigma rules out")
    .option('--iocs <file>', 'indicator file (repeatable)', collect)
    .option('--whitelist <file>', 'whitelist file (repeatable)', collect)
    .option('--trees', 'print each threat with its process tree')
    .option('--json', 'print the threats as JSON');
  chainOptions(cmd).action(async (o) => {
    const store = openStore(o.db ?? defaultDbPath());
    try {
      const caseStore = store.findCase(o.case);
      if (!caseStore) {
        process.stderr.write(`loupe hunt: no case named ${safe(o.case, 64)}\n`);
        process.exitCode = 2;
        return;
      }
      const notes: string[] = [];
      const { detectors, notes: loaded } = await buildDetectors({
        rules: o.rules,
        noBuiltinRules: o.builtinRules === false,
        iocs: o.iocs,
        whitelist: o.whitelist,
        chains: chainOptionsFrom(o, (m) => notes.push(m)),
      });
      notes.push(...loaded);
      const threats = openThreatStore(store, caseStore);
      const r = await huntStored(caseStore, threats, detectors, { from: o.from, to: o.to, host: o.host });
      if (o.json) {
        process.stdout.write(`${JSON.stringify({ events: r.events, alerts: r.alerts, ms: r.ms, threats: r.threats, notes }, null, 2)}\n`);
        return;
      }
      for (const n of notes) process.stderr.write(`${safe(n, 400)}\n`);
      process.stdout.write(`hunted ${num(r.events)} events in ${num(r.ms)} ms: ${num(r.alerts)} alerts, ${num(r.threats.length)} threats\n`);
      for (const t of r.threats) process.stdout.write(`${o.trees ? threatText(t) : threatLine(t)}\n${o.trees ? '\n' : ''}`);
    } finally {
      store.close();
    }
  });
}
