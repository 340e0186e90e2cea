/**
 * The standard columns of the Zeek logs Loupe writes and reads (Zeek 6/7 defaults), with Zeek's
 * type names. The TSV writer emits exactly these headers; readers use the types to coerce JSON
 * values written by older or renamed exporters.
 */
export type ZeekType =
  | 'time' | 'interval' | 'double' | 'count' | 'int' | 'port' | 'bool' | 'string' | 'addr' | 'subnet' | 'enum'
  | (string & {});

export interface LogSchema {
  path: string;
  fields: Array<[name: string, type: ZeekType]>;
}

const ID: Array<[string, ZeekType]> = [
  ['id.orig_h', 'addr'],
  ['id.orig_p', 'port'],
  ['id.resp_h', 'addr'],
  ['id.resp_p', 'port'],
];

export const SCHEMAS: Record<'conn' | 'dns' | 'http' | 'ssl' | 'x509' | 'files', LogSchema> = {
  conn: {
    path: 'conn',
    fields: [
      ['ts', 'time'], ['uid', 'string'], ...ID, ['proto', 'enum'], ['service', 'string'], ['duration', 'interval'],
      ['orig_bytes', 'count'], ['resp_bytes', 'count'], ['conn_state', 'string'], ['local_orig', 'bool'],
      ['local_resp', 'bool'], ['missed_bytes', 'count'], ['history', 'string'], ['orig_pkts', 'count'],
      ['orig_ip_bytes', 'count'], ['resp_pkts', 'count'], ['resp_ip_bytes', 'count'], ['tunnel_parents', 'set[string]'],
      ['ip_proto', 'count'],
    ],
  },
  dns: {
    path: 'dns',
    fields: [
      ['ts', 'time'], ['uid', 'string'], ...ID, ['proto', 'enum'], ['trans_id', 'count'], ['rtt', 'interval'],
      ['query', 'string'], ['qclass', 'count'], ['qclass_name', 'string'], ['qtype', 'count'], ['qtype_name', 'string'],
      ['rcode', 'count'], ['rcode_name', 'string'], ['AA', 'bool'], ['TC', 'bool'], ['RD', 'bool'], ['RA', 'bool'],
      ['Z', 'count'], ['answers', 'vector[string]'], ['TTLs', 'vector[interval]'], ['rejected', 'bool'],
    ],
  },
  http: {
    path: 'http',
    fields: [
      ['ts', 'time'], ['uid', 'string'], ...ID, ['trans_depth', 'count'], ['method', 'string'], ['host', 'string'],
      ['uri', 'string'], ['referrer', 'string'], ['version', 'string'], ['user_agent', 'string'], ['origin', 'string'],
      ['request_body_len', 'count'], ['response_body_len', 'count'], ['status_code', 'count'], ['status_msg', 'string'],
      ['info_code', 'count'], ['info_msg', 'string'], ['tags', 'set[enum]'], ['username', 'string'], ['password', 'string'],
      ['proxied', 'set[string]'], ['orig_fuids', 'vector[string]'], ['orig_filenames', 'vector[string]'],
      ['orig_mime_types', 'vector[string]'], ['resp_fuids', 'vector[string]'], ['resp_filenames', 'vector[string]'],
      ['resp_mime_types', 'vector[string]'],
    ],
  },
  ssl: {
    path: 'ssl',
    fields: [
      ['ts', 'time'], ['uid', 'string'], ...ID, ['version', 'string'], ['cipher', 'string'], ['curve', 'string'],
      ['server_name', 'string'], ['resumed', 'bool'], ['last_alert', 'string'], ['next_protocol', 'string'],
      ['established', 'bool'], ['ssl_history', 'string'], ['cert_chain_fps', 'vector[string]'],
      ['client_cert_chain_fps', 'vector[string]'], ['sni_matches_cert', 'bool'], ['ja3', 'string'], ['ja3s', 'string'],
      ['ja4', 'string'],
    ],
  },
  x509: {
    path: 'x509',
    fields: [
      ['ts', 'time'], ['fingerprint', 'string'], ['certificate.version', 'count'], ['certificate.serial', 'string'],
      ['certificate.subject', 'string'], ['certificate.issuer', 'string'], ['certificate.not_valid_before', 'time'],
      ['certificate.not_valid_after', 'time'], ['certificate.key_alg', 'string'], ['certificate.sig_alg', 'string'],
      ['certificate.key_type', 'string'], ['certificate.key_length', 'count'], ['certificate.exponent', 'string'],
      ['certificate.curve', 'string'], ['san.dns', 'vector[string]'], ['san.uri', 'vector[string]'],
      ['san.email', 'vector[string]'], ['san.ip', 'vector[addr]'], ['basic_constraints.ca', 'bool'],
      ['basic_constraints.path_len', 'count'], ['host_cert', 'bool'], ['client_cert', 'bool'], ['sha1', 'string'],
      ['self_signed', 'bool'],
    ],
  },
  files: {
    path: 'files',
    fields: [
      ['ts', 'time'], ['fuid', 'string'], ['uid', 'string'], ...ID, ['source', 'string'], ['depth', 'count'],
      ['analyzers', 'set[string]'], ['mime_type', 'string'], ['filename', 'string'], ['duration', 'interval'],
      ['local_orig', 'bool'], ['is_orig', 'bool'], ['seen_bytes', 'count'], ['total_bytes', 'count'],
      ['missing_bytes', 'count'], ['overflow_bytes', 'count'], ['timedout', 'bool'], ['parent_fuid', 'string'],
      ['md5', 'string'], ['sha1', 'string'], ['sha256', 'string'],
    ],
  },
};

/** Zeek's dotted record fields that some JSON exporters flatten with `_` (`id_orig_h`). */
const DOTTED_PREFIXES = ['id_', 'certificate_', 'san_', 'basic_constraints_'] as const;
const DOTTED_EXACT = new Set(['id_orig_h', 'id_orig_p', 'id_resp_h', 'id_resp_p']);

/** `id_orig_h` → `id.orig_h`, `certificate_subject` → `certificate.subject`; others unchanged. */
export function undotName(name: string): string {
  if (DOTTED_EXACT.has(name)) return `id.${name.slice(3)}`;
  for (const p of DOTTED_PREFIXES) {
    if (p !== 'id_' && name.startsWith(p) && name.length > p.length) return `${p.slice(0, -1)}.${name.slice(p.length)}`;
  }
  return name;
}
