/**
 * Loupe's one event type. Every reader turns its records into `Event`s; every detector and the
 * graph read them. Field names follow the Elastic Common Schema (ECS) so that analysts who know
 * Elastic, Winlogbeat or Filebeat find what they expect, with a few Loupe-specific groups where
 * ECS has nothing (`target.process` for process access and remote threads, `zeek` for the
 * connection state of network records).
 *
 * Rules that hold for every event:
 * - `@timestamp` is UTC epoch milliseconds, always (never seconds, never local time).
 * - `raw` keeps the record's own fields, flat, under their original names: Sigma rules match
 *   against these (`Image`, `CommandLine`, `EventID`, `id.orig_h`, ...).
 * - `origin` says where the record came from, precisely enough to find it again.
 * - Unknown values are left out (undefined), never filled with zero or empty strings.
 */

/** ECS `event.category` values Loupe uses. */
export type EventCategory =
  | 'process'
  | 'network'
  | 'file'
  | 'registry'
  | 'library'
  | 'authentication'
  | 'session'
  | 'iam'
  | 'configuration'
  | 'driver'
  | 'intrusion_detection'
  | 'host'
  | 'web'
  | 'malware';

/**
 * What happened, in Loupe's own words; one per kind of record the graph and the detectors care
 * about. ECS `event.action` carries it.
 */
export type EventAction =
  | 'process-start'
  | 'process-end'
  | 'network-connection'
  | 'dns-query'
  | 'http-request'
  | 'tls-session'
  | 'file-create'
  | 'file-modify'
  | 'file-delete'
  | 'file-rename'
  | 'file-access'
  | 'file-stream-create'
  | 'registry-key-create'
  | 'registry-key-delete'
  | 'registry-value-set'
  | 'registry-value-delete'
  | 'registry-key-rename'
  | 'registry-key-access'
  | 'image-load'
  | 'driver-load'
  | 'process-access'
  | 'remote-thread'
  | 'raw-access-read'
  | 'pipe-create'
  | 'pipe-connect'
  | 'logon'
  | 'logon-failed'
  | 'special-logon'
  | 'service-install'
  | 'scheduled-task-create'
  | 'user-create'
  | 'wmi-event'
  | 'clipboard-change'
  | 'process-tampering'
  | 'script-block'
  | 'pipeline-execution'
  | 'ids-alert'
  | 'file-transfer'
  | 'other';

export interface HashSet {
  md5?: string;
  sha1?: string;
  sha256?: string;
  imphash?: string;
}

export interface ProcessFields {
  pid?: number;
  /** ProcessGuid where the source has one (Sysmon), without braces, upper case. */
  entity_id?: string;
  name?: string;
  executable?: string;
  command_line?: string;
  working_directory?: string;
  /** Epoch ms; known for process-start events and where the source states it. */
  start?: number;
  end?: number;
  exit_code?: number;
  hash?: HashSet;
  integrity_level?: string;
  user?: UserFields;
  pe?: { original_file_name?: string; description?: string; product?: string; company?: string; file_version?: string };
  code_signature?: { subject_name?: string; signed?: boolean; valid?: boolean; status?: string };
  thread?: { id?: number };
  parent?: Omit<ProcessFields, 'parent'>;
}

export interface UserFields {
  name?: string;
  domain?: string;
  id?: string;
}

export interface FileFields {
  path?: string;
  name?: string;
  directory?: string;
  extension?: string;
  hash?: HashSet;
  size?: number;
  mime_type?: string;
  /** For renames and copies: the path before (the new one is `path`). */
  original_path?: string;
  created?: number;
}

export interface RegistryFields {
  /** Full path as written by the source, hive abbreviated as HKLM / HKU / HKCU / HKCR / HKCC. */
  path?: string;
  hive?: string;
  key?: string;
  value?: string;
  data?: { strings?: string[]; type?: string };
}

export interface EndpointFields {
  ip?: string;
  port?: number;
  domain?: string;
  mac?: string;
  bytes?: number;
  packets?: number;
}

export interface DnsAnswer {
  name?: string;
  type?: string;
  data: string;
  ttl?: number;
}

export interface DnsFields {
  id?: number;
  question?: { name: string; type?: string; class?: string };
  answers?: DnsAnswer[];
  resolved_ip?: string[];
  response_code?: string;
  header_flags?: string[];
}

export interface UrlFields {
  original?: string;
  full?: string;
  scheme?: string;
  domain?: string;
  port?: number;
  path?: string;
  query?: string;
}

export interface HttpFields {
  version?: string;
  request?: { method?: string; referrer?: string; body?: { bytes?: number }; mime_type?: string };
  response?: { status_code?: number; body?: { bytes?: number }; mime_type?: string };
}

export interface X509Fields {
  subject?: { distinguished_name?: string; common_name?: string[] };
  issuer?: { distinguished_name?: string; common_name?: string[] };
  not_before?: number;
  not_after?: number;
  serial_number?: string;
  alternative_names?: string[];
  /** Loupe: SHA-1 of the DER certificate, lower-case hex (what TinyCheck's sha1cert IOCs use). */
  sha1?: string;
  self_signed?: boolean;
}

export interface TlsFields {
  version?: string;
  version_protocol?: string;
  cipher?: string;
  established?: boolean;
  resumed?: boolean;
  next_protocol?: string;
  client?: { server_name?: string; ja3?: string; ja4?: string; supported_ciphers?: string[] };
  server?: { ja3s?: string; x509?: X509Fields; hash?: { sha1?: string }; issuer?: string; subject?: string; not_before?: number; not_after?: number };
}

export interface EventOrigin {
  /** The evidence file as the user named it; for an archive member: `archive.zip!/member.json`. */
  file: string;
  /** Reader format id, e.g. `evtx`, `nxlog-json`, `zeek-tsv`. */
  format: string;
  /** 1-based record number within the file (EVTX record id or running count). */
  record?: number;
  /** 1-based line number for line-oriented formats. */
  line?: number;
  /** Byte offset in the (decompressed) file. */
  offset?: number;
}

export interface Event {
  '@timestamp': number;
  event: {
    kind: 'event' | 'alert' | 'state';
    category: EventCategory[];
    type: string[];
    action: EventAction;
    /** The source's own event code: the Windows event id, the Zeek log name, the sandbox verb. */
    code?: string;
    provider?: string;
    /** e.g. `windows.sysmon`, `windows.security`, `zeek.conn`, `sandbox.virustotal`. */
    dataset?: string;
    duration?: number;
    outcome?: 'success' | 'failure' | 'unknown';
  };
  host?: { name?: string; ip?: string[] };
  process?: ProcessFields;
  user?: UserFields;
  file?: FileFields;
  /** For image and driver loads (ECS `dll`). */
  dll?: { path?: string; name?: string; hash?: HashSet; code_signature?: ProcessFields['code_signature'] };
  registry?: RegistryFields;
  source?: EndpointFields;
  destination?: EndpointFields;
  network?: { transport?: string; protocol?: string; direction?: string; bytes?: number; packets?: number; community_id?: string };
  dns?: DnsFields;
  url?: UrlFields;
  http?: HttpFields;
  user_agent?: { original?: string };
  tls?: TlsFields;
  /** Loupe: the other process in process-access and remote-thread events. */
  target?: { process?: Omit<ProcessFields, 'parent'>; user?: UserFields };
  /** Logon details (ECS puts these under `winlog.logon`). */
  winlog?: {
    channel?: string;
    event_id?: number;
    record_id?: number;
    provider_name?: string;
    computer_name?: string;
    logon?: { type?: string; id?: string };
  };
  /** Loupe: Zeek connection semantics on network records (from captures or Zeek logs). */
  zeek?: { uid?: string; conn_state?: string; history?: string; service?: string; missed_bytes?: number; log?: string };
  rule?: { id?: string; name?: string; category?: string };
  message?: string;
  tags?: string[];
  raw: Record<string, unknown>;
  origin: EventOrigin;
}

/** Builds an event with the fields every event must have. */
export function baseEvent(
  ts: number,
  action: EventAction,
  category: EventCategory[],
  type: string[],
  raw: Record<string, unknown>,
  origin: EventOrigin,
): Event {
  return { '@timestamp': ts, event: { kind: 'event', category, type, action }, raw, origin };
}
