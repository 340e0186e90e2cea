/**
 * Plugins: code of one's own, run by the chain engine at four points (a process was created, an
 * event happened on a process, a chain closed, a threat was raised), loaded from a folder.
 *
 * A plugin is a module whose default export is a `ChainPlugin` (or a function returning one).
 * Hooks are synchronous and see read-only views. A hook may return hits, which score the chain like
 * any detector's and are stored as alerts of detector `plugin:<name>`. A plugin that fails to load,
 * throws, or returns something malformed is reported and disabled; the engine goes on without it.
 *
 *   // plugins/lsass-reader.mjs
 *   export default {
 *     name: 'lsass-reader',
 *     processEvent(p, e) {
 *       if (e.event.action === 'process-access' && /\\lsass\.exe$/i.test(e.target?.process?.executable ?? ''))
 *         return { ruleId: 'lsass-read', title: 'reads lsass memory', level: 'high', techniques: ['T1003.001'] };
 *     },
 *   };
 */
import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Event } from '../../normalize/event.js';
import { LEVELS, type Level } from '../types.js';

/** A process, as plugins see it. */
export interface ProcessView {
  readonly key: string;
  readonly host: string;
  readonly pid?: number;
  readonly image?: string;
  readonly commandLine?: string;
  readonly user?: string;
  readonly integrity?: string;
  readonly start?: number;
  readonly end?: number;
  readonly placeholder: boolean;
  readonly chainId?: string;
  readonly parent?: Omit<ProcessView, 'parent'>;
}

export interface ChainView {
  readonly id: string;
  readonly host: string;
  readonly head: Omit<ProcessView, 'parent'>;
  readonly members: number;
  readonly score: number;
  readonly techniques: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly threatId?: string;
}

export interface ThreatView extends ChainView {
  readonly threatId: string;
  readonly tactics: readonly string[];
}

/** What a hook may report. Either a level (scored like a Sigma rule of that level) or a score. */
export interface PluginHit {
  ruleId: string;
  title: string;
  level?: Level;
  score?: number;
  techniques?: string[];
  tactics?: string[];
  description?: string;
}

export interface PluginContext {
  /** Where a plugin's own messages go (the run's notes, the server log). */
  log(message: string): void;
}

export interface ChainPlugin {
  name: string;
  version?: string;
  description?: string;
  init?(ctx: PluginContext): void;
  processCreated?(p: ProcessView, e: Event): PluginHit | PluginHit[] | void | undefined;
  processEvent?(p: ProcessView, e: Event): PluginHit | PluginHit[] | void | undefined;
  chainClosed?(c: ChainView): void;
  threatRaised?(t: ThreatView): void;
}

export interface PluginProblem {
  plugin: string;
  where: string;
  reason: string;
}

const MAX_TEXT = 512;
const MAX_SCORE = 1000;

/** Checks a hook's answer; throws (which disables the plugin) when it is malformed. */
function checkHits(v: unknown): PluginHit[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  if (list.length > 100) throw new Error(`returned ${list.length} hits for one event (at most 100)`);
  return list.map((h, i) => {
    if (typeof h !== 'object' || h === null) throw new Error(`hit ${i + 1} is not an object`);
    const x = h as Record<string, unknown>;
    if (typeof x.ruleId !== 'string' || !x.ruleId || x.ruleId.length > MAX_TEXT) throw new Error(`hit ${i + 1}: ruleId must be a non-empty string`);
    if (typeof x.title !== 'string' || x.title.length > MAX_TEXT) throw new Error(`hit ${i + 1}: title must be a string`);
    if (x.level !== undefined && !(LEVELS as readonly unknown[]).includes(x.level)) throw new Error(`hit ${i + 1}: level must be one of ${LEVELS.join(', ')}`);
    if (x.score !== undefined && !(typeof x.score === 'number' && x.score >= 0 && x.score <= MAX_SCORE)) throw new Error(`hit ${i + 1}: score must be a number from 0 to ${MAX_SCORE}`);
    for (const f of ['techniques', 'tactics'] as const)
      if (x[f] !== undefined && !(Array.isArray(x[f]) && (x[f] as unknown[]).every((t) => typeof t === 'string' && t.length < 64)))
        throw new Error(`hit ${i + 1}: ${f} must be a list of strings`);
    const out: PluginHit = { ruleId: x.ruleId, title: x.title };
    if (x.level !== undefined) out.level = x.level as Level;
    if (x.score !== undefined) out.score = x.score as number;
    if (x.techniques) out.techniques = (x.techniques as string[]).map((t) => t.toUpperCase());
    if (x.tactics) out.tactics = (x.tactics as string[]).map((t) => t.toLowerCase().replace(/_/g, '-'));
    if (typeof x.description === 'string') out.description = x.description.slice(0, 4 * MAX_TEXT);
    return out;
  });
}

/** Runs the plugins' hooks; the first failure of a plugin disables it. */
export class PluginHost {
  private readonly active: ChainPlugin[] = [];
  readonly problems: PluginProblem[] = [];
  readonly disabled: string[] = [];

  constructor(
    plugins: ChainPlugin[] = [],
    private readonly onProblem?: (p: PluginProblem) => void,
  ) {
    for (const p of plugins) {
      try {
        p.init?.({ log: (m) => this.onProblem?.({ plugin: p.name, where: 'log', reason: String(m).slice(0, 2000) }) });
        this.active.push(p);
      } catch (err) {
        this.fail(p, 'init', err);
      }
    }
  }

  get names(): string[] {
    return this.active.map((p) => p.name);
  }

  get wantsProcessEvents(): boolean {
    return this.active.some((p) => p.processEvent);
  }

  get wantsProcessCreated(): boolean {
    return this.active.some((p) => p.processCreated);
  }

  private fail(p: ChainPlugin, where: string, err: unknown): void {
    const i = this.active.indexOf(p);
    if (i >= 0) this.active.splice(i, 1);
    if (!this.disabled.includes(p.name)) this.disabled.push(p.name);
    const problem: PluginProblem = { plugin: p.name, where, reason: `${err instanceof Error ? err.message : String(err)}`.slice(0, 2000) + ' (plugin disabled)' };
    this.problems.push(problem);
    this.onProblem?.(problem);
  }

  /** Calls a hit-returning hook on every plugin that has it. */
  hits(hook: 'processCreated' | 'processEvent', view: () => ProcessView, e: Event): { plugin: string; hit: PluginHit }[] {
    const out: { plugin: string; hit: PluginHit }[] = [];
    let v: ProcessView | undefined;
    for (const p of [...this.active]) {
      const fn = p[hook];
      if (!fn) continue;
      try {
        v ??= view();
        const r = fn.call(p, v, e);
        if (r && typeof (r as { then?: unknown }).then === 'function') throw new Error(`${hook} returned a promise; hooks must be synchronous`);
        for (const hit of checkHits(r)) out.push({ plugin: p.name, hit });
      } catch (err) {
        this.fail(p, hook, err);
      }
    }
    return out;
  }

  notify(hook: 'chainClosed', view: ChainView): void;
  notify(hook: 'threatRaised', view: ThreatView): void;
  notify(hook: 'chainClosed' | 'threatRaised', view: ChainView | ThreatView): void {
    for (const p of [...this.active]) {
      const fn = p[hook] as ((v: ChainView | ThreatView) => void) | undefined;
      if (!fn) continue;
      try {
        fn.call(p, view);
      } catch (err) {
        this.fail(p, hook, err);
      }
    }
  }
}

const LOADABLE = new Set(['.js', '.mjs', '.ts', '.mts']);

/** Imports every plugin module of a folder (sorted by name). Failures are reported, not thrown. */
export async function loadPlugins(dir: string): Promise<{ plugins: ChainPlugin[]; problems: PluginProblem[] }> {
  const plugins: ChainPlugin[] = [];
  const problems: PluginProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    return { plugins, problems: [{ plugin: dir, where: 'load', reason: `cannot read the plugin folder: ${(err as Error).message}` }] };
  }
  for (const name of names) {
    const path = resolve(join(dir, name));
    if (!LOADABLE.has(extname(name)) || name.endsWith('.d.ts') || name.startsWith('.')) continue;
    try {
      if (!statSync(path).isFile()) continue;
      const mod = (await import(pathToFileURL(path).href)) as { default?: unknown };
      let p = mod.default;
      if (typeof p === 'function') p = (p as () => unknown)();
      if (!p || typeof p !== 'object') throw new Error('the default export is not a plugin object (or a function returning one)');
      const plugin = p as ChainPlugin;
      if (typeof plugin.name !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(plugin.name))
        throw new Error('a plugin needs a name of 1-64 letters, digits, ".", "_" or "-"');
      for (const hook of ['init', 'processCreated', 'processEvent', 'chainClosed', 'threatRaised'] as const)
        if (plugin[hook] !== undefined && typeof plugin[hook] !== 'function') throw new Error(`${hook} is not a function`);
      if (plugins.some((x) => x.name === plugin.name)) throw new Error(`another plugin is already named ${plugin.name}`);
      plugins.push(plugin);
    } catch (err) {
      problems.push({ plugin: name, where: 'load', reason: `${(err as Error).message} (plugin not loaded)` });
    }
  }
  return { plugins, problems };
}
