/**
 * Zeek's ASCII (TSV) log format: a header (`#separator`, `#set_separator`, `#empty_field`,
 * `#unset_field`, `#path`, `#fields`, `#types`) then one tab-separated row per line, values
 * escaped as `\xNN`. Several header blocks may follow one another (concatenated or rotated
 * logs). Values become the JSON-log conventions of zeek-rows.ts: numbers, booleans, arrays,
 * unset fields absent.
 */
export interface TsvHeader {
  separator: string;
  setSeparator: string;
  emptyField: string;
  unsetField: string;
  path?: string;
  fields?: string[];
  types?: string[];
}

export type TsvRow = Record<string, unknown>;

/** One line's outcome: a row, a header line (nothing to emit), or a damaged line with the reason. */
export type TsvLineResult = { kind: 'row'; path: string | undefined; row: TsvRow; problems?: string[] } | { kind: 'header' } | { kind: 'error'; reason: string };

/** Undoes Zeek's ASCII escaping (`\xNN` bytes, `\\`), decoding the bytes as UTF-8. */
export function unescapeZeek(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  if (!/\\x[0-9a-fA-F]{2}/.test(s)) return s.replace(/\\\\/g, '\\');
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5c && s[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
      bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
      i += 3;
    } else if (c === 0x5c && s[i + 1] === '\\') {
      bytes.push(0x5c);
      i += 1;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const NUMERIC = new Set(['time', 'interval', 'double', 'count', 'int', 'port']);

function convertScalar(type: string, v: string, problems: string[], name: string): unknown {
  if (NUMERIC.has(type)) {
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) {
      problems.push(`${name}: not a number: ${v.slice(0, 40)}`);
      return undefined;
    }
    return n;
  }
  if (type === 'bool') {
    if (v === 'T') return true;
    if (v === 'F') return false;
    problems.push(`${name}: not a bool: ${v.slice(0, 40)}`);
    return undefined;
  }
  return unescapeZeek(v.length > MAX_VALUE ? v.slice(0, MAX_VALUE) : v);
}

/** Evidence strings are hostile: one value may not exceed this many characters. */
const MAX_VALUE = 65536;

export class ZeekTsvParser {
  header: TsvHeader = { separator: '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
  private innerTypes: Array<{ container: boolean; inner: string }> = [];

  /** Parses one line (without its line break). */
  line(line: string): TsvLineResult {
    if (line.startsWith('#')) return this.headerLine(line);
    if (line.length === 0) return { kind: 'header' };
    const h = this.header;
    if (!h.fields) return { kind: 'error', reason: 'data line before any #fields header' };
    const cols = line.split(h.separator);
    if (cols.length !== h.fields.length) {
      return { kind: 'error', reason: `expected ${h.fields.length} fields, found ${cols.length}` };
    }
    const row: TsvRow = {};
    const problems: string[] = [];
    for (let i = 0; i < cols.length; i++) {
      const v = cols[i]!;
      if (v === h.unsetField) continue;
      const name = h.fields[i]!;
      const t = this.innerTypes[i];
      if (!t) {
        row[name] = unescapeZeek(v.length > MAX_VALUE ? v.slice(0, MAX_VALUE) : v);
        continue;
      }
      if (t.container) {
        if (v === h.emptyField) {
          row[name] = [];
          continue;
        }
        const out: unknown[] = [];
        for (const part of v.split(h.setSeparator)) {
          if (part === h.unsetField) continue;
          const c = convertScalar(t.inner, part, problems, name);
          if (c !== undefined) out.push(c);
        }
        row[name] = out;
        continue;
      }
      if (v === h.emptyField && !NUMERIC.has(t.inner) && t.inner !== 'bool') {
        row[name] = '';
        continue;
      }
      const c = convertScalar(t.inner, v, problems, name);
      if (c !== undefined) row[name] = c;
    }
    return problems.length > 0 ? { kind: 'row', path: h.path, row, problems } : { kind: 'row', path: h.path, row };
  }

  private headerLine(line: string): TsvLineResult {
    const h = this.header;
    if (line.startsWith('#separator ')) {
      // A new block starts: reset what the previous block said.
      this.header = { separator: unescapeZeek(line.slice(11).trim()) || '\t', setSeparator: ',', emptyField: '(empty)', unsetField: '-' };
      this.innerTypes = [];
      return { kind: 'header' };
    }
    const sep = h.separator;
    const key = line.slice(1, line.indexOf(sep) > 0 ? line.indexOf(sep) : undefined);
    const rest = line.indexOf(sep) > 0 ? line.slice(line.indexOf(sep) + sep.length) : '';
    switch (key) {
      case 'set_separator':
        h.setSeparator = unescapeZeek(rest);
        break;
      case 'empty_field':
        h.emptyField = rest;
        break;
      case 'unset_field':
        h.unsetField = rest;
        break;
      case 'path':
        h.path = rest;
        break;
      case 'fields':
        h.fields = rest.split(sep);
        this.innerTypes = [];
        break;
      case 'types':
        h.types = rest.split(sep);
        this.innerTypes = h.types.map((t) => {
          const m = /^(?:set|vector|table)\[(.*)\]$/.exec(t);
          return m ? { container: true, inner: m[1]! } : { container: false, inner: t };
        });
        break;
      default:
        // #open, #close and comments (btest banners) carry nothing we need.
        break;
    }
    return { kind: 'header' };
  }
}

/** Whole-text convenience (tests, small files): rows with their paths, and the damaged lines. */
export function parseZeekTsv(text: string): { path?: string; rows: TsvRow[]; errors: Array<{ line: number; reason: string }> } {
  const p = new ZeekTsvParser();
  const rows: TsvRow[] = [];
  const errors: Array<{ line: number; reason: string }> = [];
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (i === lines.length - 1 && l === '') return;
    const r = p.line(l);
    if (r.kind === 'row') rows.push(r.row);
    else if (r.kind === 'error') errors.push({ line: i + 1, reason: r.reason });
  });
  return { path: p.header.path, rows, errors };
}

/**
 * `zeek-cut` output (a line of column names, then tab-separated values, no #types): typed with
 * the standard schema of `log` where it names the column, else kept as strings.
 */
export function parseZeekCut(text: string, types: Record<string, string>): TsvRow[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)).filter((l) => l.length > 0 && !l.startsWith('#'));
  if (lines.length === 0) return [];
  const p = new ZeekTsvParser();
  const fields = lines[0]!.split('\t');
  p.line(`#fields\t${fields.join('\t')}`);
  p.line(`#types\t${fields.map((f) => types[f] ?? 'string').join('\t')}`);
  const rows: TsvRow[] = [];
  for (const l of lines.slice(1)) {
    const r = p.line(l);
    if (r.kind === 'row') rows.push(r.row);
  }
  return rows;
}
