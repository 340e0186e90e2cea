/**
 * BinXML values: decoding each of the 40-odd value types from chunk bytes, and turning a decoded
 * value into text (XML content, JSON strings) or a JSON primitive the way the evtx crate does.
 *
 * Decoded forms: strings as JS strings; 8- to 32-bit integers as numbers; 64-bit integers as
 * numbers when exact, else bigints; booleans; reals as numbers; and the types the crate only ever
 * prints as text (binary, GUID, SID, times, hex integers, size_t) as their final text already, so
 * rendering them costs nothing. Arrays hold their items in the same forms.
 */
import * as bytes from './bytes.js';
import * as ir from './ir.js';
import * as time from './time.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, cp1252, hex2, hexPrefixed, hexUpper, i32, i64exact, u16, u32, u64exact, utf16 } = bytes;
const { T_ANSI, T_ARRAY, T_BINARY, T_BINXML, T_BOOL, T_EVTHANDLE, T_EVTXML, T_NULL, T_REAL32, T_REAL64, T_SID, T_SIZET, T_STRING } = ir;
const { filetimeText, systemtimeText } = time;

const TYPE_NAMES: Record<number, string> = {
  0x00: 'Null', 0x01: 'String', 0x02: 'AnsiString', 0x03: 'Int8', 0x04: 'UInt8', 0x05: 'Int16', 0x06: 'UInt16',
  0x07: 'Int32', 0x08: 'UInt32', 0x09: 'Int64', 0x0a: 'UInt64', 0x0b: 'Real32', 0x0c: 'Real64', 0x0d: 'Bool',
  0x0e: 'Binary', 0x0f: 'Guid', 0x10: 'SizeT', 0x11: 'FileTime', 0x12: 'SysTime', 0x13: 'Sid', 0x14: 'HexInt32',
  0x15: 'HexInt64', 0x20: 'EvtHandle', 0x21: 'BinXml', 0x23: 'EvtXml',
};

/** Whether `t` is a value type the format defines (unknown types make the token invalid). */
export function isKnownType(t: number): boolean {
  if (t <= 0x15 || t === 0x20 || t === 0x21 || t === 0x23) return true;
  return t >= 0x81 && t <= 0x95;
}

export function typeName(t: number): string {
  if (t & T_ARRAY) return (TYPE_NAMES[t & 0x7f] ?? `0x${(t & 0x7f).toString(16)}`) + 'Array';
  return TYPE_NAMES[t] ?? `0x${t.toString(16)}`;
}

/** Fixed item width per scalar type (0 = variable or not an array item type). */
const WIDTH: Record<number, number> = {
  0x03: 1, 0x04: 1, 0x05: 2, 0x06: 2, 0x07: 4, 0x08: 4, 0x09: 8, 0x0a: 8, 0x0b: 4, 0x0c: 8, 0x0d: 4,
  0x0f: 16, 0x11: 8, 0x12: 16, 0x14: 4, 0x15: 8,
};

function check(buf: Uint8Array, off: number, n: number, what: string, end: number): void {
  if (off + n > end) {
    throw new EvtxFormatError(`${what}: needs ${n} bytes at chunk offset ${off}, only ${Math.max(0, end - off)} left`, off);
  }
}

export function guidText(b: Uint8Array, o: number): string {
  return (
    hex2(b[o + 3]) + hex2(b[o + 2]) + hex2(b[o + 1]) + hex2(b[o]) + '-' +
    hex2(b[o + 5]) + hex2(b[o + 4]) + '-' + hex2(b[o + 7]) + hex2(b[o + 6]) + '-' +
    hex2(b[o + 8]) + hex2(b[o + 9]) + '-' +
    hex2(b[o + 10]) + hex2(b[o + 11]) + hex2(b[o + 12]) + hex2(b[o + 13]) + hex2(b[o + 14]) + hex2(b[o + 15])
  );
}

/** SID length at `o` (8 + 4 per sub-authority), checked against `end`. */
function sidLength(b: Uint8Array, o: number, end: number): number {
  check(b, o, 8, 'SID', end);
  const len = 8 + b[o + 1] * 4;
  check(b, o, len, 'SID', end);
  return len;
}

export function sidText(b: Uint8Array, o: number): string {
  const count = b[o + 1];
  // The identifier authority is a 48-bit big-endian number.
  const authority = b[o + 2] * 2 ** 40 + b[o + 3] * 2 ** 32 + ((b[o + 4] << 24) >>> 0) + (b[o + 5] << 16) + (b[o + 6] << 8) + b[o + 7];
  let s = `S-${b[o]}-${authority}`;
  for (let i = 0; i < count; i++) s += '-' + u32(b, o + 8 + i * 4);
  return s;
}

/** Shortest text that reads back as the same float32 (what Rust's float formatting prints). */
function real32Text(v: number): string {
  if (!Number.isFinite(v)) return realSpecial(v);
  for (let p = 1; p <= 9; p++) {
    const s = v.toPrecision(p);
    if (Math.fround(Number(s)) === v) return rustFloat(Number(s));
  }
  return rustFloat(v);
}

function realSpecial(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'inf' : '-inf';
}

/** Shortest round-trip digits in ryu style: `1.0`, `0.1`, `1e21`, `1.5e-7`. */
function rustFloat(v: number): string {
  if (!Number.isFinite(v)) return realSpecial(v);
  let s = String(v);
  if (s.includes('e')) s = s.replace('e+', 'e');
  else if (!s.includes('.')) s += '.0';
  return s;
}

/** Reads one scalar item of fixed-width type `t` at `o` (bounds already checked). */
function scalar(b: Buffer, o: number, t: number): unknown {
  switch (t) {
    case 0x03: return (b[o] << 24) >> 24;
    case 0x04: return b[o];
    case 0x05: return (u16(b, o) << 16) >> 16;
    case 0x06: return u16(b, o);
    case 0x07: return i32(b, o);
    case 0x08: return u32(b, o);
    case 0x09: return i64exact(b, o);
    case 0x0a: return u64exact(b, o);
    case 0x0b: return b.readFloatLE(o);
    case 0x0c: return b.readDoubleLE(o);
    // Irregular booleans (anything but 0 and 1) read as "not zero", as the crate does.
    case 0x0d: return i32(b, o) !== 0;
    case 0x0f: return guidText(b, o);
    case 0x11: return filetimeText(b, o);
    case 0x12: return systemtimeText(b, o);
    case 0x14: return hexPrefixed(u32(b, o));
    case 0x15: return hexPrefixed(u64exact(b, o));
    default: throw new EvtxFormatError(`value type ${typeName(t)} is not a fixed-width type`, o);
  }
}

/** Where the last `readValue` ended (shared state keeps the hot path free of tuple allocations). */
export const valueCursor = { end: 0 };

/**
 * Decodes a value of type `t` at `off`. `size` is the descriptor size for substitution values, or
 * -1 for a `Value` token (strings then carry their own length). BinXML values come back as the
 * raw byte range [start, end) in `valueCursor.end` / the returned start offset; callers parse them.
 */
export function readValue(b: Buffer, off: number, t: number, size: number, end: number): unknown {
  const sized = size >= 0;
  switch (t) {
    case T_NULL:
      valueCursor.end = off;
      return null;
    case T_STRING: {
      if (sized) {
        if (size & 1) throw new EvtxFormatError(`String value: odd size ${size}`, off);
        check(b, off, size, 'String value', end);
        valueCursor.end = off + size;
        return utf16(b, off, size >> 1);
      }
      check(b, off, 2, 'String value length', end);
      const n = u16(b, off);
      check(b, off + 2, n * 2, 'String value', end);
      valueCursor.end = off + 2 + n * 2;
      return utf16(b, off + 2, n);
    }
    case T_ANSI: {
      if (!sized) throw new EvtxFormatError('AnsiString value without a size', off);
      check(b, off, size, 'AnsiString value', end);
      valueCursor.end = off + size;
      return cp1252(b, off, size);
    }
    case T_BINARY: {
      if (!sized) throw new EvtxFormatError('Binary value without a size', off);
      check(b, off, size, 'Binary value', end);
      valueCursor.end = off + size;
      return hexUpper(b, off, size);
    }
    case T_SID: {
      const len = sidLength(b, off, end);
      valueCursor.end = off + len;
      return sidText(b, off);
    }
    case T_SIZET: {
      // size_t prints as a hex integer of its width (4 or 8 bytes).
      if (size === 4) {
        check(b, off, 4, 'SizeT value', end);
        valueCursor.end = off + 4;
        return hexPrefixed(u32(b, off));
      }
      if (size === 8) {
        check(b, off, 8, 'SizeT value', end);
        valueCursor.end = off + 8;
        return hexPrefixed(u64exact(b, off));
      }
      throw new EvtxFormatError(`SizeT value with size ${size} (expected 4 or 8)`, off);
    }
    case T_BINXML: {
      // The raw fragment; the caller parses it (it may itself hold a template instance).
      let start = off;
      let len = size;
      if (!sized) {
        check(b, off, 2, 'BinXml value length', end);
        len = u16(b, off);
        start = off + 2;
      }
      check(b, start, len, 'BinXml value', end);
      valueCursor.end = start + len;
      return start;
    }
    case T_EVTHANDLE:
    case T_EVTXML:
      throw new EvtxFormatError(`value type ${typeName(t)} is not supported`, off);
    default:
      break;
  }
  if (t & T_ARRAY) {
    if (!sized) throw new EvtxFormatError(`${typeName(t)} value without a size`, off);
    check(b, off, size, `${typeName(t)} value`, end);
    valueCursor.end = off + size;
    return readArray(b, off, t & 0x7f, size);
  }
  const w = WIDTH[t];
  if (!w) throw new EvtxFormatError(`value type ${typeName(t)} is not supported`, off);
  check(b, off, w, `${typeName(t)} value`, end);
  valueCursor.end = off + w;
  return scalar(b, off, t);
}

function readArray(b: Buffer, off: number, item: number, size: number): unknown[] {
  const end = off + size;
  const out: unknown[] = [];
  if (item === T_STRING) {
    // NUL-terminated strings one after another.
    let p = off;
    while (p < end) {
      let q = p;
      while (q + 1 < end && !(b[q] === 0 && b[q + 1] === 0)) q += 2;
      if (q + 1 >= end) throw new EvtxFormatError('StringArray item: missing NUL terminator', p);
      out.push(b.toString('utf16le', p, q));
      p = q + 2;
    }
    return out;
  }
  if (item === T_SID) {
    let p = off;
    while (p < end) {
      const len = sidLength(b, p, end);
      out.push(sidText(b, p));
      p += len;
    }
    return out;
  }
  const w = WIDTH[item];
  if (!w || item === T_SIZET) throw new EvtxFormatError(`${typeName(item | T_ARRAY)} values are not supported`, off);
  if (size % w) throw new EvtxFormatError(`${typeName(item | T_ARRAY)}: size ${size} is not a multiple of ${w}`, off);
  for (let p = off; p < end; p += w) out.push(scalar(b, p, item));
  return out;
}

/** The value as text: XML content, JSON string content, attribute values. */
export function valueText(t: number, v: unknown): string {
  switch (t) {
    case T_NULL:
      return '';
    case T_BOOL:
      return v ? 'true' : 'false';
    case T_REAL32:
      return real32Text(v as number);
    case T_REAL64:
      return rustFloat(v as number);
    case T_BINXML:
    case T_EVTHANDLE:
    case T_EVTXML:
      throw new EvtxFormatError(`${typeName(t)} value in a text context`, 0);
    default:
      break;
  }
  if (t & T_ARRAY) {
    const item = t & 0x7f;
    const arr = v as unknown[];
    let s = '';
    for (let i = 0; i < arr.length; i++) s += (i ? ',' : '') + valueText(item, arr[i]);
    return s;
  }
  return typeof v === 'string' ? v : String(v);
}

/** True for the types the crate writes as JSON numbers or booleans (integers and Bool). */
export function isJsonPrimitive(t: number): boolean {
  return (t >= 0x03 && t <= 0x0a) || t === T_BOOL;
}

/** The JSON form of a value: integers and booleans as themselves, everything else as text. */
export function valueJson(t: number, v: unknown): unknown {
  if (isJsonPrimitive(t)) return typeof v === 'bigint' ? Number(v) : v;
  return valueText(t, v);
}

/** Types the renderers treat as text nodes rather than typed values. */
export function isStringType(t: number): boolean {
  return t === T_STRING || t === T_ANSI;
}

