/** Loupe's Sigma engine: load rules, compile them, run them over events. */
export { SigmaEngine, type CompiledCorrelation } from './engine.js';
export { SigmaDetector, type SigmaDetectorOptions, type RuleStat } from './detector.js';
export { loadRules, loadRuleText, builtinRulesDir, ruleFiles, type LoadedRules, type RuleFailure } from './loader.js';
export { parseSigmaText, type ParseOptions } from './parser.js';
export { resolveLogsource, type LogSource, type SourceVariant } from './logsources.js';
export type { SigmaRule, SigmaCorrelation, SigmaFilter, SigmaDocument } from './types.js';
