/**
 * Collects alerts during `finish`, one per (rule, subject): the same domain seen through ten
 * connections and five DNS queries is one alert counting fifteen occurrences. Titles and
 * descriptions are rendered in the run's language; the parameters travel in `details.params`
 * so a report can render them again in any other language.
 */
import { createHash } from 'node:crypto';
import { levelRank, type Alert, type EventRef, type Level } from '../types.js';
import { alertText, type AlertKey, type Params } from '../../report/i18n/index.js';
import { RULES } from './rules.js';

export interface Occurrence {
  refs: readonly EventRef[];
  count: number;
  /** Epoch ms. */
  first: number;
  last: number;
  /** Local hosts involved (sources). */
  sources?: Iterable<string>;
}

interface Pending {
  ruleId: AlertKey;
  key: string;
  level: Level;
  params: Params;
  details: Record<string, unknown>;
  subject?: string;
  refs: EventRef[];
  count: number;
  first: number;
  last: number;
  sources: Set<string>;
}

const MAX_SOURCES = 16;

export class AlertSink {
  private readonly pending = new Map<string, Pending>();

  constructor(
    private readonly lang: string,
    private readonly maxRefs: number,
  ) {}

  /**
   * Adds or merges one alert. `subject` is the destination it is about (domain or IP), used by
   * ADV-01 to count different alerts per destination.
   */
  add(ruleId: AlertKey, key: string, params: Params, occ: Occurrence, opts: { level?: Level; details?: Record<string, unknown>; subject?: string } = {}): void {
    const k = `${ruleId}\u0000${key}`;
    let p = this.pending.get(k);
    if (!p) {
      p = {
        ruleId,
        key,
        level: opts.level ?? RULES[ruleId].level,
        params,
        details: opts.details ?? {},
        subject: opts.subject,
        refs: [],
        count: 0,
        first: occ.first,
        last: occ.last,
        sources: new Set(),
      };
      this.pending.set(k, p);
    } else if (opts.level !== undefined && levelRank(opts.level) > levelRank(p.level)) {
      p.level = opts.level;
    }
    p.count += occ.count;
    if (occ.first < p.first) p.first = occ.first;
    if (occ.last > p.last) p.last = occ.last;
    for (const r of occ.refs) {
      if (p.refs.length >= this.maxRefs) break;
      if (!p.refs.some((x) => x.id === r.id)) p.refs.push(r);
    }
    if (occ.sources) for (const s of occ.sources) if (p.sources.size < MAX_SOURCES) p.sources.add(s);
  }

  has(ruleId: AlertKey, key: string): boolean {
    return this.pending.has(`${ruleId}\u0000${key}`);
  }

  /** Per subject, the distinct rules that fired and their occurrences merged (ADV-01), in one pass. */
  subjects(): Map<string, { rules: Set<AlertKey>; occ: Occurrence & { refs: EventRef[] } }> {
    const out = new Map<string, { rules: Set<AlertKey>; occ: Occurrence & { refs: EventRef[] } }>();
    for (const p of this.pending.values()) {
      if (p.subject === undefined || p.ruleId === 'ADV-01') continue;
      let s = out.get(p.subject);
      if (!s) out.set(p.subject, (s = { rules: new Set(), occ: { refs: [], count: 0, first: p.first, last: p.last } }));
      s.rules.add(p.ruleId);
      s.occ.count += p.count;
      if (p.first < s.occ.first) s.occ.first = p.first;
      if (p.last > s.occ.last) s.occ.last = p.last;
      for (const r of p.refs) {
        if (s.occ.refs.length >= this.maxRefs) break;
        if (!s.occ.refs.some((x) => x.id === r.id)) s.occ.refs.push(r);
      }
    }
    return out;
  }

  /** The alerts, most severe first, then by rule id and subject: the same order in every run. */
  alerts(): Alert[] {
    const out: Alert[] = [];
    for (const p of this.pending.values()) {
      const rule = RULES[p.ruleId];
      const hash = createHash('sha1').update(`network\u0000${p.ruleId}\u0000${p.key}\u0000${p.refs[0]?.id ?? ''}`).digest('hex').slice(0, 20);
      const sources = [...p.sources];
      const a: Alert = {
        id: `net-${hash}`,
        detector: 'network',
        ruleId: p.ruleId,
        title: alertText(this.lang, p.ruleId, 'title', p.params),
        description: alertText(this.lang, p.ruleId, 'description', p.params),
        level: p.level,
        time: p.first,
        techniques: rule.techniques,
        tactics: rule.tactics,
        events: p.refs,
        count: p.count,
        details: { ...p.details, params: p.params, ...(sources.length > 0 ? { sources } : {}), ...(p.subject !== undefined ? { subject: p.subject } : {}) },
      };
      if (p.last !== p.first) a.lastTime = p.last;
      if (sources.length === 1) a.host = sources[0];
      out.push(a);
    }
    out.sort((x, y) => levelRank(y.level) - levelRank(x.level) || (x.ruleId < y.ruleId ? -1 : x.ruleId > y.ruleId ? 1 : 0) || (String(x.details?.subject ?? '') < String(y.details?.subject ?? '') ? -1 : 1) || x.time - y.time);
    return out;
  }
}
