/**
 * Rules become closure trees over an EventView. Each detection item becomes one predicate that
 * fetches its field once and runs a combined value test; maps AND their items and conditions
 * AND/OR their parts with the cheapest checks first (exact values before substrings before
 * regular expressions, negated filters last). Field names go through the log source's field
 * mapping here, so the hot path never renames anything.
 */
import { cidrContains, parseIp } from './cidr.js';
import { EventView, FieldTable } from './event-view.js';
import { buildStringTest, compileSigmaRegex, type BuiltTest, type StringTest } from './matchers.js';
import type { SigmaString } from './sigma-string.js';
import type { CmpOp, ConditionNode, DetectionItem, DetectionNode, SigmaValue, TimeUnit } from './types.js';

export type Pred = (ev: EventView) => boolean;

export interface CompiledPred {
  pred: Pred;
  cost: number;
}

export interface CompileEnv {
  fields: FieldTable;
  /** Rule field name → event field name for this log source variant. */
  fieldMap?: Record<string, string>;
}

const TRUE: CompiledPred = { pred: () => true, cost: 0 };
const FALSE: CompiledPred = { pred: () => false, cost: 0 };

export function mapField(env: CompileEnv, field: string): string {
  return env.fieldMap?.[field] ?? field;
}

function and(parts: CompiledPred[]): CompiledPred {
  const ps = parts.filter((p) => p !== TRUE);
  if (ps.some((p) => p === FALSE)) return FALSE;
  if (ps.length === 0) return TRUE;
  if (ps.length === 1) return ps[0]!;
  ps.sort((a, b) => a.cost - b.cost);
  const cost = ps.reduce((a, p) => a + p.cost, 0);
  const fns = ps.map((p) => p.pred);
  if (fns.length === 2) {
    const [a, b] = fns as [Pred, Pred];
    return { pred: (ev) => a(ev) && b(ev), cost };
  }
  if (fns.length === 3) {
    const [a, b, c] = fns as [Pred, Pred, Pred];
    return { pred: (ev) => a(ev) && b(ev) && c(ev), cost };
  }
  return {
    pred: (ev) => {
      for (let i = 0; i < fns.length; i++) if (!fns[i]!(ev)) return false;
      return true;
    },
    cost,
  };
}

function or(parts: CompiledPred[]): CompiledPred {
  const ps = parts.filter((p) => p !== FALSE);
  if (ps.some((p) => p === TRUE)) return TRUE;
  if (ps.length === 0) return FALSE;
  if (ps.length === 1) return ps[0]!;
  ps.sort((a, b) => a.cost - b.cost);
  const cost = ps.reduce((a, p) => a + p.cost, 0);
  const fns = ps.map((p) => p.pred);
  if (fns.length === 2) {
    const [a, b] = fns as [Pred, Pred];
    return { pred: (ev) => a(ev) || b(ev), cost };
  }
  return {
    pred: (ev) => {
      for (let i = 0; i < fns.length; i++) if (fns[i]!(ev)) return true;
      return false;
    },
    cost,
  };
}

function not(p: CompiledPred): CompiledPred {
  if (p === TRUE) return FALSE;
  if (p === FALSE) return TRUE;
  const f = p.pred;
  // negated parts are usually filters that rarely decide anything: evaluate them last
  return { pred: (ev) => !f(ev), cost: p.cost + 50 };
}

/** A test over a field's (lower-cased or original) text, any element of an array field. */
function onText(slot: number, cased: boolean, t: BuiltTest): CompiledPred {
  const test = t.test;
  const pred: Pred = cased
    ? (ev) => {
        const v = ev.text(slot);
        if (v === undefined) return false;
        if (typeof v === 'string') return test(v);
        return v.some(test);
      }
    : (ev) => {
        const v = ev.lower(slot);
        if (v === undefined) return false;
        if (typeof v === 'string') return test(v);
        return v.some(test);
      };
  return { pred, cost: t.cost + 1 };
}

/** Keyword search: the string appears in any value of the record (wildcards honoured). */
function onAllValues(cased: boolean, t: BuiltTest): CompiledPred {
  const test = t.test;
  return {
    pred: cased ? (ev) => ev.allValues().some(test) : (ev) => ev.allValuesLower().some(test),
    cost: t.cost * 10 + 40,
  };
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === '') return undefined;
    const n = Number(t);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function cmp(op: CmpOp, a: number, b: number): boolean {
  switch (op) {
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}

/** A timestamp value (ISO text, `YYYY-MM-DD hh:mm:ss` read as UTC, or epoch s/ms) to a Date. */
export function toDate(v: unknown): Date | undefined {
  if (typeof v === 'number') return new Date(v > 1e11 ? v : v * 1000);
  if (typeof v !== 'string' || !v) return undefined;
  let s = v.trim();
  if (/^\d{4}-\d{2}-\d{2} \d/.test(s)) s = s.replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

function timePart(d: Date, unit: TimeUnit): number {
  switch (unit) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      // ISO 8601 week number
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

function eachText(v: string | string[] | undefined, f: StringTest): boolean {
  if (v === undefined) return false;
  return typeof v === 'string' ? f(v) : v.some(f);
}

/** Predicates for the non-string values of one item (null, regex, cidr, comparisons, ...). */
function valuePred(env: CompileEnv, slot: number | null, v: SigmaValue): CompiledPred {
  if (slot === null) {
    if (v.t === 're') {
      const re = compileSigmaRegex(v.source, v.flags);
      return { pred: (ev) => ev.allValues().some((s) => re.test(s)), cost: 200 };
    }
    if (v.t === 'null') throw new Error('a keyword search cannot be null');
    throw new Error(`a keyword search cannot use '${v.t}'`);
  }
  switch (v.t) {
    case 'null':
      return {
        pred: (ev) => {
          const x = ev.get(slot);
          return x === undefined || x === null || x === '';
        },
        cost: 1,
      };
    case 'exists': {
      const want = v.exists;
      return { pred: (ev) => (ev.get(slot) !== undefined) === want, cost: 1 };
    }
    case 're': {
      const re = compileSigmaRegex(v.source, v.flags);
      return { pred: (ev) => eachText(ev.text(slot), (s) => re.test(s)), cost: 20 };
    }
    case 'cidr': {
      const c = v.cidr;
      return {
        pred: (ev) =>
          eachText(ev.text(slot), (s) => {
            const ip = parseIp(s);
            return ip !== undefined && cidrContains(c, ip);
          }),
        cost: 8,
      };
    }
    case 'cmp': {
      const { op, n } = v;
      return {
        pred: (ev) => {
          const x = ev.get(slot);
          if (Array.isArray(x)) return x.some((e) => { const k = toNumber(e); return k !== undefined && cmp(op, k, n); });
          const k = toNumber(x);
          return k !== undefined && cmp(op, k, n);
        },
        cost: 2,
      };
    }
    case 'time': {
      const { unit, n } = v;
      return {
        pred: (ev) => {
          const d = toDate(ev.get(slot));
          return d !== undefined && timePart(d, unit) === n;
        },
        cost: 5,
      };
    }
    case 'fieldref': {
      const other = env.fields.slot(mapField(env, v.field));
      const { start, end, cased } = v;
      const rel = (a: string, b: string) =>
        start && end ? a.includes(b) : start ? a.startsWith(b) : end ? a.endsWith(b) : a === b;
      const get = cased ? (ev: EventView, s: number) => ev.text(s) : (ev: EventView, s: number) => ev.lower(s);
      return {
        pred: (ev) => {
          const b = get(ev, other);
          if (b === undefined) return false;
          const bs = typeof b === 'string' ? [b] : b;
          return eachText(get(ev, slot), (a) => bs.some((x) => rel(a, x)));
        },
        cost: 4,
      };
    }
    case 'str':
      throw new Error('internal: strings are grouped before valuePred');
  }
}

/** The OR of a set of alternatives on one field (or on all values for keywords). */
function alternatives(env: CompileEnv, slot: number | null, values: SigmaValue[], keyword: boolean): CompiledPred {
  const uncased: SigmaString[] = [];
  const cased: SigmaString[] = [];
  const parts: CompiledPred[] = [];
  for (const v of values) {
    if (v.t === 'str') {
      const s = keyword ? v.s.withLeadingAny().withTrailingAny() : v.s;
      (v.cased ? cased : uncased).push(s);
    } else parts.push(valuePred(env, slot, v));
  }
  if (uncased.length) {
    const t = buildStringTest(uncased, true);
    parts.push(slot === null ? onAllValues(false, t) : onText(slot, false, t));
  }
  if (cased.length) {
    const t = buildStringTest(cased, false);
    parts.push(slot === null ? onAllValues(true, t) : onText(slot, true, t));
  }
  return or(parts);
}

/** All-linked plain strings on one field: fetch once, then every test must pass. */
function allStrings(slot: number, groups: SigmaValue[][]): CompiledPred | undefined {
  if (!groups.every((g) => g.every((v) => v.t === 'str' && !v.cased))) return undefined;
  const tests = groups.map((g) => buildStringTest(g.map((v) => (v as Extract<SigmaValue, { t: 'str' }>).s), true));
  tests.sort((a, b) => a.cost - b.cost);
  const fns = tests.map((t) => t.test);
  const every = (s: string) => {
    for (let i = 0; i < fns.length; i++) if (!fns[i]!(s)) return false;
    return true;
  };
  return {
    pred: (ev) => {
      const v = ev.lower(slot);
      if (v === undefined) return false;
      if (typeof v === 'string') return every(v);
      return fns.every((f) => v.some(f)); // array field: each value may match a different element
    },
    cost: tests.reduce((a, t) => a + t.cost, 0) + 1,
  };
}

export function compileItem(env: CompileEnv, item: DetectionItem): CompiledPred {
  const slot = item.field === null ? null : env.fields.slot(mapField(env, item.field));
  const keyword = slot === null;
  let p: CompiledPred;
  if (item.groups.length === 0 || item.groups.every((g) => g.length === 0)) p = FALSE;
  else if (!item.linkAll) p = alternatives(env, slot, item.groups.flat(), keyword);
  else {
    p = (slot !== null ? allStrings(slot, item.groups) : undefined) ??
      and(item.groups.map((g) => alternatives(env, slot, g, keyword)));
  }
  return item.negated ? not(p) : p;
}

export function compileDetection(env: CompileEnv, node: DetectionNode): CompiledPred {
  switch (node.k) {
    case 'item':
      return compileItem(env, node.item);
    case 'and':
      return and(node.items.map((i) => compileItem(env, i)));
    case 'or':
      return or(node.nodes.map((n) => compileDetection(env, n)));
  }
}

export function compileCondition(node: ConditionNode, ids: ReadonlyMap<string, CompiledPred>): CompiledPred {
  switch (node.k) {
    case 'id': {
      const p = ids.get(node.name);
      if (!p) throw new Error(`unknown search identifier '${node.name}'`);
      return p;
    }
    case 'and':
      return and(node.c.map((c) => compileCondition(c, ids)));
    case 'or':
      return or(node.c.map((c) => compileCondition(c, ids)));
    case 'not':
      return not(compileCondition(node.c, ids));
    case 'const':
      return node.v ? TRUE : FALSE;
  }
}

/** Equality conditions a log source variant adds (registry_add: EventType = CreateKey). */
export function compileConditions(env: CompileEnv, conds: Record<string, string> | undefined): CompiledPred {
  if (!conds) return TRUE;
  return and(
    Object.entries(conds).map(([field, value]) => {
      const slot = env.fields.slot(field);
      const want = value.toLowerCase();
      return { pred: (ev: EventView) => ev.lower(slot) === want, cost: 1 };
    }),
  );
}

/** Event ids a detection requires (`EventID: 4624` ANDed in), or undefined when any id may match. */
export function requiredEventIds(node: DetectionNode, fieldMap?: Record<string, string>): Set<number> | undefined {
  const idField = (f: string | null) => f !== null && (fieldMap?.[f] ?? f) === 'EventID';
  switch (node.k) {
    case 'item': {
      const it = node.item;
      if (!idField(it.field) || it.negated || it.linkAll) return undefined;
      const out = new Set<number>();
      for (const v of it.groups.flat()) {
        if (v.t !== 'str') return undefined;
        const p = v.s.plain();
        if (p === undefined || !/^\d+$/.test(p.trim())) return undefined;
        out.add(Number(p));
      }
      return out;
    }
    case 'and': {
      let acc: Set<number> | undefined;
      for (const it of node.items) {
        const s = requiredEventIds({ k: 'item', item: it }, fieldMap);
        if (s) acc = acc ? new Set([...acc].filter((x) => s.has(x))) : s;
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<number>();
      for (const n of node.nodes) {
        const s = requiredEventIds(n, fieldMap);
        if (!s) return undefined;
        for (const x of s) acc.add(x);
      }
      return acc;
    }
  }
}

export function conditionEventIds(
  node: ConditionNode,
  ids: ReadonlyMap<string, Set<number> | undefined>,
): Set<number> | undefined {
  switch (node.k) {
    case 'id':
      return ids.get(node.name);
    case 'not':
    case 'const':
      return undefined;
    case 'and': {
      let acc: Set<number> | undefined;
      for (const c of node.c) {
        const s = conditionEventIds(c, ids);
        if (s) acc = acc ? new Set([...acc].filter((x) => s.has(x))) : s;
      }
      return acc;
    }
    case 'or': {
      const acc = new Set<number>();
      for (const c of node.c) {
        const s = conditionEventIds(c, ids);
        if (!s) return undefined;
        for (const x of s) acc.add(x);
      }
      return acc;
    }
  }
}

/** Identifiers that count toward a match (appear under an even number of NOTs). */
export function positiveIdentifiers(node: ConditionNode, negated = false, out = new Set<string>()): Set<string> {
  if (node.k === 'id') {
    if (!negated) out.add(node.name);
  } else if (node.k === 'not') positiveIdentifiers(node.c, !negated, out);
  else if (node.k === 'and' || node.k === 'or') for (const c of node.c) positiveIdentifiers(c, negated, out);
  return out;
}

/** Field names a detection reads (before mapping), for the matched-fields detail of alerts. */
export function detectionFields(node: DetectionNode, out = new Set<string>()): Set<string> {
  if (node.k === 'item') {
    if (node.item.field) out.add(node.item.field);
  } else if (node.k === 'and') {
    for (const i of node.items) if (i.field) out.add(i.field);
  } else for (const n of node.nodes) detectionFields(n, out);
  return out;
}
