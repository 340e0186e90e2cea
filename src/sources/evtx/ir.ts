/**
 * The in-memory form of BinXML after token parsing: a small element tree whose leaves are text,
 * typed values, substitution placeholders (inside template definitions) and references. A record
 * is either a plain tree or, almost always, a template instance: a cached template tree plus this
 * record's substitution values. Renderers walk the template tree and resolve placeholders on the
 * fly, so a template is parsed once per chunk and never copied per record.
 */

/** Node kinds (numbers, so dispatch is one switch). */
export const ELEM = 1;
export const TEXT = 2;
export const VAL = 3;
export const SUB = 4;
export const ENTITY = 5;
export const CHARREF = 6;
export const CDATA = 7;
export const PITARGET = 8;
export const PIDATA = 9;
export const INST = 10;

export interface Attr {
  name: string;
  nodes: Node[];
}

export interface Element {
  k: typeof ELEM;
  name: string;
  attrs: Attr[];
  children: Node[];
  /** True when a child is an element or template instance (placeholders are checked at render time). */
  hasElementChild: boolean;
}

/** Literal text (a string value written into the template or record). */
export interface Text {
  k: typeof TEXT;
  s: string;
}

/** A typed literal value (non-string `Value` token). */
export interface Val {
  k: typeof VAL;
  t: number;
  v: unknown;
}

/** A substitution placeholder inside a template definition. */
export interface Sub {
  k: typeof SUB;
  idx: number;
  /** Declared value type (the instance's descriptor type is what counts when rendering). */
  t: number;
  /** Optional substitution (token 0x0e): omitted when its value is empty. */
  opt: boolean;
}

export interface EntityRef {
  k: typeof ENTITY;
  name: string;
}

export interface CharRef {
  k: typeof CHARREF;
  code: number;
}

export interface CData {
  k: typeof CDATA;
  s: string;
}

export interface PITarget {
  k: typeof PITARGET;
  name: string;
}

export interface PIData {
  k: typeof PIDATA;
  s: string;
}

/** A parsed template definition (cached per chunk by its offset). */
export interface Template {
  offset: number;
  guid: string;
  root: Element;
}

/** A template instance: the template plus this record's substitution values (parallel arrays). */
export interface Instance {
  k: typeof INST;
  tpl: Template;
  /** Value type per substitution (from the instance's descriptors). */
  types: number[];
  /** Decoded value per substitution; for BinXML (0x21) the fragment's top-level nodes, or null. */
  vals: unknown[];
  /** Some value is an array of more than one item (the containing element repeats). */
  mayExpand: boolean;
}

export type Node = Element | Text | Val | Sub | EntityRef | CharRef | CData | PITarget | PIData | Instance;

/** Value type codes (MS-EVEN6 2.2.18 / libevtx). */
export const T_NULL = 0x00;
export const T_STRING = 0x01;
export const T_ANSI = 0x02;
export const T_INT8 = 0x03;
export const T_UINT64 = 0x0a;
export const T_REAL32 = 0x0b;
export const T_REAL64 = 0x0c;
export const T_BOOL = 0x0d;
export const T_BINARY = 0x0e;
export const T_GUID = 0x0f;
export const T_SIZET = 0x10;
export const T_FILETIME = 0x11;
export const T_SYSTIME = 0x12;
export const T_SID = 0x13;
export const T_HEX32 = 0x14;
export const T_HEX64 = 0x15;
export const T_EVTHANDLE = 0x20;
export const T_BINXML = 0x21;
export const T_EVTXML = 0x23;
export const T_ARRAY = 0x80;

/** The crate's "optional-empty": what an optional substitution omits, and what renders as nothing. */
export function isEmptyValue(t: number, v: unknown): boolean {
  if (t === T_NULL) return true;
  if (t === T_STRING || t === T_ANSI || t === T_BINARY) return v === '';
  if (t === T_BINXML) return v === null;
  if (t & T_ARRAY) return (v as unknown[]).length === 0;
  return false;
}

/** Number of items when the value is an array that repeats its containing element, else 0. */
export function expandableLength(t: number, v: unknown): number {
  return t & T_ARRAY && Array.isArray(v) ? v.length : 0;
}
