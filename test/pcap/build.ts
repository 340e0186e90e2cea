/** Builders for small hand-made captures in tests: Ethernet/IPv4/TCP/UDP frames, pcap and pcapng files. */

function csum(buf: Buffer): number {
  let s = 0;
  for (let i = 0; i + 1 < buf.length; i += 2) s += buf.readUInt16BE(i);
  if (buf.length & 1) s += buf[buf.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

const ip4 = (a: string) => Buffer.from(a.split('.').map(Number));

export function ipv4(src: string, dst: string, proto: number, payload: Buffer, opts: { id?: number; frag?: number } = {}): Buffer {
  const h = Buffer.alloc(20);
  h[0] = 0x45;
  h.writeUInt16BE(20 + payload.length, 2);
  h.writeUInt16BE(opts.id ?? 1, 4);
  h.writeUInt16BE(opts.frag ?? 0, 6);
  h[8] = 64;
  h[9] = proto;
  ip4(src).copy(h, 12);
  ip4(dst).copy(h, 16);
  h.writeUInt16BE(csum(h), 10);
  return Buffer.concat([h, payload]);
}

function pseudo(src: string, dst: string, proto: number, len: number): Buffer {
  const p = Buffer.alloc(12);
  ip4(src).copy(p, 0);
  ip4(dst).copy(p, 4);
  p[9] = proto;
  p.writeUInt16BE(len, 10);
  return p;
}

export const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 };

export function tcp(src: string, sp: number, dst: string, dp: number, seq: number, ack: number, flags: number, payload = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(sp, 0);
  h.writeUInt16BE(dp, 2);
  h.writeUInt32BE(seq >>> 0, 4);
  h.writeUInt32BE(ack >>> 0, 8);
  h[12] = 5 << 4;
  h[13] = flags;
  h.writeUInt16BE(65535, 14);
  const seg = Buffer.concat([h, payload]);
  seg.writeUInt16BE(csum(Buffer.concat([pseudo(src, dst, 6, seg.length), seg])), 16);
  return ipv4(src, dst, 6, seg);
}

export function udp(src: string, sp: number, dst: string, dp: number, payload: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(sp, 0);
  h.writeUInt16BE(dp, 2);
  h.writeUInt16BE(8 + payload.length, 4);
  const seg = Buffer.concat([h, payload]);
  seg.writeUInt16BE(csum(Buffer.concat([pseudo(src, dst, 17, seg.length), seg])) || 0xffff, 6);
  return ipv4(src, dst, 17, seg);
}

export function eth(ip: Buffer, vlan?: number): Buffer {
  const macs = Buffer.from('0a0000000002' + '0a0000000001', 'hex');
  if (vlan === undefined) return Buffer.concat([macs, Buffer.from([0x08, 0x00]), ip]);
  const tag = Buffer.alloc(4);
  tag.writeUInt16BE(0x8100, 0);
  tag.writeUInt16BE(vlan, 2);
  return Buffer.concat([macs, tag, Buffer.from([0x08, 0x00]), ip]);
}

export interface Frame {
  ts: number;
  data: Buffer;
  iface?: number;
}

export function pcap(frames: Frame[], opts: { nano?: boolean; bigEndian?: boolean; linktype?: number } = {}): Buffer {
  const be = opts.bigEndian ?? false;
  const w32 = (b: Buffer, v: number, o: number) => (be ? b.writeUInt32BE(v >>> 0, o) : b.writeUInt32LE(v >>> 0, o));
  const w16 = (b: Buffer, v: number, o: number) => (be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  const g = Buffer.alloc(24);
  w32(g, opts.nano ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  w16(g, 2, 4);
  w16(g, 4, 6);
  w32(g, 65535, 16);
  w32(g, opts.linktype ?? 1, 20);
  const parts: Buffer[] = [g];
  for (const f of frames) {
    const h = Buffer.alloc(16);
    const sec = Math.floor(f.ts);
    const frac = Math.round((f.ts - sec) * (opts.nano ? 1e9 : 1e6));
    w32(h, sec, 0);
    w32(h, frac, 4);
    w32(h, f.data.length, 8);
    w32(h, f.data.length, 12);
    parts.push(h, f.data);
  }
  return Buffer.concat(parts);
}

function block(type: number, body: Buffer): Buffer {
  const pad = (4 - (body.length % 4)) % 4;
  const len = 12 + body.length + pad;
  const b = Buffer.alloc(len);
  b.writeUInt32LE(type, 0);
  b.writeUInt32LE(len, 4);
  body.copy(b, 8);
  b.writeUInt32LE(len, len - 4);
  return b;
}

/** pcapng with one IDB per entry of `ifaces` (link type, tsresol exponent of 10). */
export function pcapng(frames: Frame[], ifaces: Array<{ linktype: number; tsresol?: number }>): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const parts: Buffer[] = [Buffer.concat([Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]), (() => { const l = Buffer.alloc(4); l.writeUInt32LE(28); return l; })(), shb, (() => { const l = Buffer.alloc(4); l.writeUInt32LE(28); return l; })()])];
  for (const i of ifaces) {
    const body = Buffer.alloc(8 + (i.tsresol !== undefined ? 8 : 0) + 4);
    body.writeUInt16LE(i.linktype, 0);
    body.writeUInt32LE(65535, 4);
    if (i.tsresol !== undefined) {
      body.writeUInt16LE(9, 8);
      body.writeUInt16LE(1, 10);
      body[12] = i.tsresol;
    }
    parts.push(block(1, body));
  }
  for (const f of frames) {
    const id = f.iface ?? 0;
    const units = 10 ** (ifaces[id]!.tsresol ?? 6);
    const t = BigInt(Math.round(f.ts * units));
    const body = Buffer.alloc(20 + f.data.length);
    body.writeUInt32LE(id, 0);
    body.writeUInt32LE(Number(t >> 32n), 4);
    body.writeUInt32LE(Number(t & 0xffffffffn), 8);
    body.writeUInt32LE(f.data.length, 12);
    body.writeUInt32LE(f.data.length, 16);
    f.data.copy(body, 20);
    parts.push(block(6, body));
  }
  return Buffer.concat(parts);
}

/** A DNS query or response for `name` A (hand-built). */
export function dnsMessage(id: number, name: string, answer?: { ip: string; ttl: number }): Buffer {
  const q = Buffer.concat([...name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0, 0, 1, 0, 1])]);
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(answer ? 0x8180 : 0x0100, 2);
  h.writeUInt16BE(1, 4);
  h.writeUInt16BE(answer ? 1 : 0, 6);
  const parts: Buffer[] = [h, q];
  if (answer) {
    const a = Buffer.alloc(16);
    a.writeUInt16BE(0xc00c, 0);
    a.writeUInt16BE(1, 2);
    a.writeUInt16BE(1, 4);
    a.writeUInt32BE(answer.ttl, 6);
    a.writeUInt16BE(4, 10);
    ip4(answer.ip).copy(a, 12);
    parts.push(a);
  }
  return Buffer.concat(parts);
}

/** A whole HTTP exchange over TCP: handshake, GET, 200 with a body, FIN both ways. */
export function httpSession(t0: number, body: string): Frame[] {
  const c = '10.0.0.1';
  const s = '93.184.216.34';
  const req = Buffer.from('GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test-agent\r\n\r\n');
  const rep = Buffer.from(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\nContent-Type: text/html\r\n\r\n${body}`);
  let i = 0;
  const f = (data: Buffer): Frame => ({ ts: t0 + 0.01 * i++, data: eth(data) });
  return [
    f(tcp(c, 40000, s, 80, 1000, 0, F.SYN)),
    f(tcp(s, 80, c, 40000, 5000, 1001, F.SYN | F.ACK)),
    f(tcp(c, 40000, s, 80, 1001, 5001, F.ACK)),
    f(tcp(c, 40000, s, 80, 1001, 5001, F.ACK | F.PSH, req)),
    f(tcp(s, 80, c, 40000, 5001, 1001 + req.length, F.ACK | F.PSH, rep)),
    f(tcp(c, 40000, s, 80, 1001 + req.length, 5001 + rep.length, F.ACK | F.FIN)),
    f(tcp(s, 80, c, 40000, 5001 + rep.length, 1002 + req.length, F.ACK | F.FIN)),
    f(tcp(c, 40000, s, 80, 1002 + req.length, 5002 + rep.length, F.ACK)),
  ];
}
