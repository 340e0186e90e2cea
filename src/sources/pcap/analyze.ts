/**
 * Packets in, Zeek-shaped records out: link layer → IP (fragments reassembled) → tunnels
 * (IP-in-IP, GRE incl. ERSPAN, VXLAN, Geneve, GTP-U, Teredo, GRE-over-UDP) → the connection table
 * → application analyzers (DNS, HTTP, TLS) chosen from content and ports. Payloads are never
 * kept beyond what a parser needs to find its next boundary.
 */
import type { ConnRow, DnsRow, FilesRow, HttpRow, NetworkRecord, SslRow, X509Row } from '../../normalize/zeek-rows.js';
import type { Packet } from './capture.js';
import { DnsAnalyzer } from './dns.js';
import { FlowTable, type App, type Conn, type FlowOptions, type PacketMeta, type TransportInfo } from './flows.js';
import { HttpAnalyzer, looksLikeHttpReply, looksLikeHttpRequest } from './http.js';
import { Reassembler, decodeIp, type IpPacket } from './ip.js';
import { decodeLink, ethernet, fromEthertype, fromPppProtocol, newL3, type L3 } from './link.js';
import { TlsAnalyzer, looksLikeTls } from './tls.js';
import { QuicAnalyzer, looksLikeQuicInitial } from './quic.js';
import { FtpAnalyzer, FtpDataAnalyzer } from './ftp.js';
import { StartTlsAnalyzer, lineProtocol } from './starttls.js';

export interface AnalyzerOptions extends FlowOptions {
  /** Report damaged packets and protocol violations here (offset of the packet in the file). */
  onError?: (offset: number, reason: string) => void;
}

const DNS_PORTS = new Set([53, 5353, 5355, 137]);
const HTTP_PORTS = new Set([80, 81, 631, 1080, 3128, 8000, 8080, 8888]);
const MAX_TUNNEL_DEPTH = 4;

/** Per-reason cap on reported protocol violations, so a hostile capture cannot flood the report. */
const MAX_REPORTS_PER_REASON = 50;

export class CaptureAnalyzer {
  readonly flows: FlowTable;
  private frags = new Reassembler();
  private out: NetworkRecord[] = [];
  private offset = 0;
  private reported = new Map<string, number>();
  private tunnelUids = new Map<string, string>();
  /** Data connections announced by FTP control connections: responder `host/port` → when. */
  private expected = new Map<string, number>();
  packets = 0;
  bytes = 0;
  private wireLen = 0;
  nonIp = 0;
  firstTs?: number;
  lastTs?: number;
  /** Counts of problems by reason (all of them, including those past the report cap). */
  problems = new Map<string, number>();

  constructor(private readonly opts: AnalyzerOptions = {}) {
    this.flows = new FlowTable(
      {
        attach: (conn) => this.attach(conn),
        conn: (row: ConnRow) => this.out.push({ log: 'conn', row }),
        error: (reason: string) => this.problem(reason),
      },
      opts,
    );
  }

  /** Records produced so far (and forgets them). */
  take(): NetworkRecord[] {
    const o = this.out;
    this.out = [];
    return o;
  }

  private problem(reason: string): void {
    const key = reason.replace(/\d+/g, 'N');
    const n = (this.problems.get(key) ?? 0) + 1;
    this.problems.set(key, n);
    const r = (this.reported.get(key) ?? 0) + 1;
    this.reported.set(key, r);
    if (r <= MAX_REPORTS_PER_REASON) this.opts.onError?.(this.offset, reason);
  }

  packet(p: Packet): void {
    this.packets++;
    this.bytes += p.data.length;
    this.offset = p.offset;
    if (this.firstTs === undefined || p.ts < this.firstTs) this.firstTs = p.ts;
    if (this.lastTs === undefined || p.ts > this.lastTs) this.lastTs = p.ts;
    try {
      const l3 = decodeLink(p.linktype, p.data);
      if (l3.version === 0) {
        if (l3.problem) this.problem(l3.problem);
        else this.nonIp++;
        return;
      }
      // The link-layer result carries the VLANs and the MAC position: it serves as the packet's metadata.
      this.wireLen = p.origlen;
      this.ip(p.ts, p.data, l3, l3, 0);
    } catch (e) {
      // A parser bug must not end the run: the packet is reported and reading goes on.
      this.problem(`packet not analysed: ${(e as Error).message.slice(0, 120)}`);
    }
  }

  private ip(ts: number, b: Buffer, l3: L3, meta: PacketMeta, depth: number): void {
    // The outer packet's wire length bounds its IP length; tunnelled packets are bounded by what carries them.
    const r = decodeIp(b, l3.offset, ts, this.frags, depth === 0 ? Math.max(this.wireLen, b.length) : b.length, this.opts.validateChecksums === true);
    if (typeof r === 'string') this.problem(r);
    else if (r) this.ipPacket(ts, r, meta, depth);
  }

  private ipPacket(ts: number, ip: IpPacket, meta: PacketMeta, depth: number): void {
    // IP-in-IP and GRE carry no connection of their own; their inner flows name the tunnel.
    if ((ip.proto === 4 || ip.proto === 41 || ip.proto === 47) && depth < MAX_TUNNEL_DEPTH) {
      if (this.ipTunnel(ts, ip, meta, depth)) return;
    }
    const conn = this.flows.packet(ts, ip, meta);
    if (!conn) {
      if (ip.proto === 6 || ip.proto === 17 || ip.proto === 1 || ip.proto === 58) this.problem(`${ip.proto === 6 ? 'TCP' : ip.proto === 17 ? 'UDP' : 'ICMP'} header truncated`);
      return;
    }
    if (ip.proto === 17 && depth < MAX_TUNNEL_DEPTH && !this.flows.lastDropped) this.udpTunnel(ts, conn, this.flows.lastTransport!, meta, depth);
  }

  private tunnelUid(key: string): string {
    let uid = this.tunnelUids.get(key);
    if (!uid) {
      uid = this.flows.newUid('C');
      if (this.tunnelUids.size > 100000) this.tunnelUids.clear();
      this.tunnelUids.set(key, uid);
    }
    return uid;
  }

  private inner(ts: number, b: Buffer, l3: L3, meta: PacketMeta, parent: string, depth: number): void {
    if (l3.version === 0) return;
    const m: PacketMeta = { ...meta, tunnelParents: [...(meta.tunnelParents ?? []), parent] };
    this.ip(ts, b, l3, m, depth + 1);
  }

  private ipTunnel(ts: number, ip: IpPacket, meta: PacketMeta, depth: number): boolean {
    const b = ip.l4;
    const key = `${ip.proto === 47 ? 'gre' : 'ip'}|${ip.src < ip.dst ? `${ip.src}|${ip.dst}` : `${ip.dst}|${ip.src}`}`;
    if (ip.proto === 4 || ip.proto === 41) {
      const l3 = newL3();
      l3.version = ip.proto === 4 ? 4 : 6;
      this.inner(ts, b, l3, meta, this.tunnelUid(key), depth);
      return true;
    }
    // GRE
    if (b.length < 4) return false;
    const f = b.readUInt16BE(0);
    const ver = f & 7;
    const proto = b.readUInt16BE(2);
    let p = 4;
    if (ver === 0) {
      if (f & 0x8000) p += 4;
      if (f & 0x2000) p += 4;
      if (f & 0x1000) p += 4;
    } else if (ver === 1) {
      p += 4;
      if (f & 0x1000) p += 4;
      if (f & 0x0080) p += 4;
    } else return false;
    if (p > b.length) return false;
    const uid = this.tunnelUid(key);
    const l3 = this.greInner(b, proto, p, f);
    if (l3) this.inner(ts, b, l3, meta, uid, depth);
    return true;
  }

  private greInner(b: Buffer, proto: number, p: number, flags: number): L3 | undefined {
    const out: L3 = newL3();
    switch (proto) {
      case 0x0800:
      case 0x86dd:
        return fromEthertype(b, proto, p, out);
      case 0x6558:
        return ethernet(b, p, out);
      case 0x88be:
        // ERSPAN type II has an 8-byte header when the sequence bit is set; type I has none.
        return ethernet(b, flags & 0x1000 ? p + 8 : p, out);
      case 0x22eb: {
        if (p + 12 > b.length) return undefined;
        const o = b[p + 11]! & 1;
        return ethernet(b, p + 12 + (o ? 8 : 0), out);
      }
      case 0x880b: {
        let q = p;
        if (b[q] === 0xff && b[q + 1] === 0x03) q += 2;
        if (q + 2 > b.length) return undefined;
        if (b[q]! & 1) return fromPppProtocol(b, b[q]!, q + 1, out);
        return fromPppProtocol(b, b.readUInt16BE(q), q + 2, out);
      }
      default:
        return fromEthertype(b, proto, p, out);
    }
  }

  private udpTunnel(ts: number, conn: Conn, t: TransportInfo, meta: PacketMeta, depth: number): void {
    const b = t.payload;
    if (b.length < 8) return;
    const sp = t.srcPort;
    const dp = t.dstPort;
    if (sp !== 4789 && dp !== 4789 && sp !== 6081 && dp !== 6081 && sp !== 2152 && dp !== 2152 && sp !== 3544 && dp !== 3544 && sp !== 4754 && dp !== 4754) return;
    const port = (n: number) => sp === n || dp === n;
    if (port(4789) && b.length >= 8 && b[0]! & 0x08) {
      conn.services.add('vxlan');
      this.inner(ts, b, ethernet(b, 8, newL3()), meta, conn.uid, depth);
      return;
    }
    if (port(6081) && b.length >= 8 && b[0]! >> 6 === 0) {
      const optLen = (b[0]! & 0x3f) * 4;
      const proto = b.readUInt16BE(2);
      const p = 8 + optLen;
      if (p > b.length) return;
      conn.services.add('geneve');
      const l3 = proto === 0x6558 ? ethernet(b, p, newL3()) : fromEthertype(b, proto, p, newL3());
      this.inner(ts, b, l3, meta, conn.uid, depth);
      return;
    }
    if (port(2152) && b.length >= 8 && b[0]! >> 5 === 1 && b[1] === 0xff) {
      let p = 8;
      if (b[0]! & 0x07) {
        p = 12;
        // Extension headers: length in 4-byte units, next type in the last byte.
        let next = b[11]!;
        while (next !== 0 && p < b.length) {
          const l = b[p]! * 4;
          if (l === 0) return;
          next = b[p + l - 1]!;
          p += l;
        }
      }
      if (p >= b.length) return;
      const v = b[p]! >> 4;
      if (v !== 4 && v !== 6) return;
      conn.services.add('gtpv1');
      const l3 = newL3();
      l3.version = v as 4 | 6;
      l3.offset = p;
      this.inner(ts, b, l3, meta, conn.uid, depth);
      return;
    }
    if (port(3544)) {
      // Teredo: optional authentication and origin-indication headers, then IPv6.
      let p = 0;
      if (b.length >= 4 && b[0] === 0 && b[1] === 1) {
        const idLen = b[2]!;
        const auLen = b[3]!;
        p = 4 + idLen + auLen + 9;
      }
      if (b.length >= p + 8 && b[p] === 0 && b[p + 1] === 0) p += 8;
      if (b.length >= p + 40 && b[p]! >> 4 === 6 && 40 + b.readUInt16BE(p + 4) <= b.length - p) {
        conn.services.add('teredo');
        const l3 = newL3();
        l3.version = 6;
        l3.offset = p;
        this.inner(ts, b, l3, meta, conn.uid, depth);
      }
      return;
    }
    if (port(4754) && b.length >= 4) {
      const proto = b.readUInt16BE(2);
      const l3 = this.greInner(b, proto, 4 + (b[0]! & 0x80 ? 4 : 0) + (b[0]! & 0x20 ? 4 : 0) + (b[0]! & 0x10 ? 4 : 0), b.readUInt16BE(0));
      if (l3) this.inner(ts, b, l3, meta, conn.uid, depth);
    }
  }

  private attach(conn: Conn): App | undefined {
    const onError = (reason: string) => this.problem(`${conn.uid}: ${reason}`.replace(/^C\w+: /, ''));
    const emitDns = (row: DnsRow) => this.out.push({ log: 'dns', row });
    if (conn.ipProto === 17) {
      if (DNS_PORTS.has(conn.respP) || DNS_PORTS.has(conn.origP)) return new DnsAnalyzer(conn, emitDns, onError);
      if (conn.respP === 123 || conn.origP === 123) return new ServiceSniffer(conn, 'ntp', (b) => b.length >= 48 && ((b[0]! >> 3) & 7) >= 1 && ((b[0]! >> 3) & 7) <= 4);
      if ((conn.respP === 67 || conn.respP === 68) && (conn.origP === 67 || conn.origP === 68)) return new ServiceSniffer(conn, 'dhcp', (b) => b.length >= 240 && b.readUInt32BE(236) === 0x63825363);
      if (conn.respP === 88 || conn.origP === 88) return new ServiceSniffer(conn, 'krb', (b) => b.length > 4 && [0x6a, 0x6b, 0x6c, 0x6d, 0x7e].includes(b[0]!));
      return new UdpDispatcher(conn, this, onError);
    }
    if (conn.ipProto !== 6) return undefined;
    const key = `${conn.respH}/${conn.respP}`;
    const exp = this.expected.get(key);
    if (exp !== undefined) {
      this.expected.delete(key);
      conn.services.add('ftp-data');
      return new FtpDataAnalyzer(conn, () => this.flows.newUid('F'), (row: FilesRow) => this.out.push({ log: 'files', row }));
    }
    if (conn.respP === 21 || conn.respP === 2811) return new FtpAnalyzer(conn, this);
    return new TcpDispatcher(conn, this, onError);
  }

  /** An FTP control connection announced a data connection to `host:port`. */
  expect(host: string, port: number, ts: number): void {
    if (this.expected.size > 10000) this.expected.clear();
    this.expected.set(`${host}/${port}`, ts);
  }

  /** Builders for the dispatcher. */
  makeHttp(conn: Conn, onError: (r: string) => void): HttpAnalyzer {
    return new HttpAnalyzer(conn, () => this.flows.newUid('F'), (row: HttpRow) => this.out.push({ log: 'http', row }), (row: FilesRow) => this.out.push({ log: 'files', row }), onError);
  }

  makeTls(conn: Conn, onError: (r: string) => void, ts: number): TlsAnalyzer {
    return new TlsAnalyzer(conn, (row: SslRow) => this.out.push({ log: 'ssl', row }), (row: X509Row) => this.out.push({ log: 'x509', row }), onError, ts);
  }

  makeDns(conn: Conn, onError: (r: string) => void): DnsAnalyzer {
    return new DnsAnalyzer(conn, (row: DnsRow) => this.out.push({ log: 'dns', row }), onError);
  }

  /** End of the capture: every connection still open is written. */
  finish(): NetworkRecord[] {
    try {
      this.flows.flushAll();
    } catch (e) {
      this.problem(`connections not all written: ${(e as Error).message.slice(0, 120)}`);
    }
    return this.take();
  }

  get portsForHttp(): Set<number> {
    return HTTP_PORTS;
  }
}

/** UDP on other ports: QUIC or DTLS when one of the first datagrams looks like it (STUN may come first). */
class UdpDispatcher implements App {
  private app?: App;
  private looked = 0;
  constructor(private readonly conn: Conn, private readonly a: CaptureAnalyzer, private readonly onError: (r: string) => void) {}
  data(isOrig: boolean, buf: Buffer, ts: number): void {
    if (!this.app && this.looked++ < 16) {
      if (looksLikeQuicInitial(buf)) {
        const tls = this.a.makeTls(this.conn, this.onError, ts);
        tls.quic = true;
        this.app = new QuicAnalyzer(this.conn, tls, this.onError);
      } else if (buf.length >= 25 && buf[0] === 22 && buf[1] === 0xfe && (buf[2] === 0xff || buf[2] === 0xfd || buf[2] === 0xfc) && buf[13] === 1) {
        const tls = this.a.makeTls(this.conn, this.onError, ts);
        tls.dtls = true;
        this.app = { data: (o: boolean, b: Buffer, t: number) => tls.datagram(o, b, t), done: (t: number) => tls.done(t) };
      }
    }
    this.app?.data(isOrig, buf, ts);
  }
  done(ts: number): void {
    this.app?.done(ts);
  }
}

/** Marks a UDP connection's service when a datagram fits the protocol. */
class ServiceSniffer implements App {
  constructor(private readonly conn: Conn, private readonly name: string, private readonly test: (b: Buffer) => boolean) {}
  data(_isOrig: boolean, buf: Buffer): void {
    if (!this.conn.services.has(this.name) && this.test(buf)) this.conn.services.add(this.name);
  }
  done(): void {}
}

/**
 * Chooses a TCP connection's analyzer from its first payload bytes (either direction) and its
 * ports, then forwards everything to it.
 */
class TcpDispatcher implements App {
  private app?: App;
  private decided = false;
  private early: Array<{ isOrig: boolean; buf: Buffer; ts: number }> = [];
  private earlyLen = 0;
  private seen: [Buffer | undefined, Buffer | undefined] = [undefined, undefined];

  constructor(private readonly conn: Conn, private readonly a: CaptureAnalyzer, private readonly onError: (r: string) => void) {}

  data(isOrig: boolean, buf: Buffer, ts: number): void {
    if (this.app) {
      this.app.data(isOrig, buf, ts);
      return;
    }
    if (this.decided) return;
    const i = isOrig ? 0 : 1;
    if (!this.seen[i]) this.seen[i] = Buffer.from(buf.subarray(0, 64));
    this.early.push({ isOrig, buf: Buffer.from(buf), ts });
    this.earlyLen += buf.length;
    this.decide(ts);
  }

  private decide(ts: number): void {
    const c = this.conn;
    const o = this.seen[0];
    const r = this.seen[1];
    let app: App | undefined;
    if ((o && looksLikeTls(o)) || (r && looksLikeTls(r) && !o)) app = this.a.makeTls(c, this.onError, ts);
    else if ((o && looksLikeHttpRequest(o)) || (r && looksLikeHttpReply(r) && (!o || this.a.portsForHttp.has(c.respP)))) app = this.a.makeHttp(c, this.onError);
    else if (c.respP === 53 || c.origP === 53) app = this.a.makeDns(c, this.onError);
    else {
      this.services(o, r);
      if (this.app) return;
      // Wait for the other side before giving up, within bounds.
      if ((o && r) || this.earlyLen > 4096) {
        this.decided = true;
        this.early = [];
      }
      return;
    }
    this.decided = true;
    this.app = app;
    const early = this.early;
    this.early = [];
    for (const e of early) app.data(e.isOrig, e.buf, e.ts);
  }

  /** Service names for protocols we recognise but do not log in detail (line protocols may turn into TLS). */
  private services(o: Buffer | undefined, r: Buffer | undefined): void {
    const s = (b: Buffer | undefined, t: string) => !!b && b.length >= t.length && b.toString('latin1', 0, t.length) === t;
    const c = this.conn;
    const line = lineProtocol(o, r, c.respP);
    if (line) {
      const app = new StartTlsAnalyzer(c, line, (ts) => this.a.makeTls(c, this.onError, ts));
      this.app = app;
      this.decided = true;
      const early = this.early;
      this.early = [];
      for (const e of early) app.data(e.isOrig, e.buf, e.ts);
      return;
    }
    if (s(o, 'SSH-') && s(r, 'SSH-')) c.services.add('ssh');
    else if (r && /^220[ -]/.test(r.toString('latin1', 0, 4))) {
      if (o && /^(USER|AUTH|FEAT|SYST) /i.test(o.toString('latin1', 0, 5))) c.services.add('ftp');
    } else if (o && o.length >= 5 && (c.respP === 88 || c.origP === 88) && (o[4] === 0x6a || o[4] === 0x6c) && r) c.services.add('krb_tcp');
    else if (o && o.length >= 16 && o[0] === 5 && o[1] === 0 && (o[2] === 11 || o[2] === 14) && r && r[0] === 5 && (r[2] === 12 || r[2] === 15)) c.services.add('dce_rpc');
    else if (o && o.length >= 8 && o[0] === 0 && (o[4] === 0xff || o[4] === 0xfe) && o.toString('latin1', 5, 8) === 'SMB' && r) c.services.add('smb');
  }

  gap(isOrig: boolean, len: number): void {
    this.app?.gap?.(isOrig, len);
  }

  done(ts: number): void {
    this.app?.done(ts);
  }
}
