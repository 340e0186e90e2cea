/**
 * Domain suffix lookup on label boundaries: an entry `evil.com` matches `evil.com` and
 * `a.b.evil.com`, never `notevil.com` (TinyCheck's `endswith` did). A lookup tries the name, then
 * each parent after a dot: one hash lookup per label, whatever the number of entries.
 */
export class DomainSuffixIndex<T> {
  private readonly map = new Map<string, T[]>();

  add(domain: string, item: T): void {
    const have = this.map.get(domain);
    if (have) have.push(item);
    else this.map.set(domain, [item]);
  }

  get size(): number {
    return this.map.size;
  }

  /** The most specific entry covering `name` (itself or a parent), or undefined. */
  longest(name: string): { suffix: string; items: T[] } | undefined {
    const map = this.map;
    if (map.size === 0) return undefined;
    let s = name;
    for (;;) {
      const hit = map.get(s);
      if (hit !== undefined) return { suffix: s, items: hit };
      const dot = s.indexOf('.');
      if (dot < 0) return undefined;
      s = s.slice(dot + 1);
    }
  }

  /** Every entry covering `name`, most specific first. */
  all(name: string): Array<{ suffix: string; items: T[] }> {
    const out: Array<{ suffix: string; items: T[] }> = [];
    if (this.map.size === 0) return out;
    let s = name;
    for (;;) {
      const hit = this.map.get(s);
      if (hit !== undefined) out.push({ suffix: s, items: hit });
      const dot = s.indexOf('.');
      if (dot < 0) return out;
      s = s.slice(dot + 1);
    }
  }

  /** Entries covering `name` that are strict parents of it (TinyCheck's free-DNS rule: `x.ddns.net`, not `ddns.net`). */
  strictParent(name: string): { suffix: string; items: T[] } | undefined {
    const dot = name.indexOf('.');
    return dot < 0 ? undefined : this.longest(name.slice(dot + 1));
  }

  has(name: string): boolean {
    return this.longest(name) !== undefined;
  }
}
