/**
 * Compiled rules, indexed so that an event meets only its candidates: by source key (channel or
 * Zeek log) and event id. A rule compiles once per log source variant (process_creation on Sysmon
 * 1 reads `Image`; on Security 4688 it reads `NewProcessName`). Event ids come from the log
 * source (Sysmon 1) and from the detection itself when every match needs one (`EventID: 4624`
 * ANDed in). Sigma filters are ANDed into the rules they name when the rules compile.
 */
import {
  compileCondition,
  compileConditions,
  compileDetection,
  conditionEventIds,
  detectionFields,
  mapField,
  positiveIdentifiers,
  requiredEventIds,
  type CompileEnv,
  type CompiledPred,
  type Pred,
} from './compiler.js';
import { SigmaError } from './errors.js';
import { FieldTable } from './event-view.js';
import { ANY_WINDOWS, logsourceIncludes, resolveLogsource, type SourceVariant } from './logsources.js';
import { bestOf, conditionAnchors, detectionAnchors, Prefilter, usable, type Anchors } from './prefilter.js';
import type { ConditionNode, SigmaFilter, SigmaRule } from './types.js';

export interface CompiledVariant {
  rule: CompiledRule;
  source: SourceVariant;
  /** Event ids this variant can match; undefined = any. */
  eventIds?: number[];
  pred: Pred;
  /** Per positive search identifier: its predicate and the (mapped) fields it reads. */
  explain: { name: string; pred: Pred; fields: string[] }[];
  /** A necessary literal condition for the prefilter (null: none known). */
  anchors: Anchors;
}

/** The rules an event with a given source key and event id must meet, and their prefilter. */
export interface CandidateSet {
  list: CompiledVariant[];
  /** Present when the list is long enough for the prefilter to pay. */
  prefilter?: Prefilter;
}

/** Below this many candidates, running every closure is as cheap as the prefilter. */
const PREFILTER_FROM = 6;

export interface CompiledRule {
  rule: SigmaRule;
  /** Load order: alerts for one event come out in this order. */
  order: number;
  /** The id alerts carry: the Sigma id, else a name derived from the file and title. */
  key: string;
  variants: CompiledVariant[];
  /** False when the log source has no Loupe source yet (rule loaded, cannot fire). */
  mapped: boolean;
  filters: string[];
}

export interface CompileFailure {
  error: SigmaError;
}

interface Bucket {
  any: CompiledVariant[];
  byEid: Map<number, CompiledVariant[]>;
}

export class RuleIndex {
  readonly fields = new FieldTable();
  readonly rules: CompiledRule[] = [];
  readonly failures: SigmaError[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly cache = new Map<string, Map<number, CandidateSet>>();
  private readonly noEidCache = new Map<string, CandidateSet>();
  /** Off only to check that the prefilter never changes a result (tests, benchmarks). */
  usePrefilter = true;

  constructor(rules: SigmaRule[], filters: SigmaFilter[] = []) {
    for (const r of rules) {
      try {
        const c = this.compileRule(r, filters);
        this.rules.push(c);
        for (const v of c.variants) this.add(v);
      } catch (err) {
        const msg = err instanceof SigmaError ? err.message : err instanceof Error ? err.message : String(err);
        this.failures.push(
          new SigmaError(msg, { file: r.file, line: r.line, document: r.document, ruleId: r.id, title: r.title }),
        );
      }
    }
  }

  private compileRule(rule: SigmaRule, filters: SigmaFilter[]): CompiledRule {
    const { variants, mapped } = resolveLogsource(rule.logsource);
    const applicable = filters.filter(
      (f) =>
        logsourceIncludes(f.logsource, rule.logsource) &&
        (f.rules === 'any' || f.rules.some((x) => x === rule.id || (rule.name !== undefined && x === rule.name))),
    );
    const compiled: CompiledRule = {
      rule,
      order: this.rules.length,
      key: rule.id ?? `${rule.file ?? 'rule'}#${rule.document ?? 0}:${rule.title}`,
      variants: [],
      mapped,
      filters: applicable.map((f) => f.id ?? f.title),
    };
    const positive = new Set<string>();
    for (const c of rule.conditions) positiveIdentifiers(c, false, positive);
    for (const source of variants) {
      const env: CompileEnv = { fields: this.fields, fieldMap: source.fieldMap };
      const ids = new Map<string, CompiledPred>();
      const idEids = new Map<string, Set<number> | undefined>();
      const idAnchors = new Map<string, Anchors>();
      for (const [name, node] of rule.detections) {
        try {
          ids.set(name, compileDetection(env, node));
        } catch (err) {
          throw new Error(`in '${name}': ${(err as Error).message}`);
        }
        idEids.set(name, requiredEventIds(node, source.fieldMap));
        idAnchors.set(name, detectionAnchors(node, source.fieldMap));
      }
      const whole: ConditionNode = rule.conditions.length === 1 ? rule.conditions[0]! : { k: 'or', c: rule.conditions };
      let cond = compileCondition(whole, ids);
      const anchors = usable(
        bestOf([
          conditionAnchors(whole, idAnchors),
          ...Object.entries(source.conditions ?? {}).map(([field, value]): Anchors => [{ field, strings: [value.toLowerCase()] }]),
        ]),
      );
      for (const f of applicable) cond = andPreds(cond, compileFilter(f, env));
      const extra = compileConditions(env, source.conditions);
      const pred = andPreds(extra, cond);
      // event ids: the variant's, narrowed by what the detection requires
      let eids: Set<number> | undefined = source.eventIds ? new Set(source.eventIds) : undefined;
      let detEids: Set<number> | undefined;
      if (rule.conditions.length === 1) detEids = conditionEventIds(rule.conditions[0]!, idEids);
      else {
        const all = rule.conditions.map((c) => conditionEventIds(c, idEids));
        if (all.every((s) => s)) detEids = new Set(all.flatMap((s) => [...s!]));
      }
      if (detEids) eids = eids ? new Set([...eids].filter((x) => detEids!.has(x))) : detEids;
      if (eids && eids.size === 0) continue; // e.g. a Sysmon-only event id on the Security variant
      const explain = [...rule.detections.entries()]
        .filter(([name]) => positive.has(name))
        .map(([name, node]) => ({
          name,
          pred: ids.get(name)!.pred,
          fields: [...detectionFields(node)].map((f) => mapField(env, f)),
        }));
      compiled.variants.push({
        rule: compiled,
        source,
        eventIds: eids ? [...eids].sort((a, b) => a - b) : undefined,
        pred: pred.pred,
        explain,
        anchors,
      });
    }
    return compiled;
  }

  private add(v: CompiledVariant): void {
    let b = this.buckets.get(v.source.key);
    if (!b) {
      b = { any: [], byEid: new Map() };
      this.buckets.set(v.source.key, b);
    }
    if (!v.eventIds) b.any.push(v);
    else {
      for (const id of v.eventIds) {
        let list = b.byEid.get(id);
        if (!list) b.byEid.set(id, (list = []));
        list.push(v);
      }
    }
  }

  /** Rules an event with this source key and event id must be checked against, in load order. */
  candidates(key: string, eventId: number | undefined): CandidateSet {
    if (!this.usePrefilter) {
      const set = this.candidatesWithPrefilter(key, eventId);
      return { list: set.list };
    }
    return this.candidatesWithPrefilter(key, eventId);
  }

  private candidatesWithPrefilter(key: string, eventId: number | undefined): CandidateSet {
    if (eventId === undefined || Number.isNaN(eventId)) {
      let set = this.noEidCache.get(key);
      if (!set) {
        set = this.candidateSet(this.collect(key, undefined));
        this.noEidCache.set(key, set);
      }
      return set;
    }
    let m = this.cache.get(key);
    if (!m) this.cache.set(key, (m = new Map()));
    let set = m.get(eventId);
    if (!set) {
      set = this.candidateSet(this.collect(key, eventId));
      m.set(eventId, set);
    }
    return set;
  }

  private candidateSet(list: CompiledVariant[]): CandidateSet {
    // keyword rules (anchors on any value) cost a lower-cased copy of the whole record: worth a
    // prefilter even in a short list
    const keywords = list.some((v) => v.anchors?.some((p) => p.field === null));
    if ((list.length < PREFILTER_FROM && !keywords) || !list.some((v) => v.anchors !== null)) return { list };
    return { list, prefilter: new Prefilter(list.map((v) => v.anchors), this.fields) };
  }

  private collect(key: string, eventId: number | undefined): CompiledVariant[] {
    const keys = key.startsWith('win:') ? [key, ANY_WINDOWS] : [key];
    const out: CompiledVariant[] = [];
    for (const k of keys) {
      const b = this.buckets.get(k);
      if (!b) continue;
      out.push(...b.any);
      if (eventId !== undefined) out.push(...(b.byEid.get(eventId) ?? []));
    }
    return out.sort((a, b) => a.rule.order - b.rule.order);
  }

  /** Candidate lists built so far and the bytes their prefilter automata hold. */
  prefilterStats(): { lists: number; prefilters: number; bytes: number } {
    let lists = 0;
    let prefilters = 0;
    let bytes = 0;
    const sets = [...this.noEidCache.values(), ...[...this.cache.values()].flatMap((m) => [...m.values()])];
    for (const s of sets) {
      lists++;
      if (s.prefilter) {
        prefilters++;
        bytes += s.prefilter.bytes;
      }
    }
    return { lists, prefilters, bytes };
  }

  /** Every source key some rule reads (for `rules list` and coverage). */
  sourceKeys(): string[] {
    return [...this.buckets.keys()].sort();
  }
}

function andPreds(a: CompiledPred, b: CompiledPred): CompiledPred {
  const pa = a.pred;
  const pb = b.pred;
  return a.cost <= b.cost ? { pred: (ev) => pa(ev) && pb(ev), cost: a.cost + b.cost } : { pred: (ev) => pb(ev) && pa(ev), cost: a.cost + b.cost };
}

function compileFilter(f: SigmaFilter, env: CompileEnv): CompiledPred {
  const ids = new Map<string, CompiledPred>();
  for (const [name, node] of f.detections) ids.set(name, compileDetection(env, node));
  return compileCondition(f.condition, ids);
}
