/**
 * Zeek-shaped rows (conn, dns, http, ssl, x509, files, Suricata alerts, and any other Zeek log)
 * into Loupe events with ECS field names. The row itself travels as `event.raw`, so Sigma's Zeek
 * rules and the network detectors can read Zeek's own field names (`id.orig_h`, `query`, ...).
 *
 * Conventions: `@timestamp` is epoch ms (Zeek's `ts` is epoch seconds); `event.duration` is in
 * nanoseconds as ECS defines it (Zeek's `duration` is seconds); unset Zeek fields stay unset.
 */
import { baseEvent } from './event.js';
import type { DnsAnswer, Event, EventOrigin, X509Fields } from './event.js';
import type { ConnRow, DnsRow, FilesRow, HttpRow, IdsAlertRow, SslRow, X509Row } from './zeek-rows.js';

type AnyRow = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
const strs = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;

/** Epoch seconds (float) to epoch ms, kept to the microsecond Zeek writes. */
export function zeekTimeToMs(ts: number): number {
  return Math.round(ts * 1e6) / 1e3;
}

/** Zeek's `duration` (seconds) to ECS `event.duration` (nanoseconds). */
function secondsToNs(s: number | undefined): number | undefined {
  return s === undefined ? undefined : Math.round(s * 1e9);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
function looksLikeIp(s: string): boolean {
  return IPV4.test(s) || (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s));
}

/** Fills source/destination/network from the `id.*` fields that most Zeek logs carry. */
function fillEndpoints(ev: Event, row: AnyRow): void {
  const oh = str(row['id.orig_h']);
  const rh = str(row['id.resp_h']);
  const op = num(row['id.orig_p']);
  const rp = num(row['id.resp_p']);
  if (oh !== undefined || op !== undefined) ev.source = { ip: oh, port: op };
  if (rh !== undefined || rp !== undefined) ev.destination = { ip: rh, port: rp };
  const proto = str(row.proto);
  if (proto !== undefined) ev.network = { ...ev.network, transport: proto.toLowerCase() };
}

function fillZeek(ev: Event, log: string, row: AnyRow): void {
  const z: NonNullable<Event['zeek']> = { log };
  const uid = str(row.uid);
  if (uid !== undefined) z.uid = uid;
  const cs = str(row.conn_state);
  if (cs !== undefined) z.conn_state = cs;
  const h = str(row.history);
  if (h !== undefined) z.history = h;
  const svc = str(row.service);
  if (svc !== undefined) z.service = svc;
  const mb = num(row.missed_bytes);
  if (mb !== undefined) z.missed_bytes = mb;
  ev.zeek = z;
}

/** ECS-style TLS version: Zeek `TLSv12` → version `1.2`, protocol `tls`; `DTLSv12` → `1.2`/`dtls`; `SSLv3` → `3.0`/`ssl`. */
export function tlsVersionParts(v: string): { version?: string; protocol?: string } {
  const m = /^(D?TLS|SSL)v(\d)(\d)?$/i.exec(v);
  if (!m) return {};
  const protocol = m[1]!.toLowerCase();
  const version = m[3] !== undefined ? `${m[2]}.${m[3]}` : `${m[2]}.0`;
  return { version, protocol };
}

function connEvent(row: ConnRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'network-connection', ['network'], ['connection'], row as unknown as AnyRow, origin);
  fillEndpoints(ev, row as unknown as AnyRow);
  if (ev.source) {
    if (num(row.orig_bytes) !== undefined) ev.source.bytes = row.orig_bytes;
    if (num(row.orig_pkts) !== undefined) ev.source.packets = row.orig_pkts;
    if (str(row.orig_l2_addr)) ev.source.mac = row.orig_l2_addr;
  }
  if (ev.destination) {
    if (num(row.resp_bytes) !== undefined) ev.destination.bytes = row.resp_bytes;
    if (num(row.resp_pkts) !== undefined) ev.destination.packets = row.resp_pkts;
    if (str(row.resp_l2_addr)) ev.destination.mac = row.resp_l2_addr;
  }
  const net = ev.network ?? {};
  const service = str(row.service);
  if (service !== undefined) net.protocol = service.split(',')[0]!.toLowerCase();
  if (num(row.orig_bytes) !== undefined || num(row.resp_bytes) !== undefined) net.bytes = (row.orig_bytes ?? 0) + (row.resp_bytes ?? 0);
  if (num(row.orig_pkts) !== undefined || num(row.resp_pkts) !== undefined) net.packets = (row.orig_pkts ?? 0) + (row.resp_pkts ?? 0);
  if (str(row.community_id)) net.community_id = row.community_id;
  ev.network = net;
  const d = secondsToNs(num(row.duration));
  if (d !== undefined) ev.event.duration = d;
  ev.event.type = ['connection', 'end'];
  return ev;
}

function dnsEvent(row: DnsRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'dns-query', ['network'], ['protocol', 'info'], row as unknown as AnyRow, origin);
  fillEndpoints(ev, row as unknown as AnyRow);
  ev.network = { ...ev.network, protocol: 'dns' };
  const dns: NonNullable<Event['dns']> = {};
  if (num(row.trans_id) !== undefined) dns.id = row.trans_id;
  const q = str(row.query);
  if (q !== undefined) {
    dns.question = { name: q };
    if (str(row.qtype_name)) dns.question.type = row.qtype_name;
    else if (num(row.qtype) !== undefined) dns.question.type = String(row.qtype);
    if (str(row.qclass_name)) dns.question.class = row.qclass_name;
  }
  const answers = strs(row.answers);
  if (answers && answers.length > 0) {
    const ttls = Array.isArray(row.TTLs) ? row.TTLs : [];
    dns.answers = answers.map((data, i): DnsAnswer => {
      const a: DnsAnswer = { data };
      const ttl = num(ttls[i]);
      if (ttl !== undefined) a.ttl = ttl;
      return a;
    });
    const ips = answers.filter(looksLikeIp);
    if (ips.length > 0) dns.resolved_ip = ips;
  }
  if (str(row.rcode_name)) dns.response_code = row.rcode_name;
  else if (num(row.rcode) !== undefined) dns.response_code = String(row.rcode);
  const flags: string[] = [];
  if (row.AA === true) flags.push('AA');
  if (row.TC === true) flags.push('TC');
  if (row.RD === true) flags.push('RD');
  if (row.RA === true) flags.push('RA');
  if (flags.length > 0) dns.header_flags = flags;
  ev.dns = dns;
  if (dns.response_code !== undefined) ev.event.outcome = dns.response_code === 'NOERROR' ? 'success' : 'failure';
  return ev;
}

/** Splits a Host header value into name and port (`example.com:8080`, `[::1]:80`). */
function splitHost(host: string): { domain: string; port?: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (v6) return { domain: v6[1]!, port: v6[2] ? Number(v6[2]) : undefined };
  const m = /^([^:]+):(\d+)$/.exec(host);
  if (m) return { domain: m[1]!, port: Number(m[2]) };
  return { domain: host };
}

function httpEvent(row: HttpRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'http-request', ['network', 'web'], ['protocol', 'access'], row as unknown as AnyRow, origin);
  fillEndpoints(ev, row as unknown as AnyRow);
  ev.network = { ...ev.network, protocol: 'http' };
  const http: NonNullable<Event['http']> = {};
  if (str(row.version)) http.version = row.version;
  const req: NonNullable<NonNullable<Event['http']>['request']> = {};
  if (str(row.method)) req.method = row.method;
  if (str(row.referrer)) req.referrer = row.referrer;
  if (num(row.request_body_len) !== undefined) req.body = { bytes: row.request_body_len };
  const reqMime = strs(row.orig_mime_types)?.[0];
  if (reqMime) req.mime_type = reqMime;
  if (Object.keys(req).length > 0) http.request = req;
  const res: NonNullable<NonNullable<Event['http']>['response']> = {};
  if (num(row.status_code) !== undefined) res.status_code = row.status_code;
  if (num(row.response_body_len) !== undefined) res.body = { bytes: row.response_body_len };
  const resMime = strs(row.resp_mime_types)?.[0];
  if (resMime) res.mime_type = resMime;
  if (Object.keys(res).length > 0) http.response = res;
  ev.http = http;
  const uri = str(row.uri);
  const host = str(row.host);
  if (uri !== undefined || host !== undefined) {
    const url: NonNullable<Event['url']> = {};
    if (uri !== undefined) {
      url.original = uri;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(uri)) {
        // Proxy requests carry an absolute URI.
        url.full = uri;
      }
      const pathPart = uri.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
      const qi = pathPart.indexOf('?');
      url.path = qi >= 0 ? pathPart.slice(0, qi) : pathPart;
      if (qi >= 0) url.query = pathPart.slice(qi + 1);
    }
    if (host !== undefined) {
      const h = splitHost(host);
      url.domain = h.domain;
      if (h.port !== undefined) url.port = h.port;
      if (ev.destination) ev.destination.domain = h.domain;
      if (url.full === undefined && uri !== undefined) url.full = `http://${host}${uri.startsWith('/') ? '' : '/'}${uri}`;
    }
    if (url.scheme === undefined && url.full !== undefined) url.scheme = url.full.slice(0, url.full.indexOf(':')).toLowerCase();
    ev.url = url;
  }
  if (str(row.user_agent)) ev.user_agent = { original: row.user_agent };
  if (row.status_code !== undefined) ev.event.outcome = row.status_code < 400 ? 'success' : 'failure';
  return ev;
}

function sslEvent(row: SslRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'tls-session', ['network'], ['protocol', 'connection'], row as unknown as AnyRow, origin);
  fillEndpoints(ev, row as unknown as AnyRow);
  ev.network = { ...ev.network, protocol: 'tls' };
  const tls: NonNullable<Event['tls']> = {};
  if (str(row.version)) {
    const p = tlsVersionParts(row.version!);
    if (p.version) tls.version = p.version;
    if (p.protocol) tls.version_protocol = p.protocol;
  }
  if (str(row.cipher)) tls.cipher = row.cipher;
  if (bool(row.established) !== undefined) tls.established = row.established;
  if (bool(row.resumed) !== undefined) tls.resumed = row.resumed;
  if (str(row.next_protocol)) tls.next_protocol = row.next_protocol;
  const client: NonNullable<NonNullable<Event['tls']>['client']> = {};
  if (str(row.server_name)) {
    client.server_name = row.server_name;
    if (ev.destination) ev.destination.domain = row.server_name;
  }
  if (str(row.ja3)) client.ja3 = row.ja3;
  if (str(row.ja4)) client.ja4 = row.ja4;
  if (Object.keys(client).length > 0) tls.client = client;
  const server: NonNullable<NonNullable<Event['tls']>['server']> = {};
  if (str(row.ja3s)) server.ja3s = row.ja3s;
  if (str(row.subject)) server.subject = row.subject;
  if (str(row.issuer)) server.issuer = row.issuer;
  if (Object.keys(server).length > 0) tls.server = server;
  ev.tls = tls;
  if (row.established !== undefined) ev.event.outcome = row.established ? 'success' : 'failure';
  return ev;
}

/** `CN=a,O=b` → the CN values. Zeek writes DNs comma-separated, RFC 4514 style (escapes `\,`). */
export function commonNames(dn: string): string[] {
  const out: string[] = [];
  for (const part of dn.split(/(?<!\\),/)) {
    const m = /^\s*CN=(.*)$/i.exec(part);
    if (m) out.push(m[1]!.replace(/\\,/g, ','));
  }
  return out;
}

function x509Event(row: X509Row, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'other', ['network'], ['info'], row as unknown as AnyRow, origin);
  const x: X509Fields = {};
  const subj = str(row['certificate.subject']);
  if (subj) x.subject = { distinguished_name: subj, common_name: commonNames(subj) };
  const iss = str(row['certificate.issuer']);
  if (iss) x.issuer = { distinguished_name: iss, common_name: commonNames(iss) };
  const nb = num(row['certificate.not_valid_before']);
  if (nb !== undefined) x.not_before = zeekTimeToMs(nb);
  const na = num(row['certificate.not_valid_after']);
  if (na !== undefined) x.not_after = zeekTimeToMs(na);
  if (str(row['certificate.serial'])) x.serial_number = row['certificate.serial'];
  const sans = strs(row['san.dns']);
  if (sans && sans.length > 0) x.alternative_names = sans;
  if (str(row.sha1)) x.sha1 = row.sha1;
  if (bool(row.self_signed) !== undefined) x.self_signed = row.self_signed;
  const server: NonNullable<NonNullable<Event['tls']>['server']> = { x509: x };
  if (x.sha1) server.hash = { sha1: x.sha1 };
  if (subj) server.subject = subj;
  if (iss) server.issuer = iss;
  if (x.not_before !== undefined) server.not_before = x.not_before;
  if (x.not_after !== undefined) server.not_after = x.not_after;
  ev.tls = { server };
  ev.event.code = 'x509';
  return ev;
}

function filesEvent(row: FilesRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'file-transfer', ['file', 'network'], ['info'], row as unknown as AnyRow, origin);
  fillEndpoints(ev, row as unknown as AnyRow);
  if (!ev.source && !ev.destination) {
    // Zeek before 5.0: the sender and receiver are tx_hosts / rx_hosts.
    const tx = strs(row.tx_hosts)?.[0];
    const rx = strs(row.rx_hosts)?.[0];
    if (tx) ev.source = { ip: tx };
    if (rx) ev.destination = { ip: rx };
  }
  const file: NonNullable<Event['file']> = {};
  const hash: NonNullable<NonNullable<Event['file']>['hash']> = {};
  if (str(row.md5)) hash.md5 = row.md5!.toLowerCase();
  if (str(row.sha1)) hash.sha1 = row.sha1!.toLowerCase();
  if (str(row.sha256)) hash.sha256 = row.sha256!.toLowerCase();
  if (Object.keys(hash).length > 0) file.hash = hash;
  const size = num(row.total_bytes) ?? num(row.seen_bytes);
  if (size !== undefined) file.size = size;
  if (str(row.mime_type)) file.mime_type = row.mime_type;
  if (str(row.filename)) {
    file.name = row.filename!.split(/[\\/]/).pop();
    file.path = row.filename;
  }
  ev.file = file;
  const svc = str(row.source);
  if (svc) ev.network = { ...ev.network, protocol: svc.toLowerCase() };
  const d = secondsToNs(num(row.duration));
  if (d !== undefined) ev.event.duration = d;
  return ev;
}

function idsAlertEvent(row: IdsAlertRow, origin: EventOrigin): Event {
  const ev = baseEvent(zeekTimeToMs(row.ts), 'ids-alert', ['intrusion_detection', 'network'], ['info'], row as unknown as AnyRow, origin);
  ev.event.kind = 'alert';
  fillEndpoints(ev, row as unknown as AnyRow);
  ev.rule = { id: String(row.signature_id), name: row.signature };
  if (str(row.category)) ev.rule.category = row.category;
  ev.message = row.signature;
  return ev;
}

function genericEvent(log: string, row: AnyRow, origin: EventOrigin): Event | undefined {
  const ts = num(row.ts);
  if (ts === undefined) return undefined;
  const ev = baseEvent(zeekTimeToMs(ts), 'other', ['network'], ['info'], row, origin);
  fillEndpoints(ev, row);
  const msg = str(row.msg) ?? str(row.name) ?? str(row.note);
  if (msg) ev.message = msg.slice(0, 4096);
  return ev;
}

/**
 * One Zeek-shaped row to one event; undefined when the row lacks what every event needs (a
 * numeric `ts`, or for typed logs the fields that make the row what it is).
 */
export function zeekRowToEvent(log: string, row: Record<string, unknown>, origin: EventOrigin): Event | undefined {
  if (num(row.ts) === undefined) return undefined;
  let ev: Event | undefined;
  switch (log) {
    case 'conn':
      ev = connEvent(row as unknown as ConnRow, origin);
      break;
    case 'dns':
      ev = dnsEvent(row as unknown as DnsRow, origin);
      break;
    case 'http':
      ev = httpEvent(row as unknown as HttpRow, origin);
      break;
    case 'ssl':
      ev = sslEvent(row as unknown as SslRow, origin);
      break;
    case 'x509':
      ev = x509Event(row as unknown as X509Row, origin);
      break;
    case 'files':
      ev = filesEvent(row as unknown as FilesRow, origin);
      break;
    case 'ids_alert':
      if (num(row.signature_id) === undefined) return undefined;
      ev = idsAlertEvent(row as unknown as IdsAlertRow, origin);
      break;
    default:
      ev = genericEvent(log, row, origin);
  }
  if (!ev) return undefined;
  ev.event.dataset = `zeek.${log}`;
  ev.event.provider = 'zeek';
  if (ev.event.code === undefined) ev.event.code = log;
  fillZeek(ev, log, row);
  return ev;
}
