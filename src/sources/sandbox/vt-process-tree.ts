/**
 * VirusTotal's `processes_tree`, resolved into processes.
 *
 * Sandboxes fill the tree differently, and both ways repeat processes:
 * - Dr.Web vxCube lists every process at the top level with its direct children, so a process
 *   shows up once under its parent and once more at the top level (with its own children). One
 *   report may also merge several detonations, whose system processes share pids.
 * - Tencent HABO nests a real tree, one root per detonation; detonations from the same snapshot
 *   reuse the same pids under different parents.
 *
 * Rules (the same ones the tests apply by hand):
 * 1. An entry is `pid` + `name` + `time_offset` (when given).
 * 2. A child entry is the process with that entry under its parent process; two child entries
 *    with the same entry under the same parent process are one process.
 * 3. A top-level entry is the same process as a child entry with the same pid, name and offset:
 *    the nearest such child entry before it in the document not already taken by another
 *    top-level entry, else the nearest after it. Without one it is a root process.
 * 4. Anything else is a distinct process (pid reuse, another detonation).
 */
import { toInt, toStr } from '../../normalize/values.js';

export interface TreeProcess {
  /** Index of the process, in order of first appearance in the document. */
  index: number;
  pid: number;
  name: string;
  /** Seconds after the start of the analysis, when the sandbox says. */
  offset?: number;
  parent?: TreeProcess;
  /** Document index of the first entry (stable: used to derive the process's id). */
  firstEntry: number;
}

interface Entry {
  seq: number;
  key: string;
  pid: number;
  name: string;
  offset?: number;
  parent?: Entry;
  root: boolean;
}

export interface TreeResult {
  processes: TreeProcess[];
  /** Entries that could not be read (no pid, no name), with where they were. */
  problems: string[];
}

const MAX_ENTRIES = 1_000_000;
const MAX_DEPTH = 256;

export function resolveProcessTree(tree: unknown): TreeResult {
  const problems: string[] = [];
  const entries: Entry[] = [];
  const walk = (node: unknown, parent: Entry | undefined, where: string, depth: number) => {
    if (entries.length >= MAX_ENTRIES) return;
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      problems.push(`${where}: not a process entry`);
      return;
    }
    const o = node as Record<string, unknown>;
    const pid = toInt(o.process_id ?? o.pid);
    const name = toStr(o.name);
    let self: Entry | undefined;
    if (pid === undefined || name === undefined) {
      problems.push(`${where}: process entry without ${pid === undefined ? 'a process_id' : 'a name'}`);
    } else {
      const offset = typeof o.time_offset === 'number' && Number.isFinite(o.time_offset) ? o.time_offset : undefined;
      self = { seq: entries.length, key: `${pid}\u0000${name}\u0000${offset ?? ''}`, pid, name, offset, parent, root: parent === undefined };
      entries.push(self);
    }
    const kids = o.children;
    if (Array.isArray(kids) && depth < MAX_DEPTH) {
      // Children of an unreadable entry are kept as roots rather than lost.
      kids.forEach((k, i) => walk(k, self, `${where}.children[${i}]`, depth + 1));
    }
  };
  if (!Array.isArray(tree)) return { processes: [], problems: tree === undefined ? [] : ['processes_tree is not a list'] };
  tree.forEach((n, i) => walk(n, undefined, `processes_tree[${i}]`, 0));

  // Union-find over entries.
  const up = entries.map((_, i) => i);
  const find = (i: number): number => {
    while (up[i] !== i) {
      up[i] = up[up[i]];
      i = up[i];
    }
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) up[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  // Rule 3: top-level entries join a child entry.
  const childrenByKey = new Map<string, number[]>();
  for (const e of entries) if (!e.root) (childrenByKey.get(e.key) ?? childrenByKey.set(e.key, []).get(e.key)!).push(e.seq);
  const taken = new Set<number>();
  for (const e of entries) {
    if (!e.root) continue;
    const cands = childrenByKey.get(e.key);
    if (!cands) continue;
    let pick: number | undefined;
    for (let k = cands.length - 1; k >= 0; k--) {
      if (cands[k] < e.seq && !taken.has(cands[k])) {
        pick = cands[k];
        break;
      }
    }
    if (pick === undefined) pick = cands.find((c) => c > e.seq && !taken.has(c));
    if (pick === undefined) continue;
    taken.add(pick);
    union(e.seq, pick);
  }

  // Rule 2, until nothing changes: same entry under the same parent process is one process.
  for (let changed = true; changed; ) {
    changed = false;
    const seen = new Map<string, number>();
    for (const e of entries) {
      if (!e.parent) continue;
      const k = `${find(e.parent.seq)}\u0000${e.key}`;
      const prev = seen.get(k);
      if (prev === undefined) seen.set(k, e.seq);
      else if (find(prev) !== find(e.seq)) {
        union(prev, e.seq);
        changed = true;
      }
    }
  }

  const byRoot = new Map<number, TreeProcess>();
  const processes: TreeProcess[] = [];
  for (const e of entries) {
    const r = find(e.seq);
    let p = byRoot.get(r);
    if (!p) {
      p = { index: processes.length, pid: e.pid, name: e.name, offset: e.offset, firstEntry: e.seq };
      byRoot.set(r, p);
      processes.push(p);
    }
    if (p.offset === undefined && e.offset !== undefined) p.offset = e.offset;
  }
  for (const e of entries) {
    if (!e.parent) continue;
    const p = byRoot.get(find(e.seq))!;
    const parent = byRoot.get(find(e.parent.seq))!;
    if (!p.parent && parent !== p) p.parent = parent;
  }
  return { processes, problems };
}
