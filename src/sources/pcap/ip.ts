/**
 * IPv4 and IPv6 headers (with IPv6 extension headers) and fragment reassembly. The result is
 * the transport payload with the addresses and lengths the flow table needs.
 */

/** A decoded IP packet. Address text is made only when asked for (most packets never need it). */
export class IpPacket {
  private srcText?: string;
  private dstText?: string;
  constructor(
    readonly version: 4 | 6,
    /** Transport protocol after any IPv6 extension headers. */
    readonly proto: number,
    /** Total IP length from the header(s) (Zeek's ip_bytes counts this). */
    readonly ipLen: number,
    /** The buffer holding the transport header and payload, and where they are in it (captured part). */
    readonly l4buf: Buffer,
    readonly l4off: number,
    readonly l4end: number,
    /** Transport length the IP header announces (may exceed l4.length for truncated captures). */
    readonly l4Len: number,
    /** The buffer holding the header, and where the source and destination addresses are. */
    readonly raw: Buffer,
    readonly srcOff: number,
    readonly dstOff: number,
  ) {}

  private l4view?: Buffer;

  /** Transport header and payload as captured (bounded by the IP length); made on demand. */
  get l4(): Buffer {
    return (this.l4view ??= this.l4buf.subarray(this.l4off, this.l4end));
  }

  get l4CapLen(): number {
    return this.l4end - this.l4off;
  }

  get src(): string {
    return (this.srcText ??= this.version === 4 ? v4(this.raw, this.srcOff) : v6(this.raw, this.srcOff));
  }

  get dst(): string {
    return (this.dstText ??= this.version === 4 ? v4(this.raw, this.dstOff) : v6(this.raw, this.dstOff));
  }

  /** Source/destination address as a 32-bit number (IPv4 only). */
  srcNum(): number {
    return this.raw.readUInt32BE(this.srcOff);
  }

  dstNum(): number {
    return this.raw.readUInt32BE(this.dstOff);
  }
}

/** A packet, a reason it could not be decoded, or null for a fragment still waiting for its others. */
export type IpResult = IpPacket | string | null;

function v4(b: Buffer, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

/** RFC 5952 text form, as Zeek prints IPv6 addresses. */
export function v6(b: Buffer, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(b.readUInt16BE(o + i * 2));
  // IPv4-mapped addresses print with a dotted quad.
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return `::ffff:${v4(b, o + 12)}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (x: number) => x.toString(16);
  if (bestStart < 0) return w.map(hex).join(':');
  const left = w.slice(0, bestStart).map(hex).join(':');
  const right = w.slice(bestStart + bestLen).map(hex).join(':');
  return `${left}::${right}`;
}

interface FragBuffer {
  parts: Array<{ off: number; data: Buffer }>;
  total: number;
  header: Buffer;
  proto: number;
  first: number;
  bytes: number;
}

const FRAG_TIMEOUT = 60;
const MAX_FRAG_BYTES = 64 * 1024 * 1024;

/** IP fragment reassembly with a time-out and a memory cap. */
export class Reassembler {
  private table = new Map<string, FragBuffer>();
  private bytes = 0;
  private lastSweep = 0;
  /** Fragments dropped because of the cap or the time-out. */
  dropped = 0;

  /** Adds a fragment; returns the whole transport payload when it is complete. */
  add(key: string, ts: number, off: number, more: boolean, data: Buffer, proto: number, header: Buffer): Buffer | undefined {
    if (ts - this.lastSweep > 10) this.sweep(ts);
    let f = this.table.get(key);
    if (!f) {
      if (this.bytes + data.length > MAX_FRAG_BYTES) {
        this.dropped++;
        return undefined;
      }
      f = { parts: [], total: -1, header, proto, first: ts, bytes: 0 };
      this.table.set(key, f);
    }
    if (off + data.length > 65535 + 65535) return undefined;
    f.parts.push({ off, data: Buffer.from(data) });
    f.bytes += data.length;
    this.bytes += data.length;
    if (off === 0) {
      f.header = header;
      f.proto = proto;
    }
    if (!more) f.total = off + data.length;
    if (f.total < 0) return undefined;
    // Complete when the parts cover [0, total) without holes.
    f.parts.sort((a, b) => a.off - b.off);
    let covered = 0;
    for (const p of f.parts) {
      if (p.off > covered) return undefined;
      covered = Math.max(covered, p.off + p.data.length);
    }
    if (covered < f.total) return undefined;
    const out = Buffer.alloc(f.total);
    for (const p of f.parts) p.data.copy(out, p.off, 0, Math.min(p.data.length, f.total - p.off));
    this.table.delete(key);
    this.bytes -= f.bytes;
    return out;
  }

  private sweep(ts: number): void {
    this.lastSweep = ts;
    for (const [k, f] of this.table) {
      if (ts - f.first > FRAG_TIMEOUT) {
        this.table.delete(k);
        this.bytes -= f.bytes;
        this.dropped++;
      }
    }
  }

  get size(): number {
    return this.table.size;
  }
}

/** Parses the IP packet at `o`; fragments go through `frags` and come out when complete. */
export function decodeIp(b: Buffer, o: number, ts: number, frags: Reassembler, wireLen = b.length, validate = false): IpResult {
  const avail = b.length - o;
  if (avail < 1) return 'no IP header';
  const ver = b[o]! >> 4;
  if (ver === 4) {
    if (avail < 20) return `IPv4 header truncated (${avail} bytes)`;
    const ihl = (b[o]! & 0x0f) * 4;
    if (ihl < 20) return `IPv4 header length ${ihl} below 20`;
    if (avail < ihl) return 'IPv4 options truncated';
    let total = b.readUInt16BE(o + 2);
    // TSO captures write 0 in the total length: parse what was captured, but count the header's
    // value (0) as Zeek's ip_bytes does.
    const zeroLen = total === 0;
    if (zeroLen) {
      // Zeek keeps such packets only when it ignores checksums (TSO breaks those too).
      if (validate) return 'IPv4 total length 0 (segmentation offload)';
      total = avail;
    }
    // A length beyond the packet on the wire is damage (Zeek: truncated_IP_len); beyond the
    // captured part only is a short snap length, which is fine.
    if (!zeroLen && wireLen < o + total) return `IPv4 total length ${total} beyond the packet`;
    if (validate && !headerChecksumOk(b, o, ihl)) return 'bad IPv4 header checksum';
    if (total < ihl) return `IPv4 total length ${total} below header length ${ihl}`;
    const proto = b[o + 9]!;
    const fragField = b.readUInt16BE(o + 6);
    const more = (fragField & 0x2000) !== 0;
    const fragOff = (fragField & 0x1fff) * 8;
    const end = Math.min(b.length, o + total);
    let l4buf = b;
    let l4off = o + ihl;
    let l4end = end;
    let l4Len = total - ihl;
    if (more || fragOff > 0) {
      if (end - o < total) return 'truncated IPv4 fragment';
      const key = `4|${v4(b, o + 12)}|${v4(b, o + 16)}|${b.readUInt16BE(o + 4)}|${proto}`;
      const whole = frags.add(key, ts, fragOff, more, b.subarray(l4off, l4end), proto, b.subarray(o, o + ihl));
      if (!whole) return null;
      l4buf = whole;
      l4off = 0;
      l4end = whole.length;
      l4Len = whole.length;
      total = ihl + whole.length;
    }
    return new IpPacket(4, proto, zeroLen ? 0 : total, l4buf, l4off, l4end, l4Len, b, o + 12, o + 16);
  }
  if (ver === 6) {
    if (avail < 40) return `IPv6 header truncated (${avail} bytes)`;
    const plen = b.readUInt16BE(o + 4);
    let next = b[o + 6]!;
    // Jumbograms (payload length 0 with a hop-by-hop option) are read to the end of the capture.
    const total = plen === 0 && next === 0 ? avail : 40 + plen;
    if (wireLen < o + total) return `IPv6 payload length ${plen} beyond the packet`;
    const end = Math.min(b.length, o + total);
    let p = o + 40;
    let frag: { off: number; more: boolean; id: number } | undefined;
    for (let i = 0; i < 16; i++) {
      if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
        if (p + 2 > end) return 'IPv6 extension header truncated';
        const n = b[p]!;
        const len = (b[p + 1]! + 1) * 8;
        p += len;
        next = n;
        continue;
      }
      if (next === 51) {
        if (p + 2 > end) return 'IPv6 AH truncated';
        const n = b[p]!;
        p += (b[p + 1]! + 2) * 4;
        next = n;
        continue;
      }
      if (next === 44) {
        if (p + 8 > end) return 'IPv6 fragment header truncated';
        const n = b[p]!;
        const fo = b.readUInt16BE(p + 2);
        frag = { off: fo & 0xfff8, more: (fo & 1) === 1, id: b.readUInt32BE(p + 4) };
        p += 8;
        next = n;
        continue;
      }
      break;
    }
    if (p > end) return 'IPv6 extension headers overrun the packet';
    let l4buf = b;
    let l4off = p;
    let l4end = end;
    let l4Len = total - (p - o);
    let ipLen = total;
    if (frag && (frag.more || frag.off > 0)) {
      if (end - o < total) return 'truncated IPv6 fragment';
      const key = `6|${v6(b, o + 8)}|${v6(b, o + 24)}|${frag.id}`;
      const whole = frags.add(key, ts, frag.off, frag.more, b.subarray(l4off, l4end), next, b.subarray(o, p));
      if (!whole) return null;
      l4buf = whole;
      l4off = 0;
      l4end = whole.length;
      l4Len = whole.length;
      ipLen = p - o - 8 + whole.length;
    }
    return new IpPacket(6, next, ipLen, l4buf, l4off, l4end, l4Len, b, o + 8, o + 24);
  }
  return `IP version ${ver}`;
}

function headerChecksumOk(b: Buffer, o: number, ihl: number): boolean {
  let sum = 0;
  for (let i = 0; i < ihl; i += 2) sum += b.readUInt16BE(o + i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** Internet checksum over the pseudo-header and transport bytes: true when it verifies. */
export function transportChecksumOk(pkt: IpPacket): boolean {
  if (pkt.l4.length < pkt.l4Len) return true; // cannot check what was not captured
  let sum = 0;
  const add16 = (buf: Buffer) => {
    const n = buf.length & ~1;
    for (let i = 0; i < n; i += 2) sum += (buf[i]! << 8) | buf[i + 1]!;
    if (buf.length & 1) sum += buf[buf.length - 1]! << 8;
  };
  const alen = pkt.version === 4 ? 4 : 16;
  add16(pkt.raw.subarray(pkt.srcOff, pkt.srcOff + alen));
  add16(pkt.raw.subarray(pkt.dstOff, pkt.dstOff + alen));
  sum += pkt.proto;
  sum += pkt.l4Len;
  add16(pkt.l4.subarray(0, pkt.l4Len));
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}
