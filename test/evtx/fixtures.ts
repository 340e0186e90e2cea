/**
 * Hand-built EVTX bytes for unit tests: a writer for BinXML tokens at known chunk offsets, a chunk
 * builder that lays records out and fills in the header and its CRCs, and a file wrapper. Small
 * enough to read next to MS-EVEN6 / libevtx's format notes.
 */
import { crc32 } from 'node:zlib';

export const T = {
  NULL: 0x00, STRING: 0x01, ANSI: 0x02, INT8: 0x03, UINT8: 0x04, INT16: 0x05, UINT16: 0x06, INT32: 0x07,
  UINT32: 0x08, INT64: 0x09, UINT64: 0x0a, REAL32: 0x0b, REAL64: 0x0c, BOOL: 0x0d, BINARY: 0x0e, GUID: 0x0f,
  SIZET: 0x10, FILETIME: 0x11, SYSTIME: 0x12, SID: 0x13, HEX32: 0x14, HEX64: 0x15, BINXML: 0x21, ARRAY: 0x80,
} as const;

export function utf16z(s: string): Buffer {
  return Buffer.from(s, 'utf16le');
}

/** Writes BinXML into a chunk buffer at absolute chunk offsets (names are stored inline). */
export class Writer {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  u8(v: number): this {
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  bytes(b: Uint8Array): this {
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }
  /** A name reference whose name follows inline (offset = position right after the offset). */
  name(s: string): this {
    this.u32(this.pos + 4);
    this.u32(0).u16(0).u16(s.length).bytes(utf16z(s)).u16(0);
    return this;
  }
  fragmentHeader(): this {
    return this.u8(0x0f).u8(1).u8(1).u8(0);
  }
  /** Open start element; `dependency` false writes the variant without dependency id. */
  open(name: string, hasAttrs = false, dependency = true): this {
    this.u8(hasAttrs ? 0x41 : 0x01);
    if (dependency) this.u16(0xffff);
    this.u32(0); // data size (not used by readers)
    this.name(name);
    if (hasAttrs) this.u32(0);
    return this;
  }
  attr(name: string): this {
    return this.u8(0x06).name(name);
  }
  closeStart(): this {
    return this.u8(0x02);
  }
  closeEmpty(): this {
    return this.u8(0x03);
  }
  end(): this {
    return this.u8(0x04);
  }
  eof(): this {
    return this.u8(0x00);
  }
  /** A `Value` token holding a UTF-16 string. */
  text(s: string): this {
    return this.u8(0x05).u8(T.STRING).u16(s.length).bytes(utf16z(s));
  }
  /** A `Value` token of a fixed-size type. */
  value(type: number, raw: Uint8Array): this {
    return this.u8(0x05).u8(type).bytes(raw);
  }
  sub(index: number, type: number, optional = false): this {
    return this.u8(optional ? 0x0e : 0x0d).u16(index).u8(type);
  }
  entity(name: string): this {
    return this.u8(0x09).name(name);
  }
  charRef(code: number): this {
    return this.u8(0x08).u16(code);
  }
  cdata(s: string): this {
    return this.u8(0x07).u16(s.length).bytes(utf16z(s));
  }
  piTarget(name: string): this {
    return this.u8(0x0a).name(name);
  }
  piData(s: string): this {
    return this.u8(0x0b).u16(s.length).bytes(utf16z(s));
  }
  /**
   * A template instance whose definition follows inline (written by `body`), then the values.
   * Each value is [type, bytes].
   */
  instance(body: (w: Writer) => void, values: [number, Uint8Array][], guidByte = 1): this {
    this.u8(0x0c).u8(1).u32(0x1234);
    const defOff = this.pos + 4;
    this.u32(defOff);
    // Definition header: next offset, GUID, data size (patched after the body is written).
    this.u32(0);
    this.bytes(Buffer.alloc(16, guidByte));
    const sizeAt = this.pos;
    this.u32(0);
    const start = this.pos;
    this.fragmentHeader();
    body(this);
    this.eof();
    this.buf.writeUInt32LE(this.pos - start, sizeAt);
    this.u32(values.length);
    for (const [t, b] of values) this.u16(b.length).u8(t).u8(0);
    for (const [, b] of values) this.bytes(b);
    return this;
  }
  /** A template instance reusing a definition already written at `defOff`. */
  instanceRef(defOff: number, values: [number, Uint8Array][]): this {
    this.u8(0x0c).u8(1).u32(0x1234).u32(defOff);
    this.u32(values.length);
    for (const [t, b] of values) this.u16(b.length).u8(t).u8(0);
    for (const [, b] of values) this.bytes(b);
    return this;
  }
}

/** FILETIME bytes for a UTC time in epoch milliseconds. */
export function filetime(ms: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE((BigInt(ms) + 11644473600000n) * 10000n);
  return b;
}

export interface BuiltRecord {
  id: number;
  /** Chunk offset of the record header. */
  offset: number;
}

/** Lays records out in one 64 KiB chunk and completes its header (record range, CRCs). */
export class ChunkBuilder {
  readonly buf = Buffer.alloc(65536);
  private pos = 512;
  readonly records: BuiltRecord[] = [];

  /** Adds a record whose BinXML is written by `body`; `sizeOverride` fakes a damaged size. */
  record(id: number, body: (w: Writer) => void, opts: { time?: number; sizeOverride?: number } = {}): BuiltRecord {
    const off = this.pos;
    const w = new Writer(this.buf, off + 24);
    body(w);
    let size = w.pos + 4 - off;
    size = (size + 7) & ~7;
    this.buf.writeUInt32LE(0x00002a2a, off);
    this.buf.writeUInt32LE(opts.sizeOverride ?? size, off + 4);
    this.buf.writeBigUInt64LE(BigInt(id), off + 8);
    filetime(opts.time ?? Date.UTC(2024, 0, 2, 3, 4, 5, 678)).copy(this.buf, off + 16);
    this.buf.writeUInt32LE(opts.sizeOverride ?? size, off + size - 4);
    this.pos = off + size;
    const r = { id, offset: off };
    this.records.push(r);
    return r;
  }

  /** Finishes the header; `freeSpace` may be set to fake damage. */
  finish(opts: { freeSpace?: number; noCrc?: boolean; lastRecordId?: number } = {}): Buffer {
    const b = this.buf;
    b.write('ElfChnk\0', 0, 'latin1');
    const first = this.records[0]?.id ?? 0;
    const last = opts.lastRecordId ?? this.records[this.records.length - 1]?.id ?? 0;
    b.writeBigUInt64LE(BigInt(first), 8);
    b.writeBigUInt64LE(BigInt(last), 16);
    b.writeBigUInt64LE(BigInt(first), 24);
    b.writeBigUInt64LE(BigInt(last), 32);
    b.writeUInt32LE(128, 40);
    b.writeUInt32LE(this.records[this.records.length - 1]?.offset ?? 512, 44);
    const free = opts.freeSpace ?? this.pos;
    b.writeUInt32LE(free, 48);
    if (opts.noCrc) {
      b.writeUInt32LE(4, 120);
    } else {
      b.writeUInt32LE(crc32(b.subarray(512, Math.min(free, 65536))), 52);
      b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
    }
    return b;
  }
}

/** A whole file: header (4096 bytes, CRC set) then the chunks. */
export function evtxFile(chunks: Buffer[]): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(Math.max(0, chunks.length - 1)), 16);
  h.writeBigUInt64LE(1n, 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}
