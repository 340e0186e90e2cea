/** ADV-01: several different alerts about one destination (TinyCheck's `max_alerts`, default 3). */
import type { CheckContext } from './context.js';

export function checkAdvanced(ctx: CheckContext): void {
  for (const [subject, { rules, occ }] of ctx.sink.subjects()) {
    if (rules.size < ctx.opts.maxAlerts) continue;
    ctx.sink.add('ADV-01', subject, { host: subject, count: rules.size }, occ, { subject, details: { rules: [...rules].sort() } });
  }
}
