/**
 * The fast path of the JSON renderer: a template's structure is fixed, so most of the decisions
 * `render-json.ts` makes per record (which keys, which `_N` suffixes, named or positional `Data`,
 * static attribute values) can be made once per template. `jsonPlan` turns a template into a tree
 * of small functions that only look at the record's substitution values.
 *
 * Plans cover records whose values are scalars or nested BinXML (EventData usually arrives as a
 * nested template instance); arrays (which repeat elements) and the separate-attributes mode go
 * to the general renderer. Inside a plan, any element whose shape depends on the values in ways
 * not decided here (mixed text and elements, names from substitutions) is rendered by the general
 * renderer, so the output is the same by construction; a test compares the two on every shared
 * sample.
 */
import * as ir from './ir.js';
import type { Attr, Element, Instance, Node, Template } from './ir.js';
import * as renderJson from './render-json.js';
import * as resolver from './resolve.js';
import * as values from './values.js';

// Imported values copied to module constants once (see binxml.ts).
const { isEmptyValue } = ir;
const { elementValueIn, dataValueIn, trimEndSpaces } = renderJson;
const { budget, spend } = resolver;
const { isJsonPrimitive, valueJson } = values;

const ELEM = 1;
const TEXT = 2;
const VAL = 3;
const SUB = 4;
const INST = 10;
const T_NULL = 0x00;
const T_STRING = 0x01;
const T_ANSI = 0x02;
const T_BINXML = 0x21;
const T_ARRAY = 0x80;

type Json = unknown;
type Obj = Record<string, Json>;
/** An element's JSON value from the record's substitution values. */
type Op = (inst: Instance) => Json;

export interface JsonPlan {
  /** The value of the template's root element. */
  value: Op;
  /** Elements the plan itself renders per record (spent from the element budget at once). */
  elements: number;
}

/** Whether a record's values keep to what plans cover (no arrays: they repeat elements). */
export function planCovers(inst: Instance): boolean {
  const t = inst.types;
  for (let i = 0; i < t.length; i++) if (t[i] & T_ARRAY) return false;
  return true;
}

/**
 * Plans by template structure. Every chunk carries its own copy of the templates it uses; a
 * signature of the parsed tree finds the plan an earlier chunk compiled for the same structure.
 */
const plansBySignature = new Map<string, { root?: JsonPlan; container?: JsonPlan }>();
const plansByTemplate = new WeakMap<Template, { root?: JsonPlan; container?: JsonPlan }>();
const MAX_PLANS = 4096;

/** Everything about a tree that its rendering depends on, as a string. */
function signature(n: Node, out: string[]): void {
  switch (n.k) {
    case ELEM:
      out.push(`<${n.name.length}:${n.name}`);
      for (const a of n.attrs) {
        out.push(`@${a.name.length}:${a.name}`);
        for (const x of a.nodes) signature(x, out);
      }
      out.push('>');
      for (const c of n.children) signature(c, out);
      out.push('/');
      return;
    case TEXT:
      out.push(`t${n.s.length}:${n.s}`);
      return;
    case SUB:
      out.push(`s${n.idx}.${n.opt ? 1 : 0}.${n.t}`);
      return;
    case VAL:
      out.push(`v${n.t}:${String(n.v)}`);
      return;
    case INST:
      // Nested instances inside a template cannot be compared by structure alone.
      out.push(`i${Math.random()}`);
      return;
    default:
      out.push(`k${n.k}:${JSON.stringify(n)}`);
  }
}

const signatures = new WeakMap<Template, string>();

/** A string equal for templates of the same structure (names, attributes, nodes, placeholders). */
export function templateSignature(tpl: Template): string {
  let sig = signatures.get(tpl);
  if (sig === undefined) {
    const parts: string[] = [];
    signature(tpl.root, parts);
    sig = parts.join('|');
    signatures.set(tpl, sig);
  }
  return sig;
}

function planSlot(tpl: Template): { root?: JsonPlan; container?: JsonPlan } {
  let p = plansByTemplate.get(tpl);
  if (p) return p;
  const sig = templateSignature(tpl);
  p = plansBySignature.get(sig);
  if (!p) {
    if (plansBySignature.size >= MAX_PLANS) plansBySignature.clear();
    p = {};
    plansBySignature.set(sig, p);
  }
  plansByTemplate.set(tpl, p);
  return p;
}

/** The template's plan; `asContainer` when its root is rendered as EventData/UserData content. */
export function jsonPlan(tpl: Template, asContainer = false): JsonPlan {
  const p = planSlot(tpl);
  const key = asContainer ? 'container' : 'root';
  let plan = p[key];
  if (!plan) {
    const count = { elements: 0 };
    const value = elementOp(tpl.root, asContainer, count);
    plan = { value, elements: count.elements };
    p[key] = plan;
  }
  return plan;
}

/** Spends the plan's elements from the record budget (see resolve.ts), like the general path. */
export function spendPlan(plan: JsonPlan): void {
  budget.left -= plan.elements;
  if (budget.left < 0) spend();
}

/** The record `{"Root": value}` through the root template's plan. */
export function renderPlanned(inst: Instance): Record<string, unknown> {
  const plan = jsonPlan(inst.tpl);
  spendPlan(plan);
  const out: Obj = {};
  out[inst.tpl.root.name] = plan.value(inst);
  return out;
}

function isDataContainer(name: string): boolean {
  return name === 'EventData' || name === 'UserData';
}

/** Whether nested BinXML has a top-level `Data` element. */
function hasDataRoot(roots: unknown): boolean {
  if (!roots) return false;
  for (const r of roots as (Element | Instance)[]) if ((r.k === INST ? r.tpl.root.name : r.name) === 'Data') return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Single nodes.

const SKIP = Symbol('skip');
type Resolved = typeof SKIP | string | [number, unknown];

/** A text-like node: SKIP (omitted), a string (text) or [type, value]. */
function nodeValue(n: Node, inst: Instance): Resolved {
  if (n.k === TEXT) return n.s;
  if (n.k === VAL) return [n.t, n.v];
  const s = n as ir.Sub;
  if (s.idx >= inst.vals.length) return SKIP;
  const ty = inst.types[s.idx];
  const v = inst.vals[s.idx];
  if (s.opt && isEmptyValue(ty, v)) return SKIP;
  if (ty === T_STRING || ty === T_ANSI) return v as string;
  return [ty, v];
}

/** Non-empty text-like content (nested BinXML is not text: it counts as empty here). */
function nonEmpty(x: Resolved): boolean {
  if (x === SKIP) return false;
  if (typeof x === 'string') return x !== '';
  return x[0] !== T_BINXML && !isEmptyValue(x[0], x[1]);
}

function jsonOf(t: number, v: unknown): Json {
  const j = valueJson(t, v);
  return typeof j === 'string' ? trimEndSpaces(j) : j;
}

/** One node as an attribute value or `#text`: integers and booleans typed, else trimmed text. */
function scalarJson(x: string | [number, unknown]): Json {
  if (typeof x === 'string') return trimEndSpaces(x);
  if (isJsonPrimitive(x[0])) return valueJson(x[0], x[1]);
  return jsonOf(x[0], x[1]);
}

function isSimpleNode(n: Node): boolean {
  return n.k === SUB || n.k === TEXT || n.k === VAL;
}

/** Attributes whose values are each one simple node; null when some attribute is not. */
function attrsOp(attrs: Attr[]): ((inst: Instance) => Obj | null) | null {
  for (const a of attrs) if (a.nodes.length !== 1 || !isSimpleNode(a.nodes[0])) return null;
  const names = attrs.map((a) => a.name);
  const nodes = attrs.map((a) => a.nodes[0]);
  return (inst) => {
    let o: Obj | null = null;
    for (let i = 0; i < nodes.length; i++) {
      const x = nodeValue(nodes[i], inst);
      if (!nonEmpty(x)) continue;
      o ??= {};
      o[names[i]] = scalarJson(x as string | [number, unknown]);
    }
    return o;
  };
}

// ---------------------------------------------------------------------------------------------
// Elements.

function elementOp(el: Element, isContainer: boolean, count: { elements: number }): Op {
  const general: Op = (inst) => elementValueIn(el, inst, isContainer);
  const ch = el.children;
  const attrs = el.attrs.length ? attrsOp(el.attrs) : null;
  if (el.attrs.length && !attrs) return general;

  // No children: null, or the attributes alone.
  if (ch.length === 0) {
    count.elements++;
    if (!attrs) return () => null;
    return (inst) => {
      const a = attrs(inst);
      return a ? { '#attributes': a } : null;
    };
  }

  // One text-like node, with or without attributes.
  if (ch.length === 1 && isSimpleNode(ch[0])) {
    count.elements++;
    const node = ch[0];
    // Nested BinXML in the only child: its elements are the children (EventData/UserData with
    // `Data` among them choose named or positional form from them: the general renderer).
    const spliced = node.k === SUB ? slottedObjectOp(false, attrs, ch, [null], general) : null;
    return (inst) => {
      const x = nodeValue(node, inst);
      if (x !== SKIP && typeof x !== 'string' && x[0] === T_BINXML) {
        if (isContainer && hasDataRoot(x[1])) return spendBack(inst, general);
        return spliced!(inst);
      }
      const a = attrs ? attrs(inst) : null;
      const text = nonEmpty(x);
      if (!a) return text ? scalarJson(x as string | [number, unknown]) : null;
      const o: Obj = { '#attributes': a };
      if (text) o['#text'] = scalarJson(x as string | [number, unknown]);
      return o;
    };
  }

  // Child elements, and substitutions that bring nested BinXML in: an object.
  if (!ch.every((n) => n.k === ELEM || n.k === SUB)) return general;
  const slots = ch.some((n) => n.k === SUB);
  if (isContainer) {
    // EventData/UserData: named or positional Data, decided now when names are static.
    if (slots) return general;
    const data = containerOps(ch as Element[], count);
    if (!data) return general;
    count.elements++;
    return staticObjectOp(attrs, data.keys, data.ops);
  }
  count.elements++;
  if (!slots) {
    const kids = ch as Element[];
    return staticObjectOp(attrs, suffixedKeys(kids.map((k) => k.name)), kids.map((k) => elementOp(k, isDataContainer(k.name), count)));
  }
  const ops = ch.map((n) => (n.k === ELEM ? elementOp(n, isDataContainer(n.name), count) : null));
  return slottedObjectOp(el.hasElementChild, attrs, ch, ops, general);
}

/** Undoes the element spent for a plan element that hands over to the general renderer. */
function spendBack(inst: Instance, general: Op): Json {
  budget.left++;
  return general(inst);
}

function staticObjectOp(attrs: ((inst: Instance) => Obj | null) | null, keys: string[], ops: Op[]): Op {
  return (inst) => {
    const o: Obj = {};
    if (attrs) {
      const a = attrs(inst);
      if (a) o['#attributes'] = a;
    }
    for (let i = 0; i < ops.length; i++) o[keys[i]] = ops[i](inst);
    return o;
  };
}

/**
 * Children mixing static elements with substitutions of nested BinXML, whose top-level elements
 * are spliced in among their siblings (keys then counted per record). A substitution that turns
 * out to hold text makes the element mixed content: the general renderer takes it.
 */
function slottedObjectOp(
  hasStaticElements: boolean,
  attrs: ((inst: Instance) => Obj | null) | null,
  ch: Node[],
  ops: (Op | null)[],
  general: Op,
): Op {
  return (inst) => {
    let spliced = false;
    for (let i = 0; i < ch.length; i++) {
      if (ops[i]) continue;
      const x = nodeValue(ch[i], inst);
      if (x === SKIP) continue;
      if (typeof x === 'string') {
        if (x !== '') return spendBack(inst, general);
      } else if (x[0] === T_BINXML) {
        if (x[1] !== null) spliced = true;
      } else if (!isEmptyValue(x[0], x[1])) {
        return spendBack(inst, general);
      }
    }
    const a = attrs ? attrs(inst) : null;
    // Nothing but omitted substitutions: an empty element (null, or its attributes alone).
    if (!hasStaticElements && !spliced) return a ? { '#attributes': a } : null;
    const o: Obj = {};
    if (a) o['#attributes'] = a;
    const names: string[] = [];
    const seen: number[] = [];
    const put = (name: string, value: Json): void => {
      let i = names.indexOf(name);
      if (i < 0) {
        i = names.push(name) - 1;
        seen.push(0);
      }
      const n = seen[i]++;
      o[n ? `${name}_${n}` : name] = value;
    };
    for (let i = 0; i < ch.length; i++) {
      const op = ops[i];
      if (op) {
        put((ch[i] as Element).name, op(inst));
        continue;
      }
      const x = nodeValue(ch[i], inst);
      if (x === SKIP || typeof x === 'string' || x[0] !== T_BINXML || x[1] === null) continue;
      for (const root of x[1] as (Element | Instance)[]) {
        if (root.k === INST) {
          const rootEl = root.tpl.root;
          const container = isDataContainer(rootEl.name);
          if (planCovers(root)) {
            const plan = jsonPlan(root.tpl, container);
            spendPlan(plan);
            put(rootEl.name, plan.value(root));
          } else {
            put(rootEl.name, elementValueIn(rootEl, root, container));
          }
        } else {
          put(root.name, elementValueIn(root, null, isDataContainer(root.name)));
        }
      }
    }
    return o;
  };
}

/** Keys of sibling elements: `Name`, `Name_1`, `Name_2`, ... for repeats. */
function suffixedKeys(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return n ? `${name}_${n}` : name;
  });
}

/**
 * Children of EventData/UserData: `Data Name="..."` flattened to their names, or unnamed `Data`
 * gathered under `Data.#text`; other elements keyed as usual. Null when a name is not static.
 */
function containerOps(kids: Element[], count: { elements: number }): { keys: string[]; ops: Op[] } | null {
  const dataKids = kids.filter((k) => k.name === 'Data');
  const staticNames: (string | null)[] = [];
  for (const d of dataKids) {
    const name = d.attrs.find((a) => a.name === 'Name');
    if (!name) {
      staticNames.push(null);
      continue;
    }
    if (name.nodes.length !== 1 || name.nodes[0].k !== TEXT) return null;
    staticNames.push((name.nodes[0] as ir.Text).s);
  }
  const flatten = staticNames.some((s) => s !== null && s !== '');
  const otherKeys = suffixedKeys(kids.filter((k) => k.name !== 'Data').map((k) => k.name));
  const keys: string[] = [];
  const ops: Op[] = [];
  let positionalDone = false;
  let oi = 0;
  let di = 0;
  for (const k of kids) {
    if (k.name !== 'Data') {
      keys.push(otherKeys[oi++]);
      ops.push(elementOp(k, isDataContainer(k.name), count));
      continue;
    }
    const nm = staticNames[di++];
    if (flatten) {
      if (nm === null || nm === '') continue;
      keys.push(nm);
      ops.push(dataOp(k, count));
    } else if (!positionalDone) {
      positionalDone = true;
      const items = dataKids.map((d) => dataOp(d, count));
      keys.push('Data');
      ops.push(
        items.length === 1
          ? (inst) => ({ '#text': items[0](inst) })
          : (inst) => {
              const arr: Json[] = new Array(items.length);
              for (let i = 0; i < items.length; i++) arr[i] = items[i](inst);
              return { '#text': arr };
            },
      );
    }
  }
  return { keys, ops };
}

/** A `Data` element's value: `""` when empty; its attributes are not rendered. */
function dataOp(d: Element, count: { elements: number }): Op {
  const general: Op = (inst) => dataValueIn(d, inst);
  const ch = d.children;
  if (ch.length === 0) {
    count.elements++;
    return () => '';
  }
  if (ch.length !== 1 || !isSimpleNode(ch[0])) return general;
  count.elements++;
  const node = ch[0];
  return (inst) => {
    const x = nodeValue(node, inst);
    if (x === SKIP) return '';
    if (typeof x === 'string') return x === '' ? '' : trimEndSpaces(x);
    if (x[0] === T_BINXML) return spendBack(inst, general);
    if (x[0] === T_NULL || isEmptyValue(x[0], x[1])) return '';
    return jsonOf(x[0], x[1]);
  };
}
