/**
 * A loaded, compiled rule set: the rule index, the correlations wired to the rules they read,
 * and every failure (parse, compile, dangling correlation reference) with its reason.
 */
import { SigmaError } from './errors.js';
import { failureOf, loadRules, type LoadedRules, type RuleFailure } from './loader.js';
import type { ParseOptions } from './parser.js';
import { RuleIndex, type CompiledRule, type CompiledVariant } from './rule-index.js';
import { mapField } from './compiler.js';
import type { SigmaCorrelation } from './types.js';

/** Where a rule match goes for one correlation that reads it. */
export interface Feed {
  corr: number;
  /** Position of the rule in the correlation's `rules`. */
  source: number;
  groupSlots: number[];
  valueSlot?: number;
}

export interface CompiledCorrelation {
  c: SigmaCorrelation;
  index: number;
  key: string;
  /** Per referenced rule: a compiled rule or another correlation. */
  sources: ({ kind: 'rule'; rule: CompiledRule } | { kind: 'correlation'; corr: number })[];
  sourceNames: string[];
  /** Correlations that read this one, with this one's position among their rules. */
  consumers: { corr: number; source: number }[];
}

export class SigmaEngine {
  readonly index: RuleIndex;
  readonly correlations: CompiledCorrelation[] = [];
  readonly failures: RuleFailure[];
  /** Correlations in an order where each comes after the correlations it reads. */
  readonly correlationOrder: number[] = [];
  /** Rule matches that feed correlations, per variant. */
  readonly feeds = new Map<CompiledVariant, Feed[]>();
  /** Rules that only feed correlations (`generate: false`): no alert of their own. */
  readonly silent = new Set<CompiledRule>();

  constructor(readonly loaded: LoadedRules) {
    this.index = new RuleIndex(loaded.rules, loaded.filters);
    this.failures = [...loaded.failures, ...this.index.failures.map(failureOf)];
    this.wireCorrelations();
  }

  static fromPaths(paths: readonly string[], opts: ParseOptions = {}): SigmaEngine {
    return new SigmaEngine(loadRules(paths, opts));
  }

  get ruleCount(): number {
    return this.index.rules.length + this.correlations.length;
  }

  private wireCorrelations(): void {
    const rulesByRef = new Map<string, CompiledRule>();
    for (const r of this.index.rules) {
      if (r.rule.id) rulesByRef.set(r.rule.id, r);
      if (r.rule.name) rulesByRef.set(r.rule.name, r);
    }
    const corrByRef = new Map<string, SigmaCorrelation>();
    for (const c of this.loaded.correlations) {
      if (c.id) corrByRef.set(c.id, c);
      if (c.name) corrByRef.set(c.name, c);
    }
    // keep only correlations whose references all resolve (transitively)
    const ok = new Map<SigmaCorrelation, boolean>();
    const visiting = new Set<SigmaCorrelation>();
    const check = (c: SigmaCorrelation): boolean => {
      const known = ok.get(c);
      if (known !== undefined) return known;
      if (visiting.has(c)) {
        this.fail(c, 'correlation refers to itself through a cycle');
        return false;
      }
      visiting.add(c);
      let good = true;
      for (const ref of c.rules) {
        if (rulesByRef.has(ref)) continue;
        const sub = corrByRef.get(ref);
        if (sub) {
          if (!check(sub)) {
            good = false;
            this.fail(c, `referenced correlation '${ref}' did not load`);
            break;
          }
          continue;
        }
        good = false;
        this.fail(c, `referenced rule '${ref}' is not loaded (unknown id or name, or it failed to load)`);
        break;
      }
      visiting.delete(c);
      ok.set(c, good);
      return good;
    };
    const usable = this.loaded.correlations.filter((c) => check(c));
    const position = new Map(usable.map((c, i) => [c, i]));
    for (const [i, c] of usable.entries()) {
      this.correlations.push({
        c,
        index: i,
        key: c.id ?? `${c.file ?? 'correlation'}#${c.document ?? 0}:${c.title}`,
        sources: [],
        sourceNames: [],
        consumers: [],
      });
    }
    for (const cc of this.correlations) {
      const c = cc.c;
      c.rules.forEach((ref, source) => {
        const rule = rulesByRef.get(ref);
        if (rule) {
          cc.sources.push({ kind: 'rule', rule });
          cc.sourceNames.push(rule.rule.title);
          for (const v of rule.variants) {
            const env = { fields: this.index.fields, fieldMap: v.source.fieldMap };
            const fieldFor = (g: string) =>
              c.aliases[g]?.[rule.rule.name ?? ''] ?? c.aliases[g]?.[rule.rule.id ?? ''] ?? g;
            const feed: Feed = {
              corr: cc.index,
              source,
              groupSlots: c.groupBy.map((g) => this.index.fields.slot(mapField(env, fieldFor(g)))),
              valueSlot: c.condition.field ? this.index.fields.slot(mapField(env, fieldFor(c.condition.field))) : undefined,
            };
            const list = this.feeds.get(v) ?? [];
            list.push(feed);
            this.feeds.set(v, list);
          }
        } else {
          const sub = position.get(corrByRef.get(ref)!)!;
          cc.sources.push({ kind: 'correlation', corr: sub });
          cc.sourceNames.push(corrByRef.get(ref)!.title);
          this.correlations[sub]!.consumers.push({ corr: cc.index, source });
        }
      });
    }
    // rules read by correlations stay silent unless one of those correlations says generate: true
    const generate = new Map<CompiledRule, boolean>();
    for (const cc of this.correlations) {
      for (const s of cc.sources) {
        if (s.kind === 'rule') generate.set(s.rule, (generate.get(s.rule) ?? false) || cc.c.generate);
      }
    }
    for (const [r, g] of generate) if (!g) this.silent.add(r);
    // evaluation order: producers before consumers
    const done = new Set<number>();
    const visit = (i: number) => {
      if (done.has(i)) return;
      done.add(i);
      for (const s of this.correlations[i]!.sources) if (s.kind === 'correlation') visit(s.corr);
      this.correlationOrder.push(i);
    };
    for (const cc of this.correlations) visit(cc.index);
  }

  private fail(c: SigmaCorrelation, reason: string): void {
    this.failures.push(
      failureOf(new SigmaError(reason, { file: c.file, line: c.line, document: c.document, ruleId: c.id, title: c.title })),
    );
  }
}
