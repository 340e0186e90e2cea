/**
 * The BinXML token stream: one switch over the token byte, each arm a small reader, building the
 * element tree of `ir.ts` directly (no token list in between). Used for record fragments, template
 * definitions and BinXML nested inside substitution values. Template definitions are parsed once
 * per chunk and cached by offset; names are read from the chunk's string table once and cached.
 */
import * as bytes from './bytes.js';
import * as ir from './ir.js';
import type { Attr, Element, Instance, Node, Template } from './ir.js';
import type { EvtxFormatError as FormatError } from './bytes.js';
import * as values from './values.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, u16, u32, utf16 } = bytes;
const { CDATA, CHARREF, ELEM, ENTITY, INST, PIDATA, PITARGET, SUB, T_ARRAY, T_BINXML, T_NULL, TEXT, VAL } = ir;
const { guidText, isKnownType, isStringType, readValue, typeName, valueCursor } = values;

const TOK_EOF = 0x00;
const TOK_OPEN_START = 0x01;
const TOK_CLOSE_START = 0x02;
const TOK_CLOSE_EMPTY = 0x03;
const TOK_END_ELEMENT = 0x04;
const TOK_VALUE = 0x05;
const TOK_ATTRIBUTE = 0x06;
const TOK_CDATA = 0x07;
const TOK_CHARREF = 0x08;
const TOK_ENTITYREF = 0x09;
const TOK_PITARGET = 0x0a;
const TOK_PIDATA = 0x0b;
const TOK_TEMPLATE_INSTANCE = 0x0c;
const TOK_NORMAL_SUB = 0x0d;
const TOK_OPTIONAL_SUB = 0x0e;
const TOK_FRAGMENT_HEADER = 0x0f;
/** Bit set on open-start, value, attribute, CDATA, char-ref and entity-ref tokens: "more follows". */
const TOK_MORE = 0x40;

/** Template definition header: next offset (4), GUID (16), data size (4). */
export const TEMPLATE_HEADER_SIZE = 24;

/** Depth limits: real logs nest a handful of levels; damaged ones must not blow the stack. */
const MAX_ELEMENT_DEPTH = 128;
const MAX_FRAGMENT_DEPTH = 16;

const RECORD = 0;
const TEMPLATE = 1;

/**
 * Templates seen in earlier chunks. The same template is written again in every chunk that uses
 * it; its parsed tree depends only on its bytes and on the names it borrows from elsewhere in the
 * chunk, so a later chunk with the same bytes and the same borrowed names reuses the tree (and the
 * JSON plan compiled for it) instead of parsing it again.
 */
interface SharedTemplate {
  tpl: Template;
  /** Names read from outside the definition: [chunk offset, name]. */
  borrowed: [number, string][];
}
const sharedTemplates = new Map<string, SharedTemplate[]>();
let sharedCount = 0;
const MAX_SHARED_TEMPLATES = 4096;

/** Per-chunk state shared by every record of the chunk: the bytes, and the name and template caches. */
export class ChunkContext {
  private readonly names = new Map<number, string>();
  private readonly templates = new Map<number, Template | FormatError>();

  constructor(readonly buf: Buffer) {}

  /** The element/attribute name stored at chunk offset `off` (next-link 4, hash 2, count 2, UTF-16). */
  name(off: number): string {
    let s = this.names.get(off);
    if (s !== undefined) return s;
    const b = this.buf;
    if (off + 8 > b.length) throw new EvtxFormatError(`name at offset ${off}: outside the chunk`, off);
    const count = u16(b, off + 6);
    if (off + 8 + count * 2 > b.length) throw new EvtxFormatError(`name at offset ${off}: ${count} characters run past the chunk`, off);
    s = utf16(b, off + 8, count);
    this.names.set(off, s);
    return s;
  }

  /** The name at `off`, or null when it cannot be read. */
  nameOrNull(off: number): string | null {
    try {
      return this.name(off);
    } catch {
      return null;
    }
  }

  /** The template defined at chunk offset `off`, parsed on first use. */
  template(off: number, depth: number): Template {
    const cached = this.templates.get(off);
    if (cached !== undefined) {
      if (cached instanceof EvtxFormatError) throw cached;
      return cached;
    }
    try {
      const b = this.buf;
      if (off + TEMPLATE_HEADER_SIZE > b.length) {
        throw new EvtxFormatError(`template definition at offset ${off}: header outside the chunk`, off);
      }
      const size = u32(b, off + 20);
      const end = off + TEMPLATE_HEADER_SIZE + size;
      const key = end <= b.length ? b.toString('latin1', off + 4, end) : null;
      if (key !== null) {
        for (const s of sharedTemplates.get(key) ?? []) {
          if (s.borrowed.every(([o, n]) => this.nameOrNull(o) === n)) {
            this.templates.set(off, s.tpl);
            return s.tpl;
          }
        }
      }
      const guid = guidText(b, off + 4);
      const parser = new Parser(this, depth);
      parser.borrowFrom(off, end);
      const roots = parser.fragment(off + TEMPLATE_HEADER_SIZE, size, TEMPLATE);
      if (roots.length !== 1) throw new EvtxFormatError(`template ${guid}: ${roots.length} root elements (expected 1)`, off);
      const root = roots[0];
      if (root.k !== ELEM) throw new EvtxFormatError(`template ${guid}: root is not an element`, off);
      const tpl: Template = { offset: off, guid, root };
      this.templates.set(off, tpl);
      // Nested BinXML in a definition depends on the rest of the chunk: not shared.
      if (key !== null && !parser.nested) {
        if (sharedCount >= MAX_SHARED_TEMPLATES) {
          sharedTemplates.clear();
          sharedCount = 0;
        }
        const list = sharedTemplates.get(key);
        const entry = { tpl, borrowed: parser.borrowed };
        if (list) list.push(entry);
        else sharedTemplates.set(key, [entry]);
        sharedCount++;
      }
      return tpl;
    } catch (e) {
      const err = e instanceof EvtxFormatError
        ? new EvtxFormatError(`template definition at offset ${off}: ${e.message}`, e.offset)
        : e;
      if (err instanceof EvtxFormatError) this.templates.set(off, err);
      throw err;
    }
  }

  /** Parses a record's BinXML (`size` bytes at `off`) into its root element or template instance. */
  record(off: number, size: number): Element | Instance {
    // One parser serves every record of the chunk (records are parsed one at a time).
    const p = (this.recordParser ??= new Parser(this, 0));
    p.reset();
    const roots = p.fragment(off, size, RECORD);
    if (roots.length === 0) throw new EvtxFormatError('BinXML has no root element', off);
    if (roots.length > 1) throw new EvtxFormatError('more than one root element', off);
    return roots[0];
  }

  private recordParser: Parser | null = null;
}

/** The element being opened: collects attributes until its start tag closes. */
interface Opening {
  el: Element;
  attr: Attr | null;
}

class Parser {
  private pos = 0;
  private readonly b: Buffer;
  private stack: Element[] = [];
  private opening: Opening | null = null;
  /** Top-level elements; nested BinXML may hold several, spliced in where it is substituted. */
  private roots: (Element | Instance)[] = [];
  private mode = RECORD;
  /** Names read from outside [ownStart, ownEnd) (template definitions record them). */
  borrowed: [number, string][] = [];
  private ownStart = -1;
  private ownEnd = -1;
  /** Whether nested BinXML was parsed along the way. */
  nested = false;

  constructor(
    private readonly chunk: ChunkContext,
    private readonly depth: number,
  ) {
    this.b = chunk.buf;
    if (depth > MAX_FRAGMENT_DEPTH) throw new EvtxFormatError(`BinXML nested more than ${MAX_FRAGMENT_DEPTH} levels`, 0);
  }

  /** Ready for another record (the root list handed out last time is reused). */
  reset(): void {
    this.pos = 0;
    this.stack.length = 0;
    this.opening = null;
    this.roots.length = 0;
    this.mode = RECORD;
  }

  /** Records the names this parse borrows from outside [start, end). */
  borrowFrom(start: number, end: number): void {
    this.ownStart = start;
    this.ownEnd = end;
  }

  /** Reads tokens from `start` until the end-of-stream token or `size` bytes, whichever is first. */
  fragment(start: number, size: number, mode: number): (Element | Instance)[] {
    const b = this.b;
    const limit = start + size;
    this.mode = mode;
    this.pos = start;
    while (this.pos < limit) {
      if (this.pos >= b.length) throw new EvtxFormatError('BinXML runs past the end of the chunk', this.pos);
      const tokOff = this.pos;
      const tok = b[this.pos++];
      switch (tok) {
        case TOK_EOF:
          return this.finish(tokOff);
        case TOK_OPEN_START:
        case TOK_OPEN_START | TOK_MORE:
          this.openStart(tok, tokOff);
          break;
        case TOK_CLOSE_START:
          this.closeStart(tokOff);
          break;
        case TOK_CLOSE_EMPTY:
          this.attach(this.finishOpening(tokOff), tokOff);
          break;
        case TOK_END_ELEMENT: {
          const el = this.stack.pop();
          if (!el) throw new EvtxFormatError('end-element token with no open element', tokOff);
          this.attach(el, tokOff);
          break;
        }
        case TOK_VALUE:
        case TOK_VALUE | TOK_MORE:
          this.value(tokOff);
          break;
        case TOK_ATTRIBUTE:
        case TOK_ATTRIBUTE | TOK_MORE: {
          const name = this.nameRef();
          if (!this.opening) throw new EvtxFormatError('attribute token outside an element start', tokOff);
          this.closeAttr();
          this.opening.attr = { name, nodes: [] };
          break;
        }
        case TOK_CDATA:
        case TOK_CDATA | TOK_MORE:
          this.push({ k: CDATA, s: this.lenString('CDATA section') }, tokOff);
          break;
        case TOK_CHARREF:
        case TOK_CHARREF | TOK_MORE:
          this.need(2, 'character reference');
          this.push({ k: CHARREF, code: u16(b, this.pos) }, tokOff);
          this.pos += 2;
          break;
        case TOK_ENTITYREF:
        case TOK_ENTITYREF | TOK_MORE:
          this.push({ k: ENTITY, name: this.nameRef() }, tokOff);
          break;
        case TOK_PITARGET:
          this.push({ k: PITARGET, name: this.nameRef() }, tokOff);
          break;
        case TOK_PIDATA:
          this.push({ k: PIDATA, s: this.lenString('processing instruction data') }, tokOff);
          break;
        case TOK_TEMPLATE_INSTANCE:
          this.templateInstance(tokOff);
          break;
        case TOK_NORMAL_SUB:
        case TOK_OPTIONAL_SUB: {
          this.need(3, 'substitution');
          const idx = u16(b, this.pos);
          const t = b[this.pos + 2];
          this.pos += 3;
          if (!isKnownType(t)) throw new EvtxFormatError(`substitution: unknown value type 0x${t.toString(16)}`, tokOff);
          if (this.mode !== TEMPLATE) throw new EvtxFormatError('substitution outside a template definition', tokOff);
          this.push({ k: SUB, idx, t, opt: tok === TOK_OPTIONAL_SUB }, tokOff);
          break;
        }
        case TOK_FRAGMENT_HEADER:
          this.need(3, 'fragment header');
          this.pos += 3;
          break;
        default:
          throw new EvtxFormatError(`invalid BinXML token 0x${tok.toString(16).padStart(2, '0')}`, tokOff);
      }
    }
    return this.finish(this.pos);
  }

  private need(n: number, what: string): void {
    if (this.pos + n > this.b.length) {
      throw new EvtxFormatError(`${what}: needs ${n} bytes at chunk offset ${this.pos}, only ${Math.max(0, this.b.length - this.pos)} left`, this.pos);
    }
  }

  /** A u16 character count then that many UTF-16LE units. */
  private lenString(what: string): string {
    this.need(2, what);
    const n = u16(this.b, this.pos);
    this.pos += 2;
    this.need(n * 2, what);
    const s = utf16(this.b, this.pos, n);
    this.pos += n * 2;
    return s;
  }

  /** A name reference: a chunk offset, with the name stored inline when it points right here. */
  private nameRef(): string {
    this.need(4, 'name offset');
    const b = this.b;
    const off = u32(b, this.pos);
    this.pos += 4;
    if (off === this.pos) {
      this.need(8, 'inline name');
      const count = u16(b, this.pos + 6);
      this.need(8 + count * 2 + 2, 'inline name');
      this.pos += 8 + count * 2 + 2;
    }
    const name = this.chunk.name(off);
    if (this.ownStart >= 0 && (off < this.ownStart || off >= this.ownEnd)) this.borrowed.push([off, name]);
    return name;
  }

  private openStart(tok: number, tokOff: number): void {
    if (this.opening) throw new EvtxFormatError('element start inside another element start', tokOff);
    const b = this.b;
    this.need(6, 'element start');
    // Dependency id (2) then data size (4). Some writers omit the dependency id; a data size that
    // cannot fit in a chunk gives that away, and the fields are read again without it.
    if (u32(b, this.pos + 2) >= b.length) {
      if (u32(b, this.pos) >= b.length) throw new EvtxFormatError('element start: data size larger than the chunk', tokOff);
      this.pos += 4;
    } else {
      this.pos += 6;
    }
    const name = this.nameRef();
    if (tok & TOK_MORE) {
      this.need(4, 'attribute list size');
      this.pos += 4;
    }
    if (this.stack.length >= MAX_ELEMENT_DEPTH) throw new EvtxFormatError(`elements nested more than ${MAX_ELEMENT_DEPTH} deep`, tokOff);
    this.opening = { el: { k: ELEM, name, attrs: [], children: [], hasElementChild: false }, attr: null };
  }

  private closeAttr(): void {
    const o = this.opening!;
    // An attribute whose value is empty is dropped, as the crate does.
    if (o.attr && o.attr.nodes.length) o.el.attrs.push(o.attr);
    o.attr = null;
  }

  private finishOpening(tokOff: number): Element {
    if (!this.opening) throw new EvtxFormatError('element start closed with no element open', tokOff);
    this.closeAttr();
    const el = this.opening.el;
    this.opening = null;
    return el;
  }

  private closeStart(tokOff: number): void {
    this.stack.push(this.finishOpening(tokOff));
  }

  /** Adds a finished element (or template instance) to its parent, or makes it the root. */
  private attach(node: Element | Instance, tokOff: number): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) {
      parent.children.push(node);
      parent.hasElementChild = true;
    } else {
      this.roots.push(node);
    }
  }

  /** Adds a text-like node to the attribute being read, or to the open element. */
  private push(node: Node, tokOff: number): void {
    if (this.opening) {
      // Content between an element start and its first attribute has nowhere to go; dropped.
      if (this.opening.attr) this.opening.attr.nodes.push(node);
      return;
    }
    const parent = this.stack[this.stack.length - 1];
    if (!parent) throw new EvtxFormatError('content outside of any element', tokOff);
    parent.children.push(node);
  }

  private value(tokOff: number): void {
    this.need(1, 'value type');
    const b = this.b;
    const t = b[this.pos++];
    if (!isKnownType(t)) throw new EvtxFormatError(`value: unknown value type 0x${t.toString(16)}`, tokOff);
    const v = readValue(b, this.pos, t, -1, b.length);
    this.pos = valueCursor.end;
    if (t === T_BINXML) {
      if (this.opening) throw new EvtxFormatError('nested BinXML inside an attribute value', tokOff);
      const from = v as number;
      if (valueCursor.end === from) return;
      this.nested = true;
      for (const r of new Parser(this.chunk, this.depth + 1).fragment(from, valueCursor.end - from, RECORD)) this.attach(r, tokOff);
      return;
    }
    if (isStringType(t)) this.push({ k: TEXT, s: v as string }, tokOff);
    else this.push({ k: VAL, t, v }, tokOff);
  }

  private templateInstance(tokOff: number): void {
    if (this.mode !== RECORD) throw new EvtxFormatError('template instance inside a template definition', tokOff);
    if (this.opening) throw new EvtxFormatError('template instance inside an element start', tokOff);
    const b = this.b;
    this.need(9, 'template instance');
    const defOff = u32(b, this.pos + 5);
    this.pos += 9;
    if (defOff === this.pos) {
      // The definition follows inline (first use in the chunk): skip over it.
      this.need(TEMPLATE_HEADER_SIZE, 'template definition header');
      const size = u32(b, this.pos + 20);
      this.pos += TEMPLATE_HEADER_SIZE + size;
    }
    this.need(4, 'substitution count');
    const count = u32(b, this.pos);
    this.pos += 4;
    this.need(count * 4, `${count} substitution descriptors`);
    const descOff = this.pos;
    this.pos += count * 4;
    const types: number[] = new Array(count);
    const vals: unknown[] = new Array(count);
    let mayExpand = false;
    for (let i = 0; i < count; i++) {
      const size = u16(b, descOff + i * 4);
      const t = b[descOff + i * 4 + 2];
      if (!isKnownType(t)) {
        throw new EvtxFormatError(`substitution ${i}: unknown value type 0x${t.toString(16)}`, descOff + i * 4);
      }
      const start = this.pos;
      let v: unknown;
      if (t === T_NULL) {
        v = null;
      } else {
        try {
          v = readValue(b, start, t, size, b.length);
        } catch (e) {
          if (e instanceof EvtxFormatError) {
            throw new EvtxFormatError(`substitution ${i} (${typeName(t)}, ${size} bytes): ${e.message}`, e.offset);
          }
          throw e;
        }
        if (t === T_BINXML) {
          const from = v as number;
          const roots = size === 0 ? [] : new Parser(this.chunk, this.depth + 1).fragment(from, size, RECORD);
          // BinXML with no element (e.g. zeroed by damage) substitutes as nothing.
          v = roots.length ? roots : null;
        } else if (t & T_ARRAY && (v as unknown[]).length > 1) {
          mayExpand = true;
        }
      }
      types[i] = t;
      vals[i] = v;
      // Whatever the value read, the next one starts where the descriptor says.
      this.pos = start + size;
    }
    const tpl = this.chunk.template(defOff, this.depth);
    this.attach({ k: INST, tpl, types, vals, mayExpand }, tokOff);
  }

  private finish(at: number): (Element | Instance)[] {
    if (this.opening) throw new EvtxFormatError('BinXML ended inside an element start', at);
    if (this.stack.length) throw new EvtxFormatError(`BinXML ended with ${this.stack.length} element(s) still open`, at);
    return this.roots;
  }
}

