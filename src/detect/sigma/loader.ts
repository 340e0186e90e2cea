/**
 * Loading rules from folders and files. Every `.yml` / `.yaml` file under the given paths is read
 * (hidden folders skipped); every document that is not a usable rule is reported with its file,
 * line and reason, and the rest load. Loupe's own rules live in the package's `rules/` folder.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SigmaError } from './errors.js';
import { parseSigmaText, type ParseOptions } from './parser.js';
import type { SigmaCorrelation, SigmaDocument, SigmaFilter, SigmaRule } from './types.js';

export interface RuleFailure {
  file?: string;
  line?: number;
  ruleId?: string;
  title?: string;
  reason: string;
}

export interface LoadedRules {
  rules: SigmaRule[];
  correlations: SigmaCorrelation[];
  filters: SigmaFilter[];
  failures: RuleFailure[];
  /** Files read. */
  files: string[];
}

/** Loupe's built-in rules folder (`rules/` at the package root). */
export function builtinRulesDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', '..', '..', 'rules'), join(here, '..', '..', '..', '..', 'rules')];
  return candidates.find((c) => existsSync(c)) ?? candidates[0]!;
}

export function failureOf(err: SigmaError): RuleFailure {
  return { file: err.where.file, line: err.where.line, ruleId: err.where.ruleId, title: err.where.title, reason: err.message };
}

export function ruleFiles(path: string, out: string[] = []): string[] {
  const st = statSync(path);
  if (st.isFile()) {
    out.push(path);
    return out;
  }
  for (const name of readdirSync(path).sort()) {
    if (name.startsWith('.')) continue;
    const p = join(path, name);
    const s = statSync(p);
    if (s.isDirectory()) ruleFiles(p, out);
    else if (['.yml', '.yaml'].includes(extname(name).toLowerCase())) out.push(p);
  }
  return out;
}

export function emptyLoad(): LoadedRules {
  return { rules: [], correlations: [], filters: [], failures: [], files: [] };
}

export function addDocuments(into: LoadedRules, docs: SigmaDocument[]): void {
  for (const d of docs) {
    if (d.kind === 'rule') into.rules.push(d);
    else if (d.kind === 'correlation') into.correlations.push(d);
    else into.filters.push(d);
  }
}

/** Parses Sigma YAML text (one file's worth) into `into`. */
export function loadRuleText(text: string, file: string | undefined, opts: ParseOptions = {}, into = emptyLoad()): LoadedRules {
  const r = parseSigmaText(text, file, opts);
  addDocuments(into, r.docs);
  into.failures.push(...r.errors.map(failureOf));
  if (file) into.files.push(file);
  return into;
}

/** Loads every rule file under each path (folders recursively, or single files). */
export function loadRules(paths: readonly string[], opts: ParseOptions = {}): LoadedRules {
  const out = emptyLoad();
  for (const p of paths) {
    if (!existsSync(p)) {
      out.failures.push({ file: p, reason: 'no such file or folder' });
      continue;
    }
    for (const f of ruleFiles(p)) {
      let text: string;
      try {
        text = readFileSync(f, 'utf8');
      } catch (err) {
        out.failures.push({ file: f, reason: `cannot read: ${(err as Error).message}` });
        continue;
      }
      loadRuleText(text, f, opts, out);
    }
  }
  return out;
}
