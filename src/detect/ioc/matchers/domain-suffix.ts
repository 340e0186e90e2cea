/**
 * Domain suffix lookup on label boundaries: an entry `evil.com` matches `evil.com` and
 * `a.b.evil.com`, never `notevil.com` (TinyCheck's `endswith` did). A lookup walks the name once
 * from the right, keeping a running hash of the suffix read so far; at each label boundary it
 * asks the table one question, so the cost is O(length) with one probe per label, whatever the
 * number of entries, and no substring is allocated.
 *
 * The layout is for memory, not for objects: with a million entries every probe is a cache miss,
 * and a lookup that chased a Map entry, a bucket object and a string per label spent its time
 * waiting on memory. Here a probe reads one pair of integers (hash, entry) from an open-addressing
 * table at most half full; most label boundaries (`com`, `example.com`) end at an empty slot.
 * Only when the hash matches are the entry's characters, kept side by side in one array, compared
 * with the name; the entry's items are touched only for a confirmed match.
 */

/** 30-bit hashes: small integers, and `hash + 1` marks a used slot. */
const MASK = 0x3fffffff;

function suffixHash(s: string): number {
  let h = 0;
  for (let i = s.length - 1; i >= 0; i--) h = (Math.imul(h, 31) + s.charCodeAt(i)) & MASK;
  return h;
}

export class DomainSuffixIndex<T> {
  /** Slot i: table[2i] = hash + 1 (0: empty), table[2i + 1] = entry. */
  private table = new Int32Array(2 * 16);
  private shift = 28; // 32 - log2(slots)
  /** Entry e's text is chars[start[e] .. start[e] + length[e]). */
  private chars = new Uint16Array(256);
  private used = 0;
  private start = new Int32Array(16);
  private length = new Int32Array(16);
  private readonly suffixes: string[] = [];
  private readonly items: T[][] = [];

  get size(): number {
    return this.suffixes.length;
  }

  add(domain: string, item: T): void {
    const h = suffixHash(domain);
    const e = this.find(domain, 0, h);
    if (e >= 0) {
      this.items[e]!.push(item);
      return;
    }
    const id = this.suffixes.length;
    this.suffixes.push(domain);
    this.items.push([item]);
    if (id >= this.start.length) {
      this.start = grown(this.start, id + 1);
      this.length = grown(this.length, id + 1);
    }
    if (this.used + domain.length > this.chars.length) this.chars = grown(this.chars, this.used + domain.length);
    for (let k = 0; k < domain.length; k++) this.chars[this.used + k] = domain.charCodeAt(k);
    this.start[id] = this.used;
    this.length[id] = domain.length;
    this.used += domain.length;
    if ((id + 1) * 4 > this.table.length) this.rehash(); // keep the table at most half full
    this.place(h, id);
  }

  /** The entry whose text is `name` from `from` to its end and whose hash is `h`, or -1. */
  private find(name: string, from: number, h: number): number {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    const key = h + 1;
    const len = name.length - from;
    for (let i = Math.imul(h, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const at = table[2 * i]!;
      if (at === 0) return -1;
      if (at !== key) continue;
      const e = table[2 * i + 1]!;
      if (this.length[e] !== len) continue;
      const s = this.start[e]!;
      let k = 0;
      while (k < len && this.chars[s + k] === name.charCodeAt(from + k)) k++;
      if (k === len) return e;
    }
  }

  private place(h: number, e: number): void {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    let i = Math.imul(h, 0x9e3779b1) >>> this.shift;
    while (table[2 * i] !== 0) i = (i + 1) & mask;
    table[2 * i] = h + 1;
    table[2 * i + 1] = e;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.shift--;
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0) this.place(old[i]! - 1, old[i + 1]!);
  }

  private hit(e: number): { suffix: string; items: T[] } {
    return { suffix: this.suffixes[e]!, items: this.items[e]! };
  }

  /** The most specific entry covering `name` (itself or a parent), or undefined. */
  longest(name: string): { suffix: string; items: T[] } | undefined {
    if (this.suffixes.length === 0) return undefined;
    let best = -1;
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if (i === 0 || name.charCodeAt(i - 1) === 46) {
        const e = this.find(name, i, h);
        if (e >= 0) best = e;
      }
    }
    return best < 0 ? undefined : this.hit(best);
  }

  /** Entries covering `name`, least specific (shortest) first. */
  private covering(name: string): number[] {
    const out: number[] = [];
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if (i === 0 || name.charCodeAt(i - 1) === 46) {
        const e = this.find(name, i, h);
        if (e >= 0) out.push(e);
      }
    }
    return out;
  }

  /** Every entry covering `name`, most specific first. */
  all(name: string): Array<{ suffix: string; items: T[] }> {
    if (this.suffixes.length === 0) return [];
    return this.covering(name).reverse().map((e) => this.hit(e));
  }

  /** Entries covering `name` that are strict parents of it (TinyCheck's free-DNS rule: `x.ddns.net`, not `ddns.net`). */
  strictParent(name: string): { suffix: string; items: T[] } | undefined {
    if (this.suffixes.length === 0) return undefined;
    const parents = this.covering(name).filter((e) => this.length[e]! < name.length);
    return parents.length ? this.hit(parents[parents.length - 1]!) : undefined;
  }

  /** Whether any entry covers `name`. */
  has(name: string): boolean {
    if (this.suffixes.length === 0) return false;
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if ((i === 0 || name.charCodeAt(i - 1) === 46) && this.find(name, i, h) >= 0) return true;
    }
    return false;
  }
}

/** A copy at least `min` long (doubling), for the arrays that grow with the entries. */
function grown<A extends Int32Array | Uint16Array>(a: A, min: number): A {
  let n = a.length * 2;
  while (n < min) n *= 2;
  const b = new (a.constructor as new (n: number) => A)(n);
  b.set(a);
  return b;
}
