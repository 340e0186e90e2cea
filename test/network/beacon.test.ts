// Beacon scores against values worked out by hand (RITA's method, see
// src/detect/network/beacon/score.ts). Quartiles: Q1/Q3 are the medians of the lower/upper
// halves, the middle value left out of both when the count is odd. Every series below is scored
// against a dataset spanning [0, 86400] s: 24 bins of 3600 s.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bowleySkewScore, cvScore, dataSizeScore, durationScore, frequencyCounts, histogram, madScore, quartiles, scoreBeacon, timestampScore } from '../../src/detect/network/beacon/score.js';
import { analyse, conn } from './helpers.js';
import { TEST_IOCS } from './helpers.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} vs ${b}`);

test('quartiles, Bowley skewness and MAD on small series', () => {
  // [1,2,3,4,5]: odd → lower [1,2] Q1 = 1.5, Q2 = 3, upper [4,5] Q3 = 4.5.
  assert.deepEqual(quartiles([1, 2, 3, 4, 5]), { q1: 1.5, q2: 3, q3: 4.5 });
  // [1,2,3,4]: even → lower [1,2] Q1 = 1.5, Q2 = 2.5, upper [3,4] Q3 = 3.5.
  assert.deepEqual(quartiles([1, 2, 3, 4]), { q1: 1.5, q2: 2.5, q3: 3.5 });
  // Q3 − Q1 = 3 < 10: skewness taken as 0.
  assert.deepEqual(bowleySkewScore([1, 2, 3, 4, 5]), { skew: 0, score: 1 });
  // [0, 10, 20, 100, 200]: Q1 = 5, Q2 = 20, Q3 = 150; (5 + 150 − 40) / 145 = 115/145.
  close(bowleySkewScore([0, 10, 20, 100, 200]).score, 1 - 115 / 145);
  // Median 20; deviations 20,10,0,80,180 → sorted 0,10,20,80,180 → MAD 20 → (20 − 20)/20 = 0.
  assert.deepEqual(madScore([0, 10, 20, 100, 200], 1), { mad: 20, score: 0 });
  // A median below 1 gives the default score (1 for intervals, 0 for sizes, as RITA).
  assert.equal(madScore([0, 0, 0], 1).score, 1);
  assert.equal(madScore([0, 0, 0], 0).score, 0);
});

test('a perfectly regular series scores 1 (every hour for 24 hours, 100 bytes each)', () => {
  const ts = Array.from({ length: 24 }, (_, k) => k * 3600);
  const bytes = ts.map(() => 100);
  // Intervals: 23 × 3600 → Q1 = Q2 = Q3 = 3600, skew 0 → 1; MAD 0 → (3600 − 0)/3600 = 1. ts = (1+1)/2 = 1.
  assert.equal(timestampScore(ts), 1);
  // Sizes: all 100 → skew 0 → 1; MAD 0 → 1. ds = 1.
  assert.equal(dataSizeScore(bytes), 1);
  // One connection per bin: mean 1, sd 0, CV 0 → 1. Two-mode fit: bucket size ceil(1 × 0.05) = 1,
  // all 24 bars in bucket 1 → 24 / (24 − 1) = 1.043 → capped 1. hist = max(1, 1) = 1.
  const h = histogram(0, 86400, ts);
  assert.deepEqual(h, new Array(24).fill(1));
  assert.equal(cvScore(h), 1);
  // Coverage ceil(82800/86400 × 1000)/1000 = ceil(958.33)/1000 = 0.959; consistency: 24 bars in a
  // row → 24/12 = 2 → capped 1. dur = max(0.959, 1) = 1.
  const fc = frequencyCounts(h);
  assert.equal(fc.totalBars, 24);
  assert.equal(fc.longestRun, 24);
  assert.equal(durationScore(0, 86400, 0, 82800, 24, 24), 1);
  const s = scoreBeacon(ts, bytes, 0, 86400)!;
  // (1 + 1 + 1 + 1) / 4 = 1.
  assert.deepEqual({ score: s.score, ts: s.ts, ds: s.ds, hist: s.hist, dur: s.dur }, { score: 1, ts: 1, ds: 1, hist: 1, dur: 1 });
});

test('a jittered series: subscores worked out by hand', () => {
  // Intervals, in the order they happen: 3600, 3500, 3700, 3580, 3620, 3550, 3800, 3610, 3640.
  const ts = [0, 3600, 7100, 10800, 14380, 18000, 21550, 25350, 28960, 32600];
  // Sorted intervals: 3500 3550 3580 3600 | 3610 | 3620 3640 3700 3800 (9, odd).
  // Q1 = (3550 + 3580)/2 = 3565, Q2 = 3610, Q3 = (3640 + 3700)/2 = 3670.
  // Skew = (3565 + 3670 − 2×3610) / (3670 − 3565) = 15/105 = 0.142857 → 0.857143.
  // Deviations from 3610: 110 60 30 10 0 10 30 90 190 → sorted 0 10 10 30 30 60 90 110 190 → MAD 30.
  // (3610 − 30)/3610 = 0.991690. ts = (0.857143 + 0.991690)/2 = 0.924416 → 0.924.
  assert.equal(timestampScore(ts), 0.924);
  // Sizes 500 515 488 540 500 460 507 520 480 500 → sorted 460 480 488 500 500 | 500 507 515 520 540.
  // Q1 = 488, Q2 = (500 + 500)/2 = 500, Q3 = 515. Skew = (488 + 515 − 1000)/(515 − 488) = 3/27 → 0.888889.
  // Deviations from 500: 40 20 12 0 0 0 7 15 20 40 → sorted 0 0 0 7 12 15 20 20 40 40 → MAD (12 + 15)/2 = 13.5.
  // (500 − 13.5)/500 = 0.973. ds = (0.888889 + 0.973)/2 = 0.930944 → 0.931.
  const bytes = [500, 515, 488, 540, 500, 460, 507, 520, 480, 500];
  assert.equal(dataSizeScore(bytes), 0.931);
  // Bins of 3600 s: 0→0, 3600→1, 7100→1, 10800→3, 14380→3, 18000→5, 21550→5, 25350→7, 28960→8, 32600→9.
  const h = histogram(0, 86400, ts);
  assert.deepEqual(h.slice(0, 10), [1, 2, 0, 2, 0, 2, 0, 1, 1, 1]);
  // Mean 10/24 = 0.41667; squared deviations: 4 × 0.34028 + 3 × 2.50694 + 17 × 0.17361 = 11.8333;
  // sd = √(11.8333/24) = 0.70218; CV = 1.685 > 1 → 0. Only 7 bars (< 11): two-mode fit 0. hist = 0.
  assert.equal(cvScore(h), 0);
  const fc = frequencyCounts(h);
  assert.equal(fc.totalBars, 7);
  // Longest run of non-empty bars: bins 7, 8, 9 → 3.
  assert.equal(fc.longestRun, 3);
  // 7 bars ≥ 6: coverage ceil(32600/86400 × 1000)/1000 = ceil(377.31)/1000 = 0.378; consistency
  // ceil(3/12 × 1000)/1000 = 0.25. dur = 0.378.
  assert.equal(durationScore(0, 86400, 0, 32600, 7, 3), 0.378);
  // Score = (0.924 + 0.931 + 0 + 0.378)/4 = 0.55825 → 0.558: below 0.7, no alert.
  const s = scoreBeacon(ts, bytes, 0, 86400)!;
  assert.deepEqual({ score: s.score, ts: s.ts, ds: s.ds, hist: s.hist, dur: s.dur }, { score: 0.558, ts: 0.924, ds: 0.931, hist: 0, dur: 0.378 });
});

test('a random series: subscores worked out by hand', () => {
  const ts = [0, 100, 5000, 5030, 40000, 86400];
  // Intervals 100 4900 30 34970 46400 → sorted 30 100 | 4900 | 34970 46400: Q1 = 65, Q2 = 4900, Q3 = 40685.
  // Skew = (65 + 40685 − 9800)/(40685 − 65) = 30950/40620 = 0.761950 → 0.238050.
  // Deviations from 4900: 4870 4800 0 30070 41500 → sorted 0 4800 4870 30070 41500 → MAD 4870.
  // (4900 − 4870)/4900 = 0.006122. ts = (0.238050 + 0.006122)/2 = 0.122086 → 0.122.
  assert.equal(timestampScore(ts), 0.122);
  // Sizes 50 9000 120 64000 300 7 → sorted 7 50 120 | 300 9000 64000: Q1 = 50, Q2 = 210, Q3 = 9000.
  // Skew = (50 + 9000 − 420)/(9000 − 50) = 8630/8950 = 0.964246 → 0.035754.
  // Deviations from 210: 203 160 90 90 8790 63790 → sorted 90 90 160 203 8790 63790 → MAD 181.5.
  // (210 − 181.5)/210 = 0.135714. ds = (0.035754 + 0.135714)/2 = 0.085734 → 0.086.
  const bytes = [50, 9000, 120, 64000, 300, 7];
  assert.equal(dataSizeScore(bytes), 0.086);
  // Bins: 0, 100 → 0; 5000, 5030 → 1; 40000 → 11; 86400 → the last bin, 23.
  const h = histogram(0, 86400, ts);
  assert.deepEqual([h[0], h[1], h[11], h[23]], [2, 2, 1, 1]);
  // 4 bars: CV = √((2×3.0625 + 2×0.5625 + 20×0.0625)/24)/0.25 = 2.38 > 1 → 0; two-mode 0 (< 11 bars).
  // Duration: 4 bars < 6 → 0. Score = (0.122 + 0.086 + 0 + 0)/4 = 0.052.
  const s = scoreBeacon(ts, bytes, 0, 86400)!;
  assert.deepEqual({ score: s.score, ts: s.ts, ds: s.ds, hist: s.hist, dur: s.dur }, { score: 0.052, ts: 0.122, ds: 0.086, hist: 0, dur: 0 });
});

test('runs of active bins wrap from the end of the span to its start; too few connections are not scored', () => {
  const h = new Array(24).fill(0);
  h[0] = 1;
  h[22] = 1;
  h[23] = 1;
  // Bins 22, 23 then 0: a run of 3 across the wrap.
  assert.equal(frequencyCounts(h).longestRun, 3);
  // 3 unique timestamps (< 4), or only 2 non-zero intervals: no score.
  assert.equal(scoreBeacon([0, 10, 20], [1, 1, 1], 0, 100), undefined);
  assert.equal(scoreBeacon([0, 0, 10, 20, 20], [1, 1, 1, 1, 1], 0, 100), undefined);
});

test('through the detector: the regular series is a high BEACON-01 with score 1.000', async () => {
  const t0 = 1700000000 - (1700000000 % 86400);
  const rows = Array.from({ length: 24 }, (_, k) => conn('93.184.216.250', 443, { ts: t0 + k * 3600 + 0.25, orig_ip_bytes: 100 }));
  // Another pair sets the end of the dataset span: t0 + 86400.
  rows.push(conn('93.184.216.251', 443, { ts: t0 + 86400, 'id.orig_h': '192.168.100.3' }));
  const f = await analyse({ 'conn.log': rows }, { iocs: TEST_IOCS });
  const b = f.alerts.filter((a) => a.ruleId === 'BEACON-01');
  assert.equal(b.length, 1);
  assert.equal(b[0]!.level, 'high');
  assert.equal((b[0]!.details!.params as Record<string, unknown>).score, '1.000');
  assert.equal(b[0]!.count, 24);
});
