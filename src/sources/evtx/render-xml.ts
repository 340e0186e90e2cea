/**
 * A record as the evtx crate renders it to XML: an XML declaration, two-space indentation, text
 * escaped, entity and character references kept as written, and the crate's layout quirks (an
 * element with no content closes on the next line, except `<Binary>`).
 */
import * as bytes from './bytes.js';
import * as ir from './ir.js';
import type { Element, Instance, Node, PIData } from './ir.js';
import * as resolver from './resolve.js';
import type { Ovr } from './resolve.js';
import * as values from './values.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError } = bytes;
const { isEmptyValue } = ir;
const { findExpansion, res, resolve, scanClass, spend } = resolver;
const { valueText } = values;

const XML_DECL = '<?xml version="1.0" encoding="utf-8"?>\n';

// Local copies of the node, resolution and scan kinds (ir.ts / resolve.ts).
const ENTITY = 5;
const CHARREF = 6;
const CDATA = 7;
const PITARGET = 8;
const PIDATA = 9;
const INST = 10;
const R_SKIP = 0;
const R_TEXT = 1;
const R_VALUE = 2;
const R_ELEM = 3;
const R_FRAG = 4;
const R_NESTED = 5;
const R_OTHER = 6;
const S_SKIP = 0;
const S_ELEMENT = 1;
const RS = res;

/** XML-escapes text; quotes too inside attribute values. */
export function escapeXml(s: string, inAttribute: boolean): string {
  if (!/[&<>"']/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '&') out += '&amp;';
    else if (c === '<') out += '&lt;';
    else if (c === '>') out += '&gt;';
    else if (c === '"' && inAttribute) out += '&quot;';
    else if (c === "'" && inAttribute) out += '&apos;';
    else out += c;
  }
  return out;
}

export function renderXml(root: Element | Instance): string {
  const w = new XmlWriter();
  if (root.k === INST) w.element(root.tpl.root, root, 0, null);
  else w.element(root, null, 0, null);
  return XML_DECL + w.out;
}

/** One element (and its subtree) at `indent`, by the general renderer (compiled plans fall back to it). */
export function renderElementXml(el: Element, ctx: Instance | null, indent: number): string {
  const w = new XmlWriter();
  w.element(el, ctx, indent, null);
  return w.out;
}

export { XML_DECL };

class XmlWriter {
  out = '';

  /** A child element, repeated once per array item when it holds an array value. */
  private child(el: Element, ctx: Instance | null, indent: number, ovr: Ovr | null): void {
    const e = findExpansion(el, ctx, ovr);
    if (!e) return this.element(el, ctx, indent, ovr);
    for (let i = 0; i < e.idx; i++) this.child(el, ctx, indent, { node: e.node, idx: i, parent: ovr });
  }

  element(el: Element, ctx: Instance | null, indent: number, ovr: Ovr | null): void {
    spend();
    const pad = ' '.repeat(indent);
    this.out += pad + '<' + el.name;
    for (const a of el.attrs) {
      if (this.attrIsEmpty(a.nodes, ctx, ovr)) continue;
      this.out += ' ' + a.name + '="' + this.nodesText(a.nodes, ctx, ovr, true) + '"';
    }
    this.out += '>';

    let any = false;
    let hasElem = el.hasElementChild;
    for (const n of el.children) {
      const c = scanClass(n, ctx, ovr);
      if (c !== S_SKIP) any = true;
      if (c === S_ELEMENT) hasElem = true;
    }
    if (!any) {
      // The crate's layout: empty elements close on the next line, except <Binary>.
      this.out += el.name === 'Binary' ? `</${el.name}>\n` : `\n${pad}</${el.name}>\n`;
      return;
    }
    if (!hasElem) {
      this.out += this.nodesText(el.children, ctx, ovr, false) + `</${el.name}>\n`;
      return;
    }
    this.out += '\n';
    const inner = ' '.repeat(indent + 2);
    for (const n of el.children) {
      const k = resolve(n, ctx, ovr);
      switch (k) {
        case R_SKIP:
          break;
        case R_ELEM:
          this.child(RS.v as Element, ctx, indent + 2, ovr);
          break;
        case R_FRAG:
          for (const r of RS.v as (Element | Instance)[]) {
            if (r.k === INST) this.element(r.tpl.root, r, indent + 2, null);
            else this.element(r, null, indent + 2, null);
          }
          break;
        case R_NESTED: {
          const inst = RS.v as Instance;
          this.element(inst.tpl.root, inst, indent + 2, null);
          break;
        }
        default:
          this.out += inner + this.textOf(k, false) + '\n';
      }
    }
    this.out += `${pad}</${el.name}>\n`;
  }

  private attrIsEmpty(nodes: Node[], ctx: Instance | null, ovr: Ovr | null): boolean {
    for (const n of nodes) {
      switch (resolve(n, ctx, ovr)) {
        case R_SKIP:
          break;
        case R_TEXT:
          if (RS.v !== '') return false;
          break;
        case R_VALUE:
          if (!isEmptyValue(RS.t, RS.v)) return false;
          break;
        case R_OTHER: {
          const k = (RS.v as Node).k;
          if (k === PITARGET || k === PIDATA) throw new EvtxFormatError('processing instruction in an attribute value', 0);
          return false;
        }
        default:
          throw new EvtxFormatError('element inside an attribute value', 0);
      }
    }
    return true;
  }

  private nodesText(nodes: Node[], ctx: Instance | null, ovr: Ovr | null, inAttribute: boolean): string {
    let s = '';
    for (let i = 0; i < nodes.length; i++) {
      const k = resolve(nodes[i], ctx, ovr);
      if (k === R_OTHER && (RS.v as Node).k === PITARGET) {
        if (inAttribute) throw new EvtxFormatError('processing instruction in an attribute value', 0);
        const target = (RS.v as { name: string }).name;
        // Pair with the next node that is not omitted, when it is the PI's data.
        let j = i + 1;
        let data: PIData | null = null;
        for (; j < nodes.length; j++) {
          const kj = resolve(nodes[j], ctx, ovr);
          if (kj === R_SKIP) continue;
          if (kj === R_OTHER && (RS.v as Node).k === PIDATA) data = RS.v as PIData;
          break;
        }
        if (data) {
          s += `<?${target} ${data.s}?>`;
          i = j;
        } else {
          s += `<?${target}?>`;
        }
        continue;
      }
      if (k === R_OTHER && (RS.v as Node).k === PIDATA) throw new EvtxFormatError('processing instruction data without a target', 0);
      s += this.textOf(k, inAttribute);
    }
    return s;
  }

  /** Text of the node `resolve` just resolved to kind `k`. */
  private textOf(k: number, inAttribute: boolean): string {
    switch (k) {
      case R_SKIP:
        return '';
      case R_TEXT:
        return escapeXml(RS.v as string, inAttribute);
      case R_VALUE:
        return escapeXml(valueText(RS.t, RS.v), inAttribute);
      case R_OTHER: {
        const n = RS.v as Node;
        if (n.k === ENTITY) return `&${n.name};`;
        if (n.k === CHARREF) return `&#${n.code};`;
        if (n.k === CDATA) return inAttribute ? escapeXml(n.s, true) : `<![CDATA[${n.s}]]>`;
        return '';
      }
      default:
        throw new EvtxFormatError('element where text was expected', 0);
    }
  }
}
