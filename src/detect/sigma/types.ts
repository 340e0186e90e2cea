/**
 * Sigma rules as Loupe holds them after parsing and before compiling: the object model of
 * pySigma's rule/detection/types modules, reduced to what matching needs.
 */
import type { Level } from '../types.js';
import type { Cidr } from './cidr.js';
import type { LogSource } from './logsources.js';
import type { SigmaString } from './sigma-string.js';

export type CmpOp = 'lt' | 'lte' | 'gt' | 'gte';
export type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** One value of a detection item after its modifiers ran. */
export type SigmaValue =
  | { t: 'str'; s: SigmaString; original: string; cased: boolean }
  | { t: 'null' }
  | { t: 're'; source: string; flags: string }
  | { t: 'cidr'; cidr: Cidr }
  | { t: 'cmp'; op: CmpOp; n: number }
  | { t: 'fieldref'; field: string; start: boolean; end: boolean; cased: boolean }
  | { t: 'exists'; exists: boolean }
  | { t: 'time'; unit: TimeUnit; n: number };

/**
 * `Field|mods: values`. Each value the rule wrote becomes a group of alternatives (windash and
 * base64offset turn one value into several); groups are ORed, or ANDed under `all`, and the
 * alternatives of a group are always ORed.
 */
export interface DetectionItem {
  /** Null for keyword searches over the whole event. */
  field: string | null;
  modifiers: string[];
  groups: SigmaValue[][];
  linkAll: boolean;
  /** `neq`: the item matches when none of its values do. */
  negated: boolean;
}

/** A search identifier's body: maps AND their items, lists OR their entries. */
export type DetectionNode =
  | { k: 'and'; items: DetectionItem[] }
  | { k: 'or'; nodes: DetectionNode[] }
  | { k: 'item'; item: DetectionItem };

export type ConditionNode =
  | { k: 'id'; name: string }
  | { k: 'and'; c: ConditionNode[] }
  | { k: 'or'; c: ConditionNode[] }
  | { k: 'not'; c: ConditionNode }
  | { k: 'const'; v: boolean };

interface RuleMeta {
  id?: string;
  /** Correlations refer to rules by `name` or `id`. */
  name?: string;
  title: string;
  description?: string;
  status?: string;
  level: Level;
  author?: string;
  date?: string;
  modified?: string;
  references: string[];
  tags: string[];
  falsepositives: string[];
  fields: string[];
  file?: string;
  /** 1-based line where the rule's YAML document starts. */
  line?: number;
  /** Document index inside a multi-document file. */
  document?: number;
  /** Non-fatal findings (lint): the rule still loads. */
  warnings: string[];
}

export interface SigmaRule extends RuleMeta {
  kind: 'rule';
  logsource: LogSource;
  detections: Map<string, DetectionNode>;
  /** One entry per condition (a condition list ORs them). */
  conditions: ConditionNode[];
  conditionText: string[];
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_min'
  | 'value_max'
  | 'value_median'
  | 'value_percentile';

export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
  neq?: number;
  /** value_* correlations: the field whose values are counted / summed. */
  field?: string;
  /** value_percentile: which percentile. */
  percentile?: number;
}

export interface SigmaCorrelation extends RuleMeta {
  kind: 'correlation';
  type: CorrelationType;
  rules: string[];
  groupBy: string[];
  timespanMs: number;
  condition: CountCondition;
  /** alias → (rule name or id → field). */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
  /** The level written on the correlation (when absent the alert uses the highest of its rules). */
  levelGiven: boolean;
}

export interface SigmaFilter extends Omit<RuleMeta, 'level'> {
  kind: 'filter';
  logsource: LogSource;
  /** Rule ids or names, or 'any' for every rule of the logsource. */
  rules: string[] | 'any';
  detections: Map<string, DetectionNode>;
  condition: ConditionNode;
  conditionText: string;
}

export type SigmaDocument = SigmaRule | SigmaCorrelation | SigmaFilter;
