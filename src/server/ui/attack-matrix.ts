/**
 * The ATT&CK matrix as the UI draws it: tactics as columns in kill-chain order, each with its
 * techniques (sub-techniques under their parent), and for each technique how many alerts named it
 * and their highest level. A sub-technique that fired lights its parent too.
 */
import { attackData, technique } from '../../detect/attack/data.js';
import { LEVELS, levelRank, type Alert, type Level } from '../../detect/types.js';
import type { Matrix, MatrixCell, MatrixTactic } from './reply-types.js';

export type { Matrix, MatrixCell, MatrixTactic } from './reply-types.js';

interface Fired {
  alerts: number;
  level: Level;
}

function higher(a: Level | undefined, b: Level): Level {
  return a === undefined || levelRank(b) > levelRank(a) ? b : a;
}

export function attackMatrix(alerts: Iterable<Pick<Alert, 'techniques' | 'level'>>, onlyFired = false): Matrix {
  const fired = new Map<string, Fired>();
  // Per parent technique: alerts naming it or any of its sub-techniques, each alert once.
  const rolled = new Map<string, Fired>();
  const count = (m: Map<string, Fired>, id: string, level: Level) => {
    const f = m.get(id) ?? { alerts: 0, level };
    f.alerts++;
    f.level = higher(f.level, level);
    m.set(id, f);
  };
  for (const a of alerts) {
    const level = (LEVELS as readonly string[]).includes(a.level) ? a.level : 'informational';
    const ids = new Set((a.techniques ?? []).map((t) => t.toUpperCase()));
    for (const id of ids) count(fired, id, level);
    for (const parent of new Set([...ids].map((id) => id.split('.')[0]!))) count(rolled, parent, level);
  }
  const d = attackData();
  // Parents by tactic, in the table's order; sub-techniques grouped under parents.
  const subsOf = new Map<string, string[]>();
  const parents: string[] = [];
  for (const [id, t] of Object.entries(d.techniques)) {
    if ((t[2] ?? '').match(/[rd]/)) continue;
    const dot = id.indexOf('.');
    if (dot < 0) parents.push(id);
    else {
      const p = id.slice(0, dot);
      const l = subsOf.get(p) ?? [];
      l.push(id);
      subsOf.set(p, l);
    }
  }
  parents.sort();
  const tactics: MatrixTactic[] = d.tactics.map(([id, shortName, name]) => ({ id, shortName, name, techniques: [] }));
  const byShort = new Map(tactics.map((t) => [t.shortName, t]));
  for (const p of parents) {
    const t = d.techniques[p]!;
    const subs = (subsOf.get(p) ?? []).sort().map((s) => ({ id: s, name: d.techniques[s]![0], alerts: fired.get(s)?.alerts ?? 0, level: fired.get(s)?.level }));
    const alerts = rolled.get(p)?.alerts ?? 0;
    const level = rolled.get(p)?.level;
    if (onlyFired && alerts === 0) continue;
    for (const tac of (t[1] ?? '').split(' ')) {
      const col = byShort.get(tac);
      if (col) col.techniques.push({ id: p, name: t[0], alerts, level, subs: onlyFired ? subs.filter((s) => s.alerts > 0) : subs });
    }
  }
  return {
    source: d.source,
    version: d.version,
    tactics,
    fired: [...fired]
      .map(([id, f]) => ({ id: id.slice(0, 40), name: technique(id)?.name, alerts: f.alerts, level: f.level }))
      .sort((a, b) => b.alerts - a.alerts || a.id.localeCompare(b.id)),
  };
}
