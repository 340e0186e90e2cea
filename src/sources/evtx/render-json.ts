/**
 * A record as the evtx crate renders it to JSON, built as a plain JS object:
 *
 * - an element with only text becomes a scalar (integers and booleans typed, the rest strings);
 *   an empty element becomes `null`;
 * - attributes go under `#attributes` (or, with `separateAttributes`, to a sibling
 *   `<Name>_attributes`), and text next to child elements under `#text`;
 * - repeated sibling names get `_1`, `_2`, ... suffixes;
 * - inside `EventData`/`UserData`, `<Data Name="X">v</Data>` becomes `"X": v`, and unnamed `Data`
 *   elements become `"Data": {"#text": v}` or `{"#text": [v, ...]}`, with `""` for empty ones;
 * - trailing spaces of text values are dropped (the crate's XML keeps them, its JSON does not).
 *
 * The rules follow the crate's current renderer (src/binxml/ir_json.rs), checked against its own
 * renderings (the sigma-regression `.json` files and the crate's snapshots).
 */
import * as bytes from './bytes.js';
import * as ir from './ir.js';
import type { Attr, Element, Instance, Node } from './ir.js';
import * as resolver from './resolve.js';
import type { Ovr } from './resolve.js';
import * as values from './values.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError } = bytes;
const { isEmptyValue } = ir;
const { contentLayout, countCopies, eachElementOf, expansionAny, findExpansion, forEachExpansion, getNameAttr, hasNonEmptyText, res, resolve, spend } = resolver;
const { isJsonPrimitive, valueJson, valueText } = values;

export interface JsonRenderOptions {
  /** The crate's `--separate-json-attributes`: `X_attributes` siblings instead of `#attributes`. */
  separateAttributes?: boolean;
}

type Json = unknown;
type Obj = Record<string, Json>;

// Local copies of the node and resolution kinds (ir.ts / resolve.ts): hot paths compare against
// module-local constants, which stay cheap however the modules are loaded.
const INST = 10;
const CDATA = 7;
const CHARREF = 6;
const ENTITY = 5;
const R_SKIP = 0;
const R_TEXT = 1;
const R_VALUE = 2;
const R_ELEM = 3;
const R_FRAG = 4;
const R_NESTED = 5;
const R_OTHER = 6;

const NO_LEAF = Symbol('no-leaf');
const RS = res;

/** Renders a record (its root element or template instance) to the crate's JSON shape. */
export function renderJson(root: Element | Instance, opts: JsonRenderOptions = {}): Obj {
  const el = root.k === INST ? root.tpl.root : root;
  const ctx = root.k === INST ? root : null;
  const out: Obj = {};
  if (opts.separateAttributes) {
    if (el.attrs.length && attrsHaveText(el.attrs, ctx, null)) out[el.name + '_attributes'] = attributesObject(el.attrs, ctx, null);
    out[el.name] = elementValueNoAttrs(el, ctx, null, false, true);
  } else {
    out[el.name] = elementValue(el, ctx, null, false);
  }
  return out;
}

/** The general rendering of one element of an instance (the compiled plans fall back to it). */
export function elementValueIn(el: Element, inst: Instance | null, isContainer: boolean): Json {
  return elementValue(el, inst, null, isContainer);
}

/** The general rendering of one `Data` element of an instance. */
export function dataValueIn(el: Element, inst: Instance): Json {
  return dataValue(el, inst, null, false);
}

function isDataContainer(name: string): boolean {
  return name === 'EventData' || name === 'UserData';
}

function attrsHaveText(attrs: Attr[], ctx: Instance | null, ovr: Ovr | null): boolean {
  for (let i = 0; i < attrs.length; i++) if (hasNonEmptyText(attrs[i].nodes, ctx, ovr)) return true;
  return false;
}

/**
 * The crate's JSON drops trailing spaces from text values (its XML keeps them): the sigma-regression
 * renderings show `"cmd.exe\" "` as `"cmd.exe\""` for every such value. Done here so that both
 * match, and so that Sigma rules tuned on those renderings see the same strings.
 */
export function trimEndSpaces(s: string): string {
  if (s.length === 0 || s.charCodeAt(s.length - 1) !== 32) return s;
  let e = s.length - 1;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return s.slice(0, e);
}

function jsonOf(t: number, v: unknown): Json {
  const j = valueJson(t, v);
  return typeof j === 'string' ? trimEndSpaces(j) : j;
}

/** The one-child, no-element-child shape most elements have; NO_LEAF when it does not apply. */
function leafValue(el: Element, ctx: Instance | null, ovr: Ovr | null, empty: '' | null): Json | typeof NO_LEAF {
  if (el.hasElementChild || el.children.length !== 1) return NO_LEAF;
  switch (resolve(el.children[0], ctx, ovr)) {
    case R_SKIP:
      return empty;
    case R_TEXT:
      return RS.v === '' ? empty : trimEndSpaces(RS.v as string);
    case R_VALUE:
      if (isEmptyValue(RS.t, RS.v)) return empty;
      return jsonOf(RS.t, RS.v);
    default:
      return NO_LEAF;
  }
}

function entityText(name: string): string {
  switch (name) {
    case 'quot': return '"';
    case 'apos': return "'";
    case 'amp': return '&';
    case 'lt': return '<';
    case 'gt': return '>';
    default: return `&${name};`;
  }
}

/** The concatenated text of `nodes` (references resolved, elements skipped or refused). */
function textContent(nodes: Node[], ctx: Instance | null, ovr: Ovr | null, skipElements: boolean): string {
  let s = '';
  for (let i = 0; i < nodes.length; i++) {
    switch (resolve(nodes[i], ctx, ovr)) {
      case R_SKIP:
        break;
      case R_TEXT:
        s += RS.v as string;
        break;
      case R_VALUE:
        s += valueText(RS.t, RS.v);
        break;
      case R_ELEM:
      case R_FRAG:
      case R_NESTED:
        if (!skipElements) throw new EvtxFormatError('element where text was expected', 0);
        break;
      case R_OTHER: {
        const n = RS.v as Node;
        if (n.k === CDATA) s += n.s;
        else if (n.k === CHARREF) s += n.code >= 0xd800 && n.code <= 0xdfff ? `&#${n.code};` : String.fromCharCode(n.code);
        else if (n.k === ENTITY) s += entityText(n.name);
        break;
      }
    }
  }
  return s;
}

/** A number or boolean when the content is exactly one integer/boolean value, else undefined. */
function asPrimitive(nodes: Node[], ctx: Instance | null, ovr: Ovr | null): Json | undefined {
  if (nodes.length === 1) {
    if (resolve(nodes[0], ctx, ovr) !== R_VALUE || !isJsonPrimitive(RS.t)) return undefined;
    return valueJson(RS.t, RS.v);
  }
  let kind = R_SKIP;
  let t = 0;
  let v: unknown = null;
  let seen = 0;
  for (let i = 0; i < nodes.length; i++) {
    const k = resolve(nodes[i], ctx, ovr);
    if (k === R_SKIP) continue;
    if (++seen > 1) return undefined;
    kind = k;
    t = RS.t;
    v = RS.v;
  }
  if (seen !== 1 || kind !== R_VALUE || !isJsonPrimitive(t)) return undefined;
  return valueJson(t, v);
}

/** Like `asPrimitive` for mixed content: elements and empty values are ignored. */
function asPrimitiveSkipElements(nodes: Node[], ctx: Instance | null, ovr: Ovr | null): Json | undefined {
  let t = -1;
  let v: unknown = null;
  for (let i = 0; i < nodes.length; i++) {
    switch (resolve(nodes[i], ctx, ovr)) {
      case R_TEXT:
        if (RS.v !== '') return undefined;
        break;
      case R_VALUE:
        if (isEmptyValue(RS.t, RS.v)) break;
        if (t >= 0) return undefined;
        t = RS.t;
        v = RS.v;
        break;
      case R_OTHER: {
        const n = RS.v as Node;
        if (n.k === CDATA) {
          if (n.s !== '') return undefined;
        } else if (n.k === CHARREF || n.k === ENTITY) {
          return undefined;
        }
        break;
      }
      default:
        break;
    }
  }
  if (t < 0 || !isJsonPrimitive(t)) return undefined;
  return valueJson(t, v);
}

function contentAsJson(nodes: Node[], ctx: Instance | null, ovr: Ovr | null, skipElements: boolean): Json {
  const p = skipElements ? asPrimitiveSkipElements(nodes, ctx, ovr) : asPrimitive(nodes, ctx, ovr);
  return p !== undefined ? p : trimEndSpaces(textContent(nodes, ctx, ovr, skipElements));
}

function attributesObject(attrs: Attr[], ctx: Instance | null, ovr: Ovr | null): Obj {
  const o: Obj = {};
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (!hasNonEmptyText(a.nodes, ctx, ovr)) continue;
    const p = asPrimitive(a.nodes, ctx, ovr);
    o[a.name] = p !== undefined ? p : trimEndSpaces(textContent(a.nodes, ctx, ovr, false));
  }
  return o;
}

function elementValue(el: Element, ctx: Instance | null, ovr: Ovr | null, isContainer: boolean): Json {
  spend();
  if (el.attrs.length === 0) {
    const leaf = leafValue(el, ctx, ovr, null);
    if (leaf !== NO_LEAF) return leaf;
  }
  const layout = contentLayout(el, ctx, ovr);
  const hasText = (layout & 1) !== 0;
  const hasElem = (layout & 2) !== 0;
  const attrText = el.attrs.length !== 0 && attrsHaveText(el.attrs, ctx, ovr);
  if (!hasElem && !hasText && !attrText) return null;
  if (!hasElem && !attrText) return contentAsJson(el.children, ctx, ovr, false);
  return elementBody(el, ctx, ovr, isContainer, false, hasText, false);
}

function elementValueNoAttrs(el: Element, ctx: Instance | null, ovr: Ovr | null, isContainer: boolean, separate: boolean): Json {
  spend();
  const leaf = leafValue(el, ctx, ovr, null);
  if (leaf !== NO_LEAF) return leaf;
  const layout = contentLayout(el, ctx, ovr);
  const hasText = (layout & 1) !== 0;
  if (!(layout & 2)) return hasText ? contentAsJson(el.children, ctx, ovr, false) : null;
  return elementBody(el, ctx, ovr, isContainer, true, hasText, separate);
}

/** A `Data` element's value: `""` when empty rather than `null`. */
function dataValue(el: Element, ctx: Instance | null, ovr: Ovr | null, separate: boolean): Json {
  spend();
  const leaf = leafValue(el, ctx, ovr, '');
  if (leaf !== NO_LEAF) return leaf;
  const layout = contentLayout(el, ctx, ovr);
  const hasText = (layout & 1) !== 0;
  if (layout & 2) return elementBody(el, ctx, ovr, false, true, hasText, separate);
  return hasText ? contentAsJson(el.children, ctx, ovr, false) : '';
}

/** The state of one element being rendered in object form (no closures on the hot path). */
class Body {
  out: Obj = {};
  /** Child names seen so far and how many times (for `_N` suffixes); parallel arrays. */
  names: string[] = [];
  seen: number[] = [];
  flatten = false;
  positional = 0;
  positionalDone = false;

  constructor(
    readonly parent: Element,
    readonly ctx: Instance | null,
    readonly ovr: Ovr | null,
    readonly inData: boolean,
    readonly separate: boolean,
  ) {}

  suffix(name: string): number {
    const names = this.names;
    for (let i = 0; i < names.length; i++) {
      if (names[i] === name) return this.seen[i]++;
    }
    names.push(name);
    this.seen.push(1);
    return 0;
  }

  /** One child element (or one copy of it when it repeats for an array value). */
  emitNormal(child: Element, cctx: Instance | null, o: Ovr | null): void {
    const suffix = this.suffix(child.name);
    const key = suffix ? `${child.name}_${suffix}` : child.name;
    const container = isDataContainer(child.name);
    if (this.separate) {
      let wroteAttrs = false;
      if (child.attrs.length && attrsHaveText(child.attrs, cctx, o)) {
        this.out[key + '_attributes'] = attributesObject(child.attrs, cctx, o);
        wroteAttrs = true;
      }
      // An element that only carries attributes is not repeated as `"Name": null`.
      if (!wroteAttrs || contentLayout(child, cctx, o) !== 0) this.out[key] = elementValueNoAttrs(child, cctx, o, container, true);
    } else {
      this.out[key] = elementValue(child, cctx, o, container);
    }
  }

  emitNamed(child: Element, cctx: Instance | null, nameNodes: Node[], o: Ovr | null): void {
    if (!hasNonEmptyText(nameNodes, cctx, o)) return;
    this.out[textContent(nameNodes, cctx, o, false)] = dataValue(child, cctx, o, this.separate);
  }

  emitChild(child: Element, cctx: Instance | null, repeat: boolean): void {
    const ovr = this.ovr;
    const expanding = repeat && cctx !== null && cctx.mayExpand && findExpansion(child, cctx, ovr) !== null;
    const direct = repeat ? ovr : null;
    if (this.inData && child.name === 'Data') {
      if (this.flatten) {
        const nameNodes = getNameAttr(child);
        if (!nameNodes) return;
        if (!expanding) this.emitNamed(child, cctx, nameNodes, direct);
        else forEachExpansion(child, cctx, ovr, (o) => this.emitNamed(child, cctx, nameNodes, o));
      } else if (!this.positionalDone && this.positional > 0) {
        this.positionalDone = true;
        this.out.Data = { '#text': this.positional === 1 ? dataValue(child, cctx, direct, this.separate) : this.positionalItems() };
      }
      return;
    }
    if (!expanding) this.emitNormal(child, cctx, direct);
    else forEachExpansion(child, cctx, ovr, (o) => this.emitNormal(child, cctx, o));
  }

  /** All unnamed `Data` values, in order, as one array. */
  positionalItems(): Json[] {
    const items: Json[] = [];
    const sep = this.separate;
    const ovr = this.ovr;
    for (const n of this.parent.children) {
      eachElementOf(n, this.ctx, ovr, (c2, x2, r2) => {
        if (c2.name !== 'Data') return;
        if (r2 && x2 && x2.mayExpand) forEachExpansion(c2, x2, ovr, (o) => items.push(dataValue(c2, x2, o, sep)));
        else items.push(dataValue(c2, x2, r2 ? ovr : null, sep));
      });
    }
    return items;
  }
}

function isNamedData(child: Element, cctx: Instance | null, repeat: boolean, ovr: Ovr | null): boolean {
  if (child.name !== 'Data') return false;
  const nameNodes = getNameAttr(child);
  if (!nameNodes) return false;
  return repeat && cctx !== null && cctx.mayExpand
    ? expansionAny(child, cctx, ovr, (o) => hasNonEmptyText(nameNodes, cctx, o))
    : hasNonEmptyText(nameNodes, cctx, repeat ? ovr : null);
}

/** The object form of an element: attributes, `#text`, then children. */
function elementBody(
  el: Element,
  ctx: Instance | null,
  ovr: Ovr | null,
  inDataContainer: boolean,
  omitAttributes: boolean,
  hasText: boolean,
  separate: boolean,
): Obj {
  const children = el.children;
  const body = new Body(el, ctx, ovr, inDataContainer, separate);
  if (inDataContainer) {
    // One non-empty `Data Name=...` is enough to choose the named (flattened) form.
    for (let i = 0; i < children.length && !body.flatten; i++) {
      body.flatten = eachElementOf(children[i], ctx, ovr, (c, x, r) => isNamedData(c, x, r, ovr));
    }
    if (!body.flatten) {
      for (let i = 0; i < children.length; i++) {
        eachElementOf(children[i], ctx, ovr, (c, x, r) => {
          if (c.name === 'Data') body.positional += r ? countCopies(c, x, ovr) : 1;
        });
      }
    }
  }
  if (!omitAttributes && el.attrs.length && attrsHaveText(el.attrs, ctx, ovr)) {
    body.out['#attributes'] = attributesObject(el.attrs, ctx, ovr);
  }
  if (hasText) body.out['#text'] = contentAsJson(children, ctx, ovr, true);
  for (let i = 0; i < children.length; i++) eachChild(body, children[i]);
  return body.out;
}

/** `eachElementOf` for the common case without allocating a callback. */
function eachChild(body: Body, n: Node): void {
  switch (resolve(n, body.ctx, body.ovr)) {
    case R_ELEM:
      body.emitChild(RS.v as Element, body.ctx, true);
      return;
    case R_NESTED: {
      const inst = RS.v as Instance;
      body.emitChild(inst.tpl.root, inst, false);
      return;
    }
    case R_FRAG: {
      const roots = RS.v as (Element | Instance)[];
      for (let i = 0; i < roots.length; i++) {
        const r = roots[i];
        if (r.k === INST) body.emitChild(r.tpl.root, r, false);
        else body.emitChild(r, null, true);
      }
      return;
    }
    default:
      return;
  }
}
