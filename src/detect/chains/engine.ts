/**
 * The chain engine: a detector that runs last, keeps every host's process trees (tree.ts), folds
 * each process into its chain, scores chains from the alerts the other detectors raised on their
 * members (chain.ts), raises a threat when a chain crosses the threshold and keeps it growing, and
 * closes chains that ended or went idle. The same engine serves `loupe analyze` (files), the live
 * server (agents) and `loupe hunt` (stored events); its state can be saved and restored so that a
 * restarted server resumes its open chains (persist.ts).
 *
 * Everything is driven by event time (per host), never the wall clock, so that replaying the same
 * events gives the same chains and threats, in a batch or through the server.
 */
import { sha1Hex as sha1 } from '../../util/sha1.js';
import { nodeId, normalisePath } from '../../graph/keys.js';
import type { Event } from '../../normalize/event.js';
import type { ChainChanges, ChainSnapshot, HitRecord, ProcessRecord, ThreatNode, ThreatRecord } from '../../store/threats.js';
import type { Alert, DetectContext, Detector, EventRef, Level } from '../types.js';
import { AllowList, type AllowRule } from './allow.js';
import { attribute, type Attribution } from './attribution.js';
import { Chain } from './chain.js';
import { chainOptions, type ChainOptions } from './options.js';
import { PluginHost, type ChainPlugin, type ChainView, type PluginProblem, type ProcessView } from './plugins.js';
import { ProcessForest, type ProcNode } from './tree.js';

export interface ChainEngineOptions extends Partial<ChainOptions> {
  allow?: AllowList;
  plugins?: ChainPlugin[];
  onPluginProblem?(p: PluginProblem): void;
}

/** The detector name of threat alerts. */
export const CHAIN_DETECTOR = 'chain';
export const THREAT_RULE = 'chain-threat';


function hostKeyOf(h: string): string {
  return h.trim().toLowerCase();
}

/** Saved clock rows under this prefix mark hosts whose clock follows Sysmon. */
const SYSMON_CLOCK = '\u0000sysmon|';

/** At most this many event references on a threat alert. */
const MAX_ALERT_REFS = 20;

export class ChainEngine implements Detector {
  readonly name = CHAIN_DETECTOR;
  readonly opts: ChainOptions;
  readonly forest: ProcessForest;
  readonly chains = new Map<string, Chain>();
  readonly plugins: PluginHost;
  private readonly allow: AllowList;
  private readonly byHost = new Map<string, Set<Chain>>();
  private readonly clocks = new Map<string, number>();
  /** Hosts whose clock follows their Sysmon records (see advance). */
  private readonly sysmonHosts = new Set<string>();
  private readonly nextSweep = new Map<string, number>();
  private readonly rootCache = new Map<string, boolean>();
  private readonly isRootPath: (image: string | undefined) => boolean;
  private readonly allowCache = new WeakMap<ProcNode, { sig: string; rule?: AllowRule }>();
  private readonly attributionCache = new Map<string, Attribution[]>();
  private readonly alertRefs = new Map<string, EventRef[]>();
  /** Nodes that the forest merged or created during the current operation, to (re)place. */
  private touchedByForest: ProcNode[] = [];

  // Changes since the last `drainChanges` (kept only when `tracking`).
  tracking = false;
  private touched = new Set<ProcNode>();
  private savedNode = new WeakMap<ProcNode, string>();
  private removedNodes = new Set<string>();
  private dirtyChains = new Set<Chain>();
  private removedChains = new Set<string>();
  private pendingHits: HitRecord[] = [];
  private hitMoves: { from: string; to: string }[] = [];
  private rekeys: { from: string; to: string }[] = [];
  private dirtyThreats = new Set<Chain>();
  private finalThreats: ThreatRecord[] = [];
  private mergedThreats: { from: string; into: string }[] = [];
  private dirtyClocks = new Set<string>();

  /** Counters for summaries and tests. */
  readonly stats = { events: 0, hits: 0, threats: 0, chainsOpened: 0, chainsClosed: 0 };

  constructor(o: ChainEngineOptions = {}) {
    const { allow, plugins, onPluginProblem, ...rest } = o;
    this.opts = chainOptions(rest);
    this.allow = allow ?? new AllowList();
    this.plugins = new PluginHost(plugins ?? [], onPluginProblem);
    this.isRootPath = ProcessForest.matcher(this.opts.roots);
    this.forest = new ProcessForest(this.opts.sameStartMs, this.opts.endGraceMs, {
      onCreate: (n) => this.noteTouched(n),
      onMerge: (from, into) => this.nodesMerged(from, into),
      onRekey: (old, n) => this.nodeRekeyed(old, n),
    });
  }

  // ------------------------------------------------------------------------------------------
  // small helpers

  private noteTouched(n: ProcNode): void {
    this.touchedByForest.push(n);
    if (this.tracking) this.touched.add(n);
  }

  isRoot(n: ProcNode | undefined): boolean {
    if (!n?.image) return false;
    let r = this.rootCache.get(n.image);
    if (r === undefined) {
      r = this.isRootPath(n.image);
      if (this.rootCache.size > 10_000) this.rootCache.clear();
      this.rootCache.set(n.image, r);
    }
    return r;
  }

  /** The allow rule covering a process, if any (re-evaluated when what it matches on changes). */
  allowed(n: ProcNode): AllowRule | undefined {
    if (this.allow.size === 0) return undefined;
    const h = n.hashes;
    const sig = `${n.image ?? ''}\u0000${n.commandLine ?? ''}\u0000${n.signer ?? ''}\u0000${h?.md5 ?? ''}${h?.sha1 ?? ''}${h?.sha256 ?? ''}${h?.imphash ?? ''}`;
    const c = this.allowCache.get(n);
    if (c && c.sig === sig) return c.rule;
    const rule = this.allow.match(n);
    this.allowCache.set(n, { sig, rule });
    return rule;
  }

  private allowedReason = (n: ProcNode): string | undefined => {
    const r = this.allowed(n);
    return r ? (r.reason ?? 'allow rule') : undefined;
  };

  private clock(host: string): number {
    return this.clocks.get(hostKeyOf(host)) ?? -Infinity;
  }

  /**
   * A host's clock moves with its events; once the host has sent Sysmon records, with those only:
   * Sysmon's UtcTime is true UTC, where other logs' shippers may be hours off until their offset
   * is learnt, and one such record must not make every open chain look idle.
   */
  private advance(host: string, t: number, sysmon: boolean): void {
    if (!Number.isFinite(t)) return;
    const h = hostKeyOf(host);
    const c = this.clocks.get(h);
    if (sysmon && !this.sysmonHosts.has(h)) {
      this.sysmonHosts.add(h);
      this.clocks.set(h, t);
      if (this.tracking) this.dirtyClocks.add(h);
      return;
    }
    if (!sysmon && this.sysmonHosts.has(h)) return;
    if (c === undefined || t > c) {
      this.clocks.set(h, t);
      if (this.tracking) this.dirtyClocks.add(h);
    }
  }

  private dirty(c: Chain): void {
    if (this.tracking) this.dirtyChains.add(c);
  }

  // ------------------------------------------------------------------------------------------
  // chains

  private newChain(head: ProcNode): Chain {
    const id = `c${sha1(`${head.key}\u0000${head.firstSeen}`).slice(0, 16)}`;
    const c = new Chain(id, head.host, head, head.firstSeen, head.lastSeen);
    c.members.add(head);
    head.chainId = id;
    if (head.parent && this.isRoot(head.parent) && !this.isRoot(head)) {
      c.rootKey = head.parent.key;
      c.rootImage = head.parent.image;
    }
    this.chains.set(id, c);
    const h = hostKeyOf(head.host);
    (this.byHost.get(h) ?? this.byHost.set(h, new Set()).get(h)!).add(c);
    this.stats.chainsOpened++;
    this.dirty(c);
    if (this.tracking) this.touched.add(head);
    return c;
  }

  /** The chain of a process, made when it has none. */
  chainOf(n: ProcNode): Chain {
    if (n.chainId) {
      const c = this.chains.get(n.chainId);
      if (c) return c;
      n.chainId = undefined;
    }
    if (!this.isRoot(n) && n.parent && !this.isRoot(n.parent)) {
      const c = this.chainOf(n.parent);
      c.members.add(n);
      n.chainId = c.id;
      c.invalidate();
      this.dirty(c);
      if (this.tracking) this.touched.add(n);
      return c;
    }
    return this.newChain(n);
  }

  /** Puts a process where its parent says it belongs: in the parent's chain unless the parent is a root. */
  private place(n: ProcNode): void {
    if (this.isRoot(n)) return;
    const parent = n.parent;
    if (parent && !this.isRoot(parent)) {
      const target = this.chainOf(parent);
      if (!n.chainId || !this.chains.has(n.chainId)) {
        target.members.add(n);
        n.chainId = target.id;
        target.invalidate();
        this.dirty(target);
        if (this.tracking) this.touched.add(n);
      } else if (n.chainId !== target.id) {
        this.mergeChains(this.chains.get(n.chainId)!, target);
      }
      return;
    }
    const c = this.chainOf(n);
    if (c.head === n && parent && this.isRoot(parent) && !c.rootKey) {
      c.rootKey = parent.key;
      c.rootImage = parent.image;
      this.dirty(c);
    }
  }

  /** `loser` is part of `survivor`'s activity: one chain from now on. */
  private mergeChains(loser: Chain, survivor: Chain): void {
    if (loser === survivor) return;
    for (const m of loser.members) if (this.tracking) this.touched.add(m);
    survivor.absorb(loser);
    if (loser.threatId && !survivor.threatId) {
      survivor.threatId = loser.threatId;
      survivor.alerted = loser.alerted;
    } else if (loser.threatId && survivor.threatId) {
      if (this.tracking) this.mergedThreats.push({ from: loser.threatId, into: survivor.threatId });
    }
    const refs = this.alertRefs.get(loser.id);
    if (refs) {
      const mine = this.alertRefs.get(survivor.id) ?? [];
      this.alertRefs.set(survivor.id, mine.concat(refs).slice(0, MAX_ALERT_REFS));
      this.alertRefs.delete(loser.id);
    }
    this.chains.delete(loser.id);
    this.byHost.get(hostKeyOf(loser.host))?.delete(loser);
    if (this.tracking) {
      for (const h of this.pendingHits) if (h.chainId === loser.id) h.chainId = survivor.id;
      this.hitMoves.push({ from: loser.id, to: survivor.id });
      this.removedChains.add(loser.id);
      this.dirtyChains.delete(loser);
      if (this.dirtyThreats.delete(loser) && survivor.threatId) this.dirtyThreats.add(survivor);
    }
    this.dirty(survivor);
    if (survivor.threatId && this.tracking) this.dirtyThreats.add(survivor);
  }

  private isAncestor(a: ProcNode, b: ProcNode): boolean {
    for (let x: ProcNode | undefined = b.parent; x; x = x.parent) if (x === a) return true;
    return false;
  }

  private nodesMerged(from: ProcNode, into: ProcNode): void {
    const cf = from.chainId ? this.chains.get(from.chainId) : undefined;
    const ci = into.chainId ? this.chains.get(into.chainId) : undefined;
    if (cf) {
      cf.members.delete(from);
      cf.renameProcess(from, into);
      if (cf.head === from) cf.head = into;
    }
    if (cf && ci && cf !== ci) {
      if (this.isAncestor(cf.head, ci.head)) this.mergeChains(ci, cf);
      else this.mergeChains(cf, ci);
    } else if (cf && !ci) {
      into.chainId = cf.id;
      cf.members.add(into);
    }
    this.touchedByForest.push(into);
    if (this.tracking) {
      for (const h of this.pendingHits) if (h.processKey === from.key) h.processKey = into.key;
      this.rekeys.push({ from: from.key, to: into.key });
      this.removedNodes.add(from.key);
      this.touched.delete(from);
      this.touched.add(into);
    }
  }

  private nodeRekeyed(old: string, n: ProcNode): void {
    if (n.chainId) {
      const c = this.chains.get(n.chainId);
      if (c) this.dirty(c);
    }
    if (this.tracking) {
      for (const h of this.pendingHits) if (h.processKey === old) h.processKey = n.key;
      this.rekeys.push({ from: old, to: n.key });
      this.removedNodes.add(old);
      this.touched.add(n);
    }
  }

  // ------------------------------------------------------------------------------------------
  // events

  onEvent(e: Event, ctx: DetectContext): void {
    const p = e.process;
    if (!p) return;
    this.stats.events++;
    const host = e.host?.name ?? '';
    const ts = e['@timestamp'];
    const t = Number.isFinite(ts) ? ts : this.clock(host);
    if (!Number.isFinite(t)) return;
    const action = e.event.action;
    this.touchedByForest = [];
    let node: ProcNode | undefined;
    let created = false;
    if (action === 'process-start') {
      node = this.forest.start(host, p, t)?.node;
      created = node !== undefined;
    } else if (action === 'process-end') node = this.forest.end(host, p, t);
    else node = this.forest.touch(host, p, t);
    if (!node) return;
    for (const n of this.touchedByForest) if (n !== node && this.forest.nodes.get(n.key) === n) this.place(n);
    this.place(node);
    if (this.tracking) this.touched.add(node);

    // The signer of a process's own image comes with the image load of that file.
    if (action === 'image-load' && !node.signer && node.image && e.dll?.path && e.dll.code_signature?.subject_name) {
      if (normalisePath(e.dll.path) === normalisePath(node.image)) node.signer = e.dll.code_signature.subject_name;
    }

    const chain = this.chainOf(node);
    chain.seen(t);
    if (action === 'process-end') chain.lastEnd = Math.max(chain.lastEnd ?? t, node.end ?? t);
    this.advance(host, t, e.event.dataset === 'windows.sysmon');

    const raised = ctx.raised ? ctx.raised.slice() : [];
    for (const a of raised) if (a.detector !== CHAIN_DETECTOR) this.hit(chain, node, a, ctx.eventId);

    const hook = created ? 'processCreated' : 'processEvent';
    if (created ? this.plugins.wantsProcessCreated : this.plugins.wantsProcessEvents) {
      for (const { plugin, hit } of this.plugins.hits(hook, () => this.view(node!), e)) {
        const alert = this.pluginAlert(plugin, hit, e, ctx.eventId, host);
        ctx.emit(alert);
        this.hit(this.chainOf(node), node, alert, ctx.eventId, hit.score);
      }
    }
    const now = this.chainOf(node);
    if (now.hitCount > 0 || now.threatId) this.review(now, ctx.emit, t);
    this.sweep(host, ctx.emit);
  }

  private pluginAlert(plugin: string, hit: NonNullable<ReturnType<PluginHost['hits']>[number]['hit']>, e: Event, eventId: string, host: string): Alert {
    const level: Level = hit.level ?? (hit.score !== undefined ? this.levelForScore(hit.score) : 'medium');
    const a: Alert = {
      id: `plugin:${plugin}:${sha1(`${hit.ruleId}\u0000${eventId}`).slice(0, 16)}`,
      detector: `plugin:${plugin}`,
      ruleId: hit.ruleId,
      title: hit.title,
      level,
      time: e['@timestamp'],
      techniques: hit.techniques ?? [],
      tactics: hit.tactics ?? [],
      events: [{ id: eventId, time: e['@timestamp'] }],
      count: 1,
    };
    if (host) a.host = host;
    if (hit.description) a.description = hit.description;
    if (hit.score !== undefined) a.details = { score: hit.score };
    return a;
  }

  private levelForScore(score: number): Level {
    const pts = this.opts.points;
    let best: Level = 'informational';
    for (const l of ['low', 'medium', 'high', 'critical'] as const) if (score >= pts[l]) best = l;
    return best;
  }

  private hit(chain: Chain, node: ProcNode, a: Alert, eventId: string, score?: number): void {
    const points = score ?? this.opts.points[a.level] ?? 0;
    const techniques = [...new Set(a.techniques.map((t) => t.toUpperCase()))];
    const tactics = [...new Set(a.tactics)];
    chain.addHit(node, { detector: a.detector, ruleId: a.ruleId, title: a.title, level: a.level, points, techniques, tactics, time: a.time });
    this.stats.hits++;
    const refs = this.alertRefs.get(chain.id) ?? [];
    if (refs.length < MAX_ALERT_REFS) {
      refs.push({ id: eventId, time: a.time });
      this.alertRefs.set(chain.id, refs);
    }
    this.dirty(chain);
    if (this.tracking) {
      const h: HitRecord = {
        chainId: chain.id,
        alertId: a.id,
        detector: a.detector,
        ruleId: a.ruleId,
        title: a.title,
        level: a.level,
        techniques,
        tactics,
        time: a.time,
        eventId,
        processKey: node.key,
        points,
      };
      const why = this.allowedReason(node);
      if (why) h.allowed = why;
      this.pendingHits.push(h);
    }
  }

  /** A chain that reached the threshold is a threat; a threat's alert is emitted again when it grows. */
  private review(chain: Chain, emit: (a: Alert) => void, t: number): void {
    const { score, techniques } = chain.evaluate(this.allowedReason);
    if (!chain.threatId) {
      if (score < this.opts.threshold) return;
      chain.threatId = `t${sha1(`${chain.id}\u0000${t}`).slice(0, 16)}`;
      this.stats.threats++;
      this.plugins.notify('threatRaised', { ...this.chainView(chain), threatId: chain.threatId, tactics: chain.tactics() });
    }
    if (this.tracking) this.dirtyThreats.add(chain);
    const a = chain.alerted;
    if (!a || a.score !== score || a.techniques !== techniques.size) {
      emit(this.threatAlert(chain));
      chain.alerted = { score, techniques: techniques.size, lastSeen: chain.lastSeen };
      this.dirty(chain);
    }
  }

  private threatLevel(score: number): Level {
    return score >= 2 * this.opts.threshold ? 'critical' : 'high';
  }

  /** The alert that stands for a threat in summaries, reports and the alert table. */
  threatAlert(chain: Chain): Alert {
    const { score, techniques } = chain.evaluate(this.allowedReason);
    const head = chain.head;
    const name = head.image ? head.image.slice(Math.max(head.image.lastIndexOf('\\'), head.image.lastIndexOf('/')) + 1) : `pid ${head.pid ?? '?'}`;
    const top = this.attribution(chain)[0];
    const a: Alert = {
      id: chain.threatId!,
      detector: CHAIN_DETECTOR,
      ruleId: THREAT_RULE,
      title: `Process chain from ${name} scored ${score}${top ? ` (looks like ${top.name})` : ''}`,
      level: this.threatLevel(score),
      time: chain.firstSeen,
      lastTime: chain.lastSeen,
      techniques: [...techniques.keys()].sort(),
      tactics: chain.tactics(),
      events: (this.alertRefs.get(chain.id) ?? []).slice(0, MAX_ALERT_REFS),
      count: chain.hitCount,
      entities: [nodeId('Process', head.key)],
      details: {
        threat: chain.threatId,
        chain: chain.id,
        score,
        threshold: this.opts.threshold,
        members: chain.members.size,
        head: { image: head.image, command_line: head.commandLine, pid: head.pid, user: head.user },
        attribution: this.attribution(chain).map((x) => ({ id: x.id, name: x.name, score: x.score, shared: x.shared })),
      },
    };
    if (chain.host) a.host = chain.host;
    return a;
  }

  private attribution(chain: Chain): Attribution[] {
    const ids = [...chain.evaluate(this.allowedReason).techniques.keys()].sort();
    const key = ids.join(' ');
    let r = this.attributionCache.get(key);
    if (!r) {
      r = attribute(ids, 3);
      if (this.attributionCache.size > 5000) this.attributionCache.clear();
      this.attributionCache.set(key, r);
    }
    return r;
  }

  // ------------------------------------------------------------------------------------------
  // closing

  private sweep(host: string, emit: (a: Alert) => void): void {
    const h = hostKeyOf(host);
    const clock = this.clocks.get(h);
    if (clock === undefined) return;
    const next = this.nextSweep.get(h);
    if (next !== undefined && clock < next) return;
    this.nextSweep.set(h, clock + Math.max(1000, Math.min(this.opts.idleMs, this.opts.endGraceMs) / 4));
    const set = this.byHost.get(h);
    if (!set) return;
    for (const c of [...set]) {
      if (!c.open) continue;
      const idle = clock - c.lastSeen > this.opts.idleMs;
      let ended = false;
      if (!idle && c.lastEnd !== undefined && clock - c.lastEnd > this.opts.endGraceMs) {
        ended = true;
        for (const m of c.members)
          if (m.end === undefined) {
            ended = false;
            break;
          }
      }
      if (idle || ended) this.close(c, emit);
    }
  }

  /** Closes a chain: its threat is final, its processes leave memory. */
  close(c: Chain, emit?: (a: Alert) => void): void {
    if (!c.open) return;
    c.open = false;
    this.stats.chainsClosed++;
    if (c.threatId) {
      if (this.tracking) this.finalThreats.push(this.threatRecord(c));
      if (emit) emit(this.threatAlert(c));
    }
    this.plugins.notify('chainClosed', this.chainView(c));
    for (const m of c.members) {
      this.forest.evict(m);
      if (this.tracking) {
        this.removedNodes.add(m.key);
        this.touched.delete(m);
      }
    }
    this.chains.delete(c.id);
    this.byHost.get(hostKeyOf(c.host))?.delete(c);
    this.alertRefs.delete(c.id);
    if (this.tracking) {
      this.removedChains.add(c.id);
      this.dirtyChains.delete(c);
      this.dirtyThreats.delete(c);
    }
  }

  /** End of a batch run: threats' alerts brought up to date. Chains stay open (a later run may continue them). */
  finish(emit: (a: Alert) => void): void {
    for (const c of this.chains.values()) {
      if (!c.threatId) continue;
      if (c.alerted && c.alerted.lastSeen === c.lastSeen) continue;
      emit(this.threatAlert(c));
      const { score, techniques } = c.evaluate(this.allowedReason);
      c.alerted = { score, techniques: techniques.size, lastSeen: c.lastSeen };
      this.dirty(c);
    }
  }

  // ------------------------------------------------------------------------------------------
  // views and records

  private processView(n: ProcNode): Omit<ProcessView, 'parent'> {
    const v: { -readonly [K in keyof ProcessView]?: ProcessView[K] } = { key: n.key, host: n.host, placeholder: n.placeholder };
    if (n.pid !== undefined) v.pid = n.pid;
    if (n.image !== undefined) v.image = n.image;
    if (n.commandLine !== undefined) v.commandLine = n.commandLine;
    if (n.user !== undefined) v.user = n.user;
    if (n.integrity !== undefined) v.integrity = n.integrity;
    if (n.start !== undefined) v.start = n.start;
    if (n.end !== undefined) v.end = n.end;
    if (n.chainId !== undefined) v.chainId = n.chainId;
    return Object.freeze(v) as Omit<ProcessView, 'parent'>;
  }

  private view(n: ProcNode): ProcessView {
    const v = { ...this.processView(n) } as { parent?: Omit<ProcessView, 'parent'> } & Omit<ProcessView, 'parent'>;
    if (n.parent) v.parent = this.processView(n.parent);
    return Object.freeze(v);
  }

  private chainView(c: Chain): ChainView {
    const { score, techniques } = c.evaluate(this.allowedReason);
    const v: ChainView = {
      id: c.id,
      host: c.host,
      head: this.processView(c.head),
      members: c.members.size,
      score,
      techniques: Object.freeze([...techniques.keys()].sort()),
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      ...(c.threatId ? { threatId: c.threatId } : {}),
    };
    return Object.freeze(v);
  }

  private threatNode(n: ProcNode, c: Chain | undefined, context = false): ThreatNode {
    const t: ThreatNode = { key: n.key, placeholder: n.placeholder, hits: [] };
    if (n.parent) t.parentKey = n.parent.key;
    if (n.pid !== undefined) t.pid = n.pid;
    if (n.image !== undefined) t.image = n.image;
    if (n.commandLine !== undefined) t.commandLine = n.commandLine;
    if (n.user !== undefined) t.user = n.user;
    if (n.integrity !== undefined) t.integrity = n.integrity;
    if (n.hashes !== undefined) t.hashes = n.hashes;
    if (n.signer !== undefined) t.signer = n.signer;
    if (n.start !== undefined) t.start = n.start;
    if (n.end !== undefined) t.end = n.end;
    if (context) t.context = true;
    const why = this.allowedReason(n);
    if (why) t.allowed = why;
    if (c)
      for (const r of c.rules.values()) {
        const count = r.processes.get(n);
        if (count) t.hits.push({ detector: r.detector, ruleId: r.ruleId, title: r.title, level: r.level, count, techniques: r.techniques });
      }
    return t;
  }

  /** The full record of a chain's threat: tree with hits, techniques, tactics, attribution. */
  threatRecord(c: Chain): ThreatRecord {
    const { score, techniques } = c.evaluate(this.allowedReason);
    const tree: ThreatNode[] = [];
    const seen = new Set<ProcNode>();
    // The root the chain hangs from (explorer.exe ...), for context.
    const rootNode = c.head.parent && this.isRoot(c.head.parent) ? c.head.parent : undefined;
    if (rootNode) tree.push(this.threatNode(rootNode, undefined, true));
    else if (c.rootKey) tree.push({ key: c.rootKey, image: c.rootImage, placeholder: true, context: true, hits: [] });
    const queue: ProcNode[] = [c.head];
    while (queue.length && tree.length < this.opts.maxTreeNodes) {
      const n = queue.shift()!;
      if (seen.has(n)) continue;
      seen.add(n);
      tree.push(this.threatNode(n, c));
      for (const ch of n.children) if (c.members.has(ch) && !seen.has(ch)) queue.push(ch);
    }
    for (const m of c.members) {
      if (tree.length >= this.opts.maxTreeNodes) break;
      if (!seen.has(m)) {
        seen.add(m);
        tree.push(this.threatNode(m, c));
      }
    }
    const order = c.tactics();
    const techs = [...techniques.values()].sort((a, b) => {
      const ra = Math.min(...a.tactics.map((t) => order.indexOf(t)).filter((i) => i >= 0), 99);
      const rb = Math.min(...b.tactics.map((t) => order.indexOf(t)).filter((i) => i >= 0), 99);
      return ra - rb || a.id.localeCompare(b.id);
    });
    return {
      id: c.threatId!,
      chainId: c.id,
      host: c.host,
      hosts: [c.host],
      score,
      threshold: this.opts.threshold,
      level: this.threatLevel(score),
      open: c.open,
      firstSeen: c.firstSeen,
      lastSeen: c.lastSeen,
      head: this.threatNode(c.head, c),
      members: c.members.size,
      hitCount: c.hitCount,
      techniques: techs,
      tactics: order,
      attribution: this.attribution(c),
      tree,
      treeTruncated: Math.max(0, c.members.size - (tree.length - (tree[0]?.context ? 1 : 0))),
      state: 'new',
    };
  }

  /** Threat records of the open chains that are threats (batch summaries, tests). */
  openThreats(): ThreatRecord[] {
    const out: ThreatRecord[] = [];
    for (const c of this.chains.values()) if (c.threatId) out.push(this.threatRecord(c));
    return out;
  }

  // ------------------------------------------------------------------------------------------
  // saving and restoring

  private processRecord(n: ProcNode): ProcessRecord {
    const r: ProcessRecord = { key: n.key, host: n.host, placeholder: n.placeholder, firstSeen: n.firstSeen, lastSeen: n.lastSeen };
    if (n.chainId !== undefined) r.chainId = n.chainId;
    if (n.parent) r.parentKey = n.parent.key;
    for (const k of ['pid', 'guid', 'image', 'commandLine', 'user', 'integrity', 'hashes', 'signer', 'start', 'end'] as const)
      if (n[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = n[k];
    return r;
  }

  /** Everything that changed since the last call, for the store (only while `tracking`). */
  drainChanges(): ChainChanges {
    const processes: ProcessRecord[] = [];
    for (const n of this.touched) {
      if (this.forest.nodes.get(n.key) !== n) continue;
      const rec = this.processRecord(n);
      // lastSeen alone is not worth a write; the chain's lastSeen drives idle closing.
      const sig = JSON.stringify({ ...rec, lastSeen: 0 });
      if (this.savedNode.get(n) === sig) continue;
      this.savedNode.set(n, sig);
      processes.push(rec);
      this.removedNodes.delete(n.key);
    }
    const chains = [];
    for (const c of this.dirtyChains) {
      if (!this.chains.has(c.id)) continue;
      chains.push(c.record());
      c.savedLastSeen = c.lastSeen;
      this.removedChains.delete(c.id);
    }
    // Chains whose only change is time: saved when it moved enough to matter for idle closing.
    const step = Math.min(this.opts.idleMs / 10, 60_000);
    for (const set of this.byHost.values())
      for (const c of set)
        if (!this.dirtyChains.has(c) && c.lastSeen - c.savedLastSeen >= step) {
          chains.push(c.record());
          c.savedLastSeen = c.lastSeen;
        }
    const threats = [...this.finalThreats];
    for (const c of this.dirtyThreats) if (this.chains.has(c.id) && c.threatId) threats.push(this.threatRecord(c));
    const out: ChainChanges = {
      processes,
      removedProcesses: [...this.removedNodes],
      chains,
      removedChains: [...this.removedChains],
      hits: this.pendingHits,
      hitMoves: this.hitMoves,
      processRekeys: this.rekeys,
      threats,
      mergedThreats: this.mergedThreats,
      clocks: [...this.dirtyClocks].flatMap((h) => {
        const row: [string, number] = [h, this.clocks.get(h)!];
        return this.sysmonHosts.has(h) ? [row, [`${SYSMON_CLOCK}${h}`, 1] as [string, number]] : [row];
      }),
    };
    this.touched = new Set();
    this.removedNodes = new Set();
    this.dirtyChains = new Set();
    this.removedChains = new Set();
    this.pendingHits = [];
    this.hitMoves = [];
    this.rekeys = [];
    this.dirtyThreats = new Set();
    this.finalThreats = [];
    this.mergedThreats = [];
    this.dirtyClocks = new Set();
    return out;
  }

  /** Puts back saved open chains (a restarted server resumes them). */
  restore(s: ChainSnapshot): void {
    const parents = new Map<ProcNode, string | undefined>();
    for (const r of s.processes) {
      const { parentKey, chainId, ...fields } = r;
      const n: ProcNode = { ...fields, children: new Set() };
      if (chainId) n.chainId = chainId;
      this.forest.restore(n);
      parents.set(n, parentKey);
      this.savedNode.set(n, JSON.stringify({ ...r, lastSeen: 0 }));
    }
    for (const [n, pk] of parents) this.forest.relink(n, pk);
    const byChain = new Map<string, ProcNode[]>();
    for (const n of this.forest.nodes.values()) if (n.chainId) (byChain.get(n.chainId) ?? byChain.set(n.chainId, []).get(n.chainId)!).push(n);
    for (const r of s.chains) {
      const head = this.forest.nodes.get(r.headKey);
      if (!head) continue;
      const c = new Chain(r.id, r.host, head, r.firstSeen, r.lastSeen);
      for (const m of byChain.get(r.id) ?? []) c.members.add(m);
      c.members.add(head);
      head.chainId = r.id;
      c.hitCount = r.hitCount;
      if (r.lastEnd !== undefined) c.lastEnd = r.lastEnd;
      if (r.threatId) c.threatId = r.threatId;
      if (r.rootKey) c.rootKey = r.rootKey;
      if (r.rootImage) c.rootImage = r.rootImage;
      if (r.alerted) c.alerted = r.alerted;
      c.savedLastSeen = r.lastSeen;
      for (const a of r.rules) {
        const processes = new Map<ProcNode, number>();
        for (const [k, n] of a.processes) {
          const p = this.forest.nodes.get(k);
          if (p) processes.set(p, n);
        }
        c.rules.set(`${a.detector}\u0000${a.ruleId}`, { ...a, techniques: [...a.techniques], tactics: [...a.tactics], processes });
      }
      this.chains.set(c.id, c);
      const h = hostKeyOf(c.host);
      (this.byHost.get(h) ?? this.byHost.set(h, new Set()).get(h)!).add(c);
    }
    // Processes whose chain was not saved open (should not happen) get one when next seen.
    for (const n of this.forest.nodes.values()) if (n.chainId && !this.chains.has(n.chainId)) n.chainId = undefined;
    for (const [h, t] of s.clocks) {
      if (h.startsWith(SYSMON_CLOCK)) this.sysmonHosts.add(h.slice(SYSMON_CLOCK.length));
      else this.clocks.set(h, t);
    }
  }
}
