/**
 * Domain indicators on every name the device used: each DNS name of each address it connected
 * to (TinyCheck checked only the first), every name it queried even if it never connected
 * (TinyCheck issue #51), HTTP Host headers without their port, and TLS server names, all on
 * label boundaries and all behind the whitelist.
 */
import { parseIp } from '../../ioc/ip.js';
import type { Indicator } from '../../ioc/types.js';
import type { Occurrence } from '../alerts.js';
import { occ, type CheckContext } from './context.js';

/** Prefers a non-tracker indicator when both kinds cover the name (a tracker tag lowers the level). */
function pick(items: readonly Indicator[]): { ind: Indicator; tracker: boolean } {
  const nonTracker = items.find((i) => i.tag !== 'tracker');
  return nonTracker ? { ind: nonTracker, tracker: false } : { ind: items[0]!, tracker: true };
}

export function indicatorDetails(i: Indicator): Record<string, unknown> {
  return { indicator: { type: i.type, value: i.value, tag: i.tag, tlp: i.tlp, source: i.source } };
}

/** IOC-03/04/05/06 on one name; returns whether it was looked at (not whitelisted). */
export function checkName(ctx: CheckContext, name: string, o: Occurrence, via: 'connection' | 'dns'): boolean {
  if (ctx.nameWhitelisted(name)) return false;
  ctx.checkedNames.add(name);
  if (!ctx.opts.iocChecks) return true;
  const d = ctx.iocs.matchDomain(name);
  if (d) {
    const { ind, tracker } = pick(d.items);
    const rule = tracker ? 'IOC-04' : 'IOC-03';
    ctx.sink.add(rule, name, tracker ? { domain: name, ioc: d.suffix } : { domain: name, ioc: d.suffix, tag: ind.tag }, o, {
      subject: name,
      details: { via, ...indicatorDetails(ind) },
    });
    ctx.flagName(name, rule);
  }
  const f = ctx.iocs.matchFreeDns(name);
  if (f) {
    ctx.sink.add('IOC-05', name, { domain: name, ioc: f.suffix }, o, { subject: name, details: { via, ...indicatorDetails(f.items[0]!) } });
    ctx.flagName(name, 'IOC-05');
  }
  const t = ctx.iocs.matchTld(name);
  if (t) {
    ctx.sink.add('IOC-06', name, { domain: name, tld: `.${t.suffix}` }, o, { subject: name, details: { via, ...indicatorDetails(t.items[0]!) } });
    ctx.flagName(name, 'IOC-06');
  }
  return true;
}

/** Names queried in DNS, whether or not anything connected to them afterwards. */
export function checkQueriedNames(ctx: CheckContext): void {
  for (const [name, agg] of ctx.state.names) checkName(ctx, name, occ(agg), 'dns');
}

/** IOC-08/09/10 (and IOC-04 for trackers) on HTTP Host headers no DNS record already covered. */
export function checkHttpHosts(ctx: CheckContext): void {
  if (!ctx.opts.iocChecks) return;
  for (const h of ctx.state.http.values()) {
    const host = h.host;
    if (parseIp(host) !== undefined) continue; // an address: the connection checks cover it
    if (ctx.checkedNames.has(host) || ctx.nameWhitelisted(host)) continue;
    if (h.ips.length > 0 && h.ips.every((ip) => ctx.ipWhitelisted(ip))) continue;
    const o = occ(h);
    const d = ctx.iocs.matchDomain(host);
    if (d) {
      const { ind, tracker } = pick(d.items);
      if (tracker) ctx.sink.add('IOC-04', host, { domain: host, ioc: d.suffix }, o, { subject: host, details: { via: 'http', ...indicatorDetails(ind) } });
      else ctx.sink.add('IOC-08', host, { domain: host, ioc: d.suffix, tag: ind.tag }, o, { subject: host, details: { via: 'http', ...indicatorDetails(ind) } });
      for (const ip of h.ips) ctx.flagIp(ip, tracker ? 'IOC-04' : 'IOC-08');
    }
    const f = ctx.iocs.matchFreeDns(host);
    if (f) {
      ctx.sink.add('IOC-09', host, { domain: host, ioc: f.suffix }, o, { subject: host, details: { via: 'http', ...indicatorDetails(f.items[0]!) } });
      for (const ip of h.ips) ctx.flagIp(ip, 'IOC-09');
    }
    const t = ctx.iocs.matchTld(host);
    if (t) {
      ctx.sink.add('IOC-10', host, { domain: host, tld: `.${t.suffix}` }, o, { subject: host, details: { via: 'http', ...indicatorDetails(t.items[0]!) } });
      for (const ip of h.ips) ctx.flagIp(ip, 'IOC-10');
    }
  }
}

/** IOC-13: full URLs of HTTP requests against URL indicators. */
export function checkUrls(ctx: CheckContext): void {
  if (!ctx.opts.iocChecks || !ctx.iocs.hasUrls) return;
  for (const [url, agg] of ctx.state.urls) {
    const hit = ctx.iocs.matchUrl(url);
    if (!hit) continue;
    let host: string | undefined;
    try {
      host = new URL(url).hostname;
    } catch {
      host = undefined;
    }
    if (host !== undefined && ctx.nameWhitelisted(host)) continue;
    ctx.sink.add('IOC-13', url, { url, tag: hit[0]!.tag }, occ(agg), { subject: host, details: indicatorDetails(hit[0]!) });
  }
}
