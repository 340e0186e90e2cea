/**
 * The Sigma detector: for each event, find its source key (channel or Zeek log) and event id,
 * take the rules indexed there, and run their closures over one shared EventView. A match is an
 * alert (rule id, title, level, ATT&CK techniques and tactics, the event, the matched fields) or,
 * for rules read by correlations, a compact hit kept for `finish()`.
 */
import type { Event } from '../../normalize/event.js';
import { attackFromTags } from '../attack/tags.js';
import type { Alert, DetectContext, Detector, EventRef, Level } from '../types.js';
import { evaluateCorrelation, highestLevel, MAX_HITS, type CorrelationHit } from './correlation.js';
import type { SigmaEngine } from './engine.js';
import { EventView, toText } from './event-view.js';
import { windowsKey, zeekKey } from './logsources.js';
import type { CompiledRule, CompiledVariant } from './rule-index.js';

/** Longest text kept per matched field in alert details (evidence strings are hostile: bound them). */
const MAX_DETAIL_CHARS = 2048;

export interface SigmaDetectorOptions {
  /** Only rules at or above this level raise alerts (correlations still see every match). */
  minLevel?: Level;
}

export interface RuleStat {
  key: string;
  title: string;
  level: Level;
  count: number;
}

function bound(s: string): string {
  return s.length > MAX_DETAIL_CHARS ? `${s.slice(0, MAX_DETAIL_CHARS)}…[${s.length - MAX_DETAIL_CHARS} more chars]` : s;
}

function eventIdOf(event: Event): number | undefined {
  const v = event.raw.EventID ?? event.winlog?.event_id;
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v);
    return Number.isInteger(n) ? n : undefined;
  }
  if (v && typeof v === 'object' && '#text' in v) return Number((v as { '#text': unknown })['#text']);
  return undefined;
}

const LEVEL_ORDER: Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

export class SigmaDetector implements Detector {
  readonly name = 'sigma';
  private readonly view: EventView;
  private readonly channelKeys = new Map<string, string>();
  private readonly hits: CorrelationHit[][];
  private readonly dropped: number[];
  private readonly counts = new Map<CompiledRule, number>();
  private readonly minRank: number;
  /** Events looked at and events that had at least one candidate rule. */
  events = 0;
  candidateEvents = 0;

  constructor(
    readonly engine: SigmaEngine,
    opts: SigmaDetectorOptions = {},
  ) {
    this.view = new EventView(engine.index.fields);
    this.hits = engine.correlations.map(() => []);
    this.dropped = engine.correlations.map(() => 0);
    this.minRank = LEVEL_ORDER.indexOf(opts.minLevel ?? 'informational');
  }

  /** The source key an event is indexed under, or undefined when no rule can read it. */
  sourceKey(event: Event): string | undefined {
    const log = event.zeek?.log;
    if (log) return zeekKey(log);
    const ch = event.raw.Channel ?? event.winlog?.channel;
    if (typeof ch !== 'string') return undefined;
    let key = this.channelKeys.get(ch);
    if (key === undefined) {
      key = windowsKey(ch.toLowerCase());
      this.channelKeys.set(ch, key);
    }
    return key;
  }

  onEvent(event: Event, ctx: DetectContext): void {
    this.events++;
    const key = this.sourceKey(event);
    if (key === undefined) return;
    const { list, prefilter } = this.engine.index.candidates(key, eventIdOf(event));
    if (list.length === 0) return;
    this.candidateEvents++;
    const view = this.view;
    view.reset(event.raw);
    if (prefilter) prefilter.run(view);
    let lastOrder = -1;
    for (let i = 0; i < list.length; i++) {
      const v = list[i]!;
      if (v.rule.order === lastOrder) continue; // the same rule through a second variant
      if (prefilter && !prefilter.may(i)) continue;
      if (!v.pred(view)) continue;
      lastOrder = v.rule.order;
      this.matched(v, event, ctx);
    }
  }

  private matched(v: CompiledVariant, event: Event, ctx: DetectContext): void {
    const rule = v.rule;
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    const ref: EventRef = { id: ctx.eventId, time: event['@timestamp'] };
    const feeds = this.engine.feeds.get(v);
    if (feeds) {
      for (const f of feeds) {
        const list = this.hits[f.corr]!;
        if (list.length >= MAX_HITS) {
          this.dropped[f.corr]!++;
          continue;
        }
        const group: string[] = [];
        let complete = true;
        for (const s of f.groupSlots) {
          const t = this.view.lower(s);
          if (t === undefined) {
            complete = false;
            break;
          }
          group.push(typeof t === 'string' ? t : t.join(','));
        }
        if (!complete) continue; // like a SQL GROUP BY: no value, no group
        let value: string | undefined;
        if (f.valueSlot !== undefined) {
          const t = this.view.lower(f.valueSlot);
          value = t === undefined ? undefined : typeof t === 'string' ? t : t.join(',');
        }
        list.push({ time: event['@timestamp'], refs: [ref], weight: 1, host: hostOf(event), source: f.source, group, value });
      }
    }
    if (this.engine.silent.has(rule)) return;
    if (LEVEL_ORDER.indexOf(rule.rule.level) < this.minRank) return;
    ctx.emit(this.alertFor(v, event, ref));
  }

  private alertFor(v: CompiledVariant, event: Event, ref: EventRef): Alert {
    const r = v.rule.rule;
    const attack = attackFromTags(r.tags);
    const matched: Record<string, unknown> = {};
    for (const e of v.explain) {
      if (!e.pred(this.view)) continue;
      for (const f of e.fields) {
        if (f in matched) continue;
        const slot = this.engine.index.fields.slot(f);
        const t = this.view.text(slot);
        if (t === undefined) continue;
        matched[f] = typeof t === 'string' ? bound(t) : t.slice(0, 32).map(bound);
      }
    }
    const raw = event.raw;
    // the rule's own `fields:` list: what its author wants an analyst to see first
    const shown: Record<string, unknown> = {};
    for (const f of r.fields.slice(0, 32)) {
      const t = toText(raw[f]);
      if (t !== undefined) shown[f] = typeof t === 'string' ? bound(t) : t.slice(0, 32).map(bound);
    }
    const details: Record<string, unknown> = {
      matched,
      ...(Object.keys(shown).length ? { fields: shown } : {}),
      logsource: v.source.label,
      channel: typeof raw.Channel === 'string' ? raw.Channel : event.winlog?.channel ?? (event.zeek?.log ? `zeek ${event.zeek.log}` : undefined),
      eventId: eventIdOf(event),
      recordId: raw.EventRecordID ?? event.winlog?.record_id ?? event.origin.record,
      computer: hostOf(event),
      status: r.status,
      ruleFile: r.file,
      otherTags: r.tags.filter((t) => !t.startsWith('attack.')),
    };
    if (attack.groups.length) details.groups = attack.groups;
    if (attack.software.length) details.software = attack.software;
    return {
      id: `sigma:${v.rule.key}:${ref.id}`,
      detector: 'sigma',
      ruleId: v.rule.key,
      title: r.title,
      description: r.description,
      level: r.level,
      time: ref.time,
      host: hostOf(event),
      techniques: attack.techniques,
      tactics: attack.tactics,
      events: [ref],
      count: 1,
      details,
    };
  }

  finish(emit: (alert: Alert) => void): void {
    const engine = this.engine;
    for (const i of engine.correlationOrder) {
      const cc = engine.correlations[i]!;
      const matches = evaluateCorrelation(cc.c, this.hits[i]!, cc.sourceNames);
      for (const m of matches) {
        // feed correlations that read this one
        for (const consumer of cc.consumers) {
          const next = engine.correlations[consumer.corr]!;
          const group = next.c.groupBy.map((g) => {
            const alias = next.c.aliases[g]?.[cc.c.name ?? ''] ?? next.c.aliases[g]?.[cc.c.id ?? ''] ?? g;
            return m.group[alias] ?? '';
          });
          this.hits[consumer.corr]!.push({ time: m.last, refs: m.refs, weight: m.count, host: m.host, source: consumer.source, group });
        }
        const ruleLevels = cc.sources.flatMap((s) => (s.kind === 'rule' ? [s.rule.rule.level] : []));
        const level = cc.c.levelGiven ? cc.c.level : (highestLevel(ruleLevels) ?? cc.c.level);
        const tags = cc.c.tags.length ? cc.c.tags : cc.sources.flatMap((s) => (s.kind === 'rule' ? s.rule.rule.tags : []));
        const attack = attackFromTags(tags);
        if (cc.consumers.length && !cc.c.generate) continue; // an intermediate step of a chain
        emit({
          id: `sigma:${cc.key}:${m.refs[0]?.id ?? m.first}:${m.first}`,
          detector: 'sigma',
          ruleId: cc.key,
          title: cc.c.title,
          description: cc.c.description,
          level,
          time: m.first,
          lastTime: m.last,
          host: m.host,
          techniques: attack.techniques,
          tactics: attack.tactics,
          events: m.refs,
          count: m.count,
          details: {
            correlation: cc.c.type,
            groupBy: m.group,
            timespanMs: cc.c.timespanMs,
            measured: m.measured,
            condition: cc.c.condition,
            rules: m.sources,
            ruleFile: cc.c.file,
          },
        });
      }
      if (this.dropped[i]) {
        process.emitWarning(`sigma correlation '${cc.c.title}': ${this.dropped[i]} matches over the ${MAX_HITS} kept were not counted`);
      }
    }
  }

  /** Matches per rule so far (correlation-only rules included), most frequent first. */
  ruleStats(): RuleStat[] {
    return [...this.counts.entries()]
      .map(([r, count]) => ({ key: r.key, title: r.rule.title, level: r.rule.level, count }))
      .sort((a, b) => b.count - a.count || a.title.localeCompare(b.title));
  }
}

function hostOf(event: Event): string | undefined {
  const raw = event.raw;
  const v = raw.Computer ?? raw.Hostname ?? event.host?.name ?? event.winlog?.computer_name;
  const t = toText(v);
  return typeof t === 'string' && t ? t : undefined;
}
