/**
 * The modifier registry: each YAML name maps to one small function that turns a value into its
 * modified alternatives (or changes how the item links its values). Modifiers apply in the order
 * written, as the specification says. An unknown modifier or a modifier on the wrong value type
 * is an error with the modifier's name, so the rule is reported and skipped.
 */
import { parseCidr } from './cidr.js';
import { SigmaString, base64Offsets, utf16be, utf16le } from './sigma-string.js';
import type { CmpOp, DetectionItem, SigmaValue, TimeUnit } from './types.js';

export interface ModifierContext {
  item: DetectionItem;
  /** Modifiers applied before this one (for "only on an unmodified value" checks). */
  applied: readonly string[];
  /** Values of a placeholder for `expand`; undefined when the placeholder is not configured. */
  placeholder(name: string): SigmaString[] | undefined;
  warn(message: string): void;
}

type Apply = (v: SigmaValue, ctx: ModifierContext) => SigmaValue[];

function str(v: SigmaValue, mod: string): Extract<SigmaValue, { t: 'str' }> {
  if (v.t !== 'str') throw new Error(`modifier '${mod}' needs a string value, got ${v.t === 'null' ? 'null' : v.t}`);
  return v;
}

const same = (v: SigmaValue): SigmaValue => v;

const withString = (v: Extract<SigmaValue, { t: 'str' }>, s: SigmaString): SigmaValue => ({ ...v, s });

function unmodifiedOnly(mod: string, ctx: ModifierContext): void {
  const prior = ctx.applied.filter((m) => m !== 'all' && m !== 'neq' && m !== 'cased');
  if (prior.length) throw new Error(`modifier '${mod}' only applies to an unmodified value (after '${prior.join('|')}')`);
}

function compare(op: CmpOp): Apply {
  return (v, ctx) => {
    unmodifiedOnly(op, ctx);
    const s = str(v, op);
    const n = Number(s.original.trim());
    if (s.original.trim() === '' || !Number.isFinite(n)) throw new Error(`modifier '${op}' needs a number, got '${s.original}'`);
    return [{ t: 'cmp', op, n }];
  };
}

function timePart(unit: TimeUnit): Apply {
  return (v, ctx) => {
    unmodifiedOnly(unit, ctx);
    const s = str(v, unit);
    const n = Number(s.original);
    if (!Number.isInteger(n)) throw new Error(`modifier '${unit}' needs an integer, got '${s.original}'`);
    return [{ t: 'time', unit, n }];
  };
}

function regexFlag(flag: string, mod: string): Apply {
  return (v) => {
    if (v.t !== 're') throw new Error(`modifier '${mod}' only follows 're'`);
    return [{ ...v, flags: v.flags.includes(flag) ? v.flags : v.flags + flag }];
  };
}

function utf16(mod: string, encode: (s: string) => string, bom: string): Apply {
  return (v) => {
    const s = str(v, mod);
    if (s.s.binary) throw new Error(`modifier '${mod}' applied twice`);
    const enc = s.s.mapText(encode, true);
    const withBom = bom ? new SigmaString([{ k: 'text', v: bom }, ...enc.parts], true) : enc;
    return [withString(s, withBom)];
  };
}

const REGISTRY: Record<string, Apply> = {
  contains: (v) => {
    if (v.t === 'str') return [withString(v, v.s.withLeadingAny().withTrailingAny())];
    if (v.t === 'fieldref') return [{ ...v, start: true, end: true }];
    if (v.t === 're') return [v]; // regexes are searched, not anchored: already "contains"
    throw new Error(`modifier 'contains' needs a string value`);
  },
  startswith: (v) => {
    if (v.t === 'str') return [withString(v, v.s.withTrailingAny())];
    if (v.t === 'fieldref') return [{ ...v, start: true }];
    if (v.t === 're') return [v];
    throw new Error(`modifier 'startswith' needs a string value`);
  },
  endswith: (v) => {
    if (v.t === 'str') return [withString(v, v.s.withLeadingAny())];
    if (v.t === 'fieldref') return [{ ...v, end: true }];
    if (v.t === 're') return [v];
    throw new Error(`modifier 'endswith' needs a string value`);
  },
  all: (v, ctx) => {
    ctx.item.linkAll = true;
    return [same(v)];
  },
  neq: (v, ctx) => {
    ctx.item.negated = true;
    return [same(v)];
  },
  exists: (v, ctx) => {
    if (ctx.item.field === null) throw new Error(`modifier 'exists' needs a field`);
    unmodifiedOnly('exists', ctx);
    const s = str(v, 'exists').original.toLowerCase();
    if (s !== 'true' && s !== 'false') throw new Error(`modifier 'exists' needs true or false, got '${s}'`);
    return [{ t: 'exists', exists: s === 'true' }];
  },
  cased: (v) => {
    if (v.t === 'fieldref') return [{ ...v, cased: true }];
    return [{ ...str(v, 'cased'), cased: true }];
  },
  windash: (v) => {
    const s = str(v, 'windash');
    return s.s.windash().map((w) => withString(s, w));
  },
  re: (v, ctx) => {
    unmodifiedOnly('re', ctx);
    return [{ t: 're', source: str(v, 're').original, flags: '' }];
  },
  i: regexFlag('i', 'i'),
  ignorecase: regexFlag('i', 'ignorecase'),
  m: regexFlag('m', 'm'),
  multiline: regexFlag('m', 'multiline'),
  s: regexFlag('s', 's'),
  dotall: regexFlag('s', 'dotall'),
  base64: (v) => {
    const s = str(v, 'base64');
    return [withString(s, SigmaString.literal(s.s.toBytes().toString('base64')))];
  },
  base64offset: (v) => {
    const s = str(v, 'base64offset');
    return base64Offsets(s.s.toBytes()).map((b) => withString(s, SigmaString.literal(b)));
  },
  utf16le: utf16('utf16le', utf16le, ''),
  wide: utf16('wide', utf16le, ''),
  utf16be: utf16('utf16be', utf16be, ''),
  utf16: utf16('utf16', utf16le, '\xff\xfe'),
  lt: compare('lt'),
  lte: compare('lte'),
  gt: compare('gt'),
  gte: compare('gte'),
  cidr: (v, ctx) => {
    unmodifiedOnly('cidr', ctx);
    return [{ t: 'cidr', cidr: parseCidr(str(v, 'cidr').original) }];
  },
  expand: (v, ctx) => {
    const s = str(v, 'expand');
    const withPh = s.s.insertPlaceholders();
    if (!withPh.hasPlaceholders()) return [withString(s, withPh)];
    const missing = new Set<string>();
    const out = withPh.replacePlaceholders((name) => {
      const vals = ctx.placeholder(name);
      if (!vals) missing.add(name);
      return vals;
    });
    for (const name of missing) ctx.warn(`placeholder %${name}% has no configured values: this value matches nothing`);
    return out.map((x) => withString(s, x));
  },
  fieldref: (v) => {
    const s = str(v, 'fieldref');
    const plain = s.s.plain();
    if (plain === undefined || !plain) throw new Error(`modifier 'fieldref' needs a plain field name, got '${s.original}'`);
    return [{ t: 'fieldref', field: plain, start: false, end: false, cased: s.cased }];
  },
  minute: timePart('minute'),
  hour: timePart('hour'),
  day: timePart('day'),
  week: timePart('week'),
  month: timePart('month'),
  year: timePart('year'),
};

export const MODIFIER_NAMES: readonly string[] = Object.keys(REGISTRY);

export function isModifier(name: string): boolean {
  return Object.hasOwn(REGISTRY, name);
}

/** Runs one modifier over every alternative of every group of the item. */
export function applyModifier(name: string, ctx: ModifierContext): void {
  const fn = REGISTRY[name];
  if (!fn) throw new Error(`unknown modifier '${name}'`);
  ctx.item.groups = ctx.item.groups.map((group) => group.flatMap((v) => fn(v, ctx)));
}
