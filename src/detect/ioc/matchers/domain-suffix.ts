/**
 * Domain suffix lookup on label boundaries: an entry `evil.com` matches `evil.com` and
 * `a.b.evil.com`, never `notevil.com` (TinyCheck's `endswith` did). A lookup walks the name once
 * from the right, keeping a running hash of the suffix read so far; at each label boundary it
 * asks one hash-map question, so the cost is O(length) with one map lookup per label, whatever
 * the number of entries, and no substring is allocated. Hash collisions are resolved by
 * comparing the candidate's text.
 *
 * Most label boundaries of a name are not entries (`com`, `example.com` under a feed of a million
 * domains). A bit per hash in a small filter, sized to stay under 1/16 full, answers most of
 * those questions with one word read instead of a probe into a map of a million entries: the
 * map is asked only when the bit is set.
 */

interface Bucket<T> {
  suffix: string;
  items: T[];
  /** Another entry whose hash collided with this one. */
  next?: Bucket<T>;
}

/** 30-bit hash so keys stay small integers (V8 keeps those unboxed in Maps). */
const MASK = 0x3fffffff;

function suffixHash(s: string): number {
  let h = 0;
  for (let i = s.length - 1; i >= 0; i--) h = (Math.imul(h, 31) + s.charCodeAt(i)) & MASK;
  return h;
}

/** Whether `name` ends with `suffix` starting at `start` (the caller knows the lengths fit). */
function endsAt(name: string, suffix: string, start: number): boolean {
  return name.length - start === suffix.length && name.startsWith(suffix, start);
}

export class DomainSuffixIndex<T> {
  private readonly map = new Map<number, Bucket<T>>();
  private count = 0;
  /** One bit per hash (modulo its size) of every entry: clear means surely absent. */
  private bits = new Int32Array(64);
  private bitMask = 64 * 32 - 1;

  private mayHave(h: number): boolean {
    return (this.bits[(h & this.bitMask) >>> 5]! & (1 << (h & 31))) !== 0;
  }

  private setBit(h: number): void {
    this.bits[(h & this.bitMask) >>> 5]! |= 1 << (h & 31);
  }

  /** Keeps the filter at most 1/16 full: larger, and rebuilt from the map's keys (the hashes). */
  private growFilter(): void {
    let size = this.bitMask + 1;
    while (this.map.size * 16 > size && size < 1 << 30) size *= 2;
    if (size === this.bitMask + 1) return;
    this.bits = new Int32Array(size >>> 5);
    this.bitMask = size - 1;
    for (const h of this.map.keys()) this.setBit(h);
  }

  add(domain: string, item: T): void {
    const h = suffixHash(domain);
    let b = this.map.get(h);
    while (b !== undefined) {
      if (b.suffix === domain) {
        b.items.push(item);
        return;
      }
      if (b.next === undefined) break;
      b = b.next;
    }
    const fresh: Bucket<T> = { suffix: domain, items: [item] };
    if (b === undefined) {
      this.map.set(h, fresh);
      this.setBit(h);
      if (this.map.size * 16 > this.bitMask + 1) this.growFilter();
    } else b.next = fresh;
    this.count++;
  }

  get size(): number {
    return this.count;
  }

  private at(name: string, start: number, h: number): Bucket<T> | undefined {
    if (!this.mayHave(h)) return undefined;
    for (let b = this.map.get(h); b !== undefined; b = b.next) if (endsAt(name, b.suffix, start)) return b;
    return undefined;
  }

  /** Calls `hit` for each entry covering `name`, least specific (shortest) first. */
  private walk(name: string, hit: (b: Bucket<T>) => boolean | void): void {
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if (i === 0 || name.charCodeAt(i - 1) === 46) {
        const b = this.at(name, i, h);
        if (b !== undefined && hit(b) === true) return;
      }
    }
  }

  /** The most specific entry covering `name` (itself or a parent), or undefined. */
  longest(name: string): { suffix: string; items: T[] } | undefined {
    if (this.count === 0) return undefined;
    // The hot path of every name check: the walk written out, no closure.
    let best: Bucket<T> | undefined;
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if ((i === 0 || name.charCodeAt(i - 1) === 46) && this.mayHave(h)) {
        for (let b = this.map.get(h); b !== undefined; b = b.next) {
          if (endsAt(name, b.suffix, i)) {
            best = b;
            break;
          }
        }
      }
    }
    return best;
  }

  /** Every entry covering `name`, most specific first. */
  all(name: string): Array<{ suffix: string; items: T[] }> {
    const out: Array<{ suffix: string; items: T[] }> = [];
    if (this.count === 0) return out;
    this.walk(name, (b) => {
      out.push({ suffix: b.suffix, items: b.items });
    });
    return out.reverse();
  }

  /** Entries covering `name` that are strict parents of it (TinyCheck's free-DNS rule: `x.ddns.net`, not `ddns.net`). */
  strictParent(name: string): { suffix: string; items: T[] } | undefined {
    if (this.count === 0) return undefined;
    let best: Bucket<T> | undefined;
    this.walk(name, (b) => {
      if (b.suffix.length < name.length) best = b;
    });
    return best === undefined ? undefined : { suffix: best.suffix, items: best.items };
  }

  /** Whether any entry covers `name` (stops at the first, least specific, hit). */
  has(name: string): boolean {
    if (this.count === 0) return false;
    let h = 0;
    for (let i = name.length - 1; i >= 0; i--) {
      h = (Math.imul(h, 31) + name.charCodeAt(i)) & MASK;
      if ((i === 0 || name.charCodeAt(i - 1) === 46) && this.at(name, i, h) !== undefined) return true;
    }
    return false;
  }
}
