/**
 * Byte-level helpers shared by every EVTX layer: little-endian reads straight from a Buffer, UTF-16LE
 * decoding, and the one error type the parser throws. Every read checks its bounds once, so a
 * damaged structure fails with the field, the offset and how many bytes it needed, never with a
 * stray RangeError.
 */

/** A parse failure: what was being read, where (offset in the buffer being parsed), and why. */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    /** Offset inside the chunk (or file header) where the failing field starts. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'EvtxFormatError';
  }
}

/** Throws a truncation error unless `need` bytes are available at `off`. */
export function need(buf: Uint8Array, off: number, need: number, what: string, end = buf.length): void {
  if (off < 0 || off + need > end) {
    throw new EvtxFormatError(`${what}: needs ${need} bytes at offset ${off}, only ${Math.max(0, end - off)} left`, off);
  }
}

export function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function u32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
}

export function i32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/** Unsigned 64-bit as a JS number (exact below 2^53, the nearest double above). */
export function u64n(b: Uint8Array, o: number): number {
  return u32(b, o + 4) * 0x100000000 + u32(b, o);
}

/** Unsigned 64-bit exactly, as a bigint. */
export function u64big(b: Uint8Array, o: number): bigint {
  return (BigInt(u32(b, o + 4)) << 32n) | BigInt(u32(b, o));
}

/** Signed 64-bit exactly, as a bigint. */
export function i64big(b: Uint8Array, o: number): bigint {
  return BigInt.asIntN(64, u64big(b, o));
}

/**
 * A 64-bit integer as the exact JS value Loupe hands out: a number when it fits in 2^53, else a
 * bigint (callers decide how to print it).
 */
export function u64exact(b: Uint8Array, o: number): number | bigint {
  const hi = u32(b, o + 4);
  if (hi < 0x200000) return hi * 0x100000000 + u32(b, o);
  return u64big(b, o);
}

export function i64exact(b: Uint8Array, o: number): number | bigint {
  const hi = i32(b, o + 4);
  if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + u32(b, o);
  return i64big(b, o);
}

/**
 * `count` UTF-16LE code units at `off`, cut at the first NUL (Windows pads and terminates strings
 * with NULs, which are never part of the value).
 */
export function utf16(buf: Buffer, off: number, count: number): string {
  if (count === 0) return '';
  const end = off + count * 2;
  for (let p = off; p < end; p += 2) {
    if (buf[p] === 0 && buf[p + 1] === 0) return p === off ? '' : buf.toString('utf16le', off, p);
  }
  return buf.toString('utf16le', off, end);
}

/** Windows-1252 bytes 0x80..0x9F; -1 marks bytes the code page leaves undefined. */
const CP1252_HIGH = [
  0x20ac, -1, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, -1, 0x017d, -1,
  -1, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, -1, 0x017e, 0x0178,
];

/**
 * An ANSI string in Windows-1252 (the evtx crate's default code page), NUL bytes dropped. Throws on
 * the five bytes the code page leaves undefined, as a strict decoder does.
 */
export function cp1252(buf: Uint8Array, off: number, len: number): string {
  let out = '';
  for (let i = off; i < off + len; i++) {
    const c = buf[i];
    if (c === 0) continue;
    if (c < 0x80 || c >= 0xa0) out += String.fromCharCode(c);
    else {
      const m = CP1252_HIGH[c - 0x80];
      if (m < 0) throw new EvtxFormatError(`ANSI string: byte 0x${c.toString(16)} undefined in windows-1252`, i);
      out += String.fromCharCode(m);
    }
  }
  return out;
}

const HEX_UPPER: string[] = [];
const HEX_LOWER_DIGITS = '0123456789abcdef';
for (let i = 0; i < 256; i++) HEX_UPPER.push((i < 16 ? '0' : '') + i.toString(16).toUpperCase());

/** Bytes as upper-case hex, two digits each (how the crate prints Binary values). */
export function hexUpper(buf: Uint8Array, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) s += HEX_UPPER[buf[i]];
  return s;
}

/** `0x` + lower-case hex without leading zeros (HexInt32/64 and size_t). */
export function hexPrefixed(v: number | bigint): string {
  if (typeof v === 'bigint') return '0x' + v.toString(16);
  if (v < 0x100000000) return '0x' + (v >>> 0).toString(16);
  let n: number = v;
  let s = '';
  while (n > 0) {
    const d: number = n % 16;
    s = HEX_LOWER_DIGITS[d] + s;
    n = (n - d) / 16;
  }
  return '0x' + s;
}

/** Two upper-case hex digits (GUID formatting). */
export function hex2(b: number): string {
  return HEX_UPPER[b];
}
