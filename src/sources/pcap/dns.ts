/**
 * DNS messages (RFC 1035) into Zeek dns.log rows. A hand-written parser that survives damage:
 * every read is bounds-checked, compression pointers are followed at most 64 times, and a
 * damaged record ends the section it is in rather than the message. Queries and responses are
 * paired by transaction id per connection, as Zeek does.
 */
import type { DnsRow } from '../../normalize/zeek-rows.js';
import type { App, Conn } from './flows.js';

export const QTYPES: Record<number, string> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL', 11: 'WKS', 12: 'PTR', 13: 'HINFO',
  14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25', 20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG',
  25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA', 29: 'LOC', 30: 'NXT', 31: 'EID', 32: 'NIMLOC', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR',
  36: 'KX', 37: 'CERT', 38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY', 46: 'RRSIG',
  47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA', 53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY',
  61: 'OPENPGPKEY', 62: 'CSYNC', 64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC', 249: 'TKEY',
  250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: '*', 256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};

export const RCODES: Record<number, string> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET',
  9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS', 17: 'BADKEY', 18: 'BADTIME', 19: 'BADMODE', 20: 'BADNAME', 21: 'BADALG', 22: 'BADTRUNC',
  23: 'BADCOOKIE',
};

const QCLASSES: Record<number, string> = { 1: 'C_INTERNET', 2: 'C_CSNET', 3: 'C_CHAOS', 4: 'C_HESIOD', 254: 'C_NONE', 255: 'C_ANY' };

export function qtypeName(t: number): string {
  return QTYPES[t] ?? `query-${t}`;
}

export interface DnsRecord {
  name: string;
  type: number;
  cls: number;
  ttl: number;
  /** Zeek's rendering of the data for dns.log `answers`. */
  text?: string;
}

export interface DnsMessage {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  z: number;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
  question?: { name: string; type: number; cls: number };
  answers: DnsRecord[];
  /** Set when a section was cut short by damage. */
  damaged?: string;
}

const MAX_NAME = 255 * 4;

/** Reads a possibly compressed name; returns the name and the offset after it in the message. */
export function readName(b: Buffer, off: number): { name: string; next: number } | undefined {
  const labels: string[] = [];
  let p = off;
  let next = -1;
  let jumps = 0;
  let len = 0;
  for (;;) {
    if (p >= b.length) return undefined;
    const l = b[p]!;
    if ((l & 0xc0) === 0xc0) {
      if (p + 1 >= b.length) return undefined;
      if (next < 0) next = p + 2;
      if (++jumps > 64) return undefined;
      p = ((l & 0x3f) << 8) | b[p + 1]!;
      continue;
    }
    if ((l & 0xc0) !== 0) return undefined;
    if (l === 0) {
      if (next < 0) next = p + 1;
      break;
    }
    if (p + 1 + l > b.length) return undefined;
    len += l + 1;
    if (len > MAX_NAME) return undefined;
    labels.push(b.toString('latin1', p + 1, p + 1 + l));
    p += 1 + l;
  }
  return { name: labels.join('.'), next };
}

function ipv4(b: Buffer, o: number): string {
  return `${b[o]}.${b[o + 1]}.${b[o + 2]}.${b[o + 3]}`;
}

function ipv6(b: Buffer, o: number): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push(b.readUInt16BE(o + i * 2));
  let bs = -1;
  let bl = 0;
  for (let i = 0; i < 8; ) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bl && j - i >= 2) {
      bs = i;
      bl = j - i;
    }
    i = j;
  }
  const h = (x: number) => x.toString(16);
  if (bs < 0) return w.map(h).join(':');
  return `${w.slice(0, bs).map(h).join(':')}::${w.slice(bs + bl).map(h).join(':')}`;
}

function rdataText(b: Buffer, type: number, o: number, len: number): string | undefined {
  const end = o + len;
  switch (type) {
    case 1:
      return len === 4 ? ipv4(b, o) : undefined;
    case 28:
      return len === 16 ? ipv6(b, o) : undefined;
    // Zeek lower-cases the names it logs.
    case 2:
    case 5:
    case 12:
    case 39:
      return readName(b, o)?.name.toLowerCase();
    case 15:
      return len >= 3 ? readName(b, o + 2)?.name.toLowerCase() : undefined;
    case 6:
      return readName(b, o)?.name.toLowerCase();
    case 33:
      return len >= 7 ? readName(b, o + 6)?.name.toLowerCase() : undefined;
    case 16:
    case 99: {
      const parts: string[] = [];
      let p = o;
      while (p < end) {
        const l = b[p]!;
        if (p + 1 + l > end) break;
        parts.push(`${type === 16 ? 'TXT' : 'SPF'} ${l} ${b.toString('latin1', p + 1, p + 1 + l)}`);
        p += 1 + l;
      }
      return parts.join(' ');
    }
    case 46:
      if (len < 18) return undefined;
      return `RRSIG ${b.readUInt16BE(o)} ${(readName(b, o + 18)?.name ?? '').toLowerCase()}`;
    case 48:
      return len >= 4 ? `DNSKEY ${b[o + 3]}` : undefined;
    case 43:
      return len >= 4 ? `DS ${b[o + 2]} ${b[o + 3]}` : undefined;
    case 47:
      return `NSEC ${readName(b, o)?.name ?? ''}`;
    case 50:
      return 'NSEC3';
    case 41:
      return undefined;
    case 65534:
      return 'BIND9 signing signal';
    default:
      return `<unknown type=${type}>`;
  }
}

/** Parses one DNS message; undefined when even the header or question is unreadable. */
export function parseDns(b: Buffer): DnsMessage | undefined {
  if (b.length < 12) return undefined;
  const flags = b.readUInt16BE(2);
  const m: DnsMessage = {
    id: b.readUInt16BE(0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    z: (flags >> 4) & 0x7,
    rcode: flags & 0xf,
    qdcount: b.readUInt16BE(4),
    ancount: b.readUInt16BE(6),
    nscount: b.readUInt16BE(8),
    arcount: b.readUInt16BE(10),
    answers: [],
  };
  let p = 12;
  for (let i = 0; i < m.qdcount; i++) {
    const n = readName(b, p);
    if (!n || n.next + 4 > b.length) {
      if (i === 0) return m.qdcount > 0 && p >= b.length ? { ...m, damaged: 'question truncated' } : undefined;
      m.damaged = 'question truncated';
      return m;
    }
    if (i === 0) m.question = { name: n.name, type: b.readUInt16BE(n.next), cls: b.readUInt16BE(n.next + 2) };
    p = n.next + 4;
  }
  for (let i = 0; i < m.ancount; i++) {
    const n = readName(b, p);
    if (!n || n.next + 10 > b.length) {
      m.damaged = `answer ${i + 1} truncated`;
      return m;
    }
    const type = b.readUInt16BE(n.next);
    const cls = b.readUInt16BE(n.next + 2);
    const ttl = b.readUInt32BE(n.next + 4);
    const rdlen = b.readUInt16BE(n.next + 8);
    const rd = n.next + 10;
    if (rd + rdlen > b.length) {
      m.damaged = `answer ${i + 1} data truncated`;
      return m;
    }
    m.answers.push({ name: n.name, type, cls, ttl, text: rdataText(b, type, rd, rdlen) });
    p = rd + rdlen;
  }
  return m;
}

/** NetBIOS first-level decoding (RFC 1001): 32 letters to 16 bytes, less the suffix and padding. */
export function decodeNetbiosName(name: string): string {
  const label = name.split('.')[0]!;
  if (label.length !== 32 || !/^[a-pA-P]+$/.test(label)) return name;
  let out = '';
  for (let i = 0; i < 30; i += 2) {
    const c = ((label.charCodeAt(i) & 0x1f) - 1) * 16 + ((label.charCodeAt(i + 1) & 0x1f) - 1);
    out += String.fromCharCode(c);
  }
  return out.replace(/[ \0]+$/, '');
}

interface Pending {
  ts: number;
  msg: DnsMessage;
}

/** Pairs queries and replies of one connection into dns.log rows. */
export class DnsAnalyzer implements App {
  private pending = new Map<number, Pending[]>();
  private tcpBuf: Buffer[] = [Buffer.alloc(0), Buffer.alloc(0)];
  confirmed = false;

  constructor(
    private readonly conn: Conn,
    private readonly emit: (row: DnsRow) => void,
    private readonly onError: (reason: string) => void,
  ) {}

  data(isOrig: boolean, buf: Buffer, ts: number): void {
    if (this.conn.ipProto === 6) {
      // DNS over TCP: each message has a 2-byte length prefix.
      const i = isOrig ? 0 : 1;
      let b = this.tcpBuf[i]!.length > 0 ? Buffer.concat([this.tcpBuf[i]!, buf]) : buf;
      while (b.length >= 2) {
        const len = b.readUInt16BE(0);
        if (b.length < 2 + len) break;
        this.message(isOrig, b.subarray(2, 2 + len), ts);
        b = b.subarray(2 + len);
      }
      this.tcpBuf[i] = b.length > 65537 ? Buffer.alloc(0) : Buffer.from(b);
      return;
    }
    this.message(isOrig, buf, ts);
  }

  gap(isOrig: boolean): void {
    this.tcpBuf[isOrig ? 0 : 1] = Buffer.alloc(0);
  }

  private message(isOrig: boolean, b: Buffer, ts: number): void {
    const m = parseDns(b);
    if (!m) {
      this.onError(`DNS message unreadable (${b.length} bytes)`);
      return;
    }
    if (m.damaged) this.onError(`DNS message damaged: ${m.damaged}`);
    if (!this.confirmed) {
      this.confirmed = true;
      this.conn.services.add('dns');
    }
    if (!m.qr) {
      const list = this.pending.get(m.id) ?? [];
      if (list.length < 64) list.push({ ts, msg: m });
      this.pending.set(m.id, list);
      if (this.pending.size > 4096) this.flushOldest(ts);
      return;
    }
    const list = this.pending.get(m.id);
    const q = list?.shift();
    if (list && list.length === 0) this.pending.delete(m.id);
    this.emit(this.row(q, { ts, msg: m }));
    void isOrig;
  }

  private flushOldest(ts: number): void {
    const first = this.pending.keys().next();
    if (first.done) return;
    for (const q of this.pending.get(first.value) ?? []) this.emit(this.row(q, undefined));
    this.pending.delete(first.value);
    void ts;
  }

  private row(q: Pending | undefined, r: Pending | undefined): DnsRow {
    const c = this.conn;
    const base = (q ?? r)!;
    const row: DnsRow = {
      ts: base.ts,
      uid: c.uid,
      'id.orig_h': c.origH,
      'id.orig_p': c.origP,
      'id.resp_h': c.respH,
      'id.resp_p': c.respP,
      proto: c.proto,
      trans_id: base.msg.id,
    };
    if (q && r) row.rtt = Math.round((r.ts - q.ts) * 1e6) / 1e6;
    const question = q?.msg.question ?? r?.msg.question;
    if (!q && question) {
      // A reply nobody asked for (a duplicate, or the query was not captured): Zeek logs its
      // name but not the type and class of the question.
      row.query = question.name.toLowerCase();
      if (c.respP === 137 && c.proto === 'udp') row.query = decodeNetbiosName(row.query);
    } else if (question) {
      row.query = question.name.toLowerCase();
      if (c.respP === 137 && c.proto === 'udp') row.query = decodeNetbiosName(row.query);
      row.qclass = question.cls;
      row.qclass_name = QCLASSES[question.cls] ?? `qclass-${question.cls}`;
      row.qtype = question.type;
      row.qtype_name = qtypeName(question.type);
      // NetBIOS name service reuses type 33 for node status requests.
      if (c.respP === 137 && c.proto === 'udp' && question.type === 33) row.qtype_name = 'NBSTAT';
    } else if (r && r.msg.answers.length > 0) {
      // Replies without a question (mDNS announcements) are named by their first answer.
      row.query = r.msg.answers[0]!.name.toLowerCase();
    }
    const flagsFrom = r?.msg ?? q!.msg;
    if (r) {
      row.rcode = r.msg.rcode;
      row.rcode_name = RCODES[r.msg.rcode] ?? `rcode-${r.msg.rcode}`;
    }
    row.AA = flagsFrom.aa;
    row.TC = flagsFrom.tc;
    row.RD = flagsFrom.rd;
    row.RA = flagsFrom.ra;
    row.Z = flagsFrom.z;
    if (r) {
      const answers: string[] = [];
      const ttls: number[] = [];
      for (const a of r.msg.answers) {
        if (a.text === undefined) continue;
        answers.push(a.text);
        ttls.push(a.ttl);
      }
      if (answers.length > 0) {
        row.answers = answers;
        row.TTLs = ttls;
      }
      row.rejected = r.msg.rcode !== 0 && r.msg.ancount === 0 && r.msg.nscount === 0 && r.msg.arcount === 0;
    } else row.rejected = false;
    return row;
  }

  done(_ts: number): void {
    for (const list of this.pending.values()) for (const q of list) this.emit(this.row(q, undefined));
    this.pending.clear();
  }
}
