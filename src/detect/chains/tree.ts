/**
 * Process trees, per host. Which process an event names, and who its parent is, under what real
 * logs do:
 *
 * - Identity is host + ProcessGuid (Sysmon), else host + pid + start time (Security 4688), the
 *   same keys the entity graph uses. Pids are only ever looked up within their host.
 * - A pid names the process that most recently started with it on that host, at the event's time:
 *   pids are reused, and a pid-only reference resolves to the owner at that moment, not to
 *   whichever process happens to hold the pid now.
 * - Events come out of order (logs interleave channels in shipping order): a child may come before
 *   its parent. The parent then exists as a placeholder, filled in (and linked upwards) when its
 *   own start arrives. A process older than the log stays a placeholder for good.
 * - One start seen by two logs (Sysmon 1 with a GUID and Security 4688 without), within
 *   `sameStartMs` of each other on the same host, pid and image, is one process: the GUID wins.
 *
 * The forest only knows identity and parenthood; chains (chain.ts, engine.ts) are built on it
 * through the `onMerge` and `onRekey` hooks, called when two sightings turn out to be one process.
 */
import { hostKey, normalisePath } from '../../graph/keys.js';
import type { ProcessFields } from '../../normalize/event.js';
import type { ProcessFacts } from '../../store/threat-shapes.js';

/** One process on one host, as far as the events have told. */
export interface ProcNode extends ProcessFacts {
  key: string;
  /** Host as first written by the events (the key uses it lower-cased). */
  host: string;
  guid?: string;
  firstSeen: number;
  lastSeen: number;
  parent?: ProcNode;
  children: Set<ProcNode>;
  /** The chain this process belongs to (set by the engine). */
  chainId?: string;
  /** Set by the engine: a chain root (services.exe, explorer.exe, ...). */
  root?: boolean;
}

export interface ForestHooks {
  /** `from` and `into` are one process; `from` is gone after this. */
  onMerge?(from: ProcNode, into: ProcNode): void;
  /** The node's key changed (a pid-only sighting learnt its GUID). */
  onRekey?(oldKey: string, node: ProcNode): void;
  /** A node was created (placeholders included). */
  onCreate?(node: ProcNode): void;
}

/** Security logs write full paths, some sources bare names: compare what both have. */
export function sameImage(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return true;
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  return baseName(x) === baseName(y);
}

export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/')) + 1);
}

export function guidKey(host: string, guid: string): string {
  return `${hostKey(host)}|${guid.toLowerCase()}`;
}

function userOf(p: Omit<ProcessFields, 'parent'>): string | undefined {
  const u = p.user;
  if (!u?.name) return undefined;
  return u.domain ? `${u.domain}\\${u.name}` : u.name;
}

const QUARTER_HOUR = 15 * 60 * 1000;
const MAX_ZONE_OFFSET = 14 * 60 * 60 * 1000;

export class ProcessForest {
  readonly nodes = new Map<string, ProcNode>();
  /** host key → pid → sightings, oldest first. */
  private readonly pids = new Map<string, Map<number, ProcNode[]>>();

  constructor(
    private readonly sameStartMs: number,
    private readonly endSlackMs: number,
    private readonly hooks: ForestHooks = {},
  ) {}

  get size(): number {
    return this.nodes.size;
  }

  // ------------------------------------------------------------------------------------------
  // pid index

  private pidList(host: string, pid: number, create: boolean): ProcNode[] | undefined {
    const h = hostKey(host);
    let t = this.pids.get(h);
    if (!t) {
      if (!create) return undefined;
      t = new Map();
      this.pids.set(h, t);
    }
    let l = t.get(pid);
    if (!l && create) {
      l = [];
      t.set(pid, l);
    }
    return l;
  }

  private indexPid(n: ProcNode): void {
    if (n.pid === undefined) return;
    const l = this.pidList(n.host, n.pid, true)!;
    if (l.includes(n)) return;
    const order = n.start ?? n.firstSeen;
    let i = l.length;
    while (i > 0 && (l[i - 1]!.start ?? l[i - 1]!.firstSeen) > order) i--;
    l.splice(i, 0, n);
  }

  private unindexPid(n: ProcNode): void {
    if (n.pid === undefined) return;
    const h = hostKey(n.host);
    const t = this.pids.get(h);
    const l = t?.get(n.pid);
    if (!l) return;
    const i = l.indexOf(n);
    if (i >= 0) l.splice(i, 1);
    if (l.length === 0) t!.delete(n.pid);
    if (t!.size === 0) this.pids.delete(h);
  }

  /** The process a pid named at time `t` on a host, if one is in view. */
  resolvePid(host: string, pid: number, t: number, image?: string): ProcNode | undefined {
    const l = this.pidList(host, pid, false);
    if (!l) return undefined;
    for (let i = l.length - 1; i >= 0; i--) {
      const n = l[i]!;
      if (!sameImage(n.image, image)) continue;
      if (n.start !== undefined && n.start > t + this.sameStartMs) continue;
      if (n.end !== undefined && n.end < t - this.endSlackMs) {
        // The owner had ended well before: the pid was reused by a start we did not see.
        return undefined;
      }
      return n;
    }
    return undefined;
  }

  /**
   * Are these one start? Within sameStartMs; or, for the same command line, a whole number of
   * quarter hours apart (give or take sameStartMs): one log's shipper wrote local time as UTC, as
   * ShipperClock knows it happens, and its correction had not been learnt yet.
   */
  private sameTime(n: ProcNode, start: number, commandLine?: string): boolean {
    if (n.start === undefined) return false;
    const d = Math.abs(n.start - start);
    if (d <= this.sameStartMs) return true;
    if (!commandLine || n.commandLine !== commandLine || d > MAX_ZONE_OFFSET) return false;
    const r = d % QUARTER_HOUR;
    return r <= this.sameStartMs || QUARTER_HOUR - r <= this.sameStartMs;
  }

  /** A pid-only sighting (no GUID) of the start at `start`, or a pid-only placeholder referenced since. */
  private pidOnlyTwin(host: string, pid: number, start: number, image?: string, commandLine?: string): ProcNode | undefined {
    const l = this.pidList(host, pid, false);
    if (!l) return undefined;
    for (let i = l.length - 1; i >= 0; i--) {
      const n = l[i]!;
      if (n.guid || !sameImage(n.image, image)) continue;
      if (n.start !== undefined && this.sameTime(n, start, commandLine)) return n;
      if (n.start === undefined && n.firstSeen >= start - this.sameStartMs) return n;
    }
    return undefined;
  }

  /** Another sighting (any kind) of the same start: same pid and image, starts within sameStartMs. */
  private sameStart(host: string, pid: number, start: number, image?: string, commandLine?: string): ProcNode | undefined {
    const l = this.pidList(host, pid, false);
    if (!l) return undefined;
    for (let i = l.length - 1; i >= 0; i--) {
      const n = l[i]!;
      if (!sameImage(n.image, image)) continue;
      if (n.start !== undefined && this.sameTime(n, start, commandLine)) return n;
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------
  // nodes

  private create(key: string, host: string, t: number, fields: Partial<ProcNode>): ProcNode {
    const n: ProcNode = { key, host, placeholder: true, firstSeen: t, lastSeen: t, children: new Set(), ...fields };
    this.nodes.set(key, n);
    this.indexPid(n);
    this.hooks.onCreate?.(n);
    return n;
  }

  /** Fills what a node does not know yet from what an event says. */
  private enrich(n: ProcNode, p: Omit<ProcessFields, 'parent'>, t: number): void {
    if (p.pid !== undefined && n.pid === undefined) {
      n.pid = p.pid;
      this.indexPid(n);
    }
    if (p.entity_id && !n.guid) n.guid = p.entity_id;
    if (p.executable && !n.image) n.image = p.executable;
    if (p.command_line && !n.commandLine) n.commandLine = p.command_line;
    const u = userOf(p);
    if (u && !n.user) n.user = u;
    if (p.integrity_level && !n.integrity) n.integrity = p.integrity_level;
    if (p.hash && !n.hashes) n.hashes = { ...p.hash };
    if (p.code_signature?.subject_name && !n.signer) n.signer = p.code_signature.subject_name;
    if (t < n.firstSeen) n.firstSeen = t;
    if (t > n.lastSeen) n.lastSeen = t;
  }

  private rekey(n: ProcNode, key: string): ProcNode {
    if (n.key === key) return n;
    const existing = this.nodes.get(key);
    if (existing) {
      this.merge(n, existing);
      return existing;
    }
    const old = n.key;
    this.nodes.delete(old);
    n.key = key;
    this.nodes.set(key, n);
    this.hooks.onRekey?.(old, n);
    return n;
  }

  /** `from` and `into` are one process: everything `from` knew moves to `into`. */
  merge(from: ProcNode, into: ProcNode): void {
    if (from === into) return;
    for (const k of ['pid', 'guid', 'image', 'commandLine', 'user', 'integrity', 'hashes', 'signer', 'start', 'end'] as const) {
      if (into[k] === undefined && from[k] !== undefined) (into as unknown as Record<string, unknown>)[k] = from[k];
    }
    into.placeholder = into.placeholder && from.placeholder;
    into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
    into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
    if (!into.parent && from.parent && from.parent !== into) {
      into.parent = from.parent;
      from.parent.children.add(into);
    }
    from.parent?.children.delete(from);
    for (const c of from.children) {
      if (c === into) continue;
      c.parent = into;
      into.children.add(c);
    }
    from.children.clear();
    this.unindexPid(from);
    this.unindexPid(into);
    this.indexPid(into);
    this.nodes.delete(from.key);
    this.hooks.onMerge?.(from, into);
  }

  /** Links a child under a parent, unless that would make a cycle. */
  private link(child: ProcNode, parent: ProcNode): void {
    if (child.parent === parent || child === parent) return;
    for (let a: ProcNode | undefined = parent; a; a = a.parent) if (a === child) return;
    child.parent?.children.delete(child);
    child.parent = parent;
    parent.children.add(child);
  }

  /**
   * The node an event's process names (any event but a start), created as a placeholder when it is
   * not in view. Undefined when the event names no process (no GUID, no pid).
   */
  touch(host: string, p: Omit<ProcessFields, 'parent'>, t: number): ProcNode | undefined {
    let n: ProcNode | undefined;
    if (p.entity_id) {
      const key = guidKey(host, p.entity_id);
      n = this.nodes.get(key);
      if (!n && p.pid !== undefined) {
        // Seen so far only by pid (Security 4688): it learns its GUID.
        const twin = this.resolvePid(host, p.pid, t, p.executable);
        if (twin && !twin.guid) n = this.rekey(twin, key);
      }
      n ??= this.create(key, host, t, { pid: p.pid, guid: p.entity_id });
    } else if (p.pid !== undefined) {
      n = this.resolvePid(host, p.pid, t, p.executable);
      if (!n) {
        const key = `${hostKey(host)}|${p.pid}|?|${p.executable?.toLowerCase() ?? ''}`;
        n = this.nodes.get(key) ?? this.create(key, host, t, { pid: p.pid });
      }
    } else return undefined;
    this.enrich(n, p, t);
    return n;
  }

  /** A process ended. */
  end(host: string, p: Omit<ProcessFields, 'parent'>, t: number): ProcNode | undefined {
    const n = this.touch(host, p, t);
    if (n && n.end === undefined) n.end = p.end ?? t;
    return n;
  }

  /** A process started: the node (filled in, perhaps from a placeholder) and its parent. */
  start(host: string, p: ProcessFields, t: number): { node: ProcNode; parent?: ProcNode } | undefined {
    const start = p.start ?? t;
    let n: ProcNode | undefined;
    if (p.entity_id) {
      const key = guidKey(host, p.entity_id);
      n = this.nodes.get(key);
      const twin = p.pid !== undefined ? this.pidOnlyTwin(host, p.pid, start, p.executable, p.command_line) : undefined;
      if (n && twin && twin !== n) this.merge(twin, n);
      else if (!n && twin) n = this.rekey(twin, key);
      n ??= this.create(key, host, t, { pid: p.pid, guid: p.entity_id });
    } else if (p.pid !== undefined) {
      n = this.sameStart(host, p.pid, start, p.executable, p.command_line);
      if (!n) {
        const key = `${hostKey(host)}|${p.pid}|${start}`;
        n = this.nodes.get(key);
        const twin = this.pidOnlyTwin(host, p.pid, start, p.executable, p.command_line);
        if (!n && twin && twin.start === undefined) n = this.rekey(twin, key);
        n ??= this.create(key, host, t, { pid: p.pid });
      }
    } else return undefined;
    const wasPlaceholder = n.placeholder;
    this.enrich(n, p, t);
    if (n.start === undefined || wasPlaceholder) {
      n.start = start;
      this.unindexPid(n);
      this.indexPid(n);
    }
    n.placeholder = false;

    const pp = p.parent;
    let parent: ProcNode | undefined;
    if (pp?.entity_id) {
      const key = guidKey(host, pp.entity_id);
      parent = this.nodes.get(key);
      if (!parent && pp.pid !== undefined) {
        const twin = this.resolvePid(host, pp.pid, start, pp.executable);
        if (twin && !twin.guid && twin !== n) parent = this.rekey(twin, key);
      }
      parent ??= this.create(key, host, t, { pid: pp.pid, guid: pp.entity_id });
    } else if (pp?.pid !== undefined) {
      parent = this.resolvePid(host, pp.pid, start, pp.executable);
      if (parent === n) parent = undefined;
      if (!parent) {
        const key = `${hostKey(host)}|${pp.pid}|?|${pp.executable?.toLowerCase() ?? ''}`;
        parent = this.nodes.get(key) ?? this.create(key, host, t, { pid: pp.pid });
      }
    }
    if (parent && pp) {
      // What the child says of its parent fills in a placeholder (never overrides its own start).
      this.enrich(parent, pp, t);
      this.link(n, parent);
    }
    return { node: n, parent: n.parent };
  }

  /** Drops a node (its chain closed); children keep their own parent pointer only if still held. */
  evict(n: ProcNode): void {
    if (this.nodes.get(n.key) !== n) return;
    this.nodes.delete(n.key);
    this.unindexPid(n);
    n.parent?.children.delete(n);
    for (const c of n.children) if (c.parent === n) c.parent = undefined;
    n.children.clear();
  }

  /** Puts back a node restored from saved state (links are set afterwards with `relink`). */
  restore(n: ProcNode): void {
    this.nodes.set(n.key, n);
    this.indexPid(n);
  }

  relink(child: ProcNode, parentKey: string | undefined): void {
    if (!parentKey) return;
    const parent = this.nodes.get(parentKey);
    if (parent) this.link(child, parent);
  }

  /** Does a path match a root, given normalised root paths and bare root names? */
  static matcher(roots: string[]): (image: string | undefined) => boolean {
    const paths = new Set<string>();
    const names = new Set<string>();
    for (const r of roots) {
      const n = normalisePath(r);
      if (n.includes('\\')) paths.add(n);
      else names.add(n);
    }
    return (image) => {
      if (!image) return false;
      const n = normalisePath(image);
      return paths.has(n) || names.has(n) || (names.size > 0 && names.has(baseName(n)));
    };
  }
}
