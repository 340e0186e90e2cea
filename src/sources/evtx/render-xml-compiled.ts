/**
 * The fast path of the XML renderer: per template (and indentation), tags, static attributes and
 * layout are prepared once; a record only fills in its values. Covers the same records as the
 * JSON plans (no arrays); elements whose layout depends on the values in other ways (mixed
 * content, attributes made of several parts) go to the general renderer, so the output is the
 * same by construction; a test compares the two on every shared sample.
 */
import * as ir from './ir.js';
import type { Attr, Element, Instance, Node, Template } from './ir.js';
import * as compiled from './render-json-compiled.js';
import * as renderXml from './render-xml.js';
import * as resolver from './resolve.js';
import * as values from './values.js';

// Imported values copied to module constants once (see binxml.ts).
const { isEmptyValue } = ir;
const { planCovers, templateSignature } = compiled;
const { escapeXml, renderElementXml, XML_DECL } = renderXml;
const { budget, spend } = resolver;
const { valueText } = values;

const ELEM = 1;
const TEXT = 2;
const VAL = 3;
const SUB = 4;
const INST = 10;
const T_STRING = 0x01;
const T_ANSI = 0x02;
const T_BINXML = 0x21;

type Op = (inst: Instance) => string;
interface XmlPlan {
  op: Op;
  elements: number;
}

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

function isSimpleNode(n: Node): boolean {
  return n.k === SUB || n.k === TEXT || n.k === VAL;
}

const plans = new Map<string, XmlPlan>();
const byTemplate = new WeakMap<Template, Map<number, XmlPlan>>();
const MAX_PLANS = 4096;

function xmlPlan(tpl: Template, indent: number): XmlPlan {
  let forTpl = byTemplate.get(tpl);
  if (!forTpl) byTemplate.set(tpl, (forTpl = new Map()));
  let plan = forTpl.get(indent);
  if (plan) return plan;
  const key = `${indent}|${templateSignature(tpl)}`;
  plan = plans.get(key);
  if (!plan) {
    const count = { elements: 0 };
    plan = { op: elementOp(tpl.root, indent, count), elements: count.elements };
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(key, plan);
  }
  forTpl.set(indent, plan);
  return plan;
}

function spendPlan(plan: XmlPlan): void {
  budget.left -= plan.elements;
  if (budget.left < 0) spend();
}

/** The record's XML when a plan covers it, else undefined (the caller uses the general renderer). */
export function renderXmlPlanned(root: Element | Instance): string | undefined {
  if (root.k !== INST || !planCovers(root)) return undefined;
  const plan = xmlPlan(root.tpl, 0);
  spendPlan(plan);
  return XML_DECL + plan.op(root);
}

/** Attribute text (` name="..."`, or '' when empty); null when an attribute has several parts. */
function attrsOp(attrs: Attr[]): ((inst: Instance) => string | null) | null {
  for (const a of attrs) if (a.nodes.length !== 1 || !isSimpleNode(a.nodes[0])) return null;
  const heads = attrs.map((a) => ` ${a.name}="`);
  const nodes = attrs.map((a) => a.nodes[0]);
  return (inst) => {
    let s = '';
    for (let i = 0; i < nodes.length; i++) {
      const x = nodeValue(nodes[i], inst);
      if (x === SKIP) continue;
      if (typeof x === 'string') {
        if (x !== '') s += heads[i] + escapeXml(x, true) + '"';
        continue;
      }
      if (x[0] === T_BINXML) return null;
      if (!isEmptyValue(x[0], x[1])) s += heads[i] + escapeXml(valueText(x[0], x[1]), true) + '"';
    }
    return s;
  };
}

function elementOp(el: Element, indent: number, count: { elements: number }): Op {
  const general: Op = (inst) => renderElementXml(el, inst, indent);
  const ch = el.children;
  const attrs = el.attrs.length ? attrsOp(el.attrs) : null;
  if (el.attrs.length && !attrs) return general;
  const pad = ' '.repeat(indent);
  const open = pad + '<' + el.name;
  const close = '</' + el.name + '>\n';
  const emptyClose = el.name === 'Binary' ? '>' + close : '>\n' + pad + close;
  count.elements++;
  const withAttrs = (inst: Instance): string | null => (attrs ? attrs(inst) : '');

  if (ch.length === 0) {
    if (!attrs) {
      const whole = open + emptyClose;
      return () => whole;
    }
    return (inst) => {
      const a = withAttrs(inst);
      return a === null ? general(inst) : open + a + emptyClose;
    };
  }

  if (ch.length === 1 && isSimpleNode(ch[0])) {
    const node = ch[0];
    return (inst) => {
      const a = withAttrs(inst);
      if (a === null) return general(inst);
      const x = nodeValue(node, inst);
      if (x === SKIP) return open + a + emptyClose;
      if (typeof x === 'string') return open + a + '>' + escapeXml(x, false) + close;
      if (x[0] === T_BINXML) return general(inst);
      return open + a + '>' + escapeXml(valueText(x[0], x[1]), false) + close;
    };
  }

  if (!ch.every((n) => n.k === ELEM || n.k === SUB)) return general;
  const ops = ch.map((n) => (n.k === ELEM ? elementOp(n, indent + 2, count) : null));
  const tail = pad + close;
  return (inst) => {
    const a = withAttrs(inst);
    if (a === null) return general(inst);
    // Substitutions among child elements must bring nested BinXML (or nothing); text there is
    // mixed content, which the general renderer lays out.
    let s = open + a + '>\n';
    let any = false;
    for (let i = 0; i < ch.length; i++) {
      const op = ops[i];
      if (op) {
        s += op(inst);
        any = true;
        continue;
      }
      const x = nodeValue(ch[i], inst);
      if (x === SKIP) continue;
      if (typeof x === 'string' || x[0] !== T_BINXML) return general(inst);
      if (x[1] === null) return general(inst);
      for (const root of x[1] as (Element | Instance)[]) {
        any = true;
        if (root.k === INST) {
          if (planCovers(root)) {
            const plan = xmlPlan(root.tpl, indent + 2);
            spendPlan(plan);
            s += plan.op(root);
          } else {
            s += renderElementXml(root.tpl.root, root, indent + 2);
          }
        } else {
          s += renderElementXml(root, null, indent + 2);
        }
      }
    }
    if (!any) return open + a + emptyClose;
    return s + tail;
  };
}
