/**
 * Sigma conditions: `and`, `or`, `not`, parentheses, `1 of x*`, `all of x*`, `N of x*`,
 * `1 of them`, `all of them`. Parsed into AND/OR/NOT nodes with the specification's precedence
 * (or < and < not < x of < parentheses); `x of` is resolved against the rule's search
 * identifiers right after parsing (`them` leaves out identifiers that start with `_`).
 */
import type { ConditionNode } from './types.js';

type Token =
  | { t: 'and' | 'or' | 'not' | '(' | ')' | 'them' | 'of' }
  | { t: 'num'; n: number }
  | { t: 'all' }
  | { t: 'id'; v: string }
  | { t: 'pipe' };

const KEYWORDS = new Set(['and', 'or', 'not', 'them', 'of', 'all']);

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(\(|\)|\||[^\s()|]+)/gy;
  let m: RegExpExecArray | null;
  let pos = 0;
  while ((m = re.exec(s)) !== null) {
    pos = re.lastIndex;
    const w = m[1]!;
    if (w === '(' || w === ')') out.push({ t: w });
    else if (w === '|') out.push({ t: 'pipe' });
    else if (/^\d+$/.test(w)) out.push({ t: 'num', n: Number(w) });
    else if (KEYWORDS.has(w.toLowerCase())) {
      const k = w.toLowerCase() as 'and' | 'or' | 'not' | 'them' | 'of' | 'all';
      out.push(k === 'all' ? { t: 'all' } : { t: k });
    } else out.push({ t: 'id', v: w });
  }
  if (s.slice(pos).trim() !== '') throw new Error(`cannot read condition at '${s.slice(pos)}'`);
  return out;
}

/** `x*` style identifier patterns: `*` is any run of characters, everything else literal. */
export function identifierPattern(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/**
 * Parses `text` for a rule whose search identifiers are `names` (in definition order).
 * Throws with a plain-language reason: unknown identifier, pattern matching nothing, stray
 * parenthesis, legacy aggregation (`| count() > 5`, replaced by correlation rules).
 */
export function parseCondition(text: string, names: readonly string[]): ConditionNode {
  const tokens = tokenize(text);
  let i = 0;
  const known = new Set(names);
  const peek = () => tokens[i];
  const next = () => tokens[i++];

  function orExpr(): ConditionNode {
    const parts = [andExpr()];
    while (peek()?.t === 'or') {
      i++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0]! : { k: 'or', c: parts };
  }
  function andExpr(): ConditionNode {
    const parts = [notExpr()];
    while (peek()?.t === 'and') {
      i++;
      parts.push(notExpr());
    }
    return parts.length === 1 ? parts[0]! : { k: 'and', c: parts };
  }
  function notExpr(): ConditionNode {
    if (peek()?.t === 'not') {
      i++;
      return { k: 'not', c: notExpr() };
    }
    return primary();
  }
  function primary(): ConditionNode {
    const tok = next();
    if (!tok) throw new Error(`condition ends too early: '${text}'`);
    if (tok.t === '(') {
      const inner = orExpr();
      if (next()?.t !== ')') throw new Error(`missing ')' in condition '${text}'`);
      return inner;
    }
    if (tok.t === 'num' || tok.t === 'all') {
      if (next()?.t !== 'of') throw new Error(`expected 'of' after '${tok.t === 'all' ? 'all' : tok.n}' in '${text}'`);
      const target = next();
      let matched: string[];
      let label: string;
      if (target?.t === 'them') {
        matched = names.filter((n) => !n.startsWith('_'));
        label = 'them';
      } else if (target?.t === 'id') {
        const re = identifierPattern(target.v);
        matched = names.filter((n) => re.test(n));
        label = target.v;
      } else throw new Error(`expected an identifier pattern or 'them' after 'of' in '${text}'`);
      if (matched.length === 0) throw new Error(`'${label}' matches no search identifier`);
      const ids: ConditionNode[] = matched.map((name) => ({ k: 'id', name }));
      if (tok.t === 'all') return ids.length === 1 ? ids[0]! : { k: 'and', c: ids };
      return nOf(tok.n, ids);
    }
    if (tok.t === 'id') {
      if (!known.has(tok.v)) throw new Error(`condition names '${tok.v}', which is not a search identifier`);
      return { k: 'id', name: tok.v };
    }
    if (tok.t === 'pipe') {
      throw new Error(`legacy aggregation ('| count() ...') is not supported: write a Sigma correlation rule instead`);
    }
    throw new Error(`unexpected '${tok.t}' in condition '${text}'`);
  }

  const node = orExpr();
  if (i < tokens.length) {
    const rest = tokens[i]!;
    if (rest.t === 'pipe') throw new Error(`legacy aggregation ('| count() ...') is not supported: write a Sigma correlation rule instead`);
    throw new Error(`unexpected '${rest.t === 'id' ? rest.v : rest.t}' in condition '${text}'`);
  }
  return node;
}

/** `N of ids`: at least N of them; 1 is OR, N >= count is AND, in between an OR of the combinations. */
function nOf(n: number, ids: ConditionNode[]): ConditionNode {
  if (n <= 0) return { k: 'const', v: true };
  if (n === 1) return ids.length === 1 ? ids[0]! : { k: 'or', c: ids };
  if (n > ids.length) return { k: 'const', v: false };
  if (n === ids.length) return { k: 'and', c: ids };
  let count = 1;
  for (let j = 0; j < n; j++) count = (count * (ids.length - j)) / (j + 1);
  if (count > 1000) throw new Error(`'${n} of' over ${ids.length} identifiers is too large (${count} combinations)`);
  const combos: ConditionNode[] = [];
  const pick = (start: number, chosen: ConditionNode[]) => {
    if (chosen.length === n) {
      combos.push({ k: 'and', c: [...chosen] });
      return;
    }
    for (let j = start; j < ids.length; j++) pick(j + 1, [...chosen, ids[j]!]);
  };
  pick(0, []);
  return { k: 'or', c: combos };
}

/** Every identifier a condition reads. */
export function conditionIdentifiers(node: ConditionNode, out = new Set<string>()): Set<string> {
  if (node.k === 'id') out.add(node.name);
  else if (node.k === 'not') conditionIdentifiers(node.c, out);
  else if (node.k === 'and' || node.k === 'or') for (const c of node.c) conditionIdentifiers(c, out);
  return out;
}
