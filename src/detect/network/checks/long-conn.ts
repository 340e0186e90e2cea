/**
 * CONN-01: long connections (RITA's thresholds: from 1 h; 4 h low, 8 h medium, 12 h high;
 * below 4 h informational). Measured on the longest single connection per source,
 * destination, port and protocol.
 */
import type { Level } from '../../types.js';
import type { CheckContext } from './context.js';

export function longConnectionLevel(seconds: number): Level {
  if (seconds >= 43200) return 'high';
  if (seconds >= 28800) return 'medium';
  if (seconds >= 14400) return 'low';
  return 'informational';
}

export function formatDuration(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}

export function checkLongConnections(ctx: CheckContext): void {
  if (!ctx.opts.heuristics) return;
  for (const c of ctx.state.longConns.values()) {
    if (c.duration < ctx.opts.longConnectionSeconds || ctx.destinationWhitelisted(c.dst)) continue;
    const dst = ctx.display(c.dst);
    ctx.sink.add(
      'CONN-01',
      `${c.src}|${c.dst}|${c.port}|${c.proto}`,
      { src: c.src, dst, port: c.port, duration: formatDuration(c.duration) },
      { refs: c.refs, count: c.refs.length, first: c.first, last: c.first + c.duration * 1000, sources: [c.src] },
      { level: longConnectionLevel(c.duration), subject: dst, details: { seconds: c.duration, proto: c.proto, ip: c.dst } },
    );
    ctx.flagIp(c.dst, 'CONN-01');
  }
}
