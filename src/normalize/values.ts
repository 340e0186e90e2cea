/**
 * Small, strict conversions for values as logs write them: numbers as decimal or hex strings,
 * GUIDs with or without braces, Sysmon's `Hashes` lists, the many ways of writing a time.
 * Each returns undefined for what it cannot read, never a made-up value.
 */
import type { HashSet } from './event.js';

/** An integer from a number, a decimal string or a `0x` hex string. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (s === '' || s === '-') return undefined;
  if (s.length > 2 && (s[1] === 'x' || s[1] === 'X') && s[0] === '0') {
    const n = Number.parseInt(s.slice(2), 16);
    return Number.isFinite(n) && /^[0-9a-fA-F]+$/.test(s.slice(2)) ? n : undefined;
  }
  if (!/^-?\d+$/.test(s)) return undefined;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A non-empty string, with Windows' placeholder `-` read as absent. */
export function toStr(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v === '' || v === '-' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function toBool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  if (s === 'true' || s === '1' || s === 't' || s === 'yes') return true;
  if (s === 'false' || s === '0' || s === 'f' || s === 'no') return false;
  return undefined;
}

/** `{0197231E-F943-...}` and `0197231e-f943-...` are the same GUID: braces off, upper case. */
export function normGuid(v: unknown): string | undefined {
  const s = toStr(v);
  if (!s) return undefined;
  const t = s.startsWith('{') && s.endsWith('}') ? s.slice(1, -1) : s;
  if (/^0{8}-0{4}-0{4}-0{4}-0{12}$/.test(t)) return undefined;
  return t.toUpperCase();
}

/** Sysmon's `MD5=..,SHA256=..,IMPHASH=..` (also `SHA1=`), or a bare hash by its length. */
export function parseHashes(v: unknown): HashSet | undefined {
  const s = toStr(v);
  if (!s) return undefined;
  const out: HashSet = {};
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) {
      const h = part.trim().toLowerCase();
      if (/^[0-9a-f]+$/.test(h)) {
        if (h.length === 32) out.md5 = h;
        else if (h.length === 40) out.sha1 = h;
        else if (h.length === 64) out.sha256 = h;
      }
      continue;
    }
    const alg = part.slice(0, eq).trim().toUpperCase();
    const val = part.slice(eq + 1).trim().toLowerCase();
    if (!/^[0-9a-f]+$/.test(val)) continue;
    if (alg === 'MD5') out.md5 = val;
    else if (alg === 'SHA1') out.sha1 = val;
    else if (alg === 'SHA256') out.sha256 = val;
    else if (alg === 'IMPHASH') out.imphash = val;
  }
  return Object.keys(out).length ? out : undefined;
}

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * A time written with its zone (ISO 8601 with `Z` or an offset), or a naive time that the caller
 * says is UTC (`assumeUtc`, e.g. Sysmon's `UtcTime`). Fractions beyond milliseconds are cut.
 */
export function parseTime(v: unknown, assumeUtc = false): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string') {
    const fast = fastUtc(v);
    if (fast !== undefined) return fast;
  }
  const s = toStr(v)?.trim();
  if (!s) return undefined;
  if (ISO_WITH_ZONE.test(s)) {
    // Date.parse handles only 3 fraction digits portably: trim the rest.
    const t = Date.parse(s.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T'));
    return Number.isFinite(t) ? t : undefined;
  }
  if (!assumeUtc) return undefined;
  return naiveAsUtc(s);
}

function digits(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * `YYYY-MM-DD[T ]hh:mm:ss[.f...]` in the first `n` characters of `s`, read as UTC, without a
 * regular expression: every Sysmon record carries two or three such times. Undefined when the
 * text is anything else (the callers then take the general path).
 */
function fastDateTime(s: string, n: number): number | undefined {
  if (n < 19 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined;
  const t = s.charCodeAt(10);
  if (t !== 84 && t !== 32) return undefined;
  const y = digits(s, 0, 4), mo = digits(s, 5, 2), d = digits(s, 8, 2), h = digits(s, 11, 2), mi = digits(s, 14, 2), se = digits(s, 17, 2);
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60) return undefined;
  let ms = 0;
  if (n > 19) {
    if (s.charCodeAt(19) !== 46) return undefined;
    const fracDigits = n - 20;
    if (fracDigits < 1) return undefined;
    const f = digits(s, 20, Math.min(3, fracDigits));
    if (f < 0 || (fracDigits > 3 && digits(s, 23, fracDigits - 3) < 0)) return undefined;
    ms = fracDigits >= 3 ? f : fracDigits === 2 ? f * 10 : f * 100;
  }
  return utcMs(y, mo, d, h, mi, se, ms);
}

/** Date.UTC, except that years 0-99 are those years, not 1900-1999. Out-of-range parts carry over. */
function utcMs(y: number, mo: number, d: number, h: number, mi: number, se: number, ms: number): number {
  if (y >= 100) return Date.UTC(y, mo - 1, d, h, mi, se, ms);
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.setUTCHours(h, mi, se, ms);
}

/** The same, ending in `Z`. */
function fastUtc(s: string): number | undefined {
  const n = s.length;
  return s.charCodeAt(n - 1) === 90 /* Z */ ? fastDateTime(s, n - 1) : undefined;
}

/** A zone-less `YYYY-MM-DD hh:mm:ss[.fff]` read as if it were UTC. */
export function naiveAsUtc(s: string): number | undefined {
  const fast = fastDateTime(s, s.length);
  if (fast !== undefined) return fast;
  const m = NAIVE.exec(s.trim());
  if (!m) return undefined;
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  const t = utcMs(+m[1], +m[2], +m[3], +m[4], +m[5], +m[6], ms);
  return Number.isFinite(t) ? t : undefined;
}

/** Windows FILETIME (100 ns since 1601) to epoch ms. */
export function filetimeToMs(ft: bigint): number {
  return Number(ft / 10000n) - 11644473600000;
}

/** `C:\Windows\System32\cmd.exe` → `{ directory: 'C:\Windows\System32', name: 'cmd.exe', extension: 'exe' }`. */
export function splitPath(path: string): { directory?: string; name: string; extension?: string } {
  const i = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  const name = i >= 0 ? path.slice(i + 1) : path;
  const directory = i > 0 ? path.slice(0, i) : undefined;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && dot < name.length - 1 ? name.slice(dot + 1).toLowerCase() : undefined;
  return { directory, name, extension };
}

/** Drops undefined members so stored events stay small and JSON round-trips exactly. */
export function compact<T extends object>(o: T): T | undefined {
  let any = false;
  for (const k of Object.keys(o) as Array<keyof T>) {
    if (o[k] === undefined) delete o[k];
    else any = true;
  }
  return any ? o : undefined;
}

/** Cuts a hostile, oversized string to `max` characters, saying how much was cut. */
export function bound(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…[${s.length - max} more characters]`;
}
