/**
 * The connection table, with Zeek's connection semantics: who is the originator, the TCP
 * endpoint state machine (TCPSessionAdapter), sizes from sequence numbers, the history letters,
 * conn_state, connection reuse, and the timers that end connections (TCP attempt 5 s, close
 * linger 5 s, inactivity: TCP 5 min, UDP and ICMP 1 min). A connection is written once, when it
 * ends or at the end of the capture; memory holds live connections only.
 */
import type { ConnRow } from '../../normalize/zeek-rows.js';
import { DgramState, TcpState, tcpConnState, udpConnState } from './conn-state.js';
import type { IpPacket } from './ip.js';
import { transportChecksumOk } from './ip.js';
import { TcpReassembler } from './reassembly.js';
import { mac } from './link.js';

export const TIMEOUTS = {
  tcpInactivity: 300,
  udpInactivity: 60,
  icmpInactivity: 60,
  tcpAttempt: 5,
  tcpCloseDelay: 5,
  tcpLinger: 5,
};

/** An application-layer analyzer attached to one connection. */
export interface App {
  /** In-order stream bytes (TCP) or one datagram (UDP). */
  data(isOrig: boolean, buf: Buffer, ts: number): void;
  /** Bytes of the stream that were never seen (TCP content gap). */
  gap?(isOrig: boolean, len: number): void;
  /** The connection ends (removed from the table): flush what is pending. */
  done(ts: number): void;
}

export interface FlowSink {
  /** A new connection: return the analyzers to attach (may be none). */
  attach(conn: Conn): App | undefined;
  /** A finished connection's row. */
  conn(row: ConnRow, conn: Conn): void;
  /** A problem to report (analyzer failures). */
  error?(reason: string): void;
}

export interface PacketMeta {
  vlan?: number;
  innerVlan?: number;
  l2src?: string;
  l2dst?: string;
  /** The frame and the offset of its Ethernet header: MAC text is made only for new connections. */
  frame?: Buffer;
  l2off?: number;
  tunnelParents?: string[];
}

/** Ports of the analyzers Zeek loads by default (likely_server_ports): they decide who is the originator when the first packet does not. */
const SERVER_TCP = new Set([
  21, 2811, 22, 23, 25, 587, 53, 80, 81, 631, 1080, 3128, 8000, 8080, 8888, 443, 563, 585, 614, 636, 989, 990, 992, 993, 994, 995,
  5223, 110, 143, 6666, 6667, 6668, 6669, 88, 139, 445, 135, 3306, 3389, 502, 20000, 389, 3268, 5222, 5269, 1723, 1883, 5432, 6379,
  9200, 2049, 111, 513, 514, 543, 544, 524,
]);
const SERVER_UDP = new Set([53, 137, 138, 5353, 5355, 67, 68, 123, 161, 162, 514, 1812, 5060, 3544, 2152, 2123, 4789, 6081, 5072, 88, 389, 443, 4754, 111, 2049, 69, 500, 4500, 1194, 3478]);

export function isLikelyServerPort(proto: number, port: number): boolean {
  return proto === 6 ? SERVER_TCP.has(port) : proto === 17 ? SERVER_UDP.has(port) : false;
}

/** ICMP "ports": the type, and the counterpart type (or the code for one-way messages). */
function icmpCounterpart(v6: boolean, type: number, code: number): { port: number; oneWay: boolean } {
  const pairs4: Record<number, number> = { 8: 0, 0: 8, 13: 14, 14: 13, 15: 16, 16: 15, 10: 9, 9: 10, 17: 18, 18: 17 };
  const pairs6: Record<number, number> = { 128: 129, 129: 128, 133: 134, 134: 133, 135: 136, 136: 135, 130: 131, 131: 130, 139: 140, 140: 139, 144: 145, 145: 144 };
  const c = (v6 ? pairs6 : pairs4)[type];
  return c === undefined ? { port: code, oneWay: true } : { port: c, oneWay: false };
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Zeek-looking unique ids (`C` + 17 base-62 characters), reproducible for a given seed. */
export class UidGenerator {
  private s: number;
  constructor(seed = 0x2545f491) {
    this.s = seed >>> 0 || 1;
  }
  next(prefix = 'C'): string {
    let out = prefix;
    for (let i = 0; i < 17; i++) {
      // xorshift32
      let x = this.s;
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      this.s = x >>> 0;
      out += B62[this.s % 62];
    }
    return out;
  }
}

/** 32-bit sequence difference a - b, signed. */
function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

const TOO_LARGE_SEQ_DELTA = 1048576;

const H_SYN = 1;
const H_FIN = 2;
const H_RST = 4;
const H_DATA = 8;
const H_ACK = 16;
const H_MULTI = 32;
const H_FINRST = 64;

export class Endpoint {
  state: TcpState = TcpState.INACTIVE;
  prevState: TcpState = TcpState.INACTIVE;
  startSeq = 0;
  /** last_seq and ack_seq as absolute 32-bit values and as 64-bit offsets from startSeq. */
  lastSeq = 0;
  lastRel = 0;
  ackSeq = 0;
  ackRel = 0;
  finCnt = 0;
  rstCnt = 0;
  didClose = false;
  histSeen = 0;
  histLastSyn = -1;
  histLastFin = -1;
  histLastRst = -1;
  rxmit = 0;
  rxmitThresh = 1;
  zeroWin = 0;
  zeroWinThresh = 1;
  badSum = 0;
  badSumThresh = 1;
  gaps = 0;
  gapsThresh = 1;
  windowScale = 0;
  reasm?: TcpReassembler;
  constructor(readonly isOrig: boolean) {}

  setState(s: TcpState): void {
    this.prevState = this.state;
    this.state = s;
  }

  initSeqs(start: number, last: number): void {
    this.startSeq = start >>> 0;
    this.ackSeq = start >>> 0;
    this.ackRel = 0;
    this.lastSeq = last >>> 0;
    this.lastRel = seqDelta(last, start);
  }

  updateLast(seq: number): void {
    const d = seqDelta(seq, this.lastSeq);
    this.lastSeq = seq >>> 0;
    this.lastRel += d;
  }

  updateAck(seq: number): void {
    const d = seqDelta(seq, this.ackSeq);
    this.ackSeq = seq >>> 0;
    this.ackRel += d;
  }

  /** Relative position of an absolute sequence number (may be negative). */
  rel(seq: number): number {
    return this.lastRel + seqDelta(seq, this.lastSeq);
  }

  noDataAcked(): boolean {
    return this.ackRel === 0 || this.ackRel === 1;
  }

  /** Bytes sent, from the sequence space (TCP_Endpoint::Size). */
  size(peer: Endpoint): number {
    if (this.prevState === TcpState.SYN_SENT && this.state === TcpState.RESET && peer.state === TcpState.INACTIVE && !this.noDataAcked()) return 0;
    let size = this.lastRel > this.ackRel ? this.lastRel : this.ackRel;
    if (size > 0) size--;
    if (this.finCnt > 0 && size > 0) size--;
    return size;
  }

  isActive(): boolean {
    return this.state !== TcpState.INACTIVE && !this.didClose;
  }
}

export class Conn {
  uid: string;
  origH: string;
  origP: number;
  respH: string;
  respP: number;
  readonly ipProto: number;
  readonly proto: 'tcp' | 'udp' | 'icmp' | 'unknown_transport';
  start: number;
  last: number;
  history = '';
  histSeen = 0;
  services = new Set<string>();
  origPkts = 0;
  origIpBytes = 0;
  respPkts = 0;
  respIpBytes = 0;
  missedBytes = 0;
  meta: PacketMeta;
  app?: App;
  /** TCP */
  orig = new Endpoint(true);
  resp = new Endpoint(false);
  isPartial = false;
  firstPacketSeen = 0;
  /** Time after which the connection is removed (close delay, attempt timer), if set. */
  removeAt = Infinity;
  attemptAt = Infinity;
  /** UDP / ICMP payload bytes each way (-1 = endpoint silent). */
  origSize = -1;
  respSize = -1;
  /** Where the connection sits in the table. */
  key: string;
  /** The originator's IPv4 address as a number (-1 for IPv6), for quick direction checks. */
  origNum = -1;
  /** Set when the row has been written. */
  finished = false;

  constructor(uid: string, key: string, proto: number, src: string, sp: number, dst: string, dp: number, ts: number, meta: PacketMeta) {
    this.uid = uid;
    this.key = key;
    this.ipProto = proto;
    this.proto = proto === 6 ? 'tcp' : proto === 17 ? 'udp' : proto === 1 || proto === 58 ? 'icmp' : 'unknown_transport';
    this.origH = src;
    this.origP = sp;
    this.respH = dst;
    this.respP = dp;
    this.start = ts;
    this.last = ts;
    this.meta = meta;
  }

  addHistory(code: string): void {
    if (this.history.length < 256) this.history += code;
  }

  /** Adds the letter the first time this kind of event happens (upper case for the originator). */
  checkHistory(mask: number, code: string, isOrig: boolean): boolean {
    const m = isOrig ? mask : mask << 8;
    if ((this.histSeen & m) === 0) {
      this.histSeen |= m;
      this.addHistory(isOrig ? code : code.toLowerCase());
      return false;
    }
    return true;
  }

  /** Letters logged at the 1st, 10th, 100th... occurrence. */
  scaled(ep: Endpoint, kind: 'rxmit' | 'zeroWin' | 'badSum' | 'gaps', code: string): void {
    const countKey = kind;
    const threshKey = `${kind}Thresh` as 'rxmitThresh' | 'zeroWinThresh' | 'badSumThresh' | 'gapsThresh';
    ep[countKey]++;
    if (ep[countKey] === ep[threshKey]) {
      this.addHistory(ep.isOrig ? code : code.toLowerCase());
      ep[threshKey] *= 10;
    }
  }

  /** The responder's IPv4 address as a number (-1 for IPv6). */
  respNum = -1;

  flipRoles(): void {
    [this.origNum, this.respNum] = [this.respNum, this.origNum];
    [this.origH, this.respH] = [this.respH, this.origH];
    [this.origP, this.respP] = [this.respP, this.origP];
    [this.origPkts, this.respPkts] = [this.respPkts, this.origPkts];
    [this.origIpBytes, this.respIpBytes] = [this.respIpBytes, this.origIpBytes];
    [this.origSize, this.respSize] = [this.respSize, this.origSize];
    const t = this.orig;
    this.orig = this.resp;
    this.resp = t;
    (this.orig as { isOrig: boolean }).isOrig = true;
    (this.resp as { isOrig: boolean }).isOrig = false;
    this.histSeen = ((this.histSeen & 0xff) << 8) | ((this.histSeen >> 8) & 0xff);
    this.addHistory('^');
    this.firstPacketSeen = ((this.firstPacketSeen & 1) << 1) | ((this.firstPacketSeen & 2) >> 1);
    this.isPartial = false;
  }

  row(): ConnRow {
    const r: ConnRow = {
      ts: this.start,
      uid: this.uid,
      'id.orig_h': this.origH,
      'id.orig_p': this.origP,
      'id.resp_h': this.respH,
      'id.resp_p': this.respP,
      proto: this.proto,
    };
    if (this.services.size > 0) r.service = [...this.services].sort().join(',');
    const duration = this.last - this.start;
    if (duration > 0) {
      r.duration = Math.round(duration * 1e6) / 1e6;
      if (this.ipProto === 6) {
        r.orig_bytes = this.orig.size(this.resp);
        r.resp_bytes = this.resp.size(this.orig);
      } else {
        r.orig_bytes = Math.max(this.origSize, 0);
        r.resp_bytes = Math.max(this.respSize, 0);
      }
    }
    if (this.ipProto === 6) {
      r.conn_state = tcpConnState({ orig: this.orig.state, resp: this.resp.state, origSize: this.orig.size(this.resp), respSize: this.resp.size(this.orig), history: this.history });
    } else if (this.ipProto === 17) {
      r.conn_state = udpConnState(this.origSize >= 0 ? DgramState.ACTIVE : DgramState.INACTIVE, this.respSize >= 0 ? DgramState.ACTIVE : DgramState.INACTIVE);
    } else {
      r.conn_state = 'OTH';
    }
    r.local_orig = isPrivateAddress(this.origH);
    r.local_resp = isPrivateAddress(this.respH);
    r.missed_bytes = this.missedBytes;
    if (this.history !== '') r.history = this.history;
    r.orig_pkts = this.origPkts;
    r.orig_ip_bytes = this.origIpBytes;
    r.resp_pkts = this.respPkts;
    r.resp_ip_bytes = this.respIpBytes;
    if (this.meta.tunnelParents && this.meta.tunnelParents.length > 0) r.tunnel_parents = [...this.meta.tunnelParents];
    if (this.meta.l2src) r.orig_l2_addr = this.meta.l2src;
    if (this.meta.l2dst) r.resp_l2_addr = this.meta.l2dst;
    if (this.meta.vlan !== undefined) r.vlan = this.meta.vlan;
    if (this.meta.innerVlan !== undefined) r.inner_vlan = this.meta.innerVlan;
    r.ip_proto = this.ipProto;
    return r;
  }
}

export interface FlowOptions {
  /** Verify TCP/UDP/ICMP checksums as Zeek does without -C (default: ignore, like `zeek -C`). */
  validateChecksums?: boolean;
  uidSeed?: number;
}

/** The transport header of one packet (one class, so every packet's info has the same shape). */
export class TransportInfo {
  constructor(
    readonly srcPort: number,
    readonly dstPort: number,
    readonly hdrLen: number,
    /** Payload as captured, and its length on the wire. */
    readonly payload: Buffer,
    readonly payloadLen: number,
    /** TCP */
    readonly seq: number | undefined = undefined,
    readonly ack: number | undefined = undefined,
    readonly flags: number | undefined = undefined,
    readonly win: number | undefined = undefined,
    /** ICMP */
    readonly icmpType: number | undefined = undefined,
    readonly icmpCode: number | undefined = undefined,
  ) {}
}

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;

/** Parses the transport header; undefined when it is truncated. */
const EMPTY = Buffer.alloc(0);

export function parseTransport(ip: IpPacket): TransportInfo | undefined | 'short' {
  if (ip.proto === 6) {
    // Read the TCP header in place: most packets carry no payload and need no view of their own.
    const r = ip.l4buf;
    const o = ip.l4off;
    const cap = ip.l4end - o;
    if (cap < 20) return 'short';
    const off = (r[o + 12]! >> 4) * 4;
    if (off < 20 || off > cap) return 'short';
    return new TransportInfo(
      r.readUInt16BE(o),
      r.readUInt16BE(o + 2),
      off,
      cap > off ? r.subarray(o + off, ip.l4end) : EMPTY,
      Math.max(0, ip.l4Len - off),
      r.readUInt32BE(o + 4),
      r.readUInt32BE(o + 8),
      r[o + 13]!,
      r.readUInt16BE(o + 14),
    );
  }
  const b = ip.l4;
  if (ip.proto === 17) {
    if (b.length < 8) return 'short';
    const ulen = b.readUInt16BE(4);
    // A UDP length beyond the IP payload is not trusted; below 8 it is damage.
    const plen = Math.max(0, Math.min(ulen >= 8 ? ulen : ip.l4Len, ip.l4Len) - 8);
    return new TransportInfo(b.readUInt16BE(0), b.readUInt16BE(2), 8, b.subarray(8, 8 + plen), plen);
  }
  if (ip.proto === 1 || ip.proto === 58) {
    if (b.length < 4) return 'short';
    const type = b[0]!;
    const code = b[1]!;
    const cp = icmpCounterpart(ip.proto === 58, type, code);
    return new TransportInfo(type, cp.port, 8, b.subarray(Math.min(8, b.length)), Math.max(0, ip.l4Len - 8), undefined, undefined, undefined, undefined, type, code);
  }
  return new TransportInfo(0, 0, 0, b, ip.l4Len);
}

/**
 * The table key of a 5-tuple, the same both ways. IPv4 keys are 7 UTF-16 units made from the
 * numbers (cheap to build and hash); IPv6 keys are text.
 */
export function flowKey(ip: IpPacket, sp: number, dp: number): string {
  if (ip.version === 4) {
    const s = ip.srcNum();
    const d = ip.dstNum();
    const first = s < d || (s === d && sp <= dp);
    const a = first ? s : d;
    const b = first ? d : s;
    return String.fromCharCode(ip.proto, a >>> 16, a & 0xffff, first ? sp : dp, b >>> 16, b & 0xffff, first ? dp : sp);
  }
  const a = `${ip.src}/${sp}`;
  const b = `${ip.dst}/${dp}`;
  return `${ip.proto}|${a < b ? `${a}|${b}` : `${b}|${a}`}`;
}

/**
 * Zeek's Site::private_address_space, which current Zeek uses as the local networks unless told
 * otherwise: local_orig / local_resp say whether an address falls in it.
 */
const PRIVATE_V4: Array<[number, number]> = [
  [0x00000000, 8], [0x0a000000, 8], [0x64400000, 10], [0x7f000000, 8], [0xa9fe0000, 16], [0xac100000, 12], [0xc0000000, 24],
  [0xc0000200, 24], [0xc0a80000, 16], [0xe0000000, 24], [0xef000000, 8], [0xc6120000, 15], [0xc6336400, 24], [0xcb007100, 24], [0xf0000000, 4], [0xffffffff, 32],
];

export function isPrivateAddress(ip: string): boolean {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (m) {
    const n = ((Number(m[1]) << 24) | (Number(m[2]) << 16) | (Number(m[3]) << 8) | Number(m[4])) >>> 0;
    return PRIVATE_V4.some(([net, bits]) => (bits === 0 ? true : (n >>> (32 - bits)) === (net >>> (32 - bits))));
  }
  const v = ip.toLowerCase();
  if (v === '::' || v === '::1') return true;
  if (v.startsWith('::ffff:')) return isPrivateAddress(v.slice(7));
  // 2001::/23 (IANA special purpose, Teredo among them), unique-local, link-local, documentation.
  const m6 = /^2001:([0-9a-f]{0,4}):/.exec(v) ?? (/^2001::/.test(v) ? ['', '0'] : null);
  if (m6 && parseInt(m6[1] || '0', 16) < 0x200) return true;
  return /^f[cd][0-9a-f]{0,2}:/.test(v) || /^fe[89ab][0-9a-f]?:/.test(v) || v.startsWith('2001:db8:') || v.startsWith('64:ff9b:1:') || /^100::/.test(v);
}

/** Zeek reports content gaps only between cleanly established endpoints. */
function isClean(e: Endpoint): boolean {
  return e.state === TcpState.ESTABLISHED || (e.state === TcpState.CLOSED && e.prevState === TcpState.ESTABLISHED);
}

export class FlowTable {
  private table = new Map<string, Conn>();
  private uids: UidGenerator;
  private lastSweep = -Infinity;
  now = 0;
  /** Largest number of live connections seen at once. */
  peakLive = 0;
  constructor(private readonly sink: FlowSink, private readonly opts: FlowOptions = {}) {
    this.uids = new UidGenerator(opts.uidSeed);
  }

  get live(): number {
    return this.table.size;
  }

  newUid(prefix = 'C'): string {
    return this.uids.next(prefix);
  }

  /** Feeds one IP packet; returns the connection it belongs to (for tunnel decapsulation), or undefined. */
  /** The transport header of the last packet given to `packet`, and whether it was dropped. */
  lastTransport?: TransportInfo;
  lastDropped = false;

  packet(ts: number, ip: IpPacket, meta: PacketMeta): Conn | undefined {
    if (ts > this.now) this.now = ts;
    if (this.now - this.lastSweep >= 10) this.sweep(this.now);
    const t = parseTransport(ip);
    if (t === undefined || t === 'short') return undefined;
    // Like Zeek, the key is the inner 5-tuple only: a flow that changes tunnels stays one connection.
    const key = flowKey(ip, t.srcPort, t.dstPort);
    let conn = this.table.get(key);
    if (conn && this.expired(conn, ts, ip, t)) {
      this.finish(conn, Math.min(ts, conn.last));
      conn = undefined;
    }
    if (!conn) {
      conn = this.create(key, ts, ip, t, meta);
      if (!conn) return undefined;
    }
    const isOrig = conn.origP === t.srcPort && (conn.origNum >= 0 ? conn.origNum === ip.srcNum() : conn.origH === ip.src);
    this.lastTransport = t;
    this.lastDropped = !this.deliver(conn, ts, ip, t, isOrig);
    return conn;
  }

  private expired(conn: Conn, ts: number, ip: IpPacket, t: TransportInfo): boolean {
    if (ts >= conn.removeAt) return true;
    const idle = ts - conn.last;
    if (conn.ipProto === 6) {
      if (idle > TIMEOUTS.tcpInactivity) return true;
      if (ts >= conn.attemptAt && (conn.orig.state === TcpState.SYN_SENT || conn.orig.state === TcpState.SYN_ACK_SENT) && conn.resp.state === TcpState.INACTIVE) return true;
      // Half-closed or reset connections linger a few seconds.
      const o = conn.orig;
      const r = conn.resp;
      if (idle > TIMEOUTS.tcpLinger && (o.didClose || r.didClose) && ((o.didClose && r.didClose) || o.state === TcpState.RESET || r.state === TcpState.RESET || o.state === TcpState.INACTIVE || r.state === TcpState.INACTIVE)) return true;
      return this.isReuse(conn, ip, t);
    }
    if (conn.ipProto === 17) return idle > TIMEOUTS.udpInactivity;
    return idle > TIMEOUTS.icmpInactivity;
  }

  /** A new SYN on a closed connection (or with a new initial sequence) starts a new connection. */
  private isReuse(conn: Conn, ip: IpPacket, t: TransportInfo): boolean {
    const flags = t.flags ?? 0;
    if (!(flags & SYN)) return false;
    let connOrig = conn.orig;
    if (flags & ACK) {
      if (conn.orig.state !== TcpState.INACTIVE) return false;
      connOrig = conn.resp;
    }
    const closed = conn.orig.didClose || conn.resp.didClose;
    if (!closed) {
      const seq = t.seq! >>> 0;
      if (seq === connOrig.startSeq) return false;
      if (!(flags & ACK) && connOrig.state === TcpState.SYN_ACK_SENT && conn.resp.state === TcpState.INACTIVE && seq === conn.resp.startSeq) return false;
    }
    void ip;
    return true;
  }

  private create(key: string, ts: number, ip: IpPacket, t: TransportInfo, meta: PacketMeta): Conn | undefined {
    let flip = false;
    if (ip.proto === 6) {
      const f = t.flags ?? 0;
      if (f & SYN && f & ACK) {
        // A SYN-ACK comes from the responder.
        flip = true;
      } else if (!(f & SYN)) {
        if (isLikelyServerPort(6, t.srcPort)) {
          if (isLikelyServerPort(6, t.dstPort)) flip = !(f & SYN) && t.srcPort < t.dstPort;
          else flip = true;
        }
      }
    } else if (ip.proto === 17) {
      flip = isLikelyServerPort(17, t.srcPort) && !isLikelyServerPort(17, t.dstPort);
    }
    const m: PacketMeta = { vlan: meta.vlan, innerVlan: meta.innerVlan, tunnelParents: meta.tunnelParents };
    if (meta.frame && meta.l2off !== undefined) {
      m.l2dst = mac(meta.frame, meta.l2off);
      m.l2src = mac(meta.frame, meta.l2off + 6);
    }
    const conn = new Conn(this.uids.next('C'), key, ip.proto, ip.src, t.srcPort, ip.dst, t.dstPort, ts, m);
    if (ip.version === 4) {
      conn.origNum = ip.srcNum();
      conn.respNum = ip.dstNum();
    }
    if (flip) {
      conn.flipRoles();
      // Meta (MACs) follow the roles.
      [conn.meta.l2src, conn.meta.l2dst] = [conn.meta.l2dst, conn.meta.l2src];
    }
    if (ip.proto === 6 && (t.flags ?? 0) & SYN && !((t.flags ?? 0) & ACK)) conn.attemptAt = ts + TIMEOUTS.tcpAttempt;
    this.table.set(key, conn);
    if (this.table.size > this.peakLive) this.peakLive = this.table.size;
    conn.app = this.sink.attach(conn);
    return conn;
  }

  /** Returns false when the packet was dropped (bad checksum). */
  private deliver(conn: Conn, ts: number, ip: IpPacket, t: TransportInfo, isOrig: boolean): boolean {
    if (this.opts.validateChecksums && (ip.proto === 6 || ip.proto === 17 || ip.proto === 58) && !(ip.proto === 17 && ip.version === 4 && ip.l4CapLen >= 8 && ip.l4buf.readUInt16BE(ip.l4off + 6) === 0) && !transportChecksumOk(ip)) {
      const ep = isOrig ? conn.orig : conn.resp;
      // Zeek drops a packet with a bad checksum before counting it: only the history shows it.
      conn.scaled(ep, 'badSum', 'C');
      return false;
    }
    if (ip.proto === 6) {
      this.tcp(conn, ts, ip, t, isOrig);
      return true;
    }
    this.count(conn, isOrig, ip, ts);
    if (ip.proto === 17) {
      conn.checkHistory(isOrig ? 1 : 1, 'D', isOrig);
      if (isOrig) conn.origSize = Math.max(conn.origSize, 0) + t.payloadLen;
      else conn.respSize = Math.max(conn.respSize, 0) + t.payloadLen;
      if (conn.app && t.payload.length > 0) conn.app.data(isOrig, t.payload, ts);
    } else {
      // ICMP counts its payload; other transports Zeek does not parse count nothing.
      const n = ip.proto === 1 || ip.proto === 58 ? t.payloadLen : 0;
      if (isOrig) conn.origSize = Math.max(conn.origSize, 0) + n;
      else conn.respSize = Math.max(conn.respSize, 0) + n;
    }
    return true;
  }

  private count(conn: Conn, isOrig: boolean, ip: IpPacket, ts: number): void {
    if (isOrig) {
      conn.origPkts++;
      conn.origIpBytes += ip.ipLen;
    } else {
      conn.respPkts++;
      conn.respIpBytes += ip.ipLen;
    }
    if (ts > conn.last) conn.last = ts;
  }

  private tcp(conn: Conn, ts: number, ip: IpPacket, t: TransportInfo, isOrig: boolean): void {
    const flags = t.flags!;
    const baseSeq = t.seq! >>> 0;
    const ackSeq = t.ack! >>> 0;
    const len = t.payloadLen;
    const ep = isOrig ? conn.orig : conn.resp;
    const peer = isOrig ? conn.resp : conn.orig;
    this.count(conn, isOrig, ip, ts);

    // SetPartialStatus
    if (isOrig) {
      if (!(conn.firstPacketSeen & 1)) conn.isPartial = !(flags & SYN) || (flags & ACK) !== 0;
    } else if (!(conn.firstPacketSeen & 2) && !conn.isPartial) conn.isPartial = !(flags & SYN);

    let segLen = len;
    if (flags & SYN) segLen++;
    if (flags & FIN) segLen++;
    if (flags & RST) segLen -= len;
    const seqOnePast = (baseSeq + segLen) >>> 0;

    // init_endpoint
    switch (ep.state) {
      case TcpState.INACTIVE:
        if (flags & SYN) ep.initSeqs(baseSeq, seqOnePast);
        else ep.initSeqs(baseSeq - 1, baseSeq);
        break;
      case TcpState.SYN_SENT:
      case TcpState.SYN_ACK_SENT:
        if (flags & SYN && baseSeq !== ep.startSeq) ep.initSeqs(baseSeq, seqOnePast);
        break;
      case TcpState.ESTABLISHED:
      case TcpState.PARTIAL:
        if (flags & SYN) ep.initSeqs(baseSeq, seqOnePast);
        break;
      case TcpState.RESET:
        if (flags & SYN && ep.prevState === TcpState.INACTIVE) ep.initSeqs(baseSeq, seqOnePast);
        break;
      default:
        break;
    }

    const relSeq = ep.rel(baseSeq);
    const seqUnderflow = relSeq < 0;

    // update_history
    const bits = (flags & SYN ? 1 : 0) + (flags & FIN ? 1 : 0) + (flags & RST ? 1 : 0);
    if (bits > 1) {
      if (flags & FIN && flags & RST) conn.checkHistory(H_FINRST, 'I', isOrig);
      else conn.checkHistory(H_MULTI, 'Q', isOrig);
    } else if (bits === 1) {
      if (flags & SYN) {
        const code = flags & ACK ? 'H' : 'S';
        if (conn.checkHistory(H_SYN, code, isOrig) && relSeq !== ep.histLastSyn) conn.addHistory(isOrig ? code : code.toLowerCase());
        ep.histLastSyn = relSeq;
      }
      if (flags & FIN) {
        if (conn.checkHistory(H_FIN, 'F', isOrig) && relSeq + len !== ep.histLastFin) conn.addHistory(isOrig ? 'F' : 'f');
        ep.histLastFin = relSeq + len;
      }
      if (flags & RST) {
        if (conn.checkHistory(H_RST, 'R', isOrig) && relSeq !== ep.histLastRst) conn.addHistory(isOrig ? 'R' : 'r');
        ep.histLastRst = relSeq;
      }
    } else if (len > 0) conn.checkHistory(H_DATA, 'D', isOrig);
    else if (flags & ACK) conn.checkHistory(H_ACK, 'A', isOrig);

    // update_window: zero windows (scaling does not change zero)
    if (t.win === 0 && !(flags & RST) && peer.state !== TcpState.CLOSED && ep.state !== TcpState.RESET) conn.scaled(ep, 'zeroWin', 'W');

    if (flags & FIN) ep.finCnt++;
    if (flags & RST) ep.rstCnt++;

    let relAck = 0;
    if (flags & ACK) {
      if (peer.state === TcpState.INACTIVE) {
        relAck = 1;
        // init_peer: number the peer as though its SYN had been seen.
        peer.initSeqs(ackSeq - 1, ackSeq - 1);
      } else {
        const ra = peer.ackRel + seqDelta(ackSeq, peer.ackSeq);
        if (ra < 0) relAck = 0;
        else {
          relAck = ra;
          if (!(flags & RST)) {
            const d = seqDelta(ackSeq, peer.ackSeq);
            if (!(ackSeq === 0 && d > TOO_LARGE_SEQ_DELTA) && d > 0) peer.updateAck(ackSeq);
          }
        }
      }
    }

    // update_last_seq
    const deltaLast = seqDelta(seqOnePast, ep.lastSeq);
    if ((flags & (SYN | RST)) && (deltaLast > TOO_LARGE_SEQ_DELTA || deltaLast < -TOO_LARGE_SEQ_DELTA)) {
      // untrusted
    } else if (flags & FIN && ep.lastRel === 1) ep.updateLast(seqOnePast);
    else if (ep.state === TcpState.RESET) {
      // don't trust
    } else if (deltaLast > 0) ep.updateLast(seqOnePast);
    else if (len > 0) conn.scaled(ep, 'rxmit', 'T');

    // UpdateStateMachine
    let doClose = false;
    let genEvent = false;
    switch (ep.state) {
      case TcpState.INACTIVE: {
        if (flags & SYN) {
          if (isOrig) {
            ep.setState(flags & ACK ? TcpState.SYN_ACK_SENT : TcpState.SYN_SENT);
          } else {
            if (!(flags & ACK) && peer.state === TcpState.SYN_ACK_SENT && baseSeq === ep.startSeq) {
              conn.isPartial = false;
              conn.flipRoles();
              peer.setState(TcpState.ESTABLISHED);
              conn.firstPacketSeen |= 1;
            }
            if (peer.state === TcpState.SYN_SENT) peer.setState(TcpState.ESTABLISHED);
            ep.setState(TcpState.ESTABLISHED);
          }
        }
        if (flags & FIN) {
          ep.setState(TcpState.CLOSED);
          doClose = genEvent = true;
        }
        if (flags & RST) {
          ep.setState(TcpState.RESET);
          doClose = true;
        }
        if (ep.state === TcpState.INACTIVE) {
          if (!ep.isOrig && len === 0 && conn.orig.state === TcpState.SYN_SENT) {
            // an early ACK of the SYN: not a partial connection
          } else if (flags & ACK && peer.state === TcpState.ESTABLISHED) {
            ep.setState(TcpState.ESTABLISHED);
            conn.isPartial = false;
            conn.firstPacketSeen |= ep.isOrig ? 1 : 2;
          } else ep.setState(TcpState.PARTIAL);
        }
        break;
      }
      case TcpState.SYN_SENT:
      case TcpState.SYN_ACK_SENT:
        if (flags & FIN) {
          ep.setState(TcpState.CLOSED);
          doClose = genEvent = true;
        }
        if (flags & RST) {
          ep.setState(TcpState.RESET);
          doClose = true;
        }
        break;
      case TcpState.ESTABLISHED:
      case TcpState.PARTIAL:
        if (flags & SYN && ep.state === TcpState.PARTIAL && peer.state === TcpState.INACTIVE && !(flags & ACK)) ep.setState(TcpState.SYN_SENT);
        if (flags & FIN && !(flags & RST)) {
          ep.setState(TcpState.CLOSED);
          if (peer.state === TcpState.RESET && peer.prevState === TcpState.CLOSED) peer.setState(TcpState.CLOSED);
          doClose = genEvent = true;
        }
        if (flags & RST) {
          ep.setState(TcpState.RESET);
          doClose = true;
        }
        break;
      case TcpState.CLOSED:
        if (flags & RST && peer.state !== TcpState.CLOSED) {
          ep.setState(TcpState.RESET);
          if (!ep.didClose) doClose = true;
        }
        break;
      default:
        break;
    }
    void genEvent; // kept to mirror Zeek's state machine; connection events are not needed here

    // CheckPIA_FirstPacket: from now on this side's first packet is known.
    conn.firstPacketSeen |= ep.isOrig ? 1 : 2;

    // Payload into the reassembler (never for RSTs or data before the start).
    const relDataSeq = flags & SYN ? relSeq + 1 : relSeq;
    if (len > 0 && !(flags & RST) && !seqUnderflow) {
      this.reassembler(conn, ep).add(relDataSeq, t.payload.subarray(0, Math.min(t.payload.length, len)), len, ts);
    }
    if (flags & ACK && relAck > 0) {
      // A gap revealed by an ACK; FIN/RST-closed peers' gaps are not trusted for history.
      // The peer may not have sent any data we saw: its reassembler starts here.
      const pr = peer.state === TcpState.INACTIVE ? peer.reasm : this.reassembler(conn, peer);
      if (pr) pr.ackReceived(peer.finCnt > 0 ? Math.min(relAck, peer.histLastFin) : relAck, isClean(peer) && isClean(ep));
    }

    if (doClose && !ep.didClose) {
      ep.didClose = true;
      const complete = ep.state === TcpState.RESET || peer.didClose || peer.state === TcpState.INACTIVE;
      if (complete) conn.removeAt = Math.min(conn.removeAt, conn.last + TIMEOUTS.tcpCloseDelay);
    }
  }

  private reassembler(conn: Conn, ep: Endpoint): TcpReassembler {
    if (!ep.reasm) {
      ep.reasm = new TcpReassembler(
        (buf, ts) => {
          if (conn.app) conn.app.data(ep.isOrig, buf, ts);
        },
        (len, report) => {
          if (report) {
            conn.missedBytes += len;
            conn.scaled(ep, 'gaps', 'G');
          }
          if (conn.app?.gap) conn.app.gap(ep.isOrig, len);
        },
      );
    }
    return ep.reasm;
  }

  /** Ends a connection: flush its analyzers and write its row. */
  finish(conn: Conn, ts: number): void {
    if (conn.finished) return;
    conn.finished = true;
    if (this.table.get(conn.key) === conn) this.table.delete(conn.key);
    try {
      for (const ep of [conn.orig, conn.resp]) ep.reasm?.flush();
      conn.app?.done(ts);
    } catch (e) {
      // An analyzer failing on this connection's data must not lose the connection's row.
      this.sink.error?.(`analyzer failed at the end of a connection: ${(e as Error).message.slice(0, 120)}`);
    }
    this.sink.conn(conn.row(), conn);
  }

  /** Removes connections whose timers have run out (keeps memory to live connections). */
  sweep(now: number): void {
    this.lastSweep = now;
    for (const conn of this.table.values()) {
      const idle = now - conn.last;
      const limit = conn.ipProto === 6 ? TIMEOUTS.tcpInactivity : conn.ipProto === 17 ? TIMEOUTS.udpInactivity : TIMEOUTS.icmpInactivity;
      if (now >= conn.removeAt || idle > limit) this.finish(conn, conn.last);
      else if (conn.ipProto === 6 && now >= conn.attemptAt && (conn.orig.state === TcpState.SYN_SENT || conn.orig.state === TcpState.SYN_ACK_SENT) && conn.resp.state === TcpState.INACTIVE) this.finish(conn, conn.last);
    }
  }

  /** End of capture: every live connection is written. */
  flushAll(): void {
    for (const conn of [...this.table.values()]) this.finish(conn, conn.last);
  }

  /** Looks up a connection by uid-less identity (for tunnel parents). */
  get(key: string): Conn | undefined {
    return this.table.get(key);
  }
}
