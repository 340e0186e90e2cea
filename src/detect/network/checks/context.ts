/**
 * What every check is given at `finish`: the aggregates, the indicator and whitelist indexes,
 * the resolved options, and the whitelist questions answered the same way everywhere.
 */
import { parse as parseDomain } from 'tldts';
import { IocIndex, Whitelist } from '../../ioc/ioc-index.js';
import type { AlertKey } from '../../../report/i18n/index.js';
import { AlertSink, type Occurrence } from '../alerts.js';
import { DEFAULTS, type NetworkOptions } from '../options.js';
import type { Agg, NetworkState } from '../state.js';

export interface Resolved {
  heuristics: boolean;
  iocChecks: boolean;
  useWhitelist: boolean;
  maxPorts: number;
  httpDefaultPort: number;
  sslDefaultPorts: Set<number>;
  freeIssuers: Set<string>;
  freeIssuerOrganisations: string[];
  maxAlerts: number;
  beacons: boolean;
  longConnectionSeconds: number;
  dnsTunnel: boolean;
  dga: boolean;
  lang: string;
  maxEventRefs: number;
  now?: number;
}

export function resolveOptions(o: NetworkOptions): Resolved {
  return {
    heuristics: o.heuristics !== false,
    iocChecks: o.iocChecks !== false,
    useWhitelist: o.useWhitelist !== false,
    maxPorts: o.maxPorts ?? DEFAULTS.maxPorts,
    httpDefaultPort: o.httpDefaultPort ?? DEFAULTS.httpDefaultPort,
    sslDefaultPorts: new Set(o.sslDefaultPorts ?? DEFAULTS.sslDefaultPorts),
    freeIssuers: new Set((o.freeIssuers ?? DEFAULTS.freeIssuers).map(normalizeDn)),
    freeIssuerOrganisations: (o.freeIssuerOrganisations ?? DEFAULTS.freeIssuerOrganisations).map((s) => s.toLowerCase()),
    maxAlerts: o.maxAlerts ?? DEFAULTS.maxAlerts,
    beacons: o.beacons !== false,
    longConnectionSeconds: o.longConnectionSeconds ?? DEFAULTS.longConnectionSeconds,
    dnsTunnel: o.dnsTunnel !== false,
    dga: o.dga !== false,
    lang: o.lang ?? 'en',
    maxEventRefs: o.maxEventRefs ?? DEFAULTS.maxEventRefs,
    now: o.now,
  };
}

/** DNs are written `C=US, O=X` by some tools and `O=X,C=US` by others: compare sorted parts. */
export function normalizeDn(dn: string): string {
  return dn
    .split(/(?<!\\),/)
    .map((p) => p.trim().replace(/\s*=\s*/, '=').toLowerCase())
    .filter(Boolean)
    .sort()
    .join(',');
}

export function dnField(dn: string, field: string): string | undefined {
  for (const part of dn.split(/(?<!\\),/)) {
    const m = new RegExp(`^\\s*${field}\\s*=\\s*(.*)$`, 'i').exec(part);
    if (m) return m[1]!.replace(/\\,/g, ',').trim();
  }
  return undefined;
}

export interface DomainParts {
  /** Registrable domain (`evil.co.uk`, `me.duckdns.org`), private suffixes included. */
  domain: string;
  /** Its first label (`evil`, `me`). */
  label: string;
  publicSuffix: string;
}

export class CheckContext {
  readonly iocs: IocIndex;
  readonly whitelist: Whitelist;
  /** Names the domain checks already looked at (the HTTP and SNI fallbacks skip them). */
  readonly checkedNames = new Set<string>();
  readonly whitelistedIps = new Set<string>();
  /** Rules that fired per destination address, for the report's suspect list. */
  readonly flags = new Map<string, Set<AlertKey>>();
  private ipsByName?: Map<string, string[]>;
  private readonly domainCache = new Map<string, DomainParts | null>();
  private readonly icannCache = new Map<string, DomainParts | null>();

  constructor(
    readonly state: NetworkState,
    readonly sink: AlertSink,
    readonly opts: Resolved,
    iocs: IocIndex | undefined,
    whitelist: Whitelist | undefined,
  ) {
    this.iocs = iocs ?? new IocIndex();
    this.whitelist = whitelist ?? Whitelist.empty();
  }

  ipWhitelisted(ip: string): boolean {
    return this.opts.useWhitelist && this.whitelist.hasIp(ip);
  }

  nameWhitelisted(name: string): boolean {
    return this.opts.useWhitelist && this.whitelist.hasDomain(name);
  }

  /** Every DNS name seen for an address. */
  namesOf(ip: string): readonly string[] {
    return this.state.namesByIp.get(ip) ?? [];
  }

  /**
   * A destination is whitelisted when its address is, or when it has names and every one of
   * them is: one malicious name sharing a CDN address with a whitelisted one keeps it checked.
   */
  destinationWhitelisted(ip: string): boolean {
    if (!this.opts.useWhitelist) return false;
    if (this.whitelist.hasIp(ip)) return true;
    const names = this.namesOf(ip);
    return names.length > 0 && names.every((n) => this.whitelist.hasDomain(n));
  }

  flagIp(ip: string, rule: AlertKey): void {
    let s = this.flags.get(ip);
    if (!s) this.flags.set(ip, (s = new Set()));
    s.add(rule);
  }

  /** Flags every address the name resolved to. */
  flagName(name: string, rule: AlertKey): void {
    if (!this.ipsByName) {
      this.ipsByName = new Map();
      for (const [ip, names] of this.state.namesByIp) {
        for (const n of names) {
          const l = this.ipsByName.get(n);
          if (l) {
            if (l.length < 64) l.push(ip);
          } else this.ipsByName.set(n, [ip]);
        }
      }
    }
    for (const ip of this.ipsByName.get(name) ?? []) this.flagIp(ip, rule);
  }

  /** Registrable domain of a name (public suffix list, private suffixes included), cached; null for IPs and bare labels. */
  domainOf(name: string, icannOnly = false): DomainParts | null {
    const cache = icannOnly ? this.icannCache : this.domainCache;
    let d = cache.get(name);
    if (d !== undefined) return d;
    const p = parseDomain(name, { allowPrivateDomains: !icannOnly, extractHostname: false });
    // Unknown suffixes (`corp.local`, `wpad`) are internal names: no registrable domain.
    d = p.domain && p.domainWithoutSuffix && p.publicSuffix && !p.isIp && (p.isIcann || p.isPrivate) ? { domain: p.domain, label: p.domainWithoutSuffix, publicSuffix: p.publicSuffix } : null;
    if (cache.size < 2_000_000) cache.set(name, d);
    return d;
  }

  /** How a destination is named in alerts: its first DNS name, else the address. */
  display(ip: string): string {
    return this.namesOf(ip)[0] ?? ip;
  }
}

export function occ(a: Agg): Occurrence {
  return { refs: a.refs, count: a.count, first: a.first, last: a.last, sources: a.sources };
}
