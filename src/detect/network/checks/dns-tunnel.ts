/**
 * DNS tunnelling, per registrable domain: names carrying long or random-looking labels
 * (DNS-01), many distinct subdomains (DNS-02, RITA's thresholds: 500 low, 800 medium, 1000 high)
 * and a volume of TXT queries (DNS-03). Reverse lookups (`.arpa`) and whitelisted names are left out.
 */
import { entropy } from '../../ioc/domain.js';
import type { EventRef, Level } from '../../types.js';
import type { CheckContext } from './context.js';

export const TUNNEL = {
  /** A label at least this long is suspicious on its own (tunnels fill labels towards 63). */
  longLabel: 40,
  /** A label at least this long with at least `entropyBits` bits per character is suspicious. */
  entropyLabel: 20,
  entropyBits: 3.6,
  /** Suspicious names under one domain before DNS-01 fires. */
  minSuspiciousNames: 10,
  subdomainLevels: [
    [1000, 'high'],
    [800, 'medium'],
    [500, 'low'],
  ] as Array<[number, Level]>,
  minTxtQueries: 50,
} as const;

/** Whether a name's subdomain part looks like encoded data. */
export function suspiciousLabels(sub: string): boolean {
  for (const label of sub.split('.')) {
    if (label.length >= TUNNEL.longLabel) return true;
    if (label.length >= TUNNEL.entropyLabel && entropy(label) >= TUNNEL.entropyBits) return true;
  }
  return false;
}

interface DomainStats {
  unique: number;
  suspicious: number;
  example?: string;
  txt: number;
  queries: number;
  first: number;
  last: number;
  refs: EventRef[];
  sources: string[];
}

export function checkDnsTunnels(ctx: CheckContext): void {
  if (!ctx.opts.heuristics || !ctx.opts.dnsTunnel) return;
  const byDomain = new Map<string, DomainStats>();
  for (const [name, agg] of ctx.state.names) {
    const parts = ctx.domainOf(name);
    if (!parts || parts.publicSuffix.endsWith('arpa')) continue;
    if (ctx.nameWhitelisted(name)) continue;
    let st = byDomain.get(parts.domain);
    if (!st) byDomain.set(parts.domain, (st = { unique: 0, suspicious: 0, txt: 0, queries: 0, first: agg.first, last: agg.last, refs: [], sources: [] }));
    st.unique++;
    st.queries += agg.count;
    st.txt += agg.txt;
    if (agg.first < st.first) st.first = agg.first;
    if (agg.last > st.last) st.last = agg.last;
    const sub = name.length > parts.domain.length ? name.slice(0, name.length - parts.domain.length - 1) : '';
    const susp = sub !== '' && suspiciousLabels(sub);
    if (susp) {
      st.suspicious++;
      st.example ??= name;
    }
    if (st.refs.length < ctx.opts.maxEventRefs && (susp || agg.txt > 0 || st.refs.length < 3)) st.refs.push(agg.refs[0]!);
    for (const s of agg.sources) if (st.sources.length < 8 && !st.sources.includes(s)) st.sources.push(s);
  }
  for (const [domain, st] of byDomain) {
    const o = { refs: st.refs.filter(Boolean), count: st.queries, first: st.first, last: st.last, sources: st.sources };
    if (st.suspicious >= TUNNEL.minSuspiciousNames) {
      ctx.sink.add('DNS-01', domain, { domain, count: st.suspicious, example: st.example! }, o, { subject: domain, details: { uniqueNames: st.unique, queries: st.queries } });
      ctx.flagName(domain, 'DNS-01');
    }
    const lvl = TUNNEL.subdomainLevels.find(([n]) => st.unique >= n);
    if (lvl) {
      ctx.sink.add('DNS-02', domain, { domain, count: st.unique }, o, { level: lvl[1], subject: domain, details: { queries: st.queries } });
    }
    if (st.txt >= TUNNEL.minTxtQueries) {
      ctx.sink.add('DNS-03', domain, { domain, count: st.txt }, o, { subject: domain, details: { queries: st.queries } });
    }
  }
}
