/**
 * BEACON-01: source→destination pairs scored as RITA scores beacons (see beacon/score.ts);
 * levels at 0.7 (low), 0.9 (medium) and 1.0 (high), RITA's default thresholds.
 */
import type { Level } from '../../types.js';
import { scoreBeacon } from '../beacon/score.js';
import type { CheckContext } from './context.js';

export function beaconLevel(score: number): Level | undefined {
  if (score >= 1) return 'high';
  if (score >= 0.9) return 'medium';
  if (score >= 0.7) return 'low';
  return undefined;
}

export function checkBeacons(ctx: CheckContext): void {
  if (!ctx.opts.heuristics || !ctx.opts.beacons) return;
  const { minTs, maxTs } = ctx.state;
  if (!(maxTs > minTs)) return;
  for (const p of ctx.state.allPairs()) {
    if (p.n < 4 || ctx.destinationWhitelisted(p.dst)) continue;
    const s = scoreBeacon(p.ts, p.bytes, minTs, maxTs);
    if (!s) continue;
    const level = beaconLevel(s.score);
    if (!level) continue;
    const dst = ctx.display(p.dst);
    ctx.sink.add(
      'BEACON-01',
      `${p.src}|${p.dst}`,
      { src: p.src, dst, score: s.score.toFixed(3), count: p.n },
      { refs: p.refs, count: p.n, first: p.first, last: p.last, sources: [p.src] },
      { level, subject: dst, details: { ip: p.dst, score: s.score, timestampScore: s.ts, dataSizeScore: s.ds, histogramScore: s.hist, durationScore: s.dur, histogram: s.histogram, seriesDropped: p.dropped } },
    );
    ctx.flagIp(p.dst, 'BEACON-01');
  }
}
