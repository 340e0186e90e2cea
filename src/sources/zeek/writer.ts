/**
 * Writes Zeek ASCII (TSV) logs as Zeek's own writer does: the same header lines, the same
 * escaping (`\xNN` for separators and non-printable bytes, `\\` for backslash, `-` / `(empty)`
 * escaped when they are the value), times with six decimals. zeek-cut and Zeek's readers accept it.
 */
import { SCHEMAS, type LogSchema } from './schema.js';

const SEP = '\t';
const SET_SEP = ',';
const EMPTY = '(empty)';
const UNSET = '-';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Zeek's `#open`/`#close` stamp: local-time-free `YYYY-MM-DD-HH-MM-SS` (we write UTC). */
export function zeekStamp(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
}

/** Escapes one string the way Zeek's ASCII writer does. */
export function escapeZeek(s: string, inSet: boolean): string {
  if (s === UNSET) return '\\x2d';
  if (s === EMPTY) return '\\x28empty)';
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (c < 0x20 || c === 0x7f || ch === SEP || (inSet && ch === SET_SEP)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

function scalar(type: string, v: unknown, inSet: boolean): string {
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
      return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(6) : UNSET;
    case 'count':
    case 'int':
    case 'port':
      return typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : UNSET;
    case 'bool':
      return v === true ? 'T' : v === false ? 'F' : UNSET;
    default:
      if (v === undefined || v === null) return UNSET;
      {
        const s = String(v);
        return s.length === 0 ? EMPTY : escapeZeek(s, inSet);
      }
  }
}

export function formatZeekValue(type: string, v: unknown): string {
  if (v === undefined || v === null) return UNSET;
  const m = /^(?:set|vector)\[(.*)\]$/.exec(type);
  if (m) {
    if (!Array.isArray(v)) return UNSET;
    if (v.length === 0) return EMPTY;
    return v.map((x) => scalar(m[1]!, x, true)).join(SET_SEP);
  }
  return scalar(type, v, false);
}

export class ZeekTsvWriter {
  readonly schema: LogSchema;
  constructor(log: keyof typeof SCHEMAS | LogSchema, private readonly now: () => Date = () => new Date()) {
    this.schema = typeof log === 'string' ? SCHEMAS[log] : log;
  }

  header(): string {
    const s = this.schema;
    return [
      '#separator \\x09',
      `#set_separator${SEP}${SET_SEP}`,
      `#empty_field${SEP}${EMPTY}`,
      `#unset_field${SEP}${UNSET}`,
      `#path${SEP}${s.path}`,
      `#open${SEP}${zeekStamp(this.now())}`,
      `#fields${SEP}${s.fields.map((f) => f[0]).join(SEP)}`,
      `#types${SEP}${s.fields.map((f) => f[1]).join(SEP)}`,
    ].join('\n') + '\n';
  }

  row(r: Record<string, unknown>): string {
    return this.schema.fields.map(([name, type]) => formatZeekValue(type, r[name])).join(SEP) + '\n';
  }

  close(): string {
    return `#close${SEP}${zeekStamp(this.now())}\n`;
  }
}
