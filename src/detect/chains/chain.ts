/**
 * A chain: the processes of one activity on one host, from the child of a chain root (or the
 * oldest process in view) down, and every detector hit on them.
 *
 * Scoring. Every hit is kept (hit table) and folded per rule and process here. The score is
 *
 *   Σ over the chain's techniques t of  max points of a scoring hit naming t
 * + Σ over rules naming no technique of max points of a scoring hit of that rule
 *
 * where a scoring hit is one on a process no allow rule covers, and points come from the hit's
 * level (or a plugin's own score). So a technique counts once per chain however many rules or
 * events name it, no rule counts twice for firing twice, and every rule that fires is looked at
 * (RmEye stopped at the first match and counted its IOA scores twice). Allowed processes still
 * record their techniques. The score never depends on the order the hits came in.
 */
import { technique, tacticOrder } from '../attack/data.js';
import type { Level } from '../types.js';
import type { ChainRecord, RuleAggregate, ThreatTechnique } from '../../store/threats.js';
import type { ProcNode } from './tree.js';

export interface RuleAgg {
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  points: number;
  techniques: string[];
  tactics: string[];
  count: number;
  first: number;
  last: number;
  processes: Map<ProcNode, number>;
}

export class Chain {
  readonly members = new Set<ProcNode>();
  readonly rules = new Map<string, RuleAgg>();
  hitCount = 0;
  open = true;
  lastEnd?: number;
  threatId?: string;
  rootKey?: string;
  rootImage?: string;
  alerted?: { score: number; techniques: number; lastSeen: number };
  /** lastSeen when last saved (saving every tick of it would rewrite the row on every event). */
  savedLastSeen = -Infinity;
  private cached?: { score: number; techniques: Map<string, ThreatTechnique> };

  constructor(
    public id: string,
    readonly host: string,
    public head: ProcNode,
    public firstSeen: number,
    public lastSeen: number,
  ) {}

  invalidate(): void {
    this.cached = undefined;
  }

  seen(t: number): void {
    if (!Number.isFinite(t)) return;
    if (t < this.firstSeen) this.firstSeen = t;
    if (t > this.lastSeen) this.lastSeen = t;
  }

  addHit(p: ProcNode, h: { detector: string; ruleId: string; title: string; level: Level; points: number; techniques: string[]; tactics: string[]; time: number }): void {
    const key = `${h.detector}\u0000${h.ruleId}`;
    let r = this.rules.get(key);
    if (!r) {
      r = { detector: h.detector, ruleId: h.ruleId, title: h.title, level: h.level, points: h.points, techniques: [], tactics: [], count: 0, first: h.time, last: h.time, processes: new Map() };
      this.rules.set(key, r);
    }
    if (h.points > r.points) {
      r.points = h.points;
      r.level = h.level;
    }
    for (const t of h.techniques) if (!r.techniques.includes(t)) r.techniques.push(t);
    for (const t of h.tactics) if (!r.tactics.includes(t)) r.tactics.push(t);
    r.count++;
    if (h.time < r.first) r.first = h.time;
    if (h.time > r.last) r.last = h.time;
    r.processes.set(p, (r.processes.get(p) ?? 0) + 1);
    this.hitCount++;
    this.invalidate();
  }

  /** Takes over another chain's members and hits (it is part of this one). */
  absorb(other: Chain): void {
    for (const m of other.members) {
      m.chainId = this.id;
      this.members.add(m);
    }
    other.members.clear();
    for (const [key, o] of other.rules) {
      const r = this.rules.get(key);
      if (!r) {
        this.rules.set(key, o);
        continue;
      }
      if (o.points > r.points) {
        r.points = o.points;
        r.level = o.level;
      }
      for (const t of o.techniques) if (!r.techniques.includes(t)) r.techniques.push(t);
      for (const t of o.tactics) if (!r.tactics.includes(t)) r.tactics.push(t);
      r.count += o.count;
      r.first = Math.min(r.first, o.first);
      r.last = Math.max(r.last, o.last);
      for (const [p, n] of o.processes) r.processes.set(p, (r.processes.get(p) ?? 0) + n);
    }
    other.rules.clear();
    this.hitCount += other.hitCount;
    this.seen(other.firstSeen);
    this.seen(other.lastSeen);
    if (other.lastEnd !== undefined) this.lastEnd = Math.max(this.lastEnd ?? other.lastEnd, other.lastEnd);
    this.invalidate();
  }

  /** A process moved to another node (two sightings found to be one). */
  renameProcess(from: ProcNode, into: ProcNode): void {
    for (const r of this.rules.values()) {
      const n = r.processes.get(from);
      if (n === undefined) continue;
      r.processes.delete(from);
      r.processes.set(into, (r.processes.get(into) ?? 0) + n);
    }
    this.invalidate();
  }

  /** Score and techniques, given which processes are allowed. */
  evaluate(allowed: (p: ProcNode) => string | undefined): { score: number; techniques: Map<string, ThreatTechnique> } {
    if (this.cached) return this.cached;
    const techMax = new Map<string, number>();
    const ruleMax = new Map<string, number>();
    const techniques = new Map<string, ThreatTechnique>();
    for (const [key, r] of this.rules) {
      let scoring = 0;
      let hits = 0;
      for (const [p, n] of r.processes) {
        hits += n;
        if (!allowed(p)) scoring += n;
      }
      for (const t of r.techniques) {
        let tt = techniques.get(t);
        if (!tt) {
          const info = technique(t);
          tt = { id: t, tactics: info?.tactics ?? [], hits: 0, allowedOnly: true };
          if (info) tt.name = info.name;
          techniques.set(t, tt);
        }
        tt.hits += hits;
        if (scoring > 0) tt.allowedOnly = false;
        for (const x of r.tactics) if (!tt.tactics.includes(x)) tt.tactics.push(x);
      }
      if (scoring === 0) continue;
      if (r.techniques.length) for (const t of r.techniques) techMax.set(t, Math.max(techMax.get(t) ?? 0, r.points));
      else ruleMax.set(key, Math.max(ruleMax.get(key) ?? 0, r.points));
    }
    let score = 0;
    for (const v of techMax.values()) score += v;
    for (const v of ruleMax.values()) score += v;
    this.cached = { score, techniques };
    return this.cached;
  }

  /** Tactics of the hits and of their techniques, in kill-chain (ATT&CK matrix) order. */
  tactics(): string[] {
    const set = new Set<string>();
    for (const r of this.rules.values()) {
      for (const t of r.tactics) set.add(t);
      for (const id of r.techniques) for (const t of technique(id)?.tactics ?? []) set.add(t);
    }
    return killChainOrder([...set]);
  }

  record(): ChainRecord {
    const rules: RuleAggregate[] = [];
    for (const r of this.rules.values())
      rules.push({
        detector: r.detector,
        ruleId: r.ruleId,
        title: r.title,
        level: r.level,
        points: r.points,
        techniques: r.techniques,
        tactics: r.tactics,
        count: r.count,
        first: r.first,
        last: r.last,
        processes: [...r.processes].map(([p, n]) => [p.key, n]),
      });
    const rec: ChainRecord = {
      id: this.id,
      host: this.host,
      headKey: this.head.key,
      open: this.open,
      firstSeen: this.firstSeen,
      lastSeen: this.lastSeen,
      hitCount: this.hitCount,
      rules,
    };
    if (this.lastEnd !== undefined) rec.lastEnd = this.lastEnd;
    if (this.threatId) rec.threatId = this.threatId;
    if (this.rootKey) rec.rootKey = this.rootKey;
    if (this.rootImage) rec.rootImage = this.rootImage;
    if (this.alerted) rec.alerted = this.alerted;
    return rec;
  }
}

/** Tactic short names in ATT&CK's matrix order; names the table does not know go last, sorted. */
export function killChainOrder(tactics: string[]): string[] {
  const order = tacticOrder();
  const rank = (t: string) => {
    const i = order.indexOf(t);
    return i < 0 ? order.length : i;
  };
  return [...new Set(tactics)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
