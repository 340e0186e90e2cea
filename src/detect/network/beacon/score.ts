/**
 * Beacon scoring as RITA scores it (activecm/rita, analysis/beacons.go, default configuration):
 * for one source→destination series, the mean of four subscores, each in [0, 1] and rounded to
 * three decimals:
 *   - timestamp regularity: over the intervals between connections, the mean of
 *     1 − |Bowley skewness| (skewness taken as 0 when Q3 − Q1 < 10 or the median equals Q1 or Q3)
 *     and (median − MAD) / median;
 *   - data-size regularity: the same over bytes sent per connection;
 *   - histogram: connections counted in 24 equal bins of the observed span; the larger of
 *     1 − coefficient of variation of the bin counts, and a two-mode fit;
 *   - duration: the larger of span coverage and (longest run of consecutive active bins) / 12.
 * Each function is pure, checks its input first, and never sorts the caller's array in place.
 * Quartiles follow the `montanaflynn/stats` method RITA uses: Q1 and Q3 are the medians of the
 * lower and upper halves, the middle value excluded from both when the count is odd.
 */

export const BEACON_DEFAULTS = {
  bins: 24,
  /** Bin size for the two-mode fit, as a fraction of the tallest bar (RITA: histogram_mode_sensitivity). */
  modeSensitivity: 0.05,
  /** Bars that may be dropped as outliers in the two-mode fit (histogram_bimodal_outlier_removal). */
  bimodalOutlierRemoval: 1,
  /** Active bars needed before the two-mode fit counts (histogram_bimodal_min_hours_seen). */
  bimodalMinBars: 11,
  /** Active bars needed before the duration score counts (duration_min_hours_seen). */
  durationMinBars: 6,
  /** Consecutive active bars for a full consistency score (duration_consistency_ideal_hours_seen). */
  durationIdealBars: 12,
  /** Unique timestamps needed to score a pair at all (unique_connection_threshold). */
  minConnections: 4,
} as const;

export const round3 = (x: number): number => Math.round(x * 1000) / 1000;

type Values = ArrayLike<number>;

/** An ascending copy (typed-array sort: numeric, no comparator call per pair). */
function sortedCopy(values: Values): Float64Array {
  return Float64Array.from(values).sort();
}

/** Median of an ascending array (mean of the two middle values when the count is even). */
export function median(sorted: Values): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medianOf(sorted: Values, from: number, to: number): number {
  const n = to - from;
  const mid = from + (n >> 1);
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function quartiles(sorted: Values): { q1: number; q2: number; q3: number } {
  const n = sorted.length;
  if (n < 2) throw new RangeError('quartiles need at least two values');
  const c1 = n % 2 === 0 ? n / 2 : (n - 1) / 2;
  const c2 = n % 2 === 0 ? n / 2 : c1 + 1;
  return { q1: medianOf(sorted, 0, c1), q2: medianOf(sorted, 0, n), q3: medianOf(sorted, c2, n) };
}

/** 1 − |Bowley skewness|; the skewness is 0 for narrow or degenerate spreads. Needs 3 values. */
export function bowleySkewScore(sorted: Values): { skew: number; score: number } {
  if (sorted.length < 3) throw new RangeError('skewness needs at least three values');
  const { q1, q2, q3 } = quartiles(sorted);
  const den = q3 - q1;
  const skew = den >= 10 && q2 !== q1 && q2 !== q3 ? (q1 + q3 - 2 * q2) / den : 0;
  return { skew, score: 1 - Math.abs(skew) };
}

/** (median − MAD) / median, floored at 0; `defaultScore` when the median is below 1. */
export function madScore(sorted: Values, defaultScore: number): { mad: number; score: number } {
  if (sorted.length === 0) throw new RangeError('MAD needs values');
  const m = median(sorted);
  const dev = new Float64Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) dev[i] = Math.abs(sorted[i]! - m);
  const mad = median(dev.sort());
  let score = m >= 1 ? (m - mad) / m : defaultScore;
  if (score < 0 || Number.isNaN(score)) score = 0;
  return { mad, score };
}

export function statisticalScore(values: Values, defaultMad: number): number {
  const sorted = sortedCopy(values);
  return round3((bowleySkewScore(sorted).score + madScore(sorted, defaultMad).score) / 2);
}

/**
 * Timestamp regularity over whole-second timestamps: intervals between consecutive connections,
 * zero intervals (connections in the same second) left out. Undefined with fewer than 4
 * timestamps or 3 non-zero intervals (RITA refuses those series too).
 */
export function timestampScore(timestamps: Values): number | undefined {
  if (timestamps.length < 4) return undefined;
  const ts = sortedCopy(timestamps);
  const deltas = new Float64Array(ts.length - 1);
  let k = 0;
  for (let i = 1; i < ts.length; i++) {
    const d = ts[i]! - ts[i - 1]!;
    if (d > 0) deltas[k++] = d;
  }
  if (k < 3) return undefined;
  return statisticalScore(deltas.subarray(0, k), 1);
}

/** Data-size regularity over bytes per connection; undefined with fewer than 3 values. */
export function dataSizeScore(bytes: Values): number | undefined {
  if (bytes.length < 3) return undefined;
  return statisticalScore(bytes, 0);
}

/** Connections per bin over [min, max] cut into `bins` equal bins; the last bin holds `max`. */
export function histogram(datasetMin: number, datasetMax: number, timestamps: Values, bins: number = BEACON_DEFAULTS.bins): number[] {
  if (!(datasetMax > datasetMin)) throw new RangeError('the dataset span must be positive');
  const step = (datasetMax - datasetMin) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    let j = Math.floor((t - datasetMin) / step);
    if (j >= bins) j = bins - 1;
    if (j < 0) j = 0;
    // Guard the float edge: a timestamp exactly on an edge belongs to the bin starting there.
    if (j + 1 < bins && t >= datasetMin + (j + 1) * step) j++;
    counts[j]!++;
  }
  return counts;
}

/**
 * Bars grouped by height (buckets of ceil(tallest × sensitivity)), the number of non-empty bars,
 * and the longest run of consecutive non-empty bars, wrapping from the end to the start.
 */
export function frequencyCounts(hist: readonly number[], modeSensitivity: number = BEACON_DEFAULTS.modeSensitivity): { freq: Map<number, number>; totalBars: number; longestRun: number } {
  if (hist.length === 0) throw new RangeError('empty histogram');
  let totalBars = 0;
  let tallest = 0;
  for (const h of hist) {
    if (h > 0) totalBars++;
    if (h > tallest) tallest = h;
  }
  const binSize = Math.ceil(tallest * modeSensitivity);
  const freq = new Map<number, number>();
  let longestRun = 0;
  let run = 0;
  for (let i = 0; i < hist.length * 2; i++) {
    const h = hist[i % hist.length]!;
    if (h > 0) run++;
    else {
      if (run > longestRun) longestRun = run;
      run = 0;
    }
    if (i < hist.length && h > 0) {
      const bucket = Math.floor(h / binSize) * binSize;
      freq.set(bucket, (freq.get(bucket) ?? 0) + 1);
    }
  }
  if (run > longestRun) longestRun = run;
  if (longestRun > hist.length) longestRun = hist.length;
  return { freq, totalBars, longestRun };
}

/** 1 − coefficient of variation (population standard deviation / mean) of the bars, 0 when CV > 1. */
export function cvScore(hist: readonly number[]): number {
  const total = hist.reduce((a, b) => a + b, 0);
  if (hist.length === 0 || total <= 0) throw new RangeError('histogram without connections');
  const mean = total / hist.length;
  let sq = 0;
  for (const h of hist) sq += (h - mean) ** 2;
  const cv = Math.sqrt(sq / hist.length) / Math.abs(mean);
  return cv > 1 ? 0 : Math.min(1, round3(1 - cv));
}

/** Share of active bars in the two most common height buckets, once enough bars are active. */
export function bimodalFitScore(freq: ReadonlyMap<number, number>, totalBars: number, outlierRemoval: number = BEACON_DEFAULTS.bimodalOutlierRemoval, minBars: number = BEACON_DEFAULTS.bimodalMinBars): number {
  if (freq.size === 0 || totalBars <= 0) throw new RangeError('no bars');
  if (totalBars < minBars) return 0;
  let largest = 0;
  let second = 0;
  for (const v of freq.values()) {
    if (v > largest) {
      second = largest;
      largest = v;
    } else if (v > second) {
      second = v;
    }
  }
  const fit = (largest + second) / Math.max(totalBars - outlierRemoval, 1);
  return Math.min(1, round3(fit));
}

export function durationScore(datasetMin: number, datasetMax: number, first: number, last: number, totalBars: number, longestRun: number, minBars: number = BEACON_DEFAULTS.durationMinBars, idealBars: number = BEACON_DEFAULTS.durationIdealBars): number | undefined {
  if (!(datasetMax > datasetMin) || !(last > first)) return undefined;
  if (totalBars < minBars) return 0;
  const coverage = Math.min(1, Math.ceil(((last - first) / (datasetMax - datasetMin)) * 1000) / 1000);
  const consistency = Math.min(1, Math.ceil((longestRun / idealBars) * 1000) / 1000);
  return Math.max(coverage, consistency);
}

export interface BeaconScore {
  score: number;
  ts: number;
  ds: number;
  hist: number;
  dur: number;
  connections: number;
  histogram: number[];
}

/**
 * The four subscores and their mean for one series. `timestamps` are whole seconds;
 * `bytes` one value per connection. Undefined when the series cannot be scored (too few
 * connections, a zero-length dataset span, all connections in the same second).
 */
export function scoreBeacon(timestamps: Values, bytes: Values, datasetMin: number, datasetMax: number): BeaconScore | undefined {
  if (!(datasetMax > datasetMin)) return undefined;
  const sorted = sortedCopy(timestamps);
  let unique = sorted.length > 0 ? 1 : 0;
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) unique++;
  if (unique < BEACON_DEFAULTS.minConnections) return undefined;
  const ts = timestampScore(sorted);
  const ds = dataSizeScore(bytes);
  if (ts === undefined || ds === undefined) return undefined;
  const h = histogram(datasetMin, datasetMax, sorted);
  const fc = frequencyCounts(h);
  const hist = Math.max(cvScore(h), bimodalFitScore(fc.freq, fc.totalBars));
  const dur = durationScore(datasetMin, datasetMax, sorted[0]!, sorted[sorted.length - 1]!, fc.totalBars, fc.longestRun);
  if (dur === undefined) return undefined;
  const score = round3(ts * 0.25 + ds * 0.25 + dur * 0.25 + hist * 0.25);
  return { score, ts, ds, hist, dur, connections: timestamps.length, histogram: h };
}
