/**
 * SNORT-01: Suricata alerts (EVE `alert` records). The level follows the rule's severity
 * (1 high, 2 medium, 3 and more low; high when absent, as TinyCheck raised every hit high).
 * The whitelist applies to the remote end, whichever direction the rule saw.
 */
import { isLocalAddress } from '../../ioc/ip.js';
import type { Level } from '../../types.js';
import { occ, type CheckContext } from './context.js';

function levelOf(severity: number | undefined): Level {
  if (severity === undefined) return 'high';
  if (severity <= 1) return 'high';
  if (severity === 2) return 'medium';
  return 'low';
}

export function checkIds(ctx: CheckContext): void {
  for (const a of ctx.state.ids.values()) {
    const remote = a.dst !== undefined && !isLocalAddress(a.dst) ? a.dst : a.src !== undefined && !isLocalAddress(a.src) ? a.src : a.dst;
    if (remote !== undefined && ctx.destinationWhitelisted(remote)) continue;
    const host = remote !== undefined ? ctx.display(remote) : '?';
    ctx.sink.add('SNORT-01', `${a.sid}|${remote ?? ''}`, { signature: a.signature, host }, occ(a), {
      level: levelOf(a.severity),
      subject: host,
      details: { sid: a.sid, severity: a.severity, src: a.src, dst: a.dst },
    });
    if (remote) ctx.flagIp(remote, 'SNORT-01');
  }
}
