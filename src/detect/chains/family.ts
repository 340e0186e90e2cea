/**
 * The chain family for the detector registry: one ChainEngine, last in line, with its allow rules
 * and plugins loaded. What loaded and what did not goes to the run's notes.
 */
import type { DetectorOptions, DetectorSet } from '../index.js';
import { AllowList } from './allow.js';
import { ChainEngine } from './engine.js';
import type { ChainOptions } from './options.js';
import { loadPlugins, type ChainPlugin, type PluginProblem } from './plugins.js';

export interface ChainFamilyOptions extends Partial<ChainOptions> {
  /** Leave the chain engine out. */
  off?: boolean;
  /** Allow-rule files (YAML or JSON). */
  allow?: string[];
  /** A folder of plugins. */
  plugins?: string;
  /** Plugins given as objects (tests, embedding). */
  pluginObjects?: ChainPlugin[];
  onPluginProblem?(p: PluginProblem): void;
}

export async function chainFamily(opts: DetectorOptions & { chains?: ChainFamilyOptions }): Promise<DetectorSet> {
  const o = opts.chains ?? {};
  if (o.off) return { detectors: [], notes: [] };
  const notes: string[] = [];
  const { off: _off, allow: allowFiles, plugins: pluginDir, pluginObjects, onPluginProblem, ...rest } = o;
  const rules = [];
  for (const f of allowFiles ?? []) {
    // A broken allow file stops the run: silently scoring what the user meant to allow is worse.
    const list = AllowList.load(f);
    rules.push(list);
    notes.push(`chains: ${list.size} allow rules from ${f}`);
  }
  const allow = rules.length <= 1 ? rules[0] : AllowList.merge(rules);
  const plugins: ChainPlugin[] = [...(pluginObjects ?? [])];
  const report = (p: PluginProblem) => {
    notes.push(`plugin ${p.plugin} (${p.where}): ${p.reason}`);
    onPluginProblem?.(p);
  };
  if (pluginDir) {
    const loaded = await loadPlugins(pluginDir);
    plugins.push(...loaded.plugins);
    for (const p of loaded.problems) report(p);
  }
  const engine = new ChainEngine({ ...rest, allow, plugins, onPluginProblem: report });
  if (engine.plugins.names.length) notes.push(`chains: plugins ${engine.plugins.names.join(', ')}`);
  return { detectors: [engine], notes };
}
