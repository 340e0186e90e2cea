/**
 * The rule prefilter: most rules can only match when some field contains one of a few literal
 * strings (`Image|endswith: '\whoami.exe'` needs `\whoami.exe` in Image). For every rule we work
 * out such a necessary condition (its "anchors": pairs of field and strings), and for each list
 * of candidate rules we build one Aho–Corasick automaton per field over all the rules' anchors.
 * An event then costs one pass over each anchored field, and only the rules whose anchors were
 * seen (plus the few with no anchor) run their full closures. The prefilter never decides a
 * match; it only skips rules that cannot match.
 */
import { LiteralSet } from './aho-corasick.js';
import { toText, type EventView, type FieldTable } from './event-view.js';
import type { ConditionNode, DetectionItem, DetectionNode } from './types.js';

/** Some pair must hold for the rule to match: the (mapped) field, or null for any value, contains one of the strings. */
export interface AnchorPair {
  field: string | null;
  strings: string[];
}

/** null: no necessary literal is known (the rule always runs); []: the rule can never match. */
export type Anchors = AnchorPair[] | null;

/** Anchors shorter than this match almost everything and are not worth indexing. */
const MIN_ANCHOR = 3;

/** Characters so common in event text that a short anchor made of them selects nothing. */
const COMMON = /^[a-z0-9\\/._:\- "'=,;()]*$/;

/** How selective a string is likely to be: its length, but a rare character (`, |, ^, ~) counts as long. */
function strength(s: string): number {
  return s.length >= MIN_ANCHOR || COMMON.test(s) ? s.length : MIN_ANCHOR;
}

function quality(a: Anchors): number {
  if (a === null) return -1;
  if (a.length === 0) return Infinity;
  let min = Infinity;
  for (const p of a) for (const s of p.strings) min = Math.min(min, strength(s));
  return min;
}

function count(a: Anchors): number {
  return a === null ? Infinity : a.reduce((n, p) => n + p.strings.length, 0);
}

/** Of several necessary conditions that all hold (AND), keep the most selective. */
export function bestOf(list: Anchors[]): Anchors {
  let best: Anchors = null;
  for (const a of list) {
    const qa = quality(a);
    const qb = quality(best);
    if (qa > qb || (qa === qb && count(a) < count(best))) best = a;
  }
  return best;
}

/** Any of several (OR): every branch needs an anchor, and the anchors add up. */
export function unionOf(list: Anchors[]): Anchors {
  const out: AnchorPair[] = [];
  for (const a of list) {
    if (a === null) return null;
    out.push(...a);
  }
  return out;
}

/** Index just past the character class starting at `i` (`[`), or -1. */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j + 1;
  }
  return -1;
}

/** Index just past the group starting at `i` (`(`), or -1. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const k = skipClass(src, j);
      if (k < 0) return -1;
      j = k - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j + 1;
  }
  return -1;
}

/** Runs of literal characters every match of `src` must contain; undefined when none can be read safely. */
function regexRuns(src: string): string[] | undefined {
  // top-level alternation: no single literal is required
  for (let j = 0; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      const k = skipClass(src, j);
      if (k < 0) return undefined;
      j = k - 1;
    } else if (c === '(') {
      const k = skipGroup(src, j);
      if (k < 0) return undefined;
      j = k - 1;
    } else if (c === '|') return undefined;
  }
  const runs: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur) runs.push(cur);
    cur = '';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    let lit: string | undefined;
    let inner: string[] | undefined;
    let next = i + 1;
    if (c === '\\') {
      const n = src[i + 1];
      if (n === undefined) return undefined;
      if (/[A-Za-z0-9]/.test(n)) {
        if (!'wWdDsSbB'.includes(n)) return undefined; // \x41, \u0041, back-references, ...: not modelled
      } else lit = n;
      next = i + 2;
    } else if (c === '[') {
      next = skipClass(src, i);
      if (next < 0) return undefined;
    } else if (c === '(') {
      next = skipGroup(src, i);
      if (next < 0) return undefined;
      // a plain or named group is required content; lookarounds and flag groups are not read
      const m = /^\((\?:|\?<[A-Za-z_]\w*>|\?P<[A-Za-z_]\w*>)?/.exec(src.slice(i))!;
      if (src[i + 1] !== '?' || m[1]) inner = regexRuns(src.slice(i + m[0].length, next - 1)) ?? [];
    } else if ('*+?{})'.includes(c)) return undefined; // a quantifier with nothing before it
    else if (!'.^$'.includes(c)) lit = c;
    // a quantifier on this token?
    let min = 1;
    let quantified = false;
    const q = src[next];
    if (q === '*' || q === '?') {
      min = 0;
      quantified = true;
      next++;
    } else if (q === '+') {
      quantified = true;
      next++;
    } else if (q === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(next));
      if (!m) return undefined;
      min = Number(m[1]);
      quantified = true;
      next += m[0].length;
    }
    if (quantified && (src[next] === '?' || src[next] === '+')) next++; // lazy or possessive
    if (inner) {
      flush();
      if (min > 0) runs.push(...inner);
    } else if (lit === undefined || min === 0) flush();
    else if (quantified) {
      // `xa+b`: 'xa' and 'ab' are both in every match, 'xab' need not be
      cur += lit;
      flush();
      cur = lit;
    } else cur += lit;
    i = next;
  }
  flush();
  return runs;
}

/**
 * The most selective run of literal characters every match of a regular expression must
 * contain, or undefined when none can be read safely (top-level alternation, escapes we do not
 * model, ...). Classes and dots break runs; a token made optional by `*`, `?` or `{0,` is left
 * out; required groups are read inside.
 */
export function regexLiteral(source: string): string | undefined {
  const runs = regexRuns(source.replace(/^\(\?[imsx]+\)/, ''));
  if (!runs) return undefined;
  let best = '';
  for (const r of runs) if (strength(r) > strength(best) || (strength(r) === strength(best) && r.length > best.length)) best = r;
  return best || undefined;
}

function itemAnchors(item: DetectionItem, fieldMap?: Record<string, string>): Anchors {
  if (item.negated) return null;
  const field = item.field === null ? null : (fieldMap?.[item.field] ?? item.field);
  const groupAnchor = (values: DetectionItem['groups'][number]): Anchors => {
    const strings: string[] = [];
    for (const v of values) {
      if (v.t === 're') {
        const lit = regexLiteral(v.source);
        if (!lit) return null;
        strings.push(lit.toLowerCase());
        continue;
      }
      if (v.t !== 'str') return null;
      let best = '';
      for (const p of v.s.parts) if (p.k === 'text' && (strength(p.v) > strength(best) || (strength(p.v) === strength(best) && p.v.length > best.length))) best = p.v;
      if (!best) return null;
      strings.push(best.toLowerCase());
    }
    return [{ field, strings: [...new Set(strings)] }];
  };
  if (item.linkAll) return bestOf(item.groups.map(groupAnchor));
  return groupAnchor(item.groups.flat());
}

export function detectionAnchors(node: DetectionNode, fieldMap?: Record<string, string>): Anchors {
  switch (node.k) {
    case 'item':
      return itemAnchors(node.item, fieldMap);
    case 'and':
      return bestOf(node.items.map((i) => itemAnchors(i, fieldMap)));
    case 'or':
      return unionOf(node.nodes.map((n) => detectionAnchors(n, fieldMap)));
  }
}

export function conditionAnchors(node: ConditionNode, ids: ReadonlyMap<string, Anchors>): Anchors {
  switch (node.k) {
    case 'id':
      return ids.get(node.name) ?? null;
    case 'and':
      return bestOf(node.c.map((c) => conditionAnchors(c, ids)));
    case 'or':
      return unionOf(node.c.map((c) => conditionAnchors(c, ids)));
    case 'not':
      return null;
    case 'const':
      return node.v ? null : [];
  }
}

/** Drops anchors too short to help. */
export function usable(a: Anchors): Anchors {
  return a !== null && a.length > 0 && quality(a) < MIN_ANCHOR ? null : a;
}

interface FieldAutomaton {
  slot: number;
  ac: LiteralSet;
  /** Per pattern: positions (in the candidate list) of the rules it anchors. */
  rules: number[][];
  /** Where this field's patterns start in the shared `seen` stamps. */
  base: number;
}

/** When some rule searches keywords in every value, one pass over the whole record serves all rules. */
interface RecordAutomaton {
  ac: LiteralSet;
  /** Per pattern: the rules it anchors and in which field (null: any). */
  entries: { rule: number; field: string | null }[][];
}

/** Nested JSON deeper than this is not scanned (a rule reading it then always runs). */
const MAX_DEPTH = 8;

/**
 * The prefilter over one candidate list. Either one automaton per anchored field, or, when a
 * keyword rule must see every value anyway, a single automaton over the whole record whose
 * matches count for a rule only in the rule's own field (or in any field the record does not
 * hold under that name, since the rule may read it through a fallback name or a nested path).
 */
export class Prefilter {
  private readonly fields: FieldAutomaton[] = [];
  private readonly record: RecordAutomaton | undefined;
  /** 1 where the rule at that position has anchors (and so may be skipped). */
  private readonly anchored: Uint8Array;
  private readonly mark: Uint32Array;
  private readonly seen: Uint32Array;
  private gen = 0;
  private stamp = 0;
  private current: FieldAutomaton | undefined;
  private raw: Record<string, unknown> = {};
  /** The record key being scanned; undefined inside nested values. */
  private key: string | undefined;
  private readonly onFieldPattern = (pid: number): void => {
    const fa = this.current!;
    if (this.seen[fa.base + pid] === this.stamp) return;
    this.seen[fa.base + pid] = this.stamp;
    for (const r of fa.rules[pid]!) this.mark[r] = this.gen;
  };
  private readonly onRecordPattern = (pid: number): void => {
    if (this.seen[pid] === this.stamp) return;
    this.seen[pid] = this.stamp;
    const key = this.key;
    for (const e of this.record!.entries[pid]!) {
      if (e.field === null || key === undefined || e.field === key || this.raw[e.field] === undefined) this.mark[e.rule] = this.gen;
    }
  };

  constructor(anchors: readonly Anchors[], fields: FieldTable) {
    this.anchored = new Uint8Array(anchors.length);
    this.mark = new Uint32Array(anchors.length);
    const wholeRecord = anchors.some((a) => a?.some((p) => p.field === null));
    if (wholeRecord) {
      const ids = new Map<string, number>();
      const entries: { rule: number; field: string | null }[][] = [];
      anchors.forEach((a, pos) => {
        if (a === null) return;
        this.anchored[pos] = 1; // [] (never matches) stays anchored and is never marked
        for (const pair of a) {
          for (const s of pair.strings) {
            let id = ids.get(s);
            if (id === undefined) {
              id = entries.length;
              ids.set(s, id);
              entries.push([]);
            }
            entries[id]!.push({ rule: pos, field: pair.field });
          }
        }
      });
      this.record = { ac: new LiteralSet([...ids.keys()]), entries };
      this.seen = new Uint32Array(entries.length);
      return;
    }
    const byField = new Map<string, Map<string, number[]>>();
    anchors.forEach((a, pos) => {
      if (a === null) return;
      this.anchored[pos] = 1;
      for (const pair of a) {
        let m = byField.get(pair.field!);
        if (!m) byField.set(pair.field!, (m = new Map()));
        for (const s of pair.strings) {
          const list = m.get(s) ?? [];
          if (list[list.length - 1] !== pos) list.push(pos);
          m.set(s, list);
        }
      }
    });
    let base = 0;
    for (const [field, m] of byField) {
      const patterns = [...m.keys()];
      this.fields.push({ slot: fields.slot(field), ac: new LiteralSet(patterns), rules: patterns.map((p) => m.get(p)!), base });
      base += patterns.length;
    }
    this.seen = new Uint32Array(base);
  }

  get size(): number {
    return this.anchored.length;
  }

  /** Bytes held by the automata (for memory reports). */
  get bytes(): number {
    return (this.record?.ac.bytes ?? 0) + this.fields.reduce((a, f) => a + f.ac.bytes, 0);
  }

  /** Scans the event; afterwards `may(i)` says whether rule i can match. */
  run(view: EventView): void {
    this.gen++;
    if (this.gen === 0xffffffff) {
      this.gen = 1;
      this.stamp = 0;
      this.mark.fill(0);
      this.seen.fill(0);
    }
    if (this.record) {
      this.raw = view.raw;
      const raw = view.raw;
      for (const k in raw) {
        this.key = k;
        this.stamp++;
        this.scanValue(raw[k], 0);
      }
      return;
    }
    for (const fa of this.fields) {
      const v = view.text(fa.slot);
      if (v === undefined) continue;
      this.current = fa;
      this.stamp++;
      if (typeof v === 'string') fa.ac.collect(v, this.onFieldPattern);
      else for (const x of v) fa.ac.collect(x, this.onFieldPattern);
    }
  }

  private scanValue(v: unknown, depth: number): void {
    const rec = this.record!;
    if (typeof v === 'string') rec.ac.collect(v, this.onRecordPattern);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') rec.ac.collect(String(v), this.onRecordPattern);
    else if (v !== null && typeof v === 'object' && depth < MAX_DEPTH) {
      const key = this.key;
      if (Array.isArray(v)) for (const x of v) this.scanValue(x, depth + 1);
      else {
        this.key = undefined; // nested values: the rule may read them by a dotted path
        for (const k in v as Record<string, unknown>) this.scanValue((v as Record<string, unknown>)[k], depth + 1);
      }
      this.key = key;
    } else if (v !== null && v !== undefined && typeof v === 'object') {
      // too deep to scan: let every anchored rule run rather than miss one
      this.mark.fill(this.gen);
    }
  }

  may(i: number): boolean {
    return this.anchored[i] === 0 || this.mark[i] === this.gen;
  }
}
