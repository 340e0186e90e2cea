/**
 * ACT-01 (name servers of a suspect provider) and ACT-02 (recently registered domain): the
 * only checks that leave the machine, so they are off unless asked for. One lookup per
 * registrable domain (never per connection, never for addresses), a few at a time, each with a
 * timeout, all within a budget; answers cached (in memory, and in a file when given). Failures
 * and timeouts are counted and reported; they never fail or block an offline run.
 */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ActiveLookups, NetworkOptions } from '../options.js';
import type { EventRef } from '../../types.js';
import type { CheckContext } from './context.js';
import { defaultLookups } from './active-lookups.js';

export interface ActiveReport {
  domains: number;
  looked: number;
  cached: number;
  failed: number;
  skipped: number;
  reasons: string[];
}

interface CacheEntry {
  at: number;
  ns?: string[];
  registered?: number | null;
}

const CACHE_TTL_MS = 7 * 24 * 3600 * 1000;
const memoryCache = new Map<string, CacheEntry>();

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Not unref'd: a pending lookup must keep the run alive until its timeout settles it.
    const t = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

async function loadCache(path: string | undefined): Promise<Map<string, CacheEntry>> {
  if (!path) return memoryCache;
  try {
    const doc = JSON.parse(await readFile(path, 'utf8')) as Record<string, CacheEntry>;
    for (const [k, v] of Object.entries(doc)) if (typeof v === 'object' && v && typeof v.at === 'number') memoryCache.set(k, v);
  } catch {
    // No cache yet, or unreadable: start empty.
  }
  return memoryCache;
}

async function saveCache(path: string | undefined, cache: Map<string, CacheEntry>): Promise<void> {
  if (!path) return;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, JSON.stringify(Object.fromEntries(cache)));
  } catch {
    // A cache that cannot be written costs time next run, nothing else.
  }
}

export async function checkActive(ctx: CheckContext, options: NetworkOptions['active']): Promise<ActiveReport | undefined> {
  if (!options?.enabled) return undefined;
  const lookups: ActiveLookups = options.lookups ?? defaultLookups(options.timeoutMs ?? 3000);
  const timeoutMs = options.timeoutMs ?? 3000;
  const deadline = Date.now() + (options.budgetMs ?? 60_000);
  const maxDomains = options.maxDomains ?? 200;
  const recentDays = options.recentDays ?? 365;
  const now = ctx.opts.now ?? Date.now();
  const report: ActiveReport = { domains: 0, looked: 0, cached: 0, failed: 0, skipped: 0, reasons: [] };
  const cache = await loadCache(options.cachePath);

  // Registrable domains of the names the device connected to, with where they were seen.
  const seen = new Map<string, { refs: EventRef[]; first: number; last: number; count: number; sources: string[] }>();
  for (const d of ctx.state.allDestinations()) {
    if (ctx.destinationWhitelisted(d.ip)) continue;
    for (const name of ctx.namesOf(d.ip)) {
      if (ctx.nameWhitelisted(name)) continue;
      const parts = ctx.domainOf(name);
      if (!parts) continue;
      let s = seen.get(parts.domain);
      if (!s) seen.set(parts.domain, (s = { refs: [], first: d.first, last: d.last, count: 0, sources: [] }));
      s.count += d.count;
      for (const r of d.refs) if (s.refs.length < ctx.opts.maxEventRefs) s.refs.push(r);
      for (const x of d.sources) if (!s.sources.includes(x) && s.sources.length < 8) s.sources.push(x);
    }
  }
  report.domains = seen.size;
  const queue = [...seen.keys()].slice(0, maxDomains);
  report.skipped = seen.size - queue.length;

  const one = async (domain: string): Promise<void> => {
    let entry = cache.get(domain);
    if (entry && now - entry.at < CACHE_TTL_MS) report.cached++;
    else {
      if (Date.now() > deadline) {
        report.skipped++;
        return;
      }
      entry = { at: now };
      let failed = false;
      try {
        entry.ns = await withTimeout(lookups.nameservers(domain), timeoutMs);
      } catch (err) {
        failed = true;
        if (report.reasons.length < 5) report.reasons.push(`${domain} NS: ${(err as Error).message}`);
      }
      try {
        const r = await withTimeout(lookups.registered(domain), timeoutMs);
        entry.registered = r ?? null;
      } catch (err) {
        failed = true;
        if (report.reasons.length < 5) report.reasons.push(`${domain} WHOIS: ${(err as Error).message}`);
      }
      if (failed) report.failed++;
      else cache.set(domain, entry);
      report.looked++;
    }
    const occ = seen.get(domain)!;
    for (const ns of entry.ns ?? []) {
      const hit = ctx.iocs.matchNameserver(ns.toLowerCase().replace(/\.$/, ''));
      if (hit) {
        ctx.sink.add('ACT-01', domain, { domain, ns }, occ, { subject: domain, details: { nameserver: ns, indicator: hit.suffix } });
        ctx.flagName(domain, 'ACT-01');
        break;
      }
    }
    if (typeof entry.registered === 'number') {
      const days = Math.floor((now - entry.registered) / 86_400_000);
      if (days >= 0 && days < recentDays) {
        ctx.sink.add('ACT-02', domain, { domain, days }, occ, { subject: domain, details: { registered: new Date(entry.registered).toISOString() } });
      }
    }
  };

  const workers = Array.from({ length: 4 }, async () => {
    for (;;) {
      const d = queue.shift();
      if (d === undefined) return;
      await one(d);
    }
  });
  await Promise.all(workers);
  await saveCache(options.cachePath, cache);
  return report;
}
