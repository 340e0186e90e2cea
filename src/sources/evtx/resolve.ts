/**
 * Render-time resolution shared by the JSON and XML renderers: what a node of a template tree
 * stands for in one record (a substitution becomes text, a typed value, an element from nested
 * BinXML, or nothing), and the array expansion rule (an element holding an array value of N > 1
 * items renders N times, one item each; several arrays give the cross product).
 *
 * `resolve` writes its answer into the shared object `res` (`res.t`, `res.v`) and returns the kind,
 * instead of allocating a result per node; callers read it before resolving anything else.
 */
import * as bytes from './bytes.js';
import * as ir from './ir.js';
import type { Element, Instance, Node } from './ir.js';
import * as values from './values.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError } = bytes;
const { CDATA, ELEM, ENTITY, CHARREF, INST, PIDATA, PITARGET, SUB, T_ARRAY, T_BINXML, TEXT, VAL, expandableLength, isEmptyValue } = ir;
const { isStringType } = values;

/** Resolution kinds. */
export const R_SKIP = 0;
export const R_TEXT = 1;
export const R_VALUE = 2;
/** A plain child element (same substitution context; may repeat for arrays). */
export const R_ELEM = 3;
/** BinXML nested in a value: `rVal` is its list of top-level elements / template instances. */
export const R_FRAG = 4;
/** The root of a nested template instance (its own context; never repeated). */
export const R_NESTED = 5;
/** An entity/character reference, CDATA or processing instruction node. */
export const R_OTHER = 6;

/**
 * Elements the current record may still render. A few bytes of record can expand a large
 * template, or an array into thousands of copies: readChunk gives each record (and each chunk) a
 * budget far above any real log, so damaged or hostile input cannot blow up time or memory.
 */
export const budget = { left: 0 };

export function spend(): void {
  if (--budget.left < 0) throw new EvtxFormatError('record expands to more elements than Loupe renders for one record or chunk', 0);
}

/** The last resolution: value type (for R_VALUE) and value. */
export const res: { t: number; v: unknown } = { t: 0, v: null };

/** Scan classes (for deciding the shape of an element before rendering it). */
export const S_SKIP = 0;
export const S_ELEMENT = 1;
export const S_CONTENT = 2;
export const S_EMPTY = 3;

/** One array-expansion frame: while rendering copy `idx`, node `node` stands for item `idx`. */
export interface Ovr {
  node: Node;
  idx: number;
  parent: Ovr | null;
}

function ovrLookup(ovr: Ovr | null, node: Node): number {
  while (ovr) {
    if (ovr.node === node) return ovr.idx;
    ovr = ovr.parent;
  }
  return -1;
}

function item(t: number, v: unknown, idx: number): number {
  const it = t & 0x7f;
  const x = (v as unknown[])[idx];
  if (x === undefined) return R_SKIP;
  if (isStringType(it)) {
    if (x === '') return R_SKIP;
    res.v = x;
    return R_TEXT;
  }
  res.t = it;
  res.v = x;
  return R_VALUE;
}

export function resolve(n: Node, ctx: Instance | null, ovr: Ovr | null): number {
  switch (n.k) {
    case TEXT:
      res.v = n.s;
      return R_TEXT;
    case ELEM:
      res.v = n;
      return R_ELEM;
    case SUB: {
      if (!ctx) throw new EvtxFormatError('substitution outside a template instance', 0);
      if (n.idx >= ctx.vals.length) return R_SKIP;
      const t = ctx.types[n.idx];
      const v = ctx.vals[n.idx];
      if (ovr) {
        const i = ovrLookup(ovr, n);
        if (i >= 0) return item(t, v, i);
      }
      if (n.opt && isEmptyValue(t, v)) return R_SKIP;
      if (t === T_BINXML) {
        if (v === null) return R_SKIP;
        res.v = v;
        return R_FRAG;
      }
      if (isStringType(t)) {
        res.v = v;
        return R_TEXT;
      }
      res.t = t;
      res.v = v;
      return R_VALUE;
    }
    case VAL: {
      if (ovr && ctx) {
        const i = ovrLookup(ovr, n);
        if (i >= 0) return item(n.t, n.v, i);
      }
      res.t = n.t;
      res.v = n.v;
      return R_VALUE;
    }
    case INST:
      res.v = n;
      return R_NESTED;
    default:
      res.v = n;
      return R_OTHER;
  }
}

function itemClass(t: number, v: unknown, idx: number): number {
  const x = (v as unknown[])[idx];
  if (x === undefined) return S_SKIP;
  if (isStringType(t & 0x7f)) return x === '' ? S_SKIP : S_CONTENT;
  return S_CONTENT;
}

/** How a node counts when deciding an element's shape (no allocation, no module state). */
export function scanClass(n: Node, ctx: Instance | null, ovr: Ovr | null): number {
  switch (n.k) {
    case ELEM:
    case INST:
      return S_ELEMENT;
    case TEXT:
    case CDATA:
      return n.s === '' ? S_EMPTY : S_CONTENT;
    case VAL: {
      if (ovr && ctx) {
        const i = ovrLookup(ovr, n);
        if (i >= 0) return itemClass(n.t, n.v, i);
      }
      return isEmptyValue(n.t, n.v) ? S_EMPTY : S_CONTENT;
    }
    case CHARREF:
    case ENTITY:
      return S_CONTENT;
    case PITARGET:
    case PIDATA:
      return S_EMPTY;
    case SUB: {
      if (!ctx) return S_CONTENT;
      if (n.idx >= ctx.vals.length) return S_SKIP;
      const t = ctx.types[n.idx];
      const v = ctx.vals[n.idx];
      if (ovr) {
        const i = ovrLookup(ovr, n);
        if (i >= 0) return itemClass(t, v, i);
      }
      if (n.opt && isEmptyValue(t, v)) return S_SKIP;
      if (t === T_BINXML) return v === null ? S_EMPTY : S_ELEMENT;
      return isEmptyValue(t, v) ? S_EMPTY : S_CONTENT;
    }
  }
}

export function hasNonEmptyText(nodes: Node[], ctx: Instance | null, ovr: Ovr | null): boolean {
  for (let i = 0; i < nodes.length; i++) if (scanClass(nodes[i], ctx, ovr) === S_CONTENT) return true;
  return false;
}

/** Bit 1: some non-empty text-like content; bit 2: some element child. */
export function contentLayout(el: Element, ctx: Instance | null, ovr: Ovr | null): number {
  let text = false;
  let elem = el.hasElementChild;
  const ch = el.children;
  for (let i = 0; i < ch.length; i++) {
    const c = scanClass(ch[i], ctx, ovr);
    if (c === S_CONTENT) text = true;
    else if (c === S_ELEMENT) elem = true;
    if (text && elem) break;
  }
  return (text ? 1 : 0) | (elem ? 2 : 0);
}

/**
 * Calls `fn(child, childCtx, mayRepeat)` for each element `n` stands for: itself, the top-level
 * elements of nested BinXML (no context of their own), or a nested template instance's root (its
 * own context, never repeated). Stops early when `fn` returns true; returns whether it did.
 */
export function eachElementOf(
  n: Node,
  ctx: Instance | null,
  ovr: Ovr | null,
  fn: (el: Element, ctx: Instance | null, mayRepeat: boolean) => boolean | void,
): boolean {
  switch (resolve(n, ctx, ovr)) {
    case R_ELEM:
      return fn(res.v as Element, ctx, true) === true;
    case R_NESTED: {
      const inst = res.v as Instance;
      return fn(inst.tpl.root, inst, false) === true;
    }
    case R_FRAG: {
      for (const r of res.v as (Element | Instance)[]) {
        const stop = r.k === INST ? fn(r.tpl.root, r, false) : fn(r, null, true);
        if (stop === true) return true;
      }
      return false;
    }
    default:
      return false;
  }
}

function expandableLen(n: Node, ctx: Instance): number {
  if (n.k === VAL) return expandableLength(n.t, n.v);
  if (n.k !== SUB || n.idx >= ctx.vals.length) return 0;
  const t = ctx.types[n.idx];
  const v = ctx.vals[n.idx];
  if (!(t & T_ARRAY)) return 0;
  if (n.opt && isEmptyValue(t, v)) return 0;
  return expandableLength(t, v);
}

/** The first array (children first, then attribute values) not yet expanded, with its length. */
export function findExpansion(el: Element, ctx: Instance | null, ovr: Ovr | null): Ovr | null {
  if (!ctx || !ctx.mayExpand) return null;
  for (const n of el.children) {
    const len = expandableLen(n, ctx);
    if (len > 1 && ovrLookup(ovr, n) < 0) return { node: n, idx: len, parent: null };
  }
  for (const a of el.attrs) {
    for (const n of a.nodes) {
      const len = expandableLen(n, ctx);
      if (len > 1 && ovrLookup(ovr, n) < 0) return { node: n, idx: len, parent: null };
    }
  }
  return null;
}

/** Calls `fn` once per copy of `el` (once when nothing repeats), in cross-product order. */
export function forEachExpansion(el: Element, ctx: Instance | null, ovr: Ovr | null, fn: (o: Ovr | null) => void): void {
  const e = findExpansion(el, ctx, ovr);
  if (!e) return fn(ovr);
  for (let i = 0; i < e.idx; i++) forEachExpansion(el, ctx, { node: e.node, idx: i, parent: ovr }, fn);
}

export function expansionAny(el: Element, ctx: Instance | null, ovr: Ovr | null, fn: (o: Ovr | null) => boolean): boolean {
  const e = findExpansion(el, ctx, ovr);
  if (!e) return fn(ovr);
  for (let i = 0; i < e.idx; i++) if (expansionAny(el, ctx, { node: e.node, idx: i, parent: ovr }, fn)) return true;
  return false;
}

export function countCopies(el: Element, ctx: Instance | null, ovr: Ovr | null): number {
  const e = findExpansion(el, ctx, ovr);
  if (!e) return 1;
  return e.idx * countCopies(el, ctx, { node: e.node, idx: 0, parent: ovr });
}

export function getNameAttr(el: Element): Node[] | null {
  for (const a of el.attrs) if (a.name === 'Name') return a.nodes;
  return null;
}

