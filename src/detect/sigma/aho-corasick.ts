/**
 * Aho–Corasick: "does this text contain any of these strings", in one pass over the text however
 * many strings there are. SigmaHQ rules carry `contains` lists of hundreds of values (script
 * names, tool names) over long fields (command lines, PowerShell context); testing them one by
 * one with `includes` costs hundreds of scans per event.
 *
 * The automaton is a complete DFA over the characters the patterns use (every other character
 * is one "other" class that leads back to the root), stored as one typed array, so a step is an
 * array read. Patterns and text are compared as given: callers lower-case both for Sigma's
 * case-insensitive matching, or build with `foldAscii` to give each upper-case ASCII letter the
 * class of its lower-case form, which lets lower-case patterns be searched in text as written
 * (no lower-cased copy). `collect` reports every pattern found (the rule prefilter uses it);
 * `test` stops at the first.
 */

export class AhoCorasick {
  private readonly ascii = new Uint16Array(128);
  private readonly wide = new Map<number, number>();
  private readonly width: number;
  /**
   * The DFA: for row offset `state * width` plus character class, the next state's row offset
   * shifted left once, with the low bit set when some pattern ends at that state. One read and a
   * shift per character.
   */
  private readonly jump: Uint32Array;
  readonly states: number;
  /** True when some pattern is empty: every text matches. */
  private readonly always: boolean;
  /** Per state: first index in `outIds` of the patterns ending exactly there, and how many. */
  private readonly outStart: Uint32Array;
  private readonly outCount: Uint16Array;
  private readonly outIds: Uint32Array;
  /** Per state: the nearest state on its failure chain where some pattern ends (0 = none). */
  private readonly dict: Uint32Array;

  /** True when upper-case ASCII letters in the text match lower-case pattern letters. */
  readonly foldsAscii: boolean;

  /**
   * `ids` gives the number reported for each pattern (default: its index), so several automata
   * can share one numbering.
   */
  constructor(patterns: readonly string[], opts: { foldAscii?: boolean; ids?: readonly number[] } = {}) {
    this.always = patterns.some((p) => p.length === 0);
    // character classes: 0 is "a character no pattern uses"
    let classes = 1;
    for (const p of patterns) {
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (c < 128) {
          if (this.ascii[c] === 0) this.ascii[c] = classes++;
        } else if (!this.wide.has(c)) this.wide.set(c, classes++);
      }
    }
    // folding is only offered when every pattern is ASCII: Unicode case mapping is not one to one
    // (and only for lower-case patterns: an upper-case pattern letter would lose its class)
    this.foldsAscii = Boolean(opts.foldAscii) && this.wide.size === 0 && !patterns.some((p) => /[A-Z]/.test(p));
    const width = classes;
    this.width = width;
    // trie, sparse while it grows
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [];
    patterns.forEach((p, id) => {
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const c = this.classOf(p.charCodeAt(i));
        let t = children[s]!.get(c);
        if (t === undefined) {
          t = children.length;
          children.push(new Map());
          children[s]!.set(c, t);
        }
        s = t;
      }
      (ends[s] ??= []).push(opts.ids?.[id] ?? id);
    });
    const states = children.length;
    if (states * width >= 2 ** 31) throw new Error('pattern set too large for one automaton');
    // complete DFA, breadth first: a state's row starts as a copy of its failure state's row
    // (already final, being shallower) and then takes its own transitions
    const table = new Uint32Array(states * width);
    const fail = new Uint32Array(states);
    const out = new Uint8Array(states);
    const dict = new Uint32Array(states);
    const queue = new Uint32Array(states);
    let tail = 0;
    children[0]!.forEach((t, c) => {
      table[c] = t;
      queue[tail++] = t;
    });
    if (ends[0]) out[0] = 1;
    for (let head = 0; head < tail; head++) {
      const u = queue[head]!;
      const f = fail[u]!;
      out[u] = ends[u] || out[f] ? 1 : 0;
      dict[u] = ends[f] ? f : dict[f]!;
      const uw = u * width;
      const fw = f * width;
      for (let c = 0; c < width; c++) table[uw + c] = table[fw + c]!;
      children[u]!.forEach((t, c) => {
        fail[t] = table[fw + c]!;
        table[uw + c] = t;
        queue[tail++] = t;
      });
    }
    // in place: target state -> (target row offset << 1) | "a pattern ends there"
    for (let i = 0; i < table.length; i++) {
      const t = table[i]!;
      table[i] = ((t * width) << 1) | out[t]!;
    }
    this.jump = table;
    this.states = states;
    this.dict = dict;
    this.outStart = new Uint32Array(states);
    this.outCount = new Uint16Array(states);
    const ids: number[] = [];
    for (let s = 0; s < states; s++) {
      const e = ends[s];
      this.outStart[s] = ids.length;
      if (e) {
        this.outCount[s] = e.length;
        for (const x of e) ids.push(x);
      }
    }
    this.outIds = Uint32Array.from(ids);
    if (this.foldsAscii) for (let c = 65; c <= 90; c++) this.ascii[c] = this.ascii[c + 32]!;
  }

  private classOf(c: number): number {
    return c < 128 ? this.ascii[c]! : (this.wide.get(c) ?? 0);
  }

  /** Bytes held by the typed arrays (for memory reports). */
  get bytes(): number {
    return this.jump.byteLength + this.outStart.byteLength + this.outCount.byteLength + this.outIds.byteLength + this.dict.byteLength;
  }

  /** True when `text` contains at least one of the patterns. */
  test(text: string): boolean {
    if (this.always) return true;
    const { ascii, wide, jump } = this;
    const hasWide = wide.size > 0;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const e = jump[row + (c < 128 ? ascii[c]! : hasWide ? (wide.get(c) ?? 0) : 0)]!;
      if (e & 1) return true;
      row = e >>> 1;
    }
    return false;
  }

  /**
   * Calls `found(pattern id)` for every occurrence of every pattern in `text`. Returns whether the
   * text has any non-ASCII character (for LiteralSet, which then runs its second automaton).
   */
  collect(text: string, found: (pattern: number) => void): boolean {
    const { ascii, wide, jump, width, outStart, outCount, outIds, dict } = this;
    const hasWide = wide.size > 0;
    let sawWide = false;
    let row = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let k = 0;
      if (c < 128) k = ascii[c]!;
      else {
        sawWide = true;
        if (hasWide) k = wide.get(c) ?? 0;
      }
      const e = jump[row + k]!;
      row = e >>> 1;
      if ((e & 1) === 0) continue;
      const s = row / width;
      for (let t = outCount[s] ? s : dict[s]!; t !== 0; t = dict[t]!) {
        const from = outStart[t]!;
        const to = from + outCount[t]!;
        for (let j = from; j < to; j++) found(outIds[j]!);
      }
    }
    return sawWide;
  }
}

/**
 * The same search with a sparse trie and failure links followed at run time: slower per
 * character than the DFA but small whatever the alphabet. Used for the non-ASCII patterns.
 */
export class SparseAhoCorasick {
  private readonly children: Map<number, number>[] = [new Map()];
  private readonly fail: number[] = [0];
  /** Pattern ids ending at each state, including those reached through failure links. */
  private readonly outs: number[][] = [[]];
  readonly states: number;

  constructor(patterns: readonly string[], ids?: readonly number[]) {
    patterns.forEach((p, i) => {
      let s = 0;
      for (let j = 0; j < p.length; j++) {
        const c = p.charCodeAt(j);
        let t = this.children[s]!.get(c);
        if (t === undefined) {
          t = this.children.length;
          this.children.push(new Map());
          this.fail.push(0);
          this.outs.push([]);
          this.children[s]!.set(c, t);
        }
        s = t;
      }
      this.outs[s]!.push(ids?.[i] ?? i);
    });
    const queue: number[] = [...this.children[0]!.values()];
    for (let h = 0; h < queue.length; h++) {
      const u = queue[h]!;
      for (const [c, t] of this.children[u]!) {
        let f = this.fail[u]!;
        while (f !== 0 && !this.children[f]!.has(c)) f = this.fail[f]!;
        const g = this.children[f]!.get(c);
        this.fail[t] = g !== undefined && g !== t ? g : 0;
        this.outs[t]!.push(...this.outs[this.fail[t]!]!);
        queue.push(t);
      }
    }
    this.states = this.children.length;
  }

  collect(text: string, found: (pattern: number) => void): void {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let t = this.children[s]!.get(c);
      while (t === undefined && s !== 0) {
        s = this.fail[s]!;
        t = this.children[s]!.get(c);
      }
      s = t ?? 0;
      const o = this.outs[s]!;
      for (let j = 0; j < o.length; j++) found(o[j]!);
    }
  }
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Lower-case literals searched case-insensitively in text as written. ASCII patterns go into an
 * automaton that folds ASCII case itself (no lower-cased copy of the text); the few patterns
 * with other characters (Unicode dashes from `windash`, homoglyphs) go into a sparse automaton
 * that only runs, on a lower-cased copy, when the text has a non-ASCII character. Keeping them
 * apart keeps the DFA's alphabet small: one DFA over the thousand-odd Unicode characters SigmaHQ
 * rules use would cost hundreds of megabytes.
 */
export class LiteralSet {
  private readonly ascii: AhoCorasick | undefined;
  private readonly wide: SparseAhoCorasick | undefined;
  readonly states: number;

  constructor(patterns: readonly string[]) {
    const a: string[] = [];
    const aIds: number[] = [];
    const w: string[] = [];
    const wIds: number[] = [];
    patterns.forEach((p, i) => {
      if (NON_ASCII.test(p)) {
        w.push(p);
        wIds.push(i);
      } else {
        a.push(p);
        aIds.push(i);
      }
    });
    this.ascii = a.length ? new AhoCorasick(a, { foldAscii: true, ids: aIds }) : undefined;
    this.wide = w.length ? new SparseAhoCorasick(w, wIds) : undefined;
    this.states = (this.ascii?.states ?? 0) + (this.wide?.states ?? 0);
  }

  /** Bytes held by the DFA's typed arrays (the sparse part is small and not counted). */
  get bytes(): number {
    return this.ascii?.bytes ?? 0;
  }

  collect(text: string, found: (pattern: number) => void): void {
    const sawWide = this.ascii ? this.ascii.collect(text, found) : NON_ASCII.test(text);
    if (this.wide && sawWide) this.wide.collect(text.toLowerCase(), found);
  }

  test(text: string): boolean {
    let hit = false;
    this.collect(text, () => {
      hit = true;
    });
    return hit;
  }
}
