/**
 * Windows times as the evtx crate prints them: `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, microseconds,
 * truncated), plus UTC epoch milliseconds for Loupe's events. FILETIME is 100 ns ticks since
 * 1601-01-01; SYSTEMTIME is eight 16-bit fields.
 */
import * as bytes from './bytes.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, u16, u32 } = bytes;

const SECONDS_1601_TO_1970 = 11644473600;

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return n >= 1000 ? String(n) : n >= 100 ? '0' + n : n >= 10 ? '00' + n : '000' + n;
}

function pad6(n: number): string {
  const s = String(n);
  return '000000'.slice(s.length) + s;
}

/** Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

// Records of a chunk are written seconds apart: the date-and-time part of the last second
// formatted is kept, so most timestamps only format their microseconds.
let lastSeconds = NaN;
let lastPrefix = '';

/** Formats whole seconds since the Unix epoch plus microseconds. */
export function formatUnix(unixSeconds: number, micros: number): string {
  if (unixSeconds === lastSeconds) return lastPrefix + pad6(micros) + 'Z';
  const days = Math.floor(unixSeconds / 86400);
  let rem = unixSeconds - days * 86400;
  const [y, mo, d] = civil(days);
  const h = Math.floor(rem / 3600);
  rem -= h * 3600;
  const mi = Math.floor(rem / 60);
  const s = rem - mi * 60;
  lastSeconds = unixSeconds;
  lastPrefix = `${pad4(y)}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.`;
  return lastPrefix + pad6(micros) + 'Z';
}

/** A FILETIME split exactly into Unix seconds and 100 ns ticks within the second. */
function splitFiletime(buf: Uint8Array, off: number): [number, number] {
  const lo = u32(buf, off);
  const hi = u32(buf, off + 4);
  if (hi < 0x6b000000) {
    // 2^32 = 429 * 10^7 + 4967296; every product below stays under 2^53, so this is exact.
    const r = hi * 4967296 + lo;
    const ticks = r % 10000000;
    const secs = hi * 429 + (r - ticks) / 10000000;
    return [secs - SECONDS_1601_TO_1970, ticks];
  }
  const ft = (BigInt(hi) << 32n) | BigInt(lo);
  return [Number(ft / 10000000n) - SECONDS_1601_TO_1970, Number(ft % 10000000n)];
}

/** FILETIME at `off` as the crate's text. */
export function filetimeText(buf: Uint8Array, off: number): string {
  const [secs, ticks] = splitFiletime(buf, off);
  return formatUnix(secs, Math.floor(ticks / 10));
}

/** FILETIME at `off` as UTC epoch milliseconds. */
export function filetimeMs(buf: Uint8Array, off: number): number {
  const [secs, ticks] = splitFiletime(buf, off);
  return secs * 1000 + Math.floor(ticks / 10000);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * SYSTEMTIME (16 bytes) as the crate's text. All-zero means "unset" and prints as 1601-01-01; an
 * impossible date is an error, as in the crate.
 */
export function systemtimeText(buf: Uint8Array, off: number): string {
  const year = u16(buf, off);
  const month = u16(buf, off + 2);
  const day = u16(buf, off + 6);
  const hour = u16(buf, off + 8);
  const minute = u16(buf, off + 10);
  const second = u16(buf, off + 12);
  const ms = u16(buf, off + 14);
  if (year === 0 && month === 0 && day === 0 && hour === 0 && minute === 0 && second === 0 && ms === 0) {
    return '1601-01-01T00:00:00.000000Z';
  }
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > dim || hour > 23 || minute > 59 || second > 59 || ms > 999) {
    throw new EvtxFormatError(`SYSTEMTIME: invalid date ${year}-${month}-${day} ${hour}:${minute}:${second}.${ms}`, off);
  }
  const secs = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return formatUnix(secs, ms * 1000);
}
