/**
 * pcap and pcapng files as a stream of packets, read chunk by chunk (never the whole file).
 *
 * pcap: 24-byte global header (magic a1b2c3d4 µs or a1b23c4d ns, in either byte order), then
 * 16-byte record headers. pcapng: blocks (SHB, IDB, EPB, SPB, obsolete PB); each section has its
 * own byte order; each interface its own link type, time resolution and offset.
 *
 * A damaged record (length beyond reason, block lengths that disagree) is reported with its
 * byte offset; for pcap the reader then looks for the next plausible record header, for pcapng
 * for the next block that parses.
 */
import type { Readable } from 'node:stream';

export interface Packet {
  /** Capture time, epoch seconds (float, µs precision is kept for ns captures too). */
  ts: number;
  linktype: number;
  /** The captured bytes. Valid only until the next packet is requested. */
  data: Buffer;
  /** Length on the wire. */
  origlen: number;
  /** Byte offset of the record in the file. */
  offset: number;
  /** pcapng interface id (0 for pcap). */
  iface: number;
}

export interface CaptureErrors {
  error(offset: number, reason: string): void;
}

export type CaptureFormat = 'pcap' | 'pcapng';

/** Recognises a capture from its first four bytes. */
export function captureFormat(head: Buffer): CaptureFormat | undefined {
  if (head.length < 4) return undefined;
  const m = head.readUInt32BE(0);
  if (m === 0xa1b2c3d4 || m === 0xd4c3b2a1 || m === 0xa1b23c4d || m === 0x4d3cb2a1) return 'pcap';
  if (m === 0x0a0d0d0a) return 'pcapng';
  return undefined;
}

/** Largest record we accept; anything larger is damage (the biggest real link MTU is 256 KiB). */
const MAX_RECORD = 0x40000 * 4;

/**
 * A growable window over the stream: `need(n)` makes sure `n` bytes from `pos` are buffered.
 * Bytes before `pos` are dropped when more are read, so memory is one chunk plus one record.
 */
class Window {
  buf: Buffer = Buffer.alloc(0);
  pos = 0;
  /** File offset of buf[0]. */
  base = 0;
  done = false;
  private it: AsyncIterator<Buffer>;
  constructor(stream: Readable) {
    this.it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  get offset(): number {
    return this.base + this.pos;
  }
  avail(): number {
    return this.buf.length - this.pos;
  }
  async need(n: number): Promise<boolean> {
    while (this.buf.length - this.pos < n) {
      if (this.done) return false;
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        return false;
      }
      const chunk = r.value as Buffer;
      const rest = this.buf.length - this.pos;
      if (rest === 0) {
        this.base += this.buf.length;
        this.buf = chunk;
      } else {
        this.base += this.pos;
        this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      }
      this.pos = 0;
    }
    return true;
  }
}

/** Packets one by one (convenient; `readCaptureBatches` is the fast path). */
export async function* readCapture(stream: Readable, errors: CaptureErrors): AsyncGenerator<Packet> {
  for await (const batch of readCaptureBatches(stream, errors)) yield* batch;
}

/**
 * Packets in batches: every record already buffered is parsed synchronously, so the per-packet
 * cost of an async step is paid once per chunk instead. Packet data stays valid after the batch
 * (buffers are never reused).
 */
export async function* readCaptureBatches(stream: Readable, errors: CaptureErrors): AsyncGenerator<Packet[]> {
  const w = new Window(stream);
  if (!(await w.need(4))) {
    errors.error(0, 'file shorter than a capture header');
    return;
  }
  const fmt = captureFormat(w.buf.subarray(w.pos, w.pos + 4));
  if (fmt === 'pcap') yield* readPcap(w, errors);
  else if (fmt === 'pcapng') yield* readPcapng(w, errors);
  else errors.error(0, 'not a pcap or pcapng file');
}

async function* readPcap(w: Window, errors: CaptureErrors): AsyncGenerator<Packet[]> {
  let batch: Packet[] = [];
  if (!(await w.need(24))) {
    errors.error(0, 'pcap global header truncated (needs 24 bytes)');
    return;
  }
  const magic = w.buf.readUInt32BE(w.pos);
  const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
  const nano = magic === 0xa1b23c4d || magic === 0x4d3cb2a1;
  const u32 = (b: Buffer, o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const snaplen = u32(w.buf, w.pos + 16);
  const linktype = u32(w.buf, w.pos + 20) & 0x0fffffff;
  const limit = Math.max(snaplen > 0 && snaplen < MAX_RECORD ? snaplen : 0, 0x40000);
  const div = nano ? 1e9 : 1e6;
  w.pos += 24;
  let lastTs = 0;
  for (;;) {
    if (w.avail() < 16 && batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (!(await w.need(16))) {
      if (w.avail() > 0) errors.error(w.offset, `record header truncated (${w.avail()} of 16 bytes)`);
      return;
    }
    const b = w.buf;
    const p = w.pos;
    const sec = u32(b, p);
    const frac = u32(b, p + 4);
    const incl = u32(b, p + 8);
    const orig = u32(b, p + 12);
    if (incl > limit || frac >= div) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      errors.error(w.offset, incl > limit ? `record length ${incl} beyond snaplen ${limit}` : `record time fraction ${frac} out of range`);
      // Resynchronise: look for the next header whose fields are plausible.
      if (!(await resyncPcap(w, u32, limit, div, lastTs))) return;
      continue;
    }
    if (w.avail() < 16 + incl && batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (!(await w.need(16 + incl))) {
      errors.error(w.offset, `record truncated (${w.avail() - 16} of ${incl} bytes)`);
      return;
    }
    const offset = w.offset;
    const data = w.buf.subarray(w.pos + 16, w.pos + 16 + incl);
    w.pos += 16 + incl;
    lastTs = sec;
    batch.push({ ts: sec + frac / div, linktype, data, origlen: Math.max(orig, incl), offset, iface: 0 });
  }
}

async function resyncPcap(w: Window, u32: (b: Buffer, o: number) => number, limit: number, div: number, lastSec: number): Promise<boolean> {
  w.pos += 1;
  for (;;) {
    if (!(await w.need(16))) return false;
    const b = w.buf;
    const end = b.length - 16;
    for (let p = w.pos; p <= end; p++) {
      const sec = u32(b, p);
      const frac = u32(b, p + 4);
      const incl = u32(b, p + 8);
      const orig = u32(b, p + 12);
      if (frac < div && incl > 0 && incl <= limit && orig >= incl && orig < MAX_RECORD && (lastSec === 0 || Math.abs(sec - lastSec) < 86400 * 30)) {
        w.pos = p;
        return true;
      }
    }
    w.pos = end + 1;
  }
}

interface Iface {
  linktype: number;
  /** Units per second of the timestamps. */
  units: number;
  offsetSec: number;
}

async function* readPcapng(w: Window, errors: CaptureErrors): AsyncGenerator<Packet[]> {
  let batch: Packet[] = [];
  let le = true;
  let ifaces: Iface[] = [];
  for (;;) {
    if (w.avail() < 12 && batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (!(await w.need(12))) {
      if (w.avail() > 0) errors.error(w.offset, `block header truncated (${w.avail()} bytes left)`);
      return;
    }
    let b = w.buf;
    let p = w.pos;
    const typeBE = b.readUInt32BE(p);
    if (typeBE === 0x0a0d0d0a) {
      // Section header: its byte-order magic decides the order of everything in the section.
      const bom = b.readUInt32BE(p + 8);
      if (bom === 0x1a2b3c4d) le = false;
      else if (bom === 0x4d3c2b1a) le = true;
      else {
        if (batch.length > 0) {
          yield batch;
          batch = [];
        }
        errors.error(w.offset, 'section header with a bad byte-order magic');
        if (!(await resyncPcapng(w, le))) return;
        continue;
      }
      ifaces = [];
    }
    const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
    const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
    const type = u32(p);
    const len = u32(p + 4);
    if (len < 12 || len % 4 !== 0 || len > MAX_RECORD + 64) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      errors.error(w.offset, `block length ${len} is invalid`);
      if (!(await resyncPcapng(w, le))) return;
      continue;
    }
    if (w.avail() < len && batch.length > 0) {
      yield batch;
      batch = [];
    }
    if (!(await w.need(len))) {
      errors.error(w.offset, `block truncated (${w.avail()} of ${len} bytes)`);
      return;
    }
    b = w.buf;
    p = w.pos;
    const offset = w.offset;
    if (u32(p + len - 4) !== len) {
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      errors.error(offset, `block trailing length ${u32(p + len - 4)} differs from ${len}`);
      if (!(await resyncPcapng(w, le))) return;
      continue;
    }
    w.pos += len;
    switch (type) {
      case 0x00000001: {
        // Interface description: link type, then options (if_tsresol = 9, if_tsoffset = 14).
        if (len < 20) {
          errors.error(offset, 'interface description block too short');
          break;
        }
        const iface: Iface = { linktype: u16(p + 8), units: 1e6, offsetSec: 0 };
        let o = p + 16;
        const end = p + len - 4;
        while (o + 4 <= end) {
          const code = u16(o);
          const olen = u16(o + 2);
          if (code === 0) break;
          if (o + 4 + olen > end) {
            errors.error(offset, `interface option ${code} overruns its block`);
            break;
          }
          if (code === 9 && olen >= 1) {
            const r = b[o + 4]!;
            const exp = r & 0x7f;
            iface.units = r & 0x80 ? 2 ** Math.min(exp, 63) : 10 ** Math.min(exp, 18);
          } else if (code === 14 && olen >= 8) {
            iface.offsetSec = Number(le ? b.readBigInt64LE(o + 4) : b.readBigInt64BE(o + 4));
          }
          o += 4 + ((olen + 3) & ~3);
        }
        ifaces.push(iface);
        break;
      }
      case 0x00000006:
      case 0x00000002: {
        // Enhanced packet block (6) or the obsolete packet block (2).
        if (len < 32) {
          errors.error(offset, 'packet block too short');
          break;
        }
        const id = type === 6 ? u32(p + 8) : u16(p + 8);
        const hi = u32(p + 12);
        const lo = u32(p + 16);
        const cap = u32(p + 20);
        const orig = u32(p + 24);
        if (28 + cap > len - 4) {
          errors.error(offset, `captured length ${cap} overruns its block of ${len}`);
          break;
        }
        const iface = ifaces[id];
        if (!iface) {
          errors.error(offset, `packet on undeclared interface ${id}`);
          break;
        }
        const raw = hi * 4294967296 + lo;
        const ts = Math.floor(raw / iface.units) + (raw % iface.units) / iface.units + iface.offsetSec;
        batch.push({ ts, linktype: iface.linktype, data: b.subarray(p + 28, p + 28 + cap), origlen: Math.max(orig, cap), offset, iface: id });
        break;
      }
      case 0x00000003: {
        // Simple packet block: interface 0, no time stamp.
        const iface = ifaces[0];
        if (!iface) {
          errors.error(offset, 'simple packet before any interface');
          break;
        }
        const orig = u32(p + 8);
        const cap = Math.min(orig, len - 16);
        batch.push({ ts: 0, linktype: iface.linktype, data: b.subarray(p + 12, p + 12 + cap), origlen: orig, offset, iface: 0 });
        break;
      }
      default:
        // Name resolution, statistics, custom blocks: nothing for us.
        break;
    }
  }
}

async function resyncPcapng(w: Window, le: boolean): Promise<boolean> {
  // Look for the next block header of a known type whose trailing length agrees.
  w.pos += 4;
  for (;;) {
    if (!(await w.need(12))) return false;
    const b = w.buf;
    const p = w.pos;
    const type = le ? b.readUInt32LE(p) : b.readUInt32BE(p);
    const len = le ? b.readUInt32LE(p + 4) : b.readUInt32BE(p + 4);
    if ((type === 6 || type === 1 || type === 0x0a0d0d0a || type === 3 || type === 5) && len >= 12 && len % 4 === 0 && len <= MAX_RECORD) {
      if (!(await w.need(len))) return false;
      const bb = w.buf;
      const q = w.pos;
      if ((le ? bb.readUInt32LE(q + len - 4) : bb.readUInt32BE(q + len - 4)) === len) return true;
    }
    w.pos += 4;
  }
}
