/**
 * Which CIDR ranges hold an address, in O(log n) whatever the number of ranges. Prefixes are
 * either nested or disjoint, so after sorting by (first address, prefix length) every range has
 * one nearest enclosing range (its parent). A lookup binary-searches the last range starting at
 * or before the address, then climbs parents until a range holds it; all its ancestors hold it
 * too. IPv4 bounds are uint32 in typed arrays; IPv6 bounds are fixed-width hex strings, whose
 * string order is numeric order.
 */
import { ipv6Hex, parseCidr, parseIp } from '../ip.js';

interface Range<K, T> {
  first: K;
  last: K;
  prefix: number;
  items: T[];
}

class Family<K extends number | string, T> {
  private pending = new Map<string, Range<K, T>>();
  private firsts: K[] | Uint32Array = [];
  private lasts: K[] | Uint32Array = [];
  private parents = new Int32Array(0);
  private items: T[][] = [];
  private prefixes: number[] = [];
  private built = true;

  constructor(private readonly numeric: boolean) {}

  add(first: K, last: K, prefix: number, item: T): void {
    const key = `${first}/${prefix}`;
    const have = this.pending.get(key);
    if (have) have.items.push(item);
    else this.pending.set(key, { first, last, prefix, items: [item] });
    this.built = false;
  }

  get size(): number {
    return this.pending.size;
  }

  private build(): void {
    const ranges = [...this.pending.values()].sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : a.prefix - b.prefix));
    const n = ranges.length;
    if (this.numeric) {
      this.firsts = Uint32Array.from(ranges, (r) => r.first as number);
      this.lasts = Uint32Array.from(ranges, (r) => r.last as number);
    } else {
      this.firsts = ranges.map((r) => r.first);
      this.lasts = ranges.map((r) => r.last);
    }
    this.items = ranges.map((r) => r.items);
    this.prefixes = ranges.map((r) => r.prefix);
    this.parents = new Int32Array(n);
    const stack: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = ranges[i]!;
      while (stack.length > 0 && ranges[stack[stack.length - 1]!]!.last < r.first) stack.pop();
      this.parents[i] = stack.length > 0 ? stack[stack.length - 1]! : -1;
      stack.push(i);
    }
    this.built = true;
  }

  /** Every range holding `x`, most specific first (each with its items). */
  lookup(x: K): Array<{ prefix: number; items: T[]; first: K }> | undefined {
    if (!this.built) this.build();
    const firsts = this.firsts;
    let lo = 0;
    let hi = firsts.length - 1;
    let i = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (firsts[mid]! <= x) {
        i = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    while (i >= 0 && this.lasts[i]! < x) i = this.parents[i]!;
    if (i < 0) return undefined;
    const out: Array<{ prefix: number; items: T[]; first: K }> = [];
    for (let j = i; j >= 0; j = this.parents[j]!) out.push({ prefix: this.prefixes[j]!, items: this.items[j]!, first: firsts[j] as K });
    return out;
  }
}

export interface CidrHit<T> {
  /** Canonical `network/prefix`. */
  cidr: string;
  items: T[];
}

export class CidrIndex<T> {
  private readonly v4 = new Family<number, T>(true);
  private readonly v6 = new Family<string, T>(false);
  private readonly texts = new Map<string, string>();

  /** Adds a range; returns false when the text is not a CIDR. */
  add(cidr: string, item: T): boolean {
    const c = parseCidr(cidr);
    if (!c) return false;
    if (c.version === 4) {
      this.v4.add(c.v4!.first, c.v4!.last, c.prefix, item);
      this.texts.set(`4:${c.v4!.first}/${c.prefix}`, c.text);
    } else {
      this.v6.add(c.v6!.first, c.v6!.last, c.prefix, item);
      this.texts.set(`6:${c.v6!.first}/${c.prefix}`, c.text);
    }
    return true;
  }

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Ranges holding the address, most specific first; undefined when none (or not an address). */
  match(ip: string): CidrHit<T>[] | undefined {
    const p = parseIp(ip);
    if (!p) return undefined;
    if (p.version === 4) {
      if (this.v4.size === 0) return undefined;
      const hits = this.v4.lookup(p.v4);
      return hits?.map((h) => ({ cidr: this.texts.get(`4:${h.first}/${h.prefix}`)!, items: h.items }));
    }
    if (this.v6.size === 0) return undefined;
    const hits = this.v6.lookup(ipv6Hex(p.v6));
    return hits?.map((h) => ({ cidr: this.texts.get(`6:${h.first}/${h.prefix}`)!, items: h.items }));
  }

  /** Cheaper than `match` when only yes/no matters. */
  has(ip: string): boolean {
    const p = parseIp(ip);
    if (!p) return false;
    if (p.version === 4) return this.v4.size > 0 && this.v4.lookup(p.v4) !== undefined;
    return this.v6.size > 0 && this.v6.lookup(ipv6Hex(p.v6)) !== undefined;
  }
}
