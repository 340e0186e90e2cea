/**
 * Every indicator, indexed so that each lookup costs O(labels) or O(log ranges), never
 * O(indicators): addresses and hashes in hash maps, ranges in the CIDR index, names in suffix
 * indexes walked on label boundaries.
 */
import { CidrIndex, type CidrHit } from './matchers/cidr-index.js';
import { DomainSuffixIndex } from './matchers/domain-suffix.js';
import { Ipv4Table } from './matchers/ipv4-table.js';
import { canonicalIp, parseIPv4 } from './ip.js';
import type { Indicator, IocType } from './types.js';

export interface DomainHit {
  /** The indicator value that matched (the name itself or a parent on a label boundary). */
  suffix: string;
  items: Indicator[];
}

const HASH_TYPES = new Set<IocType>(['sha1cert', 'ja3', 'md5', 'sha1', 'sha256']);

export class IocIndex {
  /** IPv4 by value; IPv6 (and anything else) by canonical text. */
  private readonly ip4s = new Ipv4Table<Indicator>();
  private readonly ips = new Map<string, Indicator[]>();
  private readonly cidrs = new CidrIndex<Indicator>();
  private readonly domains = new DomainSuffixIndex<Indicator>();
  private readonly freedns = new DomainSuffixIndex<Indicator>();
  private readonly nameservers = new DomainSuffixIndex<Indicator>();
  private readonly tlds = new Map<string, Indicator[]>();
  private readonly hashes = new Map<string, Indicator[]>();
  private readonly urls = new Map<string, Indicator[]>();
  readonly rules: Indicator[] = [];
  private count = 0;

  static from(indicators: Iterable<Indicator>): IocIndex {
    const idx = new IocIndex();
    for (const i of indicators) idx.add(i);
    return idx;
  }

  get size(): number {
    return this.count;
  }

  add(ind: Indicator): void {
    this.count++;
    switch (ind.type) {
      case 'ip4':
      case 'ip6': {
        const v4 = parseIPv4(ind.value);
        if (v4 !== undefined) this.ip4s.add(v4, ind);
        else push(this.ips, ind.value, ind);
        break;
      }
      case 'cidr':
        this.cidrs.add(ind.value, ind);
        break;
      case 'domain':
        this.domains.add(ind.value, ind);
        break;
      case 'freedns':
        this.freedns.add(ind.value, ind);
        break;
      case 'ns':
        this.nameservers.add(ind.value, ind);
        break;
      case 'tld':
        push(this.tlds, ind.value.replace(/^\./, ''), ind);
        break;
      case 'url':
        push(this.urls, ind.value, ind);
        break;
      case 'snort':
        this.rules.push(ind);
        break;
      default:
        if (HASH_TYPES.has(ind.type)) push(this.hashes, `${ind.type}:${ind.value}`, ind);
    }
  }

  /** Exact address indicators (IOC-01). `ip` may be in any spelling. */
  matchIp(ip: string): Indicator[] | undefined {
    if (this.ips.size === 0 && this.ip4s.size === 0) return undefined;
    let v4 = parseIPv4(ip);
    if (v4 !== undefined) return this.ip4s.get(v4);
    // Another spelling: leading zeros, IPv4-mapped IPv6, upper-case or uncompressed IPv6.
    const c = canonicalIp(ip);
    if (c === undefined) return undefined;
    v4 = parseIPv4(c);
    return v4 !== undefined ? this.ip4s.get(v4) : this.ips.get(c);
  }

  /** Ranges holding the address (IOC-02), most specific first. */
  matchCidr(ip: string): CidrHit<Indicator>[] | undefined {
    return this.cidrs.size === 0 ? undefined : this.cidrs.match(ip);
  }

  /** The most specific `domain` indicator covering a normalised name (IOC-03/04/08, SSL-04). */
  matchDomain(name: string): DomainHit | undefined {
    return this.domains.longest(name);
  }

  /** A free/dynamic DNS provider the name is a subdomain of (IOC-05/09): `x.ddns.net`, not `ddns.net`. */
  matchFreeDns(name: string): DomainHit | undefined {
    return this.freedns.strictParent(name);
  }

  /** A suspect top-level domain (IOC-06/10); the hit's suffix is the TLD without its dot. */
  matchTld(name: string): DomainHit | undefined {
    if (this.tlds.size === 0) return undefined;
    const dot = name.lastIndexOf('.');
    if (dot < 0) return undefined; // a bare label is not under a TLD
    const tld = name.slice(dot + 1);
    const items = this.tlds.get(tld);
    return items ? { suffix: tld, items } : undefined;
  }

  /** A name server indicator covering an NS host name (ACT-01). */
  matchNameserver(name: string): DomainHit | undefined {
    return this.nameservers.longest(name);
  }

  matchHash(type: 'sha1cert' | 'ja3' | 'md5' | 'sha1' | 'sha256', value: string): Indicator[] | undefined {
    return this.hashes.size === 0 ? undefined : this.hashes.get(`${type}:${value.toLowerCase()}`);
  }

  matchUrl(url: string): Indicator[] | undefined {
    return this.urls.size === 0 ? undefined : this.urls.get(url);
  }

  get hasUrls(): boolean {
    return this.urls.size > 0;
  }

  get hasNameservers(): boolean {
    return this.nameservers.size > 0;
  }
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const have = m.get(k);
  if (have) have.push(v);
  else m.set(k, [v]);
}

/** Addresses, ranges and domains never to alert on. Domains cover their subdomains. */
export class Whitelist {
  private readonly ips = new Set<string>();
  private readonly cidrs = new CidrIndex<Indicator>();
  private readonly domains = new DomainSuffixIndex<Indicator>();
  private count = 0;

  static from(indicators: Iterable<Indicator>): Whitelist {
    const w = new Whitelist();
    for (const i of indicators) w.add(i);
    return w;
  }

  static empty(): Whitelist {
    return new Whitelist();
  }

  get size(): number {
    return this.count;
  }

  add(ind: Indicator): void {
    this.count++;
    if (ind.type === 'ip4' || ind.type === 'ip6') this.ips.add(ind.value);
    else if (ind.type === 'cidr') this.cidrs.add(ind.value, ind);
    else if (ind.type === 'domain') this.domains.add(ind.value, ind);
  }

  /** Memoised: a capture talks to few distinct addresses, many times. */
  private readonly ipMemo = new Map<string, boolean>();

  hasIp(ip: string): boolean {
    const m = this.ipMemo.get(ip);
    if (m !== undefined) return m;
    let r = this.ips.has(ip);
    if (!r) {
      const c = canonicalIp(ip);
      r = (c !== undefined && this.ips.has(c)) || this.cidrs.has(ip);
    }
    if (this.ipMemo.size < 1_000_000) this.ipMemo.set(ip, r);
    return r;
  }

  /** The name or one of its parents is whitelisted (`api.google.com` under `google.com`). */
  hasDomain(name: string): boolean {
    return this.domains.has(name);
  }

  /** The whitelisted value covering the name, for reports. */
  domainEntry(name: string): string | undefined {
    return this.domains.longest(name)?.suffix;
  }
}
