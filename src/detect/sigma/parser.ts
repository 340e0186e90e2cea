/**
 * YAML documents → Sigma rules, correlations and filters. Every problem becomes a SigmaError
 * carrying the file, line and rule; a file's other documents still load. Collections written for
 * the legacy `sigmac` (`action: global | reset | repeat`) are merged the way sigmac did.
 */
import { LEVELS, type Level } from '../types.js';
import { parseCondition, conditionIdentifiers } from './condition.js';
import { SigmaError, lineOfKey, type SigmaLocation } from './errors.js';
import type { LogSource } from './logsources.js';
import { applyModifier, isModifier } from './modifiers.js';
import { SigmaString } from './sigma-string.js';
import type {
  ConditionNode,
  CorrelationType,
  CountCondition,
  DetectionItem,
  DetectionNode,
  SigmaCorrelation,
  SigmaDocument,
  SigmaFilter,
  SigmaRule,
  SigmaValue,
} from './types.js';
import { isMap, readSigmaYaml, type YamlMap, type YamlValue } from './yaml.js';

export interface ParseOptions {
  /** Values for `expand` placeholders (`%Servers%` → ['srv*', ...]), in Sigma string notation. */
  placeholders?: Record<string, string[]>;
}

export interface ParseResult {
  docs: SigmaDocument[];
  errors: SigmaError[];
}

const STATUSES = new Set(['stable', 'test', 'experimental', 'deprecated', 'unsupported']);
const CORRELATION_TYPES = new Set<CorrelationType>([
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_min',
  'value_max',
  'value_median',
  'value_percentile',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parses one file's text. Never throws: problems are returned as errors, one per document. */
export function parseSigmaText(text: string, file?: string, opts: ParseOptions = {}): ParseResult {
  const result: ParseResult = { docs: [], errors: [] };
  let docs;
  try {
    docs = readSigmaYaml(text, file);
  } catch (err) {
    result.errors.push(err instanceof SigmaError ? err : new SigmaError(String(err), { file }));
    return result;
  }
  let globalBase: YamlMap | undefined;
  let previous: YamlMap | undefined;
  for (const d of docs) {
    const where: SigmaLocation = { file, line: d.line, document: d.index };
    if (!isMap(d.value)) {
      result.errors.push(new SigmaError('a Sigma document must be a YAML map', where));
      continue;
    }
    let doc: YamlMap = d.value;
    const action = typeof doc.action === 'string' ? doc.action : undefined;
    if (action !== undefined) {
      const { action: _drop, ...rest } = doc;
      if (action === 'global') {
        globalBase = rest;
        continue;
      }
      if (action === 'reset') {
        globalBase = undefined;
        continue;
      }
      if (action === 'repeat') {
        if (!previous) {
          result.errors.push(new SigmaError("'action: repeat' with no previous rule", where));
          continue;
        }
        doc = deepMerge(previous, rest);
      } else {
        result.errors.push(new SigmaError(`unknown collection action '${action}'`, where));
        continue;
      }
    } else if (globalBase) doc = deepMerge(globalBase, doc);
    previous = doc;
    where.ruleId = typeof doc.id === 'string' ? doc.id : undefined;
    where.title = typeof doc.title === 'string' ? doc.title : undefined;
    try {
      result.docs.push(parseDocument(doc, where, text, opts));
    } catch (err) {
      if (err instanceof SigmaError) {
        result.errors.push(err);
      } else {
        result.errors.push(new SigmaError(err instanceof Error ? err.message : String(err), where));
      }
    }
  }
  return result;
}

function deepMerge(a: YamlMap, b: YamlMap): YamlMap {
  const out: YamlMap = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isMap(prev) && isMap(v) ? deepMerge(prev, v) : v;
  }
  return out;
}

function parseDocument(doc: YamlMap, where: SigmaLocation, text: string, opts: ParseOptions): SigmaDocument {
  if (doc.correlation !== undefined) return parseCorrelation(doc, where);
  if (doc.filter !== undefined && doc.detection === undefined) return parseFilter(doc, where, text, opts);
  return parseRule(doc, where, text, opts);
}

function fail(message: string, where: SigmaLocation, line?: number): never {
  throw new SigmaError(message, line ? { ...where, line } : where);
}

function optString(doc: YamlMap, key: string, where: SigmaLocation): string | undefined {
  const v = doc[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  fail(`'${key}' must be a string`, where);
}

function stringList(doc: YamlMap, key: string, where: SigmaLocation): string[] {
  const v = doc[key];
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (isMap(v)) return Object.keys(v);
  fail(`'${key}' must be a list`, where);
}

function parseMeta(doc: YamlMap, where: SigmaLocation, warnings: string[]) {
  const title = optString(doc, 'title', where);
  if (!title) fail("rule has no 'title'", where);
  const id = optString(doc, 'id', where);
  if (id !== undefined && !UUID.test(id)) warnings.push(`id '${id}' is not a UUID`);
  if (id === undefined) warnings.push("rule has no 'id'");
  const status = optString(doc, 'status', where);
  if (status !== undefined && !STATUSES.has(status)) warnings.push(`unknown status '${status}'`);
  let level: Level = 'medium';
  let levelGiven = false;
  const lv = optString(doc, 'level', where)?.toLowerCase();
  if (lv === undefined) warnings.push("no 'level': using medium");
  else if ((LEVELS as readonly string[]).includes(lv)) {
    level = lv as Level;
    levelGiven = true;
  } else warnings.push(`unknown level '${lv}': using medium`);
  const tags = stringList(doc, 'tags', where);
  for (const t of tags) if (!/^[a-z0-9_.\-]+$/.test(t)) warnings.push(`tag '${t}' is not lower-case namespace.name`);
  return {
    id,
    name: optString(doc, 'name', where),
    title,
    description: optString(doc, 'description', where),
    status,
    level,
    levelGiven,
    author: optString(doc, 'author', where),
    date: optString(doc, 'date', where),
    modified: optString(doc, 'modified', where),
    references: stringList(doc, 'references', where),
    tags,
    falsepositives: stringList(doc, 'falsepositives', where),
    fields: stringList(doc, 'fields', where),
    file: where.file,
    line: where.line,
    document: where.document,
    warnings,
  };
}

function parseLogsource(doc: YamlMap, where: SigmaLocation): LogSource {
  const ls = doc.logsource;
  if (!isMap(ls)) fail("rule has no 'logsource' map", where);
  const out: LogSource = {};
  for (const k of ['product', 'category', 'service'] as const) {
    const v = ls[k];
    if (typeof v === 'string' && v) out[k] = v;
  }
  if (!out.product && !out.category && !out.service) fail('logsource names no product, category or service', where);
  return out;
}

interface DetectionContext {
  where: SigmaLocation;
  text: string;
  opts: ParseOptions;
  warnings: string[];
  placeholderCache: Map<string, SigmaString[] | undefined>;
}

function parseDetections(
  body: YamlMap,
  reserved: ReadonlySet<string>,
  ctx: DetectionContext,
): Map<string, DetectionNode> {
  const out = new Map<string, DetectionNode>();
  for (const [name, value] of Object.entries(body)) {
    if (reserved.has(name)) continue;
    try {
      out.set(name, parseSearchIdentifier(value, ctx));
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      fail(`in '${name}': ${msg}`, ctx.where, lineOfKey(ctx.text, name, ctx.where.line));
    }
  }
  return out;
}

function parseSearchIdentifier(value: YamlValue, ctx: DetectionContext): DetectionNode {
  if (isMap(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) throw new Error('empty map');
    return { k: 'and', items: keys.map((key) => parseItem(key, value[key]!, ctx)) };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new Error('empty list');
    const scalars = value.filter((v) => !isMap(v) && !Array.isArray(v));
    const maps = value.filter(isMap);
    if (value.some(Array.isArray)) throw new Error('a list inside a list is not Sigma');
    const nodes: DetectionNode[] = maps.map((m) => parseSearchIdentifier(m, ctx));
    if (scalars.length) nodes.unshift({ k: 'item', item: parseItem('', scalars, ctx) });
    return nodes.length === 1 ? nodes[0]! : { k: 'or', nodes };
  }
  if (value === null) throw new Error('no value');
  return { k: 'item', item: parseItem('', [value], ctx) };
}

function initialValue(v: YamlValue): SigmaValue {
  if (v === null) return { t: 'null' };
  if (typeof v === 'boolean') {
    const text = String(v);
    return { t: 'str', s: SigmaString.literal(text), original: text, cased: false };
  }
  if (typeof v === 'string') return { t: 'str', s: SigmaString.parse(v), original: v, cased: false };
  throw new Error('a value must be a string, number, boolean or null (not a map or list)');
}

function parseItem(key: string, value: YamlValue, ctx: DetectionContext): DetectionItem {
  const [fieldPart, ...mods] = key.split('|');
  const field = fieldPart ? fieldPart : null;
  const raw = Array.isArray(value) ? value : [value];
  if (raw.length === 0) throw new Error(`'${key}' has an empty list of values`);
  const item: DetectionItem = {
    field,
    modifiers: mods,
    groups: raw.map((v) => [initialValue(v)]),
    linkAll: false,
    negated: false,
  };
  const applied: string[] = [];
  for (const mod of mods) {
    if (!isModifier(mod)) throw new Error(`unknown modifier '${mod}' in '${key}'`);
    if (item.groups.some((g) => g.some((v) => v.t === 'null')) && mod !== 'all' && mod !== 'neq') {
      throw new Error(`modifier '${mod}' cannot apply to null in '${key}'`);
    }
    applyModifier(mod, {
      item,
      applied,
      placeholder: (name) => placeholderValues(name, ctx),
      warn: (m) => ctx.warnings.push(`'${key}': ${m}`),
    });
    applied.push(mod);
  }
  if (item.linkAll && raw.length === 1) ctx.warnings.push(`'${key}': 'all' on a single value`);
  return item;
}

function placeholderValues(name: string, ctx: DetectionContext): SigmaString[] | undefined {
  if (!ctx.placeholderCache.has(name)) {
    const vals = ctx.opts.placeholders?.[name];
    ctx.placeholderCache.set(name, vals?.map((v) => SigmaString.parse(v)));
  }
  return ctx.placeholderCache.get(name);
}

function parseRule(doc: YamlMap, where: SigmaLocation, text: string, opts: ParseOptions): SigmaRule {
  const warnings: string[] = [];
  const meta = parseMeta(doc, where, warnings);
  const logsource = parseLogsource(doc, where);
  const det = doc.detection;
  if (!isMap(det)) fail("rule has no 'detection' map", where);
  const condRaw = det.condition;
  const conditionText =
    typeof condRaw === 'string' ? [condRaw] : Array.isArray(condRaw) ? condRaw.filter((c): c is string => typeof c === 'string') : [];
  if (conditionText.length === 0) fail("detection has no 'condition'", where, lineOfKey(text, 'condition', where.line));
  const ctx: DetectionContext = { where, text, opts, warnings, placeholderCache: new Map() };
  const detections = parseDetections(det, new Set(['condition', 'timeframe']), ctx);
  if (det.timeframe !== undefined) warnings.push("'timeframe' belongs to legacy aggregations and is ignored");
  const names = [...detections.keys()];
  const conditions: ConditionNode[] = conditionText.map((c) => {
    try {
      return parseCondition(c.trim(), names);
    } catch (err) {
      fail(`condition: ${err instanceof Error ? err.message : String(err)}`, where, lineOfKey(text, 'condition', where.line));
    }
  });
  const used = new Set<string>();
  for (const c of conditions) conditionIdentifiers(c, used);
  for (const n of names) if (!used.has(n)) warnings.push(`search identifier '${n}' is not used by the condition`);
  const { levelGiven: _lg, ...rest } = meta;
  return { kind: 'rule', ...rest, logsource, detections, conditions, conditionText };
}

function parseFilter(doc: YamlMap, where: SigmaLocation, text: string, opts: ParseOptions): SigmaFilter {
  const warnings: string[] = [];
  const meta = parseMeta(doc, where, warnings);
  const logsource = parseLogsource(doc, where);
  const f = doc.filter;
  if (!isMap(f)) fail("'filter' must be a map", where);
  let rules: string[] | 'any';
  const r = f.rules;
  if (r === undefined) fail("filter has no 'rules' (use 'any' to apply to every rule of its logsource)", where);
  if (typeof r === 'string') rules = ['any', 'all'].includes(r.toLowerCase()) ? 'any' : [r];
  else if (Array.isArray(r)) {
    const ids = r.filter((x): x is string => typeof x === 'string');
    rules = ids.length ? ids : 'any';
  } else fail("filter 'rules' must be 'any', a rule id or name, or a list of them", where);
  const condition = f.condition;
  if (typeof condition !== 'string') fail('a filter needs exactly one condition string', where);
  const ctx: DetectionContext = { where, text, opts, warnings, placeholderCache: new Map() };
  const detections = parseDetections(f, new Set(['condition', 'rules']), ctx);
  let node: ConditionNode;
  try {
    node = parseCondition(condition.trim(), [...detections.keys()]);
  } catch (err) {
    fail(`filter condition: ${err instanceof Error ? err.message : String(err)}`, where);
  }
  const { level: _l, levelGiven: _g, ...rest } = meta;
  return { kind: 'filter', ...rest, logsource, rules, detections, condition: node, conditionText: condition };
}

const TIMESPAN_UNITS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

export function parseTimespan(s: string): number {
  const m = /^(\d+)\s*([smhdw])$/.exec(s.trim());
  if (!m) throw new Error(`timespan '${s}' is not a number followed by s, m, h, d or w`);
  const ms = Number(m[1]) * TIMESPAN_UNITS[m[2]!]!;
  if (ms <= 0) throw new Error(`timespan '${s}' must be positive`);
  return ms;
}

function parseCorrelation(doc: YamlMap, where: SigmaLocation): SigmaCorrelation {
  const warnings: string[] = [];
  const meta = parseMeta(doc, where, warnings);
  const c = doc.correlation;
  if (!isMap(c)) fail("'correlation' must be a map", where);
  const type = c.type;
  if (typeof type !== 'string' || !CORRELATION_TYPES.has(type as CorrelationType)) {
    fail(`unknown correlation type '${String(type)}'`, where);
  }
  const rules = stringList(c, 'rules', where);
  if (rules.length === 0) fail("correlation has no 'rules'", where);
  const groupBy = stringList(c, 'group-by', where);
  if (typeof c.timespan !== 'string') fail("correlation has no 'timespan'", where);
  let timespanMs: number;
  try {
    timespanMs = parseTimespan(c.timespan);
  } catch (err) {
    fail((err as Error).message, where);
  }
  const condition: CountCondition = {};
  const cond = c.condition;
  if (cond !== undefined && cond !== null) {
    if (!isMap(cond)) fail('correlation condition must be a map (gte: 10, ...)', where);
    for (const [k, v] of Object.entries(cond)) {
      if (k === 'field') {
        if (typeof v !== 'string') fail("correlation condition 'field' must be a field name", where);
        condition.field = v;
      } else if (['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'percentile'].includes(k)) {
        const n = Number(v);
        if (typeof v !== 'string' || !Number.isFinite(n)) fail(`correlation condition '${k}' must be a number`, where);
        (condition as Record<string, number>)[k] = n;
      } else fail(`unknown correlation condition '${k}'`, where);
    }
  }
  const hasCmp = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'].some((k) => k in condition);
  const t = type as CorrelationType;
  if (t === 'temporal' || t === 'temporal_ordered') {
    if (!hasCmp) condition.gte = rules.length; // default: every referenced rule
  } else {
    if (!hasCmp) fail(`${t} correlation needs a condition (gte, gt, lt, lte, eq)`, where);
    if (t !== 'event_count' && !condition.field) fail(`${t} correlation needs 'field' in its condition`, where);
  }
  if (t === 'value_percentile' && condition.percentile === undefined) condition.percentile = 95;
  const aliases: Record<string, Record<string, string>> = {};
  if (isMap(c.aliases)) {
    for (const [alias, m] of Object.entries(c.aliases)) {
      if (!isMap(m)) fail(`alias '${alias}' must map rule names to fields`, where);
      aliases[alias] = Object.fromEntries(Object.entries(m).filter((e): e is [string, string] => typeof e[1] === 'string'));
    }
  }
  const gen = c.generate ?? doc.generate;
  const { levelGiven, ...rest } = meta;
  return {
    kind: 'correlation',
    ...rest,
    type: t,
    rules,
    groupBy,
    timespanMs,
    condition,
    aliases,
    generate: gen === true || gen === 'true',
    levelGiven,
  };
}
