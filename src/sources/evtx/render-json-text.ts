/**
 * The crate's JSON straight to text, for `loupe evtx dump` and the `text` output: the same
 * template plans as `render-json-compiled.ts`, but each element writes its JSON text, keys and
 * static parts prepared once per template, so no object is built and stringified per record.
 *
 * Keys come out in document order and repeated keys stay repeated, as the crate writes them
 * (building JS objects reorders integer-like keys and keeps one of a repeated key);
 * `JSON.parse` of this text gives exactly the object the object renderer builds. Elements a plan
 * does not cover are rendered by the general renderer and stringified.
 */
import * as ir from './ir.js';
import type { Attr, Element, Instance, Node, Template } from './ir.js';
import * as compiled from './render-json-compiled.js';
import * as renderJson from './render-json.js';
import * as resolver from './resolve.js';
import * as values from './values.js';

// Imported values copied to module constants once (see binxml.ts).
const { isEmptyValue } = ir;
const { planCovers, templateSignature } = compiled;
const { elementValueIn, dataValueIn, trimEndSpaces, renderJson: renderGeneral } = renderJson;
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

/** Writes one element's JSON value. */
type Op = (inst: Instance) => string;

interface TextPlan {
  value: Op;
  elements: number;
}

/** A JSON string literal; most values need no escaping, which a regular expression tells fast. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
function q(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : '"' + s + '"';
}
/** JSON text of a value the general renderer built. */
const stringify = JSON.stringify;

const SKIP = Symbol('skip');
type Resolved = typeof SKIP | string | [number, unknown];

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

function nonEmpty(x: Resolved): boolean {
  if (x === SKIP) return false;
  if (typeof x === 'string') return x !== '';
  return x[0] !== T_BINXML && !isEmptyValue(x[0], x[1]);
}

/** JSON text of a typed value: integers and booleans as themselves, else a trimmed string. */
function typedText(t: number, v: unknown): string {
  // 64-bit integers beyond 2^53 print exactly here, as the crate prints them.
  if (isJsonPrimitive(t)) return typeof v === 'bigint' ? v.toString() : String(valueJson(t, v));
  return q(trimEndSpaces(valueJson(t, v) as string));
}

function scalarText(x: string | [number, unknown]): string {
  return typeof x === 'string' ? q(trimEndSpaces(x)) : typedText(x[0], x[1]);
}

function isSimpleNode(n: Node): boolean {
  return n.k === SUB || n.k === TEXT || n.k === VAL;
}

const plans = new Map<string, { root?: TextPlan; container?: TextPlan }>();
const byTemplate = new WeakMap<Template, { root?: TextPlan; container?: TextPlan }>();
const MAX_PLANS = 4096;

function textPlan(tpl: Template, asContainer: boolean): TextPlan {
  let slot = byTemplate.get(tpl);
  if (!slot) {
    const sig = templateSignature(tpl);
    slot = plans.get(sig);
    if (!slot) {
      if (plans.size >= MAX_PLANS) plans.clear();
      plans.set(sig, (slot = {}));
    }
    byTemplate.set(tpl, slot);
  }
  const key = asContainer ? 'container' : 'root';
  let plan = slot[key];
  if (!plan) {
    const count = { elements: 0 };
    plan = { value: elementOp(tpl.root, asContainer, count), elements: count.elements };
    slot[key] = plan;
  }
  return plan;
}

function spendPlan(plan: TextPlan): void {
  budget.left -= plan.elements;
  if (budget.left < 0) spend();
}

/** The record's JSON text (`{"Root":...}`), through the template's plan when it covers it. */
export function renderJsonText(root: Element | Instance, pretty: boolean): string {
  if (pretty || root.k !== INST || !planCovers(root)) return JSON.stringify(renderGeneral(root), null, pretty ? 2 : undefined);
  const plan = textPlan(root.tpl, false);
  spendPlan(plan);
  return '{' + q(root.tpl.root.name) + ':' + plan.value(root) + '}';
}

function attrsOp(attrs: Attr[]): ((inst: Instance) => string) | null {
  for (const a of attrs) if (a.nodes.length !== 1 || !isSimpleNode(a.nodes[0])) return null;
  const keys = attrs.map((a) => q(a.name) + ':');
  const nodes = attrs.map((a) => a.nodes[0]);
  return (inst) => {
    let s = '';
    for (let i = 0; i < nodes.length; i++) {
      const x = nodeValue(nodes[i], inst);
      if (!nonEmpty(x)) continue;
      s += (s ? ',' : '') + keys[i] + scalarText(x as string | [number, unknown]);
    }
    return s;
  };
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

function spendBack(inst: Instance, general: Op): string {
  budget.left++;
  return general(inst);
}

function elementOp(el: Element, isContainer: boolean, count: { elements: number }): Op {
  const general: Op = (inst) => stringify(elementValueIn(el, inst, isContainer));
  const ch = el.children;
  const attrs = el.attrs.length ? attrsOp(el.attrs) : null;
  if (el.attrs.length && !attrs) return general;

  if (ch.length === 0) {
    count.elements++;
    if (!attrs) return () => 'null';
    return (inst) => {
      const a = attrs(inst);
      return a ? '{"#attributes":{' + a + '}}' : 'null';
    };
  }

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
      const a = attrs ? attrs(inst) : '';
      const text = nonEmpty(x);
      if (!a) return text ? scalarText(x as string | [number, unknown]) : 'null';
      return '{"#attributes":{' + a + '}' + (text ? ',"#text":' + scalarText(x as string | [number, unknown]) : '') + '}';
    };
  }

  if (!ch.every((n) => n.k === ELEM || n.k === SUB)) return general;
  const slots = ch.some((n) => n.k === SUB);
  if (isContainer) {
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

/** `keys` already quoted, with their colon. */
function staticObjectOp(attrs: ((inst: Instance) => string) | null, keys: string[], ops: Op[]): Op {
  return (inst) => {
    let s = '{';
    let first = true;
    if (attrs) {
      const a = attrs(inst);
      if (a) {
        s += '"#attributes":{' + a + '}';
        first = false;
      }
    }
    for (let i = 0; i < ops.length; i++) {
      s += (first ? '' : ',') + keys[i] + ops[i](inst);
      first = false;
    }
    return s + '}';
  };
}

function slottedObjectOp(
  hasStaticElements: boolean,
  attrs: ((inst: Instance) => string) | null,
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
    const a = attrs ? attrs(inst) : '';
    if (!hasStaticElements && !spliced) return a ? '{"#attributes":{' + a + '}}' : 'null';
    let s = '{';
    let first = true;
    if (a) {
      s += '"#attributes":{' + a + '}';
      first = false;
    }
    const names: string[] = [];
    const seen: number[] = [];
    const put = (name: string, value: string): void => {
      let i = names.indexOf(name);
      if (i < 0) {
        i = names.push(name) - 1;
        seen.push(0);
      }
      const n = seen[i]++;
      s += (first ? '' : ',') + q(n ? `${name}_${n}` : name) + ':' + value;
      first = false;
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
            const plan = textPlan(root.tpl, container);
            spendPlan(plan);
            put(rootEl.name, plan.value(root));
          } else {
            put(rootEl.name, stringify(elementValueIn(rootEl, root, container)));
          }
        } else {
          put(root.name, stringify(elementValueIn(root, null, isDataContainer(root.name))));
        }
      }
    }
    return s + '}';
  };
}

/** Quoted keys with their colon: `"Name":`, `"Name_1":`, ... for repeats. */
function suffixedKeys(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const n = seen.get(name) ?? 0;
    seen.set(name, n + 1);
    return q(n ? `${name}_${n}` : name) + ':';
  });
}

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
      keys.push(q(nm) + ':');
      ops.push(dataOp(k, count));
    } else if (!positionalDone) {
      positionalDone = true;
      const items = dataKids.map((d) => dataOp(d, count));
      keys.push('"Data":');
      ops.push(
        items.length === 1
          ? (inst) => '{"#text":' + items[0](inst) + '}'
          : (inst) => {
              let s = '{"#text":[';
              for (let i = 0; i < items.length; i++) s += (i ? ',' : '') + items[i](inst);
              return s + ']}';
            },
      );
    }
  }
  return { keys, ops };
}

function dataOp(d: Element, count: { elements: number }): Op {
  const general: Op = (inst) => stringify(dataValueIn(d, inst));
  const ch = d.children;
  if (ch.length === 0) {
    count.elements++;
    return () => '""';
  }
  if (ch.length !== 1 || !isSimpleNode(ch[0])) return general;
  count.elements++;
  const node = ch[0];
  return (inst) => {
    const x = nodeValue(node, inst);
    if (x === SKIP) return '""';
    if (typeof x === 'string') return x === '' ? '""' : q(trimEndSpaces(x));
    if (x[0] === T_BINXML) return spendBack(inst, general);
    if (x[0] === T_NULL || isEmptyValue(x[0], x[1])) return '""';
    return typedText(x[0], x[1]);
  };
}
