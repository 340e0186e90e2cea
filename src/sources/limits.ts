/**
 * Bounds on what one record may carry. Evidence is hostile: a 10 MB command line must not become
 * a 10 MB graph label, a 10 MB SQLite row per occurrence, or a 10 MB string in an HTML report.
 * Oversized strings are cut (with a marker saying how much) and reported; the record is kept.
 */
import { bound } from '../normalize/values.js';

const MAX_FIELD_CHARS = 1024 * 1024;

/** Cuts every string value of `data` (one level, and inside arrays) longer than the limit. */
export function boundStrings(data: Record<string, unknown>, report: (field: string, size: number) => void): void {
  for (const k in data) {
    const v = data[k];
    if (typeof v === 'string') {
      if (v.length > MAX_FIELD_CHARS) {
        report(k, v.length);
        data[k] = bound(v, MAX_FIELD_CHARS);
      }
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const s = v[i];
        if (typeof s === 'string' && s.length > MAX_FIELD_CHARS) {
          report(`${k}[${i}]`, s.length);
          v[i] = bound(s, MAX_FIELD_CHARS);
        }
      }
    }
  }
}
boundStrings.MAX = MAX_FIELD_CHARS;
