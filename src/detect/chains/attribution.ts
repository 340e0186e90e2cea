/**
 * Which ATT&CK software or group a chain looks like: its techniques against every software and
 * group of the ATT&CK table, nothing hand-written.
 *
 * Each technique weighs its inverse document frequency, ln(N / n_t), where N is the number of
 * software and groups in the table and n_t how many of them use the technique: PowerShell, used by
 * hundreds, weighs little; a technique used by three weighs a lot. A candidate's score is the
 * cosine between the chain's weighted technique vector and its own, so that a candidate using
 * hundreds of techniques does not win by size alone. Sub-techniques also count for their parent
 * (the table's "uses" name either). A candidate must share two techniques with the chain (one,
 * when the chain has only one): a single technique in common says little about who.
 */
import { attackData } from '../attack/data.js';
import type { Attribution } from '../../store/threat-shapes.js';

export type { Attribution } from '../../store/threat-shapes.js';

interface Table {
  n: number;
  /** technique → weight */
  weight: Map<string, number>;
  /** candidate → its techniques (parents added) */
  uses: Map<string, Set<string>>;
  /** candidate → squared norm of its vector */
  norm2: Map<string, number>;
  /** technique → candidates using it */
  users: Map<string, string[]>;
}

let table: Table | undefined;
let tableFor: unknown;

function parentOf(t: string): string | undefined {
  const dot = t.indexOf('.');
  return dot > 0 ? t.slice(0, dot) : undefined;
}

function build(): Table {
  const d = attackData();
  const uses = new Map<string, Set<string>>();
  for (const [tech, list] of Object.entries(d.usedBy)) {
    for (const who of list.split(' ')) {
      if (!who || (!d.groups[who] && !d.software[who])) continue;
      let s = uses.get(who);
      if (!s) uses.set(who, (s = new Set()));
      s.add(tech);
      const p = parentOf(tech);
      if (p) s.add(p);
    }
  }
  const users = new Map<string, string[]>();
  for (const [who, techs] of uses) for (const t of techs) (users.get(t) ?? users.set(t, []).get(t)!).push(who);
  const n = uses.size;
  const weight = new Map<string, number>();
  for (const [t, who] of users) weight.set(t, Math.log(n / who.length));
  const norm2 = new Map<string, number>();
  for (const [who, techs] of uses) {
    let s = 0;
    for (const t of techs) s += weight.get(t)! ** 2;
    norm2.set(who, s);
  }
  return { n, weight, uses, norm2, users };
}

function current(): Table {
  const d = attackData();
  if (!table || tableFor !== d) {
    table = build();
    tableFor = d;
  }
  return table;
}

/** The `top` most similar software and groups for a set of technique ids. */
export function attribute(techniques: Iterable<string>, top = 3): Attribution[] {
  const t = current();
  const d = attackData();
  // The chain's vector: each technique and its parent, with the names the chain used for them.
  const mine = new Map<string, string[]>();
  for (const raw of techniques) {
    const id = raw.toUpperCase();
    const ids = [id];
    const p = parentOf(id);
    if (p) ids.push(p);
    for (const x of ids) {
      if (!t.weight.has(x)) continue;
      const names = mine.get(x) ?? mine.set(x, []).get(x)!;
      if (!names.includes(id)) names.push(id);
    }
  }
  if (mine.size === 0) return [];
  let myNorm2 = 0;
  for (const x of mine.keys()) myNorm2 += t.weight.get(x)! ** 2;
  const dot = new Map<string, number>();
  for (const x of mine.keys()) {
    const w2 = t.weight.get(x)! ** 2;
    for (const who of t.users.get(x) ?? []) dot.set(who, (dot.get(who) ?? 0) + w2);
  }
  // One technique in common says little about who: ask for two when the chain has two.
  const distinct = new Set([...mine.values()].flat()).size;
  const needShared = Math.min(2, distinct);
  const ranked: Attribution[] = [];
  for (const [who, dp] of dot) {
    const denom = Math.sqrt(myNorm2 * t.norm2.get(who)!);
    if (!(denom > 0) || !(dp > 0)) continue;
    const shared = new Set<string>();
    const theirs = t.uses.get(who)!;
    for (const [x, names] of mine) {
      if (!theirs.has(x)) continue;
      // Name what both use: the exact technique, else the parent they share.
      for (const nm of names) shared.add(theirs.has(nm) ? nm : x);
    }
    if (shared.size < needShared) continue;
    const isGroup = who.startsWith('G');
    ranked.push({
      id: who,
      name: isGroup ? d.groups[who]! : d.software[who]![0],
      kind: isGroup ? 'group' : 'software',
      score: Math.round((dp / denom) * 1000) / 1000,
      shared: [...shared].sort(),
    });
  }
  ranked.sort((a, b) => b.score - a.score || b.shared.length - a.shared.length || a.id.localeCompare(b.id));
  return ranked.slice(0, top);
}

/** For tests: the weight of a technique (ln(N / users)), and N. */
export function techniqueWeight(id: string): { weight: number | undefined; n: number; users: number } {
  const t = current();
  return { weight: t.weight.get(id.toUpperCase()), n: t.n, users: t.users.get(id.toUpperCase())?.length ?? 0 };
}
