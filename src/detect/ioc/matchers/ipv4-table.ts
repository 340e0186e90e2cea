/**
 * Exact IPv4 addresses, keyed by their 32-bit value in an open-addressing table of integers (at
 * most half full): a look-up of an address among a million costs one read of a (key, entry) pair
 * from memory, where a Map of strings costs several dependent reads and a string comparison.
 */
export class Ipv4Table<T> {
  /** Slot i: table[2i] = address (as int32), table[2i + 1] = entry + 1 (0: empty). */
  private table = new Int32Array(2 * 16);
  private shift = 28; // 32 - log2(slots)
  private readonly items: T[][] = [];

  get size(): number {
    return this.items.length;
  }

  add(address: number, item: T): void {
    const e = this.get(address);
    if (e !== undefined) {
      e.push(item);
      return;
    }
    this.items.push([item]);
    if (this.items.length * 4 > this.table.length) this.rehash();
    this.place(address | 0, this.items.length);
  }

  /** The items of an address (its 32-bit value), or undefined. */
  get(address: number): T[] | undefined {
    const key = address | 0;
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    for (let i = Math.imul(key, 0x9e3779b1) >>> this.shift; ; i = (i + 1) & mask) {
      const e = table[2 * i + 1]!;
      if (e === 0) return undefined;
      if (table[2 * i] === key) return this.items[e - 1];
    }
  }

  private place(key: number, entryPlusOne: number): void {
    const table = this.table;
    const mask = (table.length >>> 1) - 1;
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (table[2 * i + 1] !== 0) i = (i + 1) & mask;
    table[2 * i] = key;
    table[2 * i + 1] = entryPlusOne;
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Int32Array(old.length * 2);
    this.shift--;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== 0) this.place(old[i]!, old[i + 1]!);
  }
}
