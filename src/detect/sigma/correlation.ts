/**
 * Sigma correlation rules: event_count, value_count, temporal, temporal_ordered (and the
 * value_sum / avg / min / max / median / percentile types of Sigma 2.1). Base rule matches are
 * recorded compactly while events stream (time, event ref, the few fields the correlation needs)
 * and evaluated at the end of the run, sorted by time, so input order across files does not
 * matter. For lower bounds (gt, gte) the window slides over the events of each group and the
 * first window that satisfies the condition becomes one alert, counting afresh after it; for
 * upper bounds and ranges whole windows are judged one after another, each opening at the first
 * event after the previous one. Correlations may chain: a correlation's
 * matches feed the correlations that name it.
 */
import type { EventRef, Level } from '../types.js';
import type { CountCondition, SigmaCorrelation } from './types.js';

export interface CorrelationHit {
  time: number;
  refs: EventRef[];
  /** How many events this hit stands for (1 for a rule match, the window size for a correlation). */
  weight: number;
  host?: string;
  /** Which referenced rule (its position in `rules`) produced it. */
  source: number;
  /** Group-by values (lower-cased), in the correlation's group-by order. */
  group: string[];
  /** The condition field's value (value_* types). */
  value?: string;
}

export interface CorrelationMatch {
  correlation: SigmaCorrelation;
  first: number;
  last: number;
  refs: EventRef[];
  count: number;
  host?: string;
  group: Record<string, string>;
  /** The measured value that met the condition (count, distinct values, sum, ...). */
  measured: number;
  /** Titles/ids of the referenced rules that took part. */
  sources: string[];
}

/** At most this many event refs travel with a correlation alert. */
export const MAX_REFS = 100;
/** Hits kept per correlation; beyond this the oldest are not dropped but new ones are refused and counted. */
export const MAX_HITS = 2_000_000;

export function meetsCondition(c: CountCondition, v: number): boolean {
  if (c.gt !== undefined && !(v > c.gt)) return false;
  if (c.gte !== undefined && !(v >= c.gte)) return false;
  if (c.lt !== undefined && !(v < c.lt)) return false;
  if (c.lte !== undefined && !(v <= c.lte)) return false;
  if (c.eq !== undefined && !(v === c.eq)) return false;
  if (c.neq !== undefined && !(v !== c.neq)) return false;
  return true;
}

/** True when growing a window can only help (only lower bounds): stop at the first window that meets it. */
function monotone(c: CountCondition): boolean {
  return c.lt === undefined && c.lte === undefined && c.eq === undefined && c.neq === undefined;
}

function measure(type: SigmaCorrelation['type'], hits: CorrelationHit[], c: CountCondition): number {
  switch (type) {
    case 'event_count':
      return hits.reduce((a, h) => a + h.weight, 0);
    case 'value_count':
      return new Set(hits.filter((h) => h.value !== undefined).map((h) => h.value)).size;
    case 'temporal':
    case 'temporal_ordered':
      return new Set(hits.map((h) => h.source)).size;
    default: {
      const nums = hits.map((h) => Number(h.value)).filter((n) => Number.isFinite(n));
      if (nums.length === 0) return NaN;
      if (type === 'value_sum') return nums.reduce((a, b) => a + b, 0);
      if (type === 'value_avg') return nums.reduce((a, b) => a + b, 0) / nums.length;
      if (type === 'value_min') return Math.min(...nums);
      if (type === 'value_max') return Math.max(...nums);
      nums.sort((a, b) => a - b);
      const p = type === 'value_median' ? 50 : (c.percentile ?? 95);
      const idx = Math.min(nums.length - 1, Math.max(0, Math.ceil((p / 100) * nums.length) - 1));
      return nums[idx]!;
    }
  }
}

function groupKey(h: CorrelationHit): string {
  return h.group.join('\u0001');
}

/** Evaluates one correlation over its hits (any order). */
export function evaluateCorrelation(c: SigmaCorrelation, hits: CorrelationHit[], sourceNames: string[]): CorrelationMatch[] {
  const groups = new Map<string, CorrelationHit[]>();
  for (const h of hits) {
    const k = groupKey(h);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(h);
  }
  const out: CorrelationMatch[] = [];
  for (const g of groups.values()) {
    g.sort((a, b) => a.time - b.time || a.source - b.source);
    const windows = c.type === 'temporal_ordered' ? orderedWindows(c, g) : thresholdWindows(c, g);
    for (const w of windows) out.push(toMatch(c, w.hits, w.measured, sourceNames));
  }
  return out.sort((a, b) => a.first - b.first);
}

function toMatch(c: SigmaCorrelation, hits: CorrelationHit[], measured: number, sourceNames: string[]): CorrelationMatch {
  const refs: EventRef[] = [];
  for (const h of hits) {
    for (const r of h.refs) {
      if (refs.length >= MAX_REFS) break;
      refs.push(r);
    }
  }
  const hosts = new Set(hits.map((h) => h.host).filter((x) => x !== undefined));
  const group: Record<string, string> = {};
  c.groupBy.forEach((f, i) => (group[f] = hits[0]!.group[i] ?? ''));
  return {
    correlation: c,
    first: hits[0]!.time,
    last: hits[hits.length - 1]!.time,
    refs,
    count: hits.reduce((a, h) => a + h.weight, 0),
    host: hosts.size === 1 ? [...hosts][0] : undefined,
    group,
    measured,
    sources: [...new Set(hits.map((h) => sourceNames[h.source] ?? String(h.source)))],
  };
}

/** Running measure of a sliding window: add on the right, remove on the left. */
class WindowMeasure {
  private sum = 0;
  private nums = 0;
  private readonly counts = new Map<string | number, number>();
  constructor(
    private readonly type: SigmaCorrelation['type'],
    private readonly cond: CountCondition,
  ) {}

  private keyOf(h: CorrelationHit): string | number | undefined {
    if (this.type === 'value_count') return h.value;
    if (this.type === 'temporal' || this.type === 'temporal_ordered') return h.source;
    return undefined;
  }

  add(h: CorrelationHit): void {
    this.update(h, 1);
  }

  remove(h: CorrelationHit): void {
    this.update(h, -1);
  }

  private update(h: CorrelationHit, sign: 1 | -1): void {
    if (this.type === 'event_count') this.sum += sign * h.weight;
    else if (this.type === 'value_sum' || this.type === 'value_avg') {
      const n = Number(h.value);
      if (h.value !== undefined && Number.isFinite(n)) {
        this.sum += sign * n;
        this.nums += sign;
      }
    } else {
      const k = this.keyOf(h);
      if (k === undefined) return;
      const c = (this.counts.get(k) ?? 0) + sign;
      if (c <= 0) this.counts.delete(k);
      else this.counts.set(k, c);
    }
  }

  /** The measure of `win` (only consulted for the order statistics, which are not kept running). */
  value(win: () => CorrelationHit[]): number {
    switch (this.type) {
      case 'event_count':
      case 'value_sum':
        return this.type === 'value_sum' && this.nums === 0 ? NaN : this.sum;
      case 'value_avg':
        return this.nums ? this.sum / this.nums : NaN;
      case 'value_count':
      case 'temporal':
      case 'temporal_ordered':
        return this.counts.size;
      default:
        return measure(this.type, win(), this.cond);
    }
  }

  reset(): void {
    this.sum = 0;
    this.nums = 0;
    this.counts.clear();
  }
}

function thresholdWindows(c: SigmaCorrelation, g: CorrelationHit[]): { hits: CorrelationHit[]; measured: number }[] {
  const out: { hits: CorrelationHit[]; measured: number }[] = [];
  const span = c.timespanMs;
  const m = new WindowMeasure(c.type, c.condition);
  if (monotone(c.condition)) {
    // grow each window until it meets the condition; then start afresh after it
    let l = 0;
    for (let r = 0; r < g.length; r++) {
      m.add(g[r]!);
      while (g[r]!.time - g[l]!.time > span) m.remove(g[l++]!);
      const v = m.value(() => g.slice(l, r + 1));
      if (meetsCondition(c.condition, v)) {
        out.push({ hits: g.slice(l, r + 1), measured: v });
        m.reset();
        l = r + 1;
      }
    }
    return out;
  }
  // upper bounds (lt, lte, eq, neq): a window that is still filling up proves nothing, so judge
  // whole windows, one after another: each starts at the first event after the previous one
  let l = 0;
  while (l < g.length) {
    let r = l;
    m.reset();
    m.add(g[l]!);
    while (r + 1 < g.length && g[r + 1]!.time - g[l]!.time <= span) m.add(g[++r]!);
    const v = m.value(() => g.slice(l, r + 1));
    if (meetsCondition(c.condition, v)) out.push({ hits: g.slice(l, r + 1), measured: v });
    l = r + 1;
  }
  return out;
}

/**
 * temporal_ordered: the referenced rules fire in the order listed, all within the timespan.
 * `starts[k]` holds the latest start time of a partial sequence that has reached rule k (the
 * latest start leaves the most room in the window) and the hits that made it.
 */
function orderedWindows(c: SigmaCorrelation, g: CorrelationHit[]): { hits: CorrelationHit[]; measured: number }[] {
  const n = c.rules.length;
  const out: { hits: CorrelationHit[]; measured: number }[] = [];
  let partial: ({ start: number; hits: CorrelationHit[] } | undefined)[] = new Array(n).fill(undefined);
  for (const h of g) {
    for (let k = 0; k < n; k++) {
      const p = partial[k];
      if (p && h.time - p.start > c.timespanMs) partial[k] = undefined;
    }
    const j = h.source;
    if (j === 0) partial[0] = { start: h.time, hits: [h] };
    else {
      const prev = partial[j - 1];
      if (prev) {
        const cur = partial[j];
        if (!cur || prev.start >= cur.start) partial[j] = { start: prev.start, hits: [...prev.hits, h] };
      }
    }
    const done = partial[n - 1];
    if (done) {
      out.push({ hits: done.hits, measured: n });
      partial = new Array(n).fill(undefined);
    }
  }
  return out;
}

export function highestLevel(levels: Level[]): Level | undefined {
  const order: Level[] = ['informational', 'low', 'medium', 'high', 'critical'];
  let best: Level | undefined;
  for (const l of levels) if (best === undefined || order.indexOf(l) > order.indexOf(best)) best = l;
  return best;
}
