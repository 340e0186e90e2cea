/**
 * `loupe rules lint|list|test`: what loads and why not, what is loaded, and whether rules fire
 * where they should (SigmaHQ regression cases) or at all (any evidence).
 */
import type { Command } from 'commander';
import { attackData } from '../../detect/attack/data.js';
import { attackFromTags } from '../../detect/attack/tags.js';
import { SigmaDetector } from '../../detect/sigma/detector.js';
import { SigmaEngine } from '../../detect/sigma/engine.js';
import { builtinRulesDir } from '../../detect/sigma/loader.js';
import { findRegressionCases, runCase, type CaseResult } from '../../detect/sigma/regression.js';
import type { Alert } from '../../detect/types.js';
import type { Event } from '../../normalize/event.js';
import { expandPaths, fileInput } from '../../sources/inputs.js';
import { chooseReader } from '../../sources/registry.js';
import type { Input } from '../../sources/types.js';
import { num, safe, table } from '../format.js';

/** Where command output goes (tests capture it here instead of patching process.stdout). */
let write = (text: string): void => {
  process.stdout.write(text);
};
export function setOutput(fn: (text: string) => void): void {
  write = fn;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function rulePaths(paths: string[] | undefined, builtin: boolean): string[] {
  const p = paths?.length ? [...paths] : [];
  if (builtin || p.length === 0) p.unshift(builtinRulesDir());
  return p;
}

function where(f: { file?: string; line?: number }): string {
  return `${f.file ?? '?'}${f.line ? `:${f.line}` : ''}`;
}

async function* readInput(input: Input, errors: string[]): AsyncGenerator<Event[]> {
  const chosen = chooseReader(input);
  if (!chosen) {
    errors.push(`${input.name}: no reader recognises this file`);
    return;
  }
  yield* chosen.reader.read(input, {
    error: (loc, reason) => {
      if (errors.length < 50) errors.push(`${input.name}${loc.record ? ` record ${loc.record}` : ''}${loc.line ? ` line ${loc.line}` : ''}: ${reason}`);
    },
  });
}

export function register(program: Command): void {
  const rules = program.command('rules').description('Sigma rules: lint, list, test');

  rules
    .command('lint')
    .description('load rules and report every one that does not load, with the reason')
    .argument('[paths...]', "rule folders or files (default: Loupe's built-in rules)")
    .option('--warnings', 'also print non-fatal findings (missing level, unused identifiers, ...)')
    .option('--json', 'machine-readable output')
    .action((paths: string[], o) => {
      const engine = SigmaEngine.fromPaths(paths.length ? paths : [builtinRulesDir()]);
      const loaded = engine.index.rules.length + engine.correlations.length;
      const failed = engine.failures.length;
      const warnings = [...engine.loaded.rules, ...engine.loaded.correlations, ...engine.loaded.filters].flatMap((r) =>
        r.warnings.map((w) => ({ file: r.file, line: r.line, id: r.id, title: r.title, warning: w })),
      );
      const unknownTags = engine.loaded.rules.flatMap((r) =>
        attackFromTags(r.tags).unknown.map((t) => ({ file: r.file, line: r.line, id: r.id, title: r.title, warning: `tag '${t}' is not in the shipped ATT&CK table (v${attackData().version})` })),
      );
      if (o.json) {
        write(`${JSON.stringify({ files: engine.loaded.files.length, loaded, failed, failures: engine.failures, warnings: [...warnings, ...unknownTags] }, null, 2)}\n`);
      } else {
        for (const f of engine.failures) write(`error  ${safe(where(f), 300)}: ${safe(f.reason, 500)}${f.title ? `  [${safe(f.title, 100)}]` : ''}\n`);
        if (o.warnings) for (const w of [...warnings, ...unknownTags]) write(`warn   ${safe(where(w), 300)}: ${safe(w.warning, 300)}\n`);
        const total = loaded + failed;
        write(
          `${num(engine.loaded.files.length)} files, ${num(total)} rules: ${num(loaded)} loaded, ${num(failed)} not loaded` +
            `${total ? ` (${((100 * loaded) / total).toFixed(2)}% loaded)` : ''}; ${num(warnings.length + unknownTags.length)} warnings\n`,
        );
      }
      if (failed) process.exitCode = 1;
    });

  rules
    .command('list')
    .description('list the loaded rules: id, level, title, where they read events, ATT&CK techniques')
    .argument('[paths...]', "rule folders or files (default: Loupe's built-in rules)")
    .option('--json', 'machine-readable output')
    .action((paths: string[], o) => {
      const engine = SigmaEngine.fromPaths(paths.length ? paths : [builtinRulesDir()]);
      const rows = [
        ...engine.index.rules.map((r) => ({
          id: r.key,
          level: r.rule.level,
          title: r.rule.title,
          kind: 'rule',
          reads: r.mapped ? [...new Set(r.variants.map((v) => `${v.source.label}`))].join(', ') : 'not read by Loupe yet',
          techniques: attackFromTags(r.rule.tags).techniques,
          file: r.rule.file,
        })),
        ...engine.correlations.map((c) => ({
          id: c.key,
          level: c.c.level,
          title: c.c.title,
          kind: `correlation ${c.c.type}`,
          reads: c.sourceNames.join(', '),
          techniques: attackFromTags(c.c.tags).techniques,
          file: c.c.file,
        })),
      ];
      if (o.json) {
        write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      write(
        `${table(
          ['level', 'title', 'reads', 'techniques', 'id'],
          rows.map((r) => [r.level, safe(r.title, 70), safe(r.reads, 40), r.techniques.join(' '), r.id]),
        )}\n${num(rows.length)} rules (${num(engine.failures.length)} did not load: \`loupe rules lint\`)\n`,
      );
    });

  rules
    .command('test')
    .description('run rules over SigmaHQ regression cases (folders with info.yml) or over any evidence, and report what fires')
    .argument('<paths...>', 'regression case folders, or evidence files and folders')
    .option('--rules <path>', 'rule folder or file (repeatable; default: the built-in rules)', collect)
    .option('--builtin', "include Loupe's built-in rules along with --rules")
    .option('--format <kind>', 'for regression cases: read the .json rendering or the .evtx', 'json')
    .option('--json', 'machine-readable output')
    .action(async (paths: string[], o) => {
      const engine = SigmaEngine.fromPaths(rulePaths(o.rules, Boolean(o.builtin)));
      if (engine.failures.length) process.stderr.write(`note: ${engine.failures.length} rules did not load (\`loupe rules lint\`)\n`);
      const regressionRoots = paths.filter((p) => {
        try {
          return findRegressionCases(p).length > 0;
        } catch {
          return false;
        }
      });
      if (regressionRoots.length) {
        const results: CaseResult[] = [];
        for (const root of regressionRoots) {
          for (const c of findRegressionCases(root)) {
            const file = o.format === 'evtx' ? c.evtx : c.json;
            const errors: string[] = [];
            if (!file) {
              results.push({ case: c, events: 0, matches: 0, pass: false, errors: [`no .${o.format} file beside ${c.info}`] });
              continue;
            }
            results.push(await runCase(engine, c, readInput(await fileInput(file), errors), errors));
          }
        }
        const passed = results.filter((r) => r.pass).length;
        if (o.json) write(`${JSON.stringify({ passed, total: results.length, results }, null, 2)}\n`);
        else {
          for (const r of results) {
            if (r.pass) continue;
            write(`FAIL ${r.case.ruleId} ${safe(r.case.title ?? '', 80)}: ${r.matches} of ${r.case.matchCount} matches over ${r.events} events (${r.case.info})\n`);
            for (const e of r.errors.slice(0, 3)) write(`     ${safe(e, 300)}\n`);
          }
          write(`${passed} of ${results.length} regression cases pass (${o.format})\n`);
        }
        if (passed < results.length) process.exitCode = 1;
        return;
      }
      // evidence: which rules fire, how often
      const det = new SigmaDetector(engine);
      const alerts: Alert[] = [];
      const errors: string[] = [];
      let events = 0;
      for await (const x of expandPaths(paths)) {
        if ('problem' in x) {
          errors.push(`${x.problem.name}: ${x.problem.reason}`);
          continue;
        }
        for await (const batch of readInput(x.input, errors)) {
          for (const ev of batch) {
            events++;
            det.onEvent(ev, { eventId: `${x.input.name}:${ev.origin.record ?? events}`, emit: (a) => alerts.push(a) });
          }
        }
      }
      await det.finish((a) => alerts.push(a));
      const byRule = new Map<string, { title: string; level: string; count: number }>();
      for (const a of alerts) {
        const r = byRule.get(a.ruleId) ?? { title: a.title, level: a.level, count: 0 };
        r.count++;
        byRule.set(a.ruleId, r);
      }
      const rows = [...byRule.entries()].sort((a, b) => b[1].count - a[1].count);
      if (o.json) write(`${JSON.stringify({ events, alerts: alerts.length, rules: Object.fromEntries(rows), errors }, null, 2)}\n`);
      else {
        if (rows.length) write(`${table(['count', 'level', 'rule', 'id'], rows.map(([id, r]) => [r.count, r.level, safe(r.title, 80), id]), [0])}\n`);
        for (const e of errors.slice(0, 10)) write(`note: ${safe(e, 300)}\n`);
        write(`${num(events)} events, ${num(alerts.length)} alerts from ${num(rows.length)} rules\n`);
      }
    });
}
