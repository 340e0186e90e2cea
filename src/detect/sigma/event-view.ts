/**
 * One event as rules read it: each field fetched, turned to text and lower-cased at most once per
 * event, however many rules look at it. Fields are numbered (slots) when rules compile, and the
 * per-slot caches are stamped with a generation number, so moving to the next event allocates
 * nothing: bump the generation and old entries are stale.
 */

/** Field names some shippers write differently: NXLog's `Hostname` for the EVTX `Computer`, ... */
const FALLBACK_NAMES: Record<string, string[]> = {
  Computer: ['Hostname', 'ComputerName'],
  Provider_Name: ['SourceName', 'ProviderName'],
  Provider_Guid: ['ProviderGuid'],
  EventRecordID: ['RecordNumber'],
};

const MISSING = Symbol('missing');

export class FieldTable {
  private readonly slots = new Map<string, number>();
  readonly names: string[] = [];
  /** Per slot: alternative names tried in order when the field itself is absent. */
  readonly fallbacks: (string[] | undefined)[] = [];
  /** Per slot: the dotted path for nested JSON (`userIdentity.arn`), when the name has dots. */
  readonly paths: (string[] | undefined)[] = [];

  slot(name: string): number {
    let s = this.slots.get(name);
    if (s === undefined) {
      s = this.names.length;
      this.slots.set(name, s);
      this.names.push(name);
      this.fallbacks.push(FALLBACK_NAMES[name]);
      this.paths.push(name.includes('.') ? name.split('.') : undefined);
    }
    return s;
  }

  get size(): number {
    return this.names.length;
  }
}

/** A field value as text: numbers and booleans as written, null as '', arrays element-wise. */
export function toText(v: unknown): string | string[] | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (v === null) return '';
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) {
    const out: string[] = [];
    for (const x of v) {
      const t = toText(x);
      if (t === undefined) continue;
      if (typeof t === 'string') out.push(t);
      else out.push(...t);
    }
    return out;
  }
  return JSON.stringify(v);
}

function lowerText(t: string | string[] | undefined): string | string[] | undefined {
  if (t === undefined) return undefined;
  if (typeof t === 'string') return t.toLowerCase();
  return t.map((x) => x.toLowerCase());
}

export class EventView {
  raw: Record<string, unknown> = {};
  private gen = 1;
  private rawGen: Uint32Array;
  private rawVals: unknown[];
  private textGen: Uint32Array;
  private textVals: (string | string[] | undefined)[];
  private lowerGen: Uint32Array;
  private lowerVals: (string | string[] | undefined)[];
  private allGen = 0;
  private allText: string[] = [];
  private allLowerGen = 0;
  private allLowerVals: string[] = [];

  constructor(private readonly table: FieldTable) {
    const n = Math.max(16, table.size);
    this.rawGen = new Uint32Array(n);
    this.rawVals = new Array(n);
    this.textGen = new Uint32Array(n);
    this.textVals = new Array(n);
    this.lowerGen = new Uint32Array(n);
    this.lowerVals = new Array(n);
  }

  /** Points the view at the next event. */
  reset(raw: Record<string, unknown>): void {
    this.raw = raw;
    this.gen++;
    if (this.gen === 0xffffffff) {
      // wrap-around: clear the stamps so no stale entry can look fresh
      this.rawGen.fill(0);
      this.textGen.fill(0);
      this.lowerGen.fill(0);
      this.gen = 1;
    }
    if (this.table.size > this.rawGen.length) this.grow(this.table.size * 2);
  }

  private grow(n: number): void {
    const g = (a: Uint32Array) => {
      const b = new Uint32Array(n);
      b.set(a);
      return b;
    };
    this.rawGen = g(this.rawGen);
    this.textGen = g(this.textGen);
    this.lowerGen = g(this.lowerGen);
    this.rawVals.length = n;
    this.textVals.length = n;
    this.lowerVals.length = n;
  }

  /** The field's value as the record holds it; undefined when absent. */
  get(slot: number): unknown {
    if (this.rawGen[slot] === this.gen) {
      const v = this.rawVals[slot];
      return v === MISSING ? undefined : v;
    }
    let v = this.raw[this.table.names[slot]!];
    if (v === undefined) v = this.lookupSlow(slot);
    this.rawGen[slot] = this.gen;
    this.rawVals[slot] = v === undefined ? MISSING : v;
    return v;
  }

  private lookupSlow(slot: number): unknown {
    const fb = this.table.fallbacks[slot];
    if (fb) {
      for (const name of fb) {
        const v = this.raw[name];
        if (v !== undefined) return v;
      }
    }
    const path = this.table.paths[slot];
    if (path) {
      let cur: unknown = this.raw;
      for (const p of path) {
        if (cur === null || typeof cur !== 'object') return undefined;
        cur = (cur as Record<string, unknown>)[p];
      }
      return cur;
    }
    return undefined;
  }

  /** The value as text (original case). */
  text(slot: number): string | string[] | undefined {
    if (this.textGen[slot] === this.gen) return this.textVals[slot];
    const t = toText(this.get(slot));
    this.textGen[slot] = this.gen;
    this.textVals[slot] = t;
    return t;
  }

  /** The value as lower-case text, computed once per event. */
  lower(slot: number): string | string[] | undefined {
    if (this.lowerGen[slot] === this.gen) return this.lowerVals[slot];
    const t = lowerText(this.text(slot));
    this.lowerGen[slot] = this.gen;
    this.lowerVals[slot] = t;
    return t;
  }

  /** Every value of the record as text, for keyword searches. */
  allValues(): string[] {
    if (this.allGen === this.gen) return this.allText;
    const out: string[] = [];
    for (const k in this.raw) {
      const t = toText(this.raw[k]);
      if (t === undefined) continue;
      if (typeof t === 'string') out.push(t);
      else out.push(...t);
    }
    this.allText = out;
    this.allGen = this.gen;
    return out;
  }

  allValuesLower(): string[] {
    if (this.allLowerGen === this.gen) return this.allLowerVals;
    this.allLowerVals = this.allValues().map((s) => s.toLowerCase());
    this.allLowerGen = this.gen;
    return this.allLowerVals;
  }
}
