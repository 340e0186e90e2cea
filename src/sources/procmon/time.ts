/**
 * Procmon's clock as it exports it: `Time of Day` is a local wall-clock time with no date, on a
 * 12-hour clock with AM/PM in English locales (`1:02:03.4567890 PM`) or a 24-hour one elsewhere;
 * `Date & Time` (optional column) is a locale-formatted date and time (`5/6/2019 1:02:03 PM`,
 * `06.05.2019 13:02:03`, `2019-05-06 13:02:03`).
 *
 * 12-hour rules: 12:xx AM is 0:xx, 1-11 AM unchanged, 12:xx PM is 12:xx, 1-11 PM add 12.
 * Fractions have up to 7 digits (100 ns); milliseconds are kept, the rest is cut.
 */

export interface TimeOfDay {
  /** Milliseconds since midnight. */
  ms: number;
  /** The fraction beyond milliseconds, in 100 ns units (0-9999), for ordering. */
  sub: number;
}

const TIME = /^(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,7}))?\s*(AM|PM|a\.m\.|p\.m\.)?$/i;

export function parseTimeOfDay(s: string): TimeOfDay | undefined {
  const m = TIME.exec(s.trim());
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = Number(m[2]);
  const sec = Number(m[3]);
  if (min > 59 || sec > 60) return undefined;
  const ampm = m[5]?.toLowerCase().replace(/\./g, '');
  if (ampm) {
    if (h < 1 || h > 12) return undefined;
    if (ampm === 'am') h = h === 12 ? 0 : h;
    else h = h === 12 ? 12 : h + 12;
  } else if (h > 23) return undefined;
  const frac = (m[4] ?? '').padEnd(7, '0');
  const ms = Number(frac.slice(0, 3));
  const sub = Number(frac.slice(3, 7));
  return { ms: ((h * 60 + min) * 60 + sec) * 1000 + ms, sub };
}

export type DateOrder = 'mdy' | 'dmy';

export interface DateParts {
  y: number;
  m: number;
  d: number;
  /** The time written after the date, when there is one. */
  time?: TimeOfDay;
  /** Whether the day/month order could be told from the date itself. */
  orderKnown: boolean;
  /** The order this date proves (when orderKnown). */
  order?: DateOrder;
}

const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](.+))?$/;
const LOCAL = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:,?\s+(.+))?$/;

/** A `Date & Time` cell. `order` decides dates like 5/6/2019 that read both ways. */
export function parseDateTime(s: string, order: DateOrder): DateParts | undefined {
  const t = s.trim();
  let y: number;
  let mo: number;
  let d: number;
  let rest: string | undefined;
  let orderKnown = true;
  let proven: DateOrder | undefined;
  const iso = ISO.exec(t);
  if (iso) {
    y = Number(iso[1]);
    mo = Number(iso[2]);
    d = Number(iso[3]);
    rest = iso[4];
  } else {
    const m = LOCAL.exec(t);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = Number(m[2]);
    y = Number(m[3]);
    rest = m[4];
    if (a > 12 && b <= 12) proven = 'dmy';
    else if (b > 12 && a <= 12) proven = 'mdy';
    else orderKnown = a === b;
    const use = proven ?? order;
    if (use === 'mdy') {
      mo = a;
      d = b;
    } else {
      mo = b;
      d = a;
    }
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
  let time: TimeOfDay | undefined;
  if (rest !== undefined) {
    time = parseTimeOfDay(rest);
    if (!time) return undefined;
  }
  return { y, m: mo, d, time, orderKnown: orderKnown || proven !== undefined, order: proven };
}

/** Midnight of a calendar date, as if UTC. */
export function dayStart(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d);
}

/** `+02:00`, `-0530`, `120` (minutes) → minutes east of UTC. */
export function parseUtcOffset(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (/^[+-]?\d+$/.test(s)) return Number(s);
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(s);
  if (!m) return undefined;
  const mins = Number(m[2]) * 60 + Number(m[3]);
  return m[1] === '-' ? -mins : mins;
}
