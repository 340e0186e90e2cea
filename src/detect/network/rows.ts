/**
 * Reading Zeek-shaped rows off events. Network events carry the row as `raw` under Zeek's own
 * names; some Zeek JSON exports (the APT29 set) write `id_orig_h` for `id.orig_h`, so both are
 * read. Values from evidence are checked for type and bounded here, once.
 */
import type { Event } from '../../normalize/event.js';

export type Row = Record<string, unknown>;

export function logOf(ev: Event): string | undefined {
  const l = ev.zeek?.log;
  if (l !== undefined) return l;
  const ds = ev.event.dataset;
  return ds !== undefined && ds.startsWith('zeek.') ? ds.slice(5) : undefined;
}

export function str(row: Row, key: string, max = 1024): string | undefined {
  const v = row[key];
  if (typeof v !== 'string' || v.length === 0 || v === '-') return undefined;
  return v.length > max ? v.slice(0, max) : v;
}

export function num(row: Row, key: string): number | undefined {
  const v = row[key];
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v !== '' && v !== '-') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function strs(row: Row, key: string, maxItems = 64, maxLen = 1024): string[] | undefined {
  const v = row[key];
  if (!Array.isArray(v)) return typeof v === 'string' && v !== '' && v !== '-' ? [v.slice(0, maxLen)] : undefined;
  const out: string[] = [];
  for (const x of v) {
    if (typeof x === 'string' && x !== '' && x !== '-') out.push(x.length > maxLen ? x.slice(0, maxLen) : x);
    if (out.length >= maxItems) break;
  }
  return out;
}

function dotted(row: Row, dot: string, under: string): unknown {
  const v = row[dot];
  return v !== undefined ? v : row[under];
}

export function respHost(row: Row): string | undefined {
  const v = dotted(row, 'id.resp_h', 'id_resp_h');
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
}

export function origHost(row: Row): string | undefined {
  const v = dotted(row, 'id.orig_h', 'id_orig_h');
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : undefined;
}

export function respPort(row: Row): number | undefined {
  const v = dotted(row, 'id.resp_p', 'id_resp_p');
  return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
}

/** Zeek times are epoch seconds (floats); events carry ms. */
export function tsSeconds(ev: Event, row: Row): number {
  const t = row.ts;
  return typeof t === 'number' && Number.isFinite(t) ? t : ev['@timestamp'] / 1000;
}
