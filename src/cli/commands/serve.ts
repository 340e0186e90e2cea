/**
 * `loupe serve`: the live EDR server. Agents POST Windows events (NDJSON, gzip allowed) with their
 * tokens; every detector runs on them as in `loupe analyze`, the chain engine last; threats are
 * read and handled through the analyst API. Listens on 127.0.0.1 unless told otherwise. Open chains
 * are saved with every commit and resumed at the next start.
 */
import type { Command } from 'commander';
import { buildDetectors } from '../../detect/index.js';
import type { ChainFamilyOptions } from '../../detect/chains/family.js';
import { buildServer } from '../../server/app.js';
import { defaultDbPath, openStore } from '../../store/index.js';
import { openAgentRegistry, openThreatStore } from '../../store/threats.js';
import { safe } from '../format.js';

export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function positive(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got ${v})`);
    return n;
  };
}

/** Options every command running the chain engine takes. */
export function chainOptions(cmd: Command): Command {
  return cmd
    .option('--threshold <score>', 'chain score that makes a threat (default 60)', positive('--threshold'))
    .option('--idle <minutes>', 'close a chain with no event for this long (default 30)', positive('--idle'))
    .option('--allow <file>', 'allow rules, YAML or JSON (by hash, signer, path, command line; repeatable)', collect)
    .option('--plugins <dir>', 'load chain plugins from this folder')
    .option('--roots <paths>', 'chain roots, comma-separated paths or names (default: services, svchost, explorer, wmiprvse, ...)');
}

export function chainOptionsFrom(o: Record<string, unknown>, log?: (m: string) => void): ChainFamilyOptions {
  const c: ChainFamilyOptions = {};
  if (o.threshold !== undefined) c.threshold = o.threshold as number;
  if (o.idle !== undefined) c.idleMs = (o.idle as number) * 60_000;
  if (o.allow) c.allow = o.allow as string[];
  if (o.plugins) c.plugins = o.plugins as string;
  if (typeof o.roots === 'string') c.roots = o.roots.split(',').map((s) => s.trim()).filter(Boolean);
  if (log) c.onPluginProblem = (p) => log(`plugin ${p.plugin} (${p.where}): ${p.reason}`);
  return c;
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('run the live server: agents send events, analysts read threats (127.0.0.1 unless --listen)')
    .option('--db <path>', 'store file (default: $LOUPE_DB or ./loupe-data/loupe.db)')
    .option('--case <name>', 'case the live events go to', 'live')
    .option('--listen <address>', 'address to listen on', '127.0.0.1')
    .option('--port <n>', 'port', (v) => Number(v), 7790)
    .option('--rules <path>', 'Sigma rules folder or file (repeatable)', collect)
    .option('--no-builtin-rules', "leave Loupe's built-in Sigma rules out")
    .option('--iocs <file>', 'indicator file (repeatable)', collect)
    .option('--whitelist <file>', 'whitelist file (repeatable)', collect)
    .option('--body-limit <bytes>', 'largest request body (default 16 MiB)', positive('--body-limit'))
    .option('--max-queue <events>', 'events queued before agents get 429 + Retry-After (default 50000)', positive('--max-queue'));
  chainOptions(cmd).action(async (o) => {
    const log = (m: string) => process.stderr.write(`${new Date().toISOString()} ${safe(m, 2000)}\n`);
    if (o.listen !== '127.0.0.1' && o.listen !== 'localhost' && o.listen !== '::1')
      log(`listening on ${o.listen}: reachable from other machines; put TLS in front of it (tokens travel in every request)`);
    const db = o.db ?? defaultDbPath();
    const store = openStore(db);
    const caseStore = store.openCase(o.case);
    const threats = openThreatStore(store, caseStore);
    const agents = openAgentRegistry(store);
    const { detectors, notes } = await buildDetectors({
      rules: o.rules,
      noBuiltinRules: o.builtinRules === false,
      iocs: o.iocs,
      whitelist: o.whitelist,
      chains: chainOptionsFrom(o, log),
    });
    for (const n of notes) log(n);
    const { app, live } = await buildServer({ caseStore, store, threats, agents, detectors, bodyLimit: o.bodyLimit, maxQueuedEvents: o.maxQueue, log });
    if (!agents.list().some((a) => !a.revoked)) log('no tokens yet: create them with `loupe agents add NAME` (agents) and `loupe agents add NAME --analyst`');
    let closing = false;
    const stop = async (sig: string) => {
      if (closing) return;
      closing = true;
      log(`${sig}: finishing queued batches, then stopping`);
      try {
        await app.close();
      } finally {
        store.close();
        process.exit(0);
      }
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
    const address = await app.listen({ host: o.listen, port: o.port });
    log(`Loupe server on ${address} (case "${safe(caseStore.name, 64)}" in ${db}); ${live.stats.resumedChains} open chains resumed`);
  });
}
