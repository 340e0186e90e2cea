/**
 * Times: the fast readers of `YYYY-MM-DD hh:mm:ss[.fff]` must agree with the general ones (a
 * regular expression and Date.UTC / Date.parse, written out again here) on every input, and give
 * the hand-computed instants below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { naiveAsUtc, parseTime } from '../../src/normalize/values.js';

const NAIVE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;
function naiveReference(s: string): number | undefined {
  const m = NAIVE.exec(s.trim());
  if (!m) return undefined;
  const ms = m[7] ? Number((m[7] + '00').slice(0, 3)) : 0;
  // Date.UTC reads years 0-99 as 1900-1999: shift such years by one 400-year Gregorian cycle
  // (146,097 days) and back.
  const y = +m[1];
  const shift = y < 100 ? 400 : 0;
  const t = Date.UTC(y + shift, +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms) - (shift ? 146_097 * 86_400_000 : 0);
  return Number.isFinite(t) ? t : undefined;
}
const ZONED = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/i;
function parseReference(s: string, assumeUtc: boolean): number | undefined {
  const t = s.trim();
  if (!t) return undefined;
  if (ZONED.test(t)) {
    const v = Date.parse(t.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T'));
    return Number.isFinite(v) ? v : undefined;
  }
  return assumeUtc ? naiveReference(t) : undefined;
}

test('hand-computed instants', () => {
  // 2020-09-18 17:05:52.724 UTC: 18,523 days after 1970-01-01 (1600387200 s at midnight) + 61,552.724 s
  assert.equal(naiveAsUtc('2020-09-18 17:05:52.724'), 1600387200000 + 61552724);
  assert.equal(parseTime('2020-09-18 17:05:52.724', true), 1600387200000 + 61552724);
  assert.equal(parseTime('2020-09-18 17:05:52.724'), undefined, 'no zone, not assumed UTC');
  assert.equal(parseTime('2020-09-18T17:05:52.7246789Z'), 1600387200000 + 61552724);
  assert.equal(naiveAsUtc('2020-09-18 17:05:52.7'), 1600387200000 + 61552700);
  assert.equal(naiveAsUtc('2020-09-18 17:05:52'), 1600387200000 + 61552000);
  // year 20, not 1920. Years 20-1969: 1,950 years, of which 488 - 19 + 4 = 473 leap years
  // (divisible by 4, not by 100 unless by 400): 1,950 x 365 + 473 = 712,223 days before 1970.
  assert.equal(naiveAsUtc('0020-01-01 00:00:00'), -712_223 * 86_400_000);
});

test('fast and general readers agree on 50,000 random near-times', () => {
  const base = '2020-09-18 17:05:52.7246789Z';
  const alphabet = '0123456789 T:.-Zz+';
  let seed = 7;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let i = 0; i < 50_000; i++) {
    // a real time, cut short or with characters changed
    let s = base.slice(0, 16 + rnd(base.length - 15));
    const edits = rnd(3);
    for (let j = 0; j < edits; j++) {
      const at = rnd(s.length);
      s = s.slice(0, at) + alphabet[rnd(alphabet.length)] + s.slice(at + 1);
    }
    assert.equal(naiveAsUtc(s), naiveReference(s), `naive ${JSON.stringify(s)}`);
    assert.equal(parseTime(s, true), parseReference(s, true), `utc ${JSON.stringify(s)}`);
    assert.equal(parseTime(s), parseReference(s, false), `zoned ${JSON.stringify(s)}`);
  }
});
