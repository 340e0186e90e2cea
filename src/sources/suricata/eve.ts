/**
 * Suricata EVE JSON (one event per line) into the Zeek-shaped rows of zeek-rows.ts: flow → conn,
 * dns → dns, http → http, tls → ssl (+ x509 for the certificate), fileinfo → files, alert →
 * ids_alert, anomaly → weird. Fields Suricata does not give stay unset (EVE flow byte counts are
 * whole-packet counts, so they fill *_ip_bytes, not the payload *_bytes).
 */
import type { ConnRow, DnsRow, FilesRow, HttpRow, IdsAlertRow, NetworkRecord, SslRow, X509Row } from '../../normalize/zeek-rows.js';

type J = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): J | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as J) : undefined);

/** EVE times: `2020-05-01T07:03:39.797806+0000` → epoch seconds with the microseconds kept. */
export function eveTime(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)?$/.exec(v.trim());
  if (!m) return undefined;
  const zone = m[3] === undefined || m[3] === 'Z' ? 'Z' : `${m[3].slice(0, 3)}:${m[3].slice(-2)}`;
  const base = Date.parse(`${m[1]}${zone}`);
  if (!Number.isFinite(base)) return undefined;
  return base / 1000 + (m[2] ? Number(`0.${m[2]}`) : 0);
}

function ids(e: J): { 'id.orig_h': string; 'id.orig_p': number; 'id.resp_h': string; 'id.resp_p': number } {
  return {
    'id.orig_h': str(e.src_ip) ?? '',
    'id.orig_p': num(e.src_port) ?? 0,
    'id.resp_h': str(e.dest_ip) ?? '',
    'id.resp_p': num(e.dest_port) ?? 0,
  };
}

const uidOf = (e: J): string => (e.flow_id !== undefined ? `S${String(e.flow_id)}` : 'S0');
const protoOf = (e: J): string => (str(e.proto) ?? 'unknown_transport').toLowerCase().replace(/^ipv6-icmp$/, 'icmp');

function connState(e: J, f: J): string | undefined {
  const proto = protoOf(e);
  const toClient = num(f.pkts_toclient) ?? 0;
  const toServer = num(f.pkts_toserver) ?? 0;
  if (proto === 'udp') return toServer > 0 ? (toClient > 0 ? 'SF' : 'S0') : toClient > 0 ? 'SHR' : 'OTH';
  if (proto !== 'tcp') return 'OTH';
  const tcp = obj(e.tcp) ?? {};
  const syn = tcp.syn === true;
  const rst = tcp.rst === true;
  const fin = tcp.fin === true;
  const state = str(tcp.state);
  if (syn && toClient === 0) return 'S0';
  if (rst) return toClient > 0 ? 'RSTO' : 'REJ';
  if (state === 'closed' || (fin && state === 'closed')) return 'SF';
  if (state === 'established') return 'S1';
  return 'OTH';
}

const TLS_VERSION: Record<string, string> = { 'TLS 1.3': 'TLSv13', 'TLS 1.2': 'TLSv12', 'TLS 1.1': 'TLSv11', 'TLS 1.0': 'TLSv10', 'SSLv3': 'SSLv3', 'SSLv2': 'SSLv2', 'DTLS 1.2': 'DTLSv12', 'DTLS 1.0': 'DTLSv10' };

/** One EVE event to zero or more rows; `undefined` when the event is not one Loupe maps (stats). */
export function eveToRecords(e: J): NetworkRecord[] | undefined {
  const type = str(e.event_type);
  const ts = eveTime(e.timestamp);
  if (!type || ts === undefined) return [];
  const base = { ts, uid: uidOf(e), ...ids(e) };
  switch (type) {
    case 'flow':
    case 'netflow': {
      const f = obj(e.flow) ?? obj(e.netflow) ?? {};
      const start = eveTime(f.start) ?? ts;
      const end = eveTime(f.end);
      const row: ConnRow = { ...base, ts: start, proto: protoOf(e) };
      const app = str(e.app_proto);
      if (app && app !== 'failed' && app !== 'unknown') row.service = app === 'tls' ? 'ssl' : app;
      if (end !== undefined && end > start) row.duration = Math.round((end - start) * 1e6) / 1e6;
      const cs = connState(e, f);
      if (cs) row.conn_state = cs;
      if (num(f.pkts_toserver) !== undefined) row.orig_pkts = num(f.pkts_toserver);
      if (num(f.bytes_toserver) !== undefined) row.orig_ip_bytes = num(f.bytes_toserver);
      if (num(f.pkts_toclient) !== undefined) row.resp_pkts = num(f.pkts_toclient);
      if (num(f.bytes_toclient) !== undefined) row.resp_ip_bytes = num(f.bytes_toclient);
      if (str(e.community_id)) row.community_id = str(e.community_id);
      return [{ log: 'conn', row }];
    }
    case 'dns': {
      const d = obj(e.dns) ?? {};
      const row: DnsRow = { ...base, proto: protoOf(e) };
      if (num(d.id) !== undefined) row.trans_id = num(d.id);
      // EVE v2 has rrname/rrtype at the top; v3 (Suricata 8) has queries[].
      const q = obj(Array.isArray(d.queries) ? d.queries[0] : undefined) ?? d;
      if (str(q.rrname)) row.query = str(q.rrname)!.toLowerCase();
      if (str(q.rrtype)) row.qtype_name = str(q.rrtype);
      if (str(d.rcode)) row.rcode_name = str(d.rcode);
      const flags = d.flags !== undefined ? parseInt(String(d.flags), 16) : NaN;
      if (d.aa !== undefined) row.AA = d.aa === true;
      if (d.tc !== undefined) row.TC = d.tc === true;
      if (d.rd !== undefined) row.RD = d.rd === true;
      if (d.ra !== undefined) row.RA = d.ra === true;
      if (Number.isFinite(flags) && d.rd === undefined) row.RD = (flags & 0x100) !== 0;
      const answers: string[] = [];
      const ttls: number[] = [];
      if (Array.isArray(d.answers)) {
        for (const a of d.answers) {
          const ao = obj(a);
          if (!ao) continue;
          const data = str(ao.rdata);
          if (data === undefined) continue;
          answers.push(data);
          ttls.push(num(ao.ttl) ?? 0);
        }
      } else if (str(d.rdata)) {
        answers.push(str(d.rdata)!);
        ttls.push(num(d.ttl) ?? 0);
      } else if (obj(d.grouped)) {
        for (const list of Object.values(obj(d.grouped)!)) if (Array.isArray(list)) for (const v of list) if (typeof v === 'string') answers.push(v);
      }
      if (answers.length > 0) {
        row.answers = answers;
        if (ttls.length === answers.length) row.TTLs = ttls;
      }
      return [{ log: 'dns', row }];
    }
    case 'http': {
      const h = obj(e.http) ?? {};
      const row: HttpRow = { ...base };
      if (num(e.tx_id) !== undefined) row.trans_depth = num(e.tx_id)! + 1;
      if (str(h.http_method)) row.method = str(h.http_method);
      if (str(h.hostname)) row.host = h.http_port !== undefined ? `${str(h.hostname)}:${String(h.http_port)}` : str(h.hostname);
      if (str(h.url)) row.uri = str(h.url);
      if (str(h.http_refer)) row.referrer = str(h.http_refer);
      const proto = str(h.protocol);
      if (proto) row.version = proto.replace(/^HTTP\//, '');
      if (str(h.http_user_agent)) row.user_agent = str(h.http_user_agent);
      if (num(h.status) !== undefined) row.status_code = num(h.status);
      else if (typeof h.status === 'string' && /^\d+$/.test(h.status)) row.status_code = Number(h.status);
      if (num(h.length) !== undefined) row.response_body_len = num(h.length);
      if (str(h.http_content_type)) row.resp_mime_types = [str(h.http_content_type)!.split(';')[0]!.trim()];
      return [{ log: 'http', row }];
    }
    case 'tls': {
      const t = obj(e.tls) ?? {};
      const row: SslRow = { ...base };
      const v = str(t.version);
      if (v) row.version = TLS_VERSION[v] ?? v;
      if (str(t.sni)) row.server_name = str(t.sni);
      if (str(t.subject)) row.subject = str(t.subject);
      if (str(t.issuerdn)) row.issuer = str(t.issuerdn);
      const ja3 = obj(t.ja3);
      if (ja3 && str(ja3.hash)) row.ja3 = str(ja3.hash);
      const ja3s = obj(t.ja3s);
      if (ja3s && str(ja3s.hash)) row.ja3s = str(ja3s.hash);
      if (str(t.ja4)) row.ja4 = str(t.ja4);
      row.resumed = t.session_resumed === true;
      const out: NetworkRecord[] = [{ log: 'ssl', row }];
      if (str(t.subject) || str(t.fingerprint)) {
        const x: X509Row = { ts };
        if (str(t.subject)) x['certificate.subject'] = str(t.subject);
        if (str(t.issuerdn)) x['certificate.issuer'] = str(t.issuerdn);
        if (str(t.serial)) x['certificate.serial'] = str(t.serial)!.replace(/:/g, '').toUpperCase();
        const nb = eveTime(t.notbefore);
        const na = eveTime(t.notafter);
        if (nb !== undefined) x['certificate.not_valid_before'] = nb;
        if (na !== undefined) x['certificate.not_valid_after'] = na;
        if (str(t.fingerprint)) x.sha1 = str(t.fingerprint)!.replace(/:/g, '').toLowerCase();
        x.host_cert = true;
        x.client_cert = false;
        out.push({ log: 'x509', row: x });
      }
      return out;
    }
    case 'fileinfo': {
      const f = obj(e.fileinfo) ?? {};
      const row: FilesRow = { ...base, fuid: `F${uidOf(e).slice(1)}-${String(num(f.file_id) ?? num(e.tx_id) ?? 0)}` };
      const app = str(e.app_proto);
      if (app) row.source = app.toUpperCase();
      if (str(f.filename)) row.filename = str(f.filename);
      if (str(f.mimetype)) row.mime_type = str(f.mimetype);
      if (num(f.size) !== undefined) row.seen_bytes = num(f.size);
      for (const h of ['md5', 'sha1', 'sha256'] as const) if (str(f[h])) row[h] = str(f[h])!.toLowerCase();
      return [{ log: 'files', row }];
    }
    case 'alert': {
      const a = obj(e.alert) ?? {};
      if (num(a.signature_id) === undefined) return [];
      const row: IdsAlertRow = { ...base, proto: protoOf(e), signature_id: num(a.signature_id)!, signature: str(a.signature) ?? '' };
      if (str(a.category)) row.category = str(a.category);
      if (num(a.severity) !== undefined) row.severity = num(a.severity);
      if (str(a.action)) row.action = str(a.action);
      if (num(a.rev) !== undefined) row.rev = num(a.rev);
      if (num(a.gid) !== undefined) row.gid = num(a.gid);
      if (num(e.flow_id) !== undefined) row.flow_id = num(e.flow_id);
      return [{ log: 'ids_alert', row }];
    }
    case 'anomaly': {
      const a = obj(e.anomaly) ?? {};
      return [{ log: 'weird', row: { ...base, name: str(a.event) ?? str(a.type) ?? 'anomaly', addl: str(a.layer), source: 'suricata' } }];
    }
    case 'stats':
      return undefined;
    default:
      return [{ log: `suricata_${type.replace(/[^a-z0-9_]/gi, '_').slice(0, 32)}`, row: { ...base, ...flatScalars(e) } }];
  }
}

/** Top-level scalar fields of an event we do not map, kept so nothing is lost. */
function flatScalars(e: J): J {
  const out: J = {};
  for (const [k, v] of Object.entries(e)) if (typeof v !== 'object' && k !== 'timestamp') out[k] = typeof v === 'string' ? v.slice(0, 4096) : v;
  return out;
}
