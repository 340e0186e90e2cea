/**
 * Value tests, built once per rule: a list of Sigma strings becomes one test over a (lower-cased)
 * field value that checks exact values with a Set, prefixes / suffixes / substrings with plain
 * string methods, `*`-only patterns with an ordered indexOf scan, and only `?` patterns with a
 * regular expression. Regular expressions from `re` are translated from PCRE where JavaScript
 * spells a construct differently, and refused with a reason where it has no equivalent.
 */
import { LiteralSet } from './aho-corasick.js';
import type { SigmaString } from './sigma-string.js';

export type StringTest = (s: string) => boolean;

export interface BuiltTest {
  test: StringTest;
  /** Rough relative cost, used to order checks cheapest first. */
  cost: number;
}

const ALWAYS: StringTest = () => true;

/** From this many `contains` values on, one Aho–Corasick pass beats a loop of `includes`. */
const AHO_CORASICK_FROM = 6;

function anyOf(tests: BuiltTest[]): BuiltTest {
  if (tests.length === 1) return tests[0]!;
  tests.sort((a, b) => a.cost - b.cost);
  const fns = tests.map((t) => t.test);
  const cost = tests.reduce((a, t) => a + t.cost, 0);
  if (fns.length === 2) {
    const [a, b] = fns as [StringTest, StringTest];
    return { test: (s) => a(s) || b(s), cost };
  }
  return {
    test: (s) => {
      for (let i = 0; i < fns.length; i++) if (fns[i]!(s)) return true;
      return false;
    },
    cost,
  };
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
}

/** Text segments separated by `*`, or undefined when the string has `?` or placeholders. */
function segments(s: SigmaString): { segs: string[]; lead: boolean; trail: boolean } | undefined {
  const segs: string[] = [];
  let cur = '';
  for (const p of s.parts) {
    if (p.k === 'text') cur += p.v;
    else if (p.k === 'any') {
      segs.push(cur);
      cur = '';
    } else return undefined;
  }
  segs.push(cur);
  return { segs, lead: s.startsWithAny(), trail: s.endsWithAny() };
}

/**
 * One test for "the value equals any of these Sigma strings" (wildcards honoured). `lower`
 * lower-cases the patterns: the caller then passes lower-cased values.
 */
export function buildStringTest(strings: readonly SigmaString[], lower: boolean): BuiltTest {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const contains: string[] = [];
  const others: BuiltTest[] = [];
  let any = false;
  for (const raw of strings) {
    const s = lower ? raw.mapText((t) => t.toLowerCase()) : raw;
    const sg = segments(s);
    if (!sg) {
      others.push(regexTest(s));
      continue;
    }
    const { segs } = sg;
    if (segs.length === 1) exact.add(segs[0]!);
    else if (segs.length === 2 && segs[0] === '' && segs[1] === '') any = true;
    else if (segs.length === 2 && segs[1] === '') prefixes.push(segs[0]!);
    else if (segs.length === 2 && segs[0] === '') suffixes.push(segs[1]!);
    else if (segs.length === 3 && segs[0] === '' && segs[2] === '') contains.push(segs[1]!);
    else others.push(segmentTest(segs));
  }
  if (any) return { test: ALWAYS, cost: 0 };
  const tests: BuiltTest[] = [];
  if (exact.size === 1) {
    const e = [...exact][0]!;
    tests.push({ test: (s) => s === e, cost: 1 });
  } else if (exact.size > 1) tests.push({ test: (s) => exact.has(s), cost: 1.5 });
  if (prefixes.length) tests.push(listTest(prefixes, (s, p) => s.startsWith(p), 2));
  if (suffixes.length) tests.push(listTest(suffixes, (s, p) => s.endsWith(p), 2));
  if (contains.length >= AHO_CORASICK_FROM) {
    const ac = new LiteralSet([...new Set(contains)]);
    tests.push({ test: (s) => ac.test(s), cost: 6 });
  } else if (contains.length) tests.push(listTest(contains, (s, p) => s.includes(p), 4));
  tests.push(...others);
  if (tests.length === 0) return { test: () => false, cost: 0 };
  return anyOf(tests);
}

function listTest(items: string[], f: (s: string, p: string) => boolean, unit: number): BuiltTest {
  const arr = [...new Set(items)];
  if (arr.length === 1) {
    const p = arr[0]!;
    return { test: (s) => f(s, p), cost: unit };
  }
  return {
    test: (s) => {
      for (let i = 0; i < arr.length; i++) if (f(s, arr[i]!)) return true;
      return false;
    },
    cost: unit * arr.length * 0.5 + 1,
  };
}

/** `a*b*c`: starts with a, ends with c, b somewhere between, in order and without overlap. */
function segmentTest(segs: string[]): BuiltTest {
  const first = segs[0]!;
  const last = segs[segs.length - 1]!;
  const middle = segs.slice(1, -1).filter((x) => x !== '');
  const minLen = first.length + last.length;
  return {
    test: (s) => {
      if (s.length < minLen || !s.startsWith(first) || !s.endsWith(last)) return false;
      let pos = first.length;
      const end = s.length - last.length;
      for (const m of middle) {
        const at = s.indexOf(m, pos);
        if (at < 0 || at + m.length > end) return false;
        pos = at + m.length;
      }
      return true;
    },
    cost: 6 + middle.length,
  };
}

function regexTest(s: SigmaString): BuiltTest {
  let src = '^';
  for (const p of s.parts) {
    if (p.k === 'text') src += escapeRegex(p.v);
    else if (p.k === 'any') src += '[\\s\\S]*';
    else if (p.k === 'one') src += '[\\s\\S]';
    else throw new Error(`unresolved placeholder %${p.name}%`);
  }
  const re = new RegExp(`${src}$`);
  return { test: (x) => re.test(x), cost: 15 };
}

/**
 * Builds a JavaScript RegExp from a Sigma (PCRE-flavoured) regular expression and the `re`
 * sub-modifier flags. Leading inline flags like `(?i)` become RegExp flags; `(?P<name>` becomes
 * `(?<name>`; `\A` and `\z` become anchors. Possessive quantifiers and atomic groups have no
 * JavaScript equivalent and are refused.
 */
export function compileSigmaRegex(source: string, flags: string): RegExp {
  let src = source;
  let fl = '';
  for (const f of flags) if ('ims'.includes(f) && !fl.includes(f)) fl += f;
  const inline = /^\(\?([imsx]+)\)/.exec(src);
  if (inline) {
    if (inline[1]!.includes('x')) throw new Error(`regex flag (?x) is not supported in JavaScript: ${source}`);
    for (const f of inline[1]!) if (!fl.includes(f)) fl += f;
    src = src.slice(inline[0].length);
  }
  if (/\(\?[imsx-]+[:)]/.test(src)) throw new Error(`inline regex flags inside the pattern are not supported in JavaScript: ${source}`);
  if (/\(\?>/.test(src)) throw new Error(`atomic groups (?>...) are not supported in JavaScript: ${source}`);
  if (/(^|[^\\])[*+?}]\+/.test(src.replace(/\\\\/g, ''))) {
    throw new Error(`possessive quantifiers are not supported in JavaScript: ${source}`);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\A/g, '^').replace(/\\[zZ]/g, '$');
  try {
    return new RegExp(src, fl);
  } catch (err) {
    throw new Error(`regex does not compile: ${(err as Error).message}`);
  }
}
