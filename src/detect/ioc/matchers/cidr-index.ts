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
  text: string;
  items: T[];
}

class Family<K extends number | string, T> {
  private pending = new Map<string, Range<K, T>>();
  private firsts: K[] | Uint32Array = [];
  private lasts: K[] | Uint32Array = [];
  private parents = new Int32Array(0);
  private items: T[][] = [];
  private texts: string[] = [];
  private built = true;

  constructor(private readonly numeric: boolean) {}

  add(first: K, last: K, prefix: number, text: string, item: T): void {
    const have = this.pending.get(text);
    if (have) have.items.push(item);
    else this.pending.set(text, { first, last, prefix, text, items: [item] });
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
    this.texts = ranges.map((r) => r.text);
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
  lookup(x: K): Array<{ cidr: string; items: T[] }> | undefined {
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
    const out: Array<{ cidr: string; items: T[] }> = [];
    for (let j = i; j >= 0; j = this.parents[j]!) out.push({ cidr: this.texts[j]!, items: this.items[j]! });
    return out;
  }

  /** Whether any range holds `x` (no result objects). */
  contains(x: K): boolean {
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
    return i >= 0;
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
  /** Adds a range; returns false when the text is not a CIDR. */
  add(cidr: string, item: T): boolean {
    const c = parseCidr(cidr);
    if (!c) return false;
    if (c.version === 4) this.v4.add(c.v4!.first, c.v4!.last, c.prefix, c.text, item);
    else this.v6.add(c.v6!.first, c.v6!.last, c.prefix, c.text, item);
    return true;
  }

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Ranges holding the address, most specific first; undefined when none (or not an address). */
  match(ip: string): CidrHit<T>[] | undefined {
    const p = parseIp(ip);
    if (!p) return undefined;
    if (p.version === 4) return this.v4.size === 0 ? undefined : this.v4.lookup(p.v4);
    return this.v6.size === 0 ? undefined : this.v6.lookup(ipv6Hex(p.v6));
  }

  /** Cheaper than `match` when only yes/no matters. */
  has(ip: string): boolean {
    const p = parseIp(ip);
    if (!p) return false;
    if (p.version === 4) return this.v4.size > 0 && this.v4.contains(p.v4);
    return this.v6.size > 0 && this.v6.contains(ipv6Hex(p.v6));
  }
}
