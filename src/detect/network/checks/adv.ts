/** ADV-01: several different alerts about one destination (TinyCheck's `max_alerts`, default 3). */
import type { CheckContext } from './context.js';

export function checkAdvanced(ctx: CheckContext): void {
  for (const [subject, rules] of ctx.sink.rulesBySubject()) {
    if (rules.size < ctx.opts.maxAlerts) continue;
    ctx.sink.add('ADV-01', subject, { host: subject, count: rules.size }, ctx.sink.occurrencesOf(subject), { subject, details: { rules: [...rules].sort() } });
  }
}
