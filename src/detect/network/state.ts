/**
 * What the network checks remember between the first event and `finish`: aggregates per
 * distinct destination, name, TLS server, certificate, HTTP host, IDS signature and
 * source→destination pair, never the events themselves. Memory grows with distinct things,
 * not with records, except the beacon series (one timestamp and one size per connection,
 * capped per pair as RITA caps it, 16 bytes a connection).
 */
import type { EventRef } from '../types.js';
import type { Event } from '../../normalize/event.js';
import { hostWithoutPort, normalizeName } from '../ioc/domain.js';
import { parseIp } from '../ioc/ip.js';
import { logOf, num, origHost, respHost, respPort, str, strs, tsSeconds, type Row } from './rows.js';

export interface Agg {
  count: number;
  /** Epoch ms. */
  first: number;
  last: number;
  refs: EventRef[];
  sources: string[];
}

export interface DestAgg extends Agg {
  ip: string;
  proto: string;
  port: number;
  service: string;
  bytesOut: number;
  bytesIn: number;
}

export interface NameAgg extends Agg {
  txt: number;
  nxdomain: number;
  answered: boolean;
}

export interface HttpAgg extends Agg {
  host: string;
  ips: string[];
  ports: number[];
}

export interface SslAgg extends Agg {
  ip: string;
  port: number;
  sni?: string;
  versions: string[];
  statuses: string[];
  subject?: string;
  issuer?: string;
  /** Certificate ids of the chain, leaf first: Zeek 5+ fingerprints or older file ids. */
  certIds: string[];
  /** SHA-1s of the leaf certificate when the log carries them (some Zeek scripts add it). */
  certSha1s: string[];
  ja3: string[];
  established: boolean;
}

export interface CertInfo {
  subject?: string;
  issuer?: string;
  /** Epoch seconds. */
  notBefore?: number;
  notAfter?: number;
  sha1?: string;
  selfSigned?: boolean;
}

export interface IdsAgg extends Agg {
  sid: number;
  signature: string;
  severity?: number;
  src?: string;
  dst?: string;
}

export interface FileAgg extends Agg {
  hash: string;
  kind: 'md5' | 'sha1' | 'sha256';
  /** The other side of the transfer (not the device). */
  peer?: string;
  isCertificate: boolean;
  mime?: string;
}

export interface PairSeries {
  src: string;
  dst: string;
  n: number;
  /** Whole seconds and originator bytes per connection; plain arrays (small typed arrays cost more to grow). */
  ts: number[];
  bytes: number[];
  first: number;
  last: number;
  refs: EventRef[];
  dropped: number;
}

export interface IpEntry {
  tuples: DestAgg[];
  /** Beacon series by source address. */
  pairs: Map<string, PairSeries> | undefined;
}

export interface LongConn {
  src: string;
  dst: string;
  port: number;
  proto: string;
  duration: number;
  first: number;
  refs: EventRef[];
}

export interface StateLimits {
  maxRefs: number;
  maxSources: number;
  maxNamesPerIp: number;
  maxNames: number;
  beaconMaxSeries: number;
  beacons: boolean;
  longConnectionSeconds: number;
  urlWatch: boolean;
}

export const DEFAULT_LIMITS: StateLimits = {
  maxRefs: 10,
  maxSources: 8,
  maxNamesPerIp: 64,
  maxNames: 1_000_000,
  beaconMaxSeries: 86400,
  beacons: true,
  longConnectionSeconds: 3600,
  urlWatch: false,
};

/** Event references kept per beacon series: a few examples, not every connection's. */
const PAIR_REFS = 3;

function pushBounded<T>(arr: T[], v: T, max: number): void {
  if (arr.length < max && !arr.includes(v)) arr.push(v);
}

function newAgg(ms: number): Agg {
  return { count: 0, first: ms, last: ms, refs: [], sources: [] };
}

export class NetworkState {
  /**
   * Per destination address: its (protocol, port, service) tuples, and the beacon series of
   * each source talking to it. One map look-up per record finds both; no key strings are built.
   */
  readonly destinations = new Map<string, IpEntry>();
  /** Every DNS name (query or CNAME) seen resolving to an address, per canonical-as-logged address. */
  readonly namesByIp = new Map<string, string[]>();
  readonly names = new Map<string, NameAgg>();
  readonly http = new Map<string, HttpAgg>();
  readonly urls = new Map<string, Agg>();
  /** Per server address, its (port, SNI) sessions. */
  readonly ssl = new Map<string, SslAgg[]>();
  readonly certs = new Map<string, CertInfo>();
  readonly files = new Map<string, FileAgg>();
  readonly ids = new Map<string, IdsAgg>();
  readonly longConns = new Map<string, LongConn>();
  /** Records read per log, and records left out with why (a row without the fields a check needs). */
  readonly records: Record<string, number> = {};
  readonly skipped: Record<string, number> = {};
  namesOverflow = 0;
  /** Whole seconds, over conn records: the span beacons are scored against. */
  minTs = Infinity;
  maxTs = -Infinity;
  /** Epoch ms over every record. */
  firstMs = Infinity;
  lastMs = -Infinity;
  readonly localHosts = new Set<string>();

  constructor(readonly limits: StateLimits = DEFAULT_LIMITS) {}

  /** Local hosts: originators of connections, DNS, HTTP and TLS records. */
  hosts(): string[] {
    const out = new Set(this.localHosts);
    for (const e of this.destinations.values()) if (e.pairs) for (const src of e.pairs.keys()) out.add(src);
    for (const d of this.allDestinations()) for (const s of d.sources) out.add(s);
    return [...out].sort();
  }

  *allDestinations(): Generator<DestAgg> {
    for (const e of this.destinations.values()) yield* e.tuples;
  }

  *allPairs(): Generator<PairSeries> {
    for (const e of this.destinations.values()) if (e.pairs) yield* e.pairs.values();
  }

  *allSessions(): Generator<SslAgg> {
    for (const list of this.ssl.values()) yield* list;
  }

  private skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  private touch(a: Agg, ms: number, ref: EventRef, source: string | undefined): void {
    a.count++;
    if (ms < a.first) a.first = ms;
    if (ms > a.last) a.last = ms;
    if (a.refs.length < this.limits.maxRefs) a.refs.push(ref);
    if (source !== undefined && a.sources.length < this.limits.maxSources && !a.sources.includes(source)) a.sources.push(source);
  }

  add(ev: Event, eventId: string): void {
    const log = logOf(ev);
    if (log === undefined) return;
    const row = ev.raw as Row;
    const ms = ev['@timestamp'];
    this.records[log] = (this.records[log] ?? 0) + 1;
    if (ms < this.firstMs) this.firstMs = ms;
    if (ms > this.lastMs) this.lastMs = ms;
    const ref: EventRef = { id: eventId, time: ms };
    switch (log) {
      case 'conn':
        return this.conn(ev, row, ms, ref);
      case 'dns':
        return this.dns(row, ms, ref);
      case 'http':
        return this.httpRow(row, ms, ref);
      case 'ssl':
        return this.sslRow(row, ms, ref);
      case 'x509':
        return this.x509(row);
      case 'files':
        return this.filesRow(row, ms, ref);
      case 'ids_alert':
        return this.idsRow(row, ms, ref);
      default:
    }
  }

  /** Lower-cased protocol and service names, memoised: a handful of values, millions of rows. */
  private readonly lowerMemo = new Map<string, string>();

  private lower(v: unknown, max: number, fallback: string): string {
    if (typeof v !== 'string' || v.length > max) return fallback;
    let l = this.lowerMemo.get(v);
    if (l === undefined) {
      l = v.toLowerCase();
      if (this.lowerMemo.size < 10_000) this.lowerMemo.set(v, l);
    }
    return l;
  }

  /** The hot path: one call per connection record, written for speed (no spread, one shape). */
  private conn(ev: Event, row: Row, ms: number, ref: EventRef): void {
    let ip = row['id.resp_h'];
    if (typeof ip !== 'string') ip = respHost(row);
    let port = row['id.resp_p'];
    if (typeof port !== 'number') port = respPort(row);
    if (typeof ip !== 'string' || ip.length > 64 || typeof port !== 'number') return this.skip('conn without id.resp_h/id.resp_p');
    let src: unknown = row['id.orig_h'];
    if (typeof src !== 'string') src = origHost(row);
    const source = typeof src === 'string' && src.length <= 64 ? src : undefined;
    // Sources of connections are gathered at the end (see hosts()), not once per record.
    // Zeek writes lower case, other tools do not: compare in one case (TinyCheck compared "UDP").
    const rp = row.proto;
    const proto = rp === 'tcp' || rp === 'udp' || rp === 'icmp' ? rp : this.lower(rp, 16, 'unknown');
    const rs = row.service;
    const service = rs === undefined ? '' : rs === 'ssl' || rs === 'dns' || rs === 'http' ? rs : this.lower(rs, 64, '');
    let entry = this.destinations.get(ip);
    if (entry === undefined) this.destinations.set(ip, (entry = { tuples: [], pairs: undefined }));
    const list = entry.tuples;
    let d: DestAgg | undefined;
    for (let i = 0; i < list.length; i++) {
      const x = list[i]!;
      if (x.port === port && x.proto === proto && x.service === service) {
        d = x;
        break;
      }
    }
    if (d === undefined) {
      d = { count: 0, first: ms, last: ms, refs: [], sources: [], ip, proto, port, service, bytesOut: 0, bytesIn: 0 };
      list.push(d);
    }
    d.count++;
    if (ms < d.first) d.first = ms;
    if (ms > d.last) d.last = ms;
    if (d.refs.length < this.limits.maxRefs) d.refs.push(ref);
    if (source !== undefined && d.sources.length < this.limits.maxSources && !d.sources.includes(source)) d.sources.push(source);
    const ob = row.orig_bytes;
    const rb = row.resp_bytes;
    if (typeof ob === 'number') d.bytesOut += ob;
    if (typeof rb === 'number') d.bytesIn += rb;

    const t = row.ts;
    const secs = Math.floor(typeof t === 'number' ? t : tsSeconds(ev, row));
    if (secs < this.minTs) this.minTs = secs;
    if (secs > this.maxTs) this.maxTs = secs;
    if (source === undefined) return;
    if (this.limits.beacons) {
      let bySrc = entry.pairs;
      if (bySrc === undefined) entry.pairs = bySrc = new Map();
      let s = bySrc.get(source);
      if (s === undefined) {
        s = { src: source, dst: ip, n: 0, ts: [], bytes: [], first: ms, last: ms, refs: [], dropped: 0 };
        bySrc.set(source, s);
      }
      if (s.n >= this.limits.beaconMaxSeries) s.dropped++;
      else {
        s.ts.push(secs);
        // RITA scores the originator's IP bytes; orig_bytes when the log lacks them.
        const oib = row.orig_ip_bytes;
        s.bytes.push(typeof oib === 'number' ? oib : typeof ob === 'number' ? ob : 0);
        s.n++;
      }
      if (ms > s.last) s.last = ms;
      if (ms < s.first) s.first = ms;
      if (s.refs.length < PAIR_REFS) s.refs.push(ref);
    }
    const dur = row.duration;
    if (typeof dur === 'number' && dur >= this.limits.longConnectionSeconds) {
      const lk = `${source}|${ip}|${port}|${proto}`;
      const have = this.longConns.get(lk);
      if (!have) this.longConns.set(lk, { src: source, dst: ip, port, proto, duration: dur, first: ms, refs: [ref] });
      else {
        if (dur > have.duration) have.duration = dur;
        if (have.refs.length < this.limits.maxRefs) have.refs.push(ref);
      }
    }
  }

  private dns(row: Row, ms: number, ref: EventRef): void {
    const q = normalizeName(str(row, 'query', 300));
    const client = origHost(row);
    if (client !== undefined) this.localHosts.add(client);
    const answers = strs(row, 'answers', 64, 300) ?? [];
    if (q !== undefined) {
      let n = this.names.get(q);
      if (!n) {
        if (this.names.size >= this.limits.maxNames) {
          this.namesOverflow++;
        } else {
          n = { ...newAgg(ms), txt: 0, nxdomain: 0, answered: false };
          this.names.set(q, n);
        }
      }
      if (n) {
        this.touch(n, ms, ref, client);
        const qt = str(row, 'qtype_name', 16) ?? (num(row, 'qtype') === 16 ? 'TXT' : undefined);
        if (qt === 'TXT') n.txt++;
        const rc = str(row, 'rcode_name', 32) ?? (num(row, 'rcode') === 3 ? 'NXDOMAIN' : undefined);
        if (rc === 'NXDOMAIN') n.nxdomain++;
        if (answers.length > 0) n.answered = true;
      }
    }
    if (answers.length === 0) return;
    // Every name in the answer chain (the query and each CNAME target) resolves to each address.
    const chain: string[] = q !== undefined ? [q] : [];
    const ips: string[] = [];
    for (const a of answers) {
      if (parseIp(a) !== undefined) ips.push(a);
      else {
        const nm = normalizeName(a);
        if (nm !== undefined && nm.includes('.') && !chain.includes(nm)) chain.push(nm);
      }
    }
    for (const ip of ips) {
      let list = this.namesByIp.get(ip);
      if (!list) this.namesByIp.set(ip, (list = []));
      for (const nm of chain) pushBounded(list, nm, this.limits.maxNamesPerIp);
    }
  }

  private httpRow(row: Row, ms: number, ref: EventRef): void {
    const host = hostWithoutPort(str(row, 'host', 300));
    const src = origHost(row);
    if (src !== undefined) this.localHosts.add(src);
    if (host === undefined) return this.skip('http without a Host header');
    let h = this.http.get(host);
    if (!h) this.http.set(host, (h = { ...newAgg(ms), host, ips: [], ports: [] }));
    this.touch(h, ms, ref, src);
    const ip = respHost(row);
    if (ip !== undefined) pushBounded(h.ips, ip, 16);
    const port = respPort(row);
    if (port !== undefined) pushBounded(h.ports, port, 16);
    if (this.limits.urlWatch) {
      const uri = str(row, 'uri', 4096) ?? '/';
      const url = httpUrl(host, port, uri);
      if (url !== undefined) {
        let u = this.urls.get(url);
        if (!u) this.urls.set(url, (u = newAgg(ms)));
        this.touch(u, ms, ref, src);
      }
    }
  }

  private sslRow(row: Row, ms: number, ref: EventRef): void {
    const ip = respHost(row);
    const port = respPort(row);
    if (ip === undefined || port === undefined) return this.skip('ssl without id.resp_h/id.resp_p');
    const src = origHost(row);
    if (src !== undefined) this.localHosts.add(src);
    const sni = normalizeName(str(row, 'server_name', 300));
    let list = this.ssl.get(ip);
    if (list === undefined) this.ssl.set(ip, (list = []));
    let s = list.find((x) => x.port === port && x.sni === sni);
    if (!s) {
      s = { count: 0, first: ms, last: ms, refs: [], sources: [], ip, port, sni, versions: [], statuses: [], certIds: [], certSha1s: [], ja3: [], established: false };
      list.push(s);
    }
    this.touch(s, ms, ref, src);
    const v = str(row, 'version', 32);
    if (v !== undefined) pushBounded(s.versions, v, 8);
    const vs = str(row, 'validation_status', 256);
    if (vs !== undefined) pushBounded(s.statuses, vs, 8);
    s.subject ??= str(row, 'subject', 1024);
    s.issuer ??= str(row, 'issuer', 1024);
    const chain = strs(row, 'cert_chain_fps', 8, 128) ?? strs(row, 'cert_chain_fuids', 8, 128);
    if (chain && chain[0] !== undefined) pushBounded(s.certIds, chain[0], 8);
    for (const k of ['resp_certificate_sha1', 'cert_sha1']) {
      const sha = str(row, k, 64);
      if (sha !== undefined) pushBounded(s.certSha1s, sha.toLowerCase(), 8);
    }
    const ja3 = str(row, 'ja3', 64);
    if (ja3 !== undefined) pushBounded(s.ja3, ja3.toLowerCase(), 8);
    if (row.established === true) s.established = true;
  }

  private x509(row: Row): void {
    const id = str(row, 'fingerprint', 128) ?? str(row, 'id', 128);
    if (id === undefined) return this.skip('x509 without fingerprint or id');
    if (this.certs.has(id)) return;
    const pick = (dot: string, under: string) => (row[dot] !== undefined ? dot : under);
    const info: CertInfo = {
      subject: str(row, pick('certificate.subject', 'certificate_subject'), 1024),
      issuer: str(row, pick('certificate.issuer', 'certificate_issuer'), 1024),
      notBefore: num(row, pick('certificate.not_valid_before', 'certificate_not_valid_before')),
      notAfter: num(row, pick('certificate.not_valid_after', 'certificate_not_valid_after')),
    };
    const sha1 = str(row, 'sha1', 64);
    if (sha1 !== undefined) info.sha1 = sha1.toLowerCase();
    if (typeof row.self_signed === 'boolean') info.selfSigned = row.self_signed;
    this.certs.set(id, info);
  }

  private filesRow(row: Row, ms: number, ref: EventRef): void {
    const mime = str(row, 'mime_type', 128);
    const isCert = mime !== undefined && /x509|x-x509|pkix-cert/i.test(mime);
    // The sender of the file: the server for certificates and downloads.
    const isOrig = row.is_orig === true;
    const tx = strs(row, 'tx_hosts', 4, 64)?.[0];
    const peer = tx ?? (isOrig ? origHost(row) : respHost(row));
    const device = isOrig ? respHost(row) : origHost(row);
    for (const kind of ['sha256', 'sha1', 'md5'] as const) {
      const h = str(row, kind, 128);
      if (h === undefined) continue;
      const hash = h.toLowerCase();
      const key = `${kind}:${hash}`;
      let f = this.files.get(key);
      if (!f) this.files.set(key, (f = { ...newAgg(ms), hash, kind, peer, isCertificate: isCert, mime }));
      this.touch(f, ms, ref, device);
    }
  }

  private idsRow(row: Row, ms: number, ref: EventRef): void {
    const sid = num(row, 'signature_id');
    if (sid === undefined) return this.skip('ids alert without signature_id');
    const dst = respHost(row);
    const src = origHost(row);
    const key = `${sid}|${src ?? ''}|${dst ?? ''}`;
    let a = this.ids.get(key);
    if (!a) {
      a = { ...newAgg(ms), sid, signature: str(row, 'signature', 512) ?? `sid ${sid}`, severity: num(row, 'severity'), src, dst };
      this.ids.set(key, a);
    }
    this.touch(a, ms, ref, src);
  }
}

/** The URL a request asked for, in the indicator's canonical form (`new URL().href`). */
export function httpUrl(host: string, port: number | undefined, uri: string): string | undefined {
  try {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
      const u = new URL(uri);
      u.hash = '';
      return u.href;
    }
    const hostPart = host.includes(':') ? `[${host}]` : host;
    const u = new URL(`http://${hostPart}${port !== undefined && port !== 80 ? `:${port}` : ''}${uri.startsWith('/') ? '' : '/'}${uri}`);
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}
