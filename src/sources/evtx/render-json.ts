/**
 * A record as the evtx crate renders it to JSON, built as a plain JS object:
 *
 * - an element with only text becomes a scalar (integers and booleans typed, the rest strings);
 *   an empty element becomes `null`;
 * - attributes go under `#attributes` (or, with `separateAttributes`, to a sibling
 *   `<Name>_attributes`), and text next to child elements under `#text`;
 * - repeated sibling names get `_1`, `_2`, ... suffixes;
 * - inside `EventData`/`UserData`, `<Data Name="X">v</Data>` becomes `"X": v`, and unnamed `Data`
 *   elements become `"Data": {"#text": v}` or `{"#text": [v, ...]}`, with `""` for empty ones.
 *
 * The rules follow the crate's current renderer (src/binxml/ir_json.rs), checked against its own
 * renderings (the sigma-regression `.json` files and the crate's snapshots).
 */
import { EvtxFormatError } from './bytes.js';
import { CDATA, CHARREF, ENTITY, INST, type Attr, type Element, type Instance, type Node } from './ir.js';
import {
  R_ELEM,
  R_FRAG,
  R_NESTED,
  R_OTHER,
  R_SKIP,
  R_TEXT,
  R_VALUE,
  contentLayout,
  countCopies,
  expansionAny,
  findExpansion,
  forEachExpansion,
  getNameAttr,
  hasNonEmptyText,
  rType,
  rVal,
  resolve,
  eachElementOf,
  type Ovr,
} from './resolve.js';
import { isEmptyValue } from './ir.js';
import { isJsonPrimitive, valueJson, valueText } from './values.js';

export interface JsonRenderOptions {
  /** The crate's `--separate-json-attributes`: `X_attributes` siblings instead of `#attributes`. */
  separateAttributes?: boolean;
}

type Json = unknown;
type Obj = Record<string, Json>;

const NO_LEAF = Symbol('no-leaf');

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

function isDataContainer(name: string): boolean {
  return name === 'EventData' || name === 'UserData';
}

function attrsHaveText(attrs: Attr[], ctx: Instance | null, ovr: Ovr | null): boolean {
  for (const a of attrs) if (hasNonEmptyText(a.nodes, ctx, ovr)) return true;
  return false;
}

/** The one-child, no-element-child shape most elements have; NO_LEAF when it does not apply. */
function leafValue(el: Element, ctx: Instance | null, ovr: Ovr | null, empty: '' | null): Json | typeof NO_LEAF {
  if (el.hasElementChild || el.children.length !== 1) return NO_LEAF;
  switch (resolve(el.children[0], ctx, ovr)) {
    case R_SKIP:
      return empty;
    case R_TEXT:
      return rVal === '' ? empty : rVal;
    case R_VALUE:
      if (isEmptyValue(rType, rVal)) return empty;
      return valueJson(rType, rVal);
    default:
      return NO_LEAF;
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
        s += rVal as string;
        break;
      case R_VALUE:
        s += valueText(rType, rVal);
        break;
      case R_ELEM:
      case R_FRAG:
      case R_NESTED:
        if (!skipElements) throw new EvtxFormatError('element where text was expected', 0);
        break;
      case R_OTHER: {
        const n = rVal as Node;
        if (n.k === CDATA) s += n.s;
        else if (n.k === CHARREF) s += n.code >= 0xd800 && n.code <= 0xdfff ? `&#${n.code};` : String.fromCharCode(n.code);
        else if (n.k === ENTITY) s += entityText(n.name);
        break;
      }
    }
  }
  return s;
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

/** A number or boolean when the content is exactly one integer/boolean value, else undefined. */
function asPrimitive(nodes: Node[], ctx: Instance | null, ovr: Ovr | null): Json | undefined {
  let kind = R_SKIP;
  let t = 0;
  let v: unknown = null;
  let seen = 0;
  for (let i = 0; i < nodes.length; i++) {
    const k = resolve(nodes[i], ctx, ovr);
    if (k === R_SKIP && nodes.length !== 1) continue;
    if (++seen > 1) return undefined;
    kind = k;
    t = rType;
    v = rVal;
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
        if (rVal !== '') return undefined;
        break;
      case R_VALUE:
        if (isEmptyValue(rType, rVal)) break;
        if (t >= 0) return undefined;
        t = rType;
        v = rVal;
        break;
      case R_OTHER: {
        const n = rVal as Node;
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
  return p !== undefined ? p : textContent(nodes, ctx, ovr, skipElements);
}

function attributesObject(attrs: Attr[], ctx: Instance | null, ovr: Ovr | null): Obj {
  const o: Obj = {};
  for (const a of attrs) {
    if (!hasNonEmptyText(a.nodes, ctx, ovr)) continue;
    const p = asPrimitive(a.nodes, ctx, ovr);
    o[a.name] = p !== undefined ? p : textContent(a.nodes, ctx, ovr, false);
  }
  return o;
}

function elementValue(el: Element, ctx: Instance | null, ovr: Ovr | null, isContainer: boolean): Json {
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
  const leaf = leafValue(el, ctx, ovr, null);
  if (leaf !== NO_LEAF) return leaf;
  const layout = contentLayout(el, ctx, ovr);
  const hasText = (layout & 1) !== 0;
  if (!(layout & 2)) return hasText ? contentAsJson(el.children, ctx, ovr, false) : null;
  return elementBody(el, ctx, ovr, isContainer, true, hasText, separate);
}

/** A `Data` element's value: `""` when empty rather than `null`. */
function dataValue(el: Element, ctx: Instance | null, ovr: Ovr | null, separate: boolean): Json {
  const leaf = leafValue(el, ctx, ovr, '');
  if (leaf !== NO_LEAF) return leaf;
  const layout = contentLayout(el, ctx, ovr);
  const hasText = (layout & 1) !== 0;
  if (layout & 2) return elementBody(el, ctx, ovr, false, true, hasText, separate);
  return hasText ? contentAsJson(el.children, ctx, ovr, false) : '';
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
  // One non-empty `Data Name=...` is enough to choose the named (flattened) form.
  let flatten = false;
  if (inDataContainer) {
    for (const n of children) {
      const found = eachElementOf(n, ctx, ovr, (child, cctx, repeat) => {
        if (child.name !== 'Data') return false;
        const nameNodes = getNameAttr(child);
        if (!nameNodes) return false;
        return repeat && cctx && cctx.mayExpand
          ? expansionAny(child, cctx, ovr, (o) => hasNonEmptyText(nameNodes, cctx, o))
          : hasNonEmptyText(nameNodes, cctx, repeat ? ovr : null);
      });
      if (found) {
        flatten = true;
        break;
      }
    }
  }

  const out: Obj = {};
  if (!omitAttributes && el.attrs.length && attrsHaveText(el.attrs, ctx, ovr)) {
    out['#attributes'] = attributesObject(el.attrs, ctx, ovr);
  }
  if (hasText) out['#text'] = contentAsJson(children, ctx, ovr, true);

  let positional = 0;
  if (inDataContainer && !flatten) {
    for (const n of children) {
      eachElementOf(n, ctx, ovr, (child, cctx, repeat) => {
        if (child.name === 'Data') positional += repeat ? countCopies(child, cctx, ovr) : 1;
      });
    }
  }
  let positionalDone = false;
  let counts: Map<string, number> | null = null;

  const emitNormal = (child: Element, cctx: Instance | null, o: Ovr | null): void => {
    counts ??= new Map();
    const suffix = counts.get(child.name) ?? 0;
    counts.set(child.name, suffix + 1);
    const key = suffix ? `${child.name}_${suffix}` : child.name;
    const container = isDataContainer(child.name);
    if (separate) {
      let wroteAttrs = false;
      if (child.attrs.length && attrsHaveText(child.attrs, cctx, o)) {
        out[key + '_attributes'] = attributesObject(child.attrs, cctx, o);
        wroteAttrs = true;
      }
      // An element that only carries attributes is not repeated as `"Name": null`.
      if (!wroteAttrs || contentLayout(child, cctx, o) !== 0) out[key] = elementValueNoAttrs(child, cctx, o, container, true);
    } else {
      out[key] = elementValue(child, cctx, o, container);
    }
  };

  const emitNamed = (child: Element, cctx: Instance | null, nameNodes: Node[], o: Ovr | null): void => {
    if (!hasNonEmptyText(nameNodes, cctx, o)) return;
    const key = textContent(nameNodes, cctx, o, false);
    out[key] = dataValue(child, cctx, o, separate);
  };

  const emitChild = (child: Element, cctx: Instance | null, repeat: boolean): void => {
    const expanding = repeat && findExpansion(child, cctx, ovr) !== null;
    const direct = repeat ? ovr : null;
    if (inDataContainer && child.name === 'Data') {
      if (flatten) {
        const nameNodes = getNameAttr(child);
        if (!nameNodes) return;
        if (!expanding) emitNamed(child, cctx, nameNodes, direct);
        else forEachExpansion(child, cctx, ovr, (o) => emitNamed(child, cctx, nameNodes, o));
      } else if (!positionalDone && positional > 0) {
        positionalDone = true;
        if (positional === 1) {
          out.Data = { '#text': dataValue(child, cctx, direct, separate) };
        } else {
          const items: Json[] = [];
          for (const n2 of children) {
            eachElementOf(n2, ctx, ovr, (c2, x2, r2) => {
              if (c2.name !== 'Data') return;
              if (r2) forEachExpansion(c2, x2, ovr, (o) => items.push(dataValue(c2, x2, o, separate)));
              else items.push(dataValue(c2, x2, null, separate));
            });
          }
          out.Data = { '#text': items };
        }
      }
      return;
    }
    if (!expanding) emitNormal(child, cctx, direct);
    else forEachExpansion(child, cctx, ovr, (o) => emitNormal(child, cctx, o));
  };

  for (const n of children) eachElementOf(n, ctx, ovr, emitChild);
  return out;
}
