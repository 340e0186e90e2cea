/**
 * The Sigma detector family for `loupe analyze`: Loupe's built-in rules plus every `--rules`
 * folder or file, compiled once; what loaded and what did not goes to the run's notes.
 */
import type { DetectorOptions, DetectorSet } from '../index.js';
import { SigmaDetector } from './detector.js';
import { SigmaEngine } from './engine.js';
import { builtinRulesDir } from './loader.js';

export async function sigmaFamily(opts: DetectorOptions): Promise<DetectorSet> {
  const paths = [...(opts.noBuiltinRules ? [] : [builtinRulesDir()]), ...(opts.rules ?? [])];
  if (paths.length === 0) return { detectors: [], notes: [] };
  const engine = SigmaEngine.fromPaths(paths);
  const notes: string[] = [];
  const unmapped = engine.index.rules.filter((r) => !r.mapped).length;
  notes.push(
    `sigma: ${engine.index.rules.length} rules and ${engine.correlations.length} correlations loaded from ${paths.join(', ')}` +
      (unmapped ? ` (${unmapped} for log sources Loupe does not read yet)` : ''),
  );
  if (engine.failures.length) {
    const sample = engine.failures
      .slice(0, 5)
      .map((f) => `${f.file ?? '?'}${f.line ? `:${f.line}` : ''}: ${f.reason}`)
      .join('; ');
    notes.push(`sigma: ${engine.failures.length} rules not loaded (see \`loupe rules lint\`): ${sample}${engine.failures.length > 5 ? '; ...' : ''}`);
  }
  return { detectors: engine.ruleCount ? [new SigmaDetector(engine)] : [], notes };
}
