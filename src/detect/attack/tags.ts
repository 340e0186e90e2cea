/**
 * Sigma tags → ATT&CK: `attack.t1059.001` is technique T1059.001, `attack.execution` (or the old
 * `attack.initial_access` spelling) is a tactic, `attack.g0007` a group, `attack.s0002` software.
 * When a rule names techniques but no tactic, the tactics come from the ATT&CK table.
 */
import { V18_EQUIVALENT } from './equivalents.js';
import { attackData, technique } from './data.js';

export interface AttackTags {
  techniques: string[];
  tactics: string[];
  groups: string[];
  software: string[];
  /** Tags in the attack namespace that name nothing ATT&CK knows (for lint). */
  unknown: string[];
}

const memo = new Map<string, AttackTags>();

export function attackFromTags(tags: readonly string[]): AttackTags {
  const key = tags.join('\n');
  const hit = memo.get(key);
  if (hit) return hit;
  const tacticNames = new Set(attackData().tactics.map((t) => t[1]));
  const out: AttackTags = { techniques: [], tactics: [], groups: [], software: [], unknown: [] };
  const add = (list: string[], v: string) => {
    if (!list.includes(v)) list.push(v);
  };
  for (const raw of tags) {
    const tag = raw.toLowerCase();
    if (!tag.startsWith('attack.')) continue;
    const v = tag.slice('attack.'.length);
    if (/^t\d{4}(\.\d{3})?$/.test(v)) {
      const id = v.toUpperCase();
      add(out.techniques, id);
      const older = V18_EQUIVALENT[id];
      if (older) add(out.techniques, older);
      else if (!technique(id)) out.unknown.push(raw);
    } else if (/^g\d{4}$/.test(v)) add(out.groups, v.toUpperCase());
    else if (/^s\d{4}$/.test(v)) add(out.software, v.toUpperCase());
    else if (/^ds\d{4}$/.test(v)) continue; // data source ids: not a technique or tactic
    else if (/^[a-z][a-z_-]*$/.test(v)) {
      // a tactic; kept even when the shipped table predates it (SigmaHQ already tags ATT&CK v19's
      // `stealth` and `defense-impairment`), but reported by lint
      const name = v.replace(/_/g, '-');
      add(out.tactics, name);
      if (!tacticNames.has(name)) out.unknown.push(raw);
    } else out.unknown.push(raw);
  }
  if (out.tactics.length === 0) {
    for (const id of out.techniques) for (const t of technique(id)?.tactics ?? []) add(out.tactics, t);
  }
  memo.set(key, out);
  return out;
}
