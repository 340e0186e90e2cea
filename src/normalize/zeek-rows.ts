/**
 * Zeek-shaped network records: the rows of Zeek's conn, dns, http, ssl, x509 and files logs,
 * under Zeek's own field names and with Zeek's meanings, so that a Zeek user reads them without
 * a dictionary. Our packet dissector writes them, the Zeek log and Suricata EVE readers read
 * into them, and `zeekRowToEvents` (zeek.ts) turns them into Loupe events.
 *
 * Value conventions (the same as Zeek's JSON logs): `time` is epoch *seconds* as a float;
 * `interval` is seconds; `count`/`port` are numbers; `bool` is boolean; sets and vectors are
 * arrays; an unset field is absent (never zero or the empty string).
 */

export type ZeekLogType = 'conn' | 'dns' | 'http' | 'ssl' | 'x509' | 'files' | 'notice' | 'weird' | (string & {});

export interface ZeekConnId {
  'id.orig_h': string;
  'id.orig_p': number;
  'id.resp_h': string;
  'id.resp_p': number;
}

export interface ConnRow extends ZeekConnId {
  ts: number;
  uid: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'unknown_transport' | (string & {});
  service?: string;
  duration?: number;
  orig_bytes?: number;
  resp_bytes?: number;
  conn_state?: string;
  local_orig?: boolean;
  local_resp?: boolean;
  missed_bytes?: number;
  history?: string;
  orig_pkts?: number;
  orig_ip_bytes?: number;
  resp_pkts?: number;
  resp_ip_bytes?: number;
  tunnel_parents?: string[];
  orig_l2_addr?: string;
  resp_l2_addr?: string;
  vlan?: number;
  inner_vlan?: number;
  community_id?: string;
  ip_proto?: number;
}

export interface DnsRow extends ZeekConnId {
  ts: number;
  uid: string;
  proto: string;
  trans_id?: number;
  rtt?: number;
  query?: string;
  qclass?: number;
  qclass_name?: string;
  qtype?: number;
  qtype_name?: string;
  rcode?: number;
  rcode_name?: string;
  AA?: boolean;
  TC?: boolean;
  RD?: boolean;
  RA?: boolean;
  Z?: number;
  answers?: string[];
  TTLs?: number[];
  rejected?: boolean;
}

export interface HttpRow extends ZeekConnId {
  ts: number;
  uid: string;
  trans_depth?: number;
  method?: string;
  host?: string;
  uri?: string;
  referrer?: string;
  version?: string;
  user_agent?: string;
  origin?: string;
  request_body_len?: number;
  response_body_len?: number;
  status_code?: number;
  status_msg?: string;
  info_code?: number;
  info_msg?: string;
  tags?: string[];
  username?: string;
  password?: string;
  proxied?: string[];
  orig_fuids?: string[];
  orig_filenames?: string[];
  orig_mime_types?: string[];
  resp_fuids?: string[];
  resp_filenames?: string[];
  resp_mime_types?: string[];
}

export interface SslRow extends ZeekConnId {
  ts: number;
  uid: string;
  version?: string;
  cipher?: string;
  curve?: string;
  server_name?: string;
  resumed?: boolean;
  last_alert?: string;
  next_protocol?: string;
  established?: boolean;
  ssl_history?: string;
  cert_chain_fps?: string[];
  client_cert_chain_fps?: string[];
  /** Older Zeek versions log file ids and the leaf's subject/issuer here. */
  cert_chain_fuids?: string[];
  client_cert_chain_fuids?: string[];
  subject?: string;
  issuer?: string;
  client_subject?: string;
  client_issuer?: string;
  validation_status?: string;
  sni_matches_cert?: boolean;
  ja3?: string;
  ja3s?: string;
  ja4?: string;
}

export interface X509Row {
  ts: number;
  /** Zeek 5+: SHA-256 fingerprint of the certificate; older Zeek logged a file id as `id`. */
  fingerprint?: string;
  id?: string;
  'certificate.version'?: number;
  'certificate.serial'?: string;
  'certificate.subject'?: string;
  'certificate.issuer'?: string;
  'certificate.not_valid_before'?: number;
  'certificate.not_valid_after'?: number;
  'certificate.key_alg'?: string;
  'certificate.sig_alg'?: string;
  'certificate.key_type'?: string;
  'certificate.key_length'?: number;
  'certificate.exponent'?: string;
  'certificate.curve'?: string;
  'san.dns'?: string[];
  'san.uri'?: string[];
  'san.email'?: string[];
  'san.ip'?: string[];
  'basic_constraints.ca'?: boolean;
  'basic_constraints.path_len'?: number;
  host_cert?: boolean;
  client_cert?: boolean;
  /** Loupe additions (not in Zeek's x509 log): SHA-1 of the DER, and whether subject == issuer with a valid self-signature. */
  sha1?: string;
  self_signed?: boolean;
}

export interface FilesRow {
  ts: number;
  fuid: string;
  uid?: string;
  'id.orig_h'?: string;
  'id.orig_p'?: number;
  'id.resp_h'?: string;
  'id.resp_p'?: number;
  /** Zeek before 5.0 logged these instead of uid/id. */
  conn_uids?: string[];
  tx_hosts?: string[];
  rx_hosts?: string[];
  source?: string;
  depth?: number;
  analyzers?: string[];
  mime_type?: string;
  filename?: string;
  duration?: number;
  local_orig?: boolean;
  is_orig?: boolean;
  seen_bytes?: number;
  total_bytes?: number;
  missing_bytes?: number;
  overflow_bytes?: number;
  timedout?: boolean;
  parent_fuid?: string;
  md5?: string;
  sha1?: string;
  sha256?: string;
  extracted?: string;
}

/** Suricata alerts (EVE `alert`) carried beside the Zeek rows. */
export interface IdsAlertRow extends ZeekConnId {
  ts: number;
  proto: string;
  signature_id: number;
  signature: string;
  category?: string;
  severity?: number;
  action?: string;
  rev?: number;
  gid?: number;
  flow_id?: number;
}

export interface ZeekRowMap {
  conn: ConnRow;
  dns: DnsRow;
  http: HttpRow;
  ssl: SslRow;
  x509: X509Row;
  files: FilesRow;
  ids_alert: IdsAlertRow;
}

/** One record with the log it belongs to; other Zeek logs (notice, weird, smb_*...) travel as generic rows. */
export type NetworkRecord =
  | { log: 'conn'; row: ConnRow }
  | { log: 'dns'; row: DnsRow }
  | { log: 'http'; row: HttpRow }
  | { log: 'ssl'; row: SslRow }
  | { log: 'x509'; row: X509Row }
  | { log: 'files'; row: FilesRow }
  | { log: 'ids_alert'; row: IdsAlertRow }
  | { log: string & {}; row: Record<string, unknown> & { ts: number } };
