/**
 * Zeek JSON logs (one object per line) into Zeek-shaped rows: flattened names are put back to
 * Zeek's dotted form (`id_orig_h` → `id.orig_h`, as Corelight and Security Onion exporters write
 * them), ISO timestamps become epoch seconds, and the log type is taken from `_path` / `@stream`
 * when present, else inferred from the field set, with the file name only as a tie-breaker.
 */
import { undotName } from './schema.js';

export type JsonRow = Record<string, unknown>;

const PATH_KEYS = ['_path', '@stream', 'log_type', '_log'];

/** Times may be epoch seconds (default) or ISO 8601 (`LogAscii::json_timestamps`). */
function toEpochSeconds(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    if (/^\d+(\.\d+)?$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    if (Number.isFinite(ms)) {
      // Keep microseconds Date.parse would drop.
      const frac = /\.(\d+)/.exec(v)?.[1];
      const base = Math.floor(ms / 1000);
      return frac !== undefined ? base + Number(`0.${frac}`) : ms / 1000;
    }
  }
  return undefined;
}

/** Evidence strings are hostile: one value may not exceed this many characters. */
export const MAX_VALUE = 65536;

function bound(v: unknown): unknown {
  if (typeof v === 'string') return v.length > MAX_VALUE ? v.slice(0, MAX_VALUE) : v;
  if (Array.isArray(v)) return v.slice(0, 4096).map((x) => (typeof x === 'string' && x.length > MAX_VALUE ? x.slice(0, MAX_VALUE) : x));
  return v;
}

const TIME_FIELDS = ['ts', 'certificate.not_valid_before', 'certificate.not_valid_after'];

/** The log name from the file name: `conn.log`, `NASHUA_conn.log`, `conn.00:00:00-01:00:00.log.gz`, `dns.json`. */
export function logFromFileName(name: string): string | undefined {
  const base = name.split(/[\\/!]/).pop() ?? name;
  const m = /(?:^|[_\-.])([a-z0-9_]+?)(?:\.\d\d:\d\d:\d\d-\d\d:\d\d:\d\d)?\.(?:log|json|ndjson|jsonl)(?:\.gz)?$/i.exec(base);
  if (!m) return undefined;
  const parts = m[1]!.toLowerCase().split('_');
  // `NASHUA_conn` → `conn`; `smb_files` keeps both words.
  const known = ['conn', 'dns', 'http', 'ssl', 'x509', 'files', 'notice', 'weird', 'dhcp', 'ssh', 'smtp', 'ftp', 'kerberos', 'dce_rpc', 'smb_files', 'smb_mapping', 'ntlm', 'rdp', 'dpd', 'pe', 'software', 'tunnel', 'snmp', 'sip', 'radius', 'irc', 'mysql', 'ntp', 'quic', 'ocsp'];
  for (let i = 0; i < parts.length; i++) {
    const tail = parts.slice(i).join('_');
    if (known.includes(tail)) return tail;
  }
  return parts[parts.length - 1];
}

/** Infers the Zeek log of a row from its fields. Returns undefined when nothing fits. */
export function inferLog(row: JsonRow, fileName?: string): string | undefined {
  const has = (k: string) => k in row;
  const candidates: string[] = [];
  if (has('conn_state') || (has('history') && has('orig_bytes')) || (has('orig_pkts') && has('resp_pkts'))) candidates.push('conn');
  if (has('query') && (has('qtype') || has('qtype_name') || has('trans_id') || has('rcode'))) candidates.push('dns');
  if (has('trans_depth') || (has('method') && has('uri')) || (has('status_code') && has('user_agent'))) candidates.push('http');
  if (has('ssl_history') || (has('cipher') && has('version')) || (has('server_name') && has('established'))) candidates.push('ssl');
  if (has('certificate.subject') || has('certificate.serial') || has('certificate.version')) candidates.push('x509');
  if (has('fuid') && (has('seen_bytes') || has('analyzers') || has('source') || has('mime_type'))) candidates.push('files');
  if (has('note') && has('msg')) candidates.push('notice');
  if (has('name') && has('notice') && has('peer')) candidates.push('weird');
  if (candidates.length === 1) return candidates[0];
  const fromName = fileName ? logFromFileName(fileName) : undefined;
  if (fromName && (candidates.length === 0 || candidates.includes(fromName))) return fromName;
  return candidates[0];
}

/**
 * A parsed JSON object to a Zeek-shaped row and its log. `fallbackLog` is used when the object
 * names no log and its fields fit none (e.g. a rare log in a file whose name says what it is).
 */
export function jsonToRow(obj: JsonRow, fileName?: string): { log: string | undefined; row: JsonRow } {
  const row: JsonRow = {};
  let log: string | undefined;
  for (const k of Object.keys(obj)) {
    if (PATH_KEYS.includes(k) && typeof obj[k] === 'string') {
      log ??= obj[k] as string;
      continue;
    }
    row[undotName(k)] = bound(obj[k]);
  }
  for (const f of TIME_FIELDS) {
    if (f in row) {
      const t = toEpochSeconds(row[f]);
      if (t === undefined) delete row[f];
      else row[f] = t;
    }
  }
  log ??= inferLog(row, fileName);
  return { log, row };
}

/** A quick look at the first JSON line of a head: does it look like a Zeek log record? */
export function looksLikeZeekJson(obj: JsonRow): boolean {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
  if (('_path' in obj || '@stream' in obj) && 'ts' in obj) return true;
  // Zeek's list of loaded scripts is the one log whose rows have no time.
  if ((obj._path ?? obj['@stream']) === 'loaded_scripts' && 'name' in obj) return true;
  const hasId = 'id.orig_h' in obj || 'id_orig_h' in obj;
  if ('ts' in obj && 'uid' in obj && hasId) return true;
  // x509 and files rows have no uid / id.
  if ('ts' in obj && ('fuid' in obj || 'certificate.subject' in obj || 'certificate_subject' in obj)) return true;
  return false;
}
