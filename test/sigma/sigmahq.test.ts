/**
 * SigmaHQ's own rules and regression cases, read in place from ../shared/data:
 * - at least 99% of the rule files load, and each one that does not is printed with its reason;
 * - each of the 96 regression cases makes its rule fire at least `match_count` times (info.yml),
 *   from the `.json` rendering, and from the `.evtx` when a registered reader claims it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SigmaEngine } from '../../src/detect/sigma/engine.js';
import { ruleFiles } from '../../src/detect/sigma/loader.js';
import { findRegressionCases, runCase, type CaseResult } from '../../src/detect/sigma/regression.js';
import type { Event } from '../../src/normalize/event.js';
import { fileInput } from '../../src/sources/inputs.js';
import { chooseReader } from '../../src/sources/registry.js';
import { needShared, shared } from '../helpers/shared.js';

const RULE_DIRS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => shared('sigma', d));
const skip = needShared('sigma', 'rules') || needShared('sigma-regression', 'regression_data');

let engine: SigmaEngine | undefined;
function corpus(): SigmaEngine {
  engine ??= SigmaEngine.fromPaths(RULE_DIRS);
  return engine;
}

test('at least 99% of SigmaHQ rules load; every failure has a reason', { skip }, () => {
  const files = RULE_DIRS.flatMap((d) => ruleFiles(d));
  const e = corpus();
  const loaded = e.index.rules.length + e.correlations.length;
  const failed = e.failures.length;
  console.log(`SigmaHQ: ${files.length} files, ${loaded} rules loaded, ${failed} not loaded (${((100 * loaded) / (loaded + failed)).toFixed(2)}%)`);
  for (const f of e.failures) console.log(`  not loaded: ${f.file}${f.line ? `:${f.line}` : ''}: ${f.reason}`);
  assert.equal(loaded + failed, files.length, 'one rule per SigmaHQ file, each either loaded or reported');
  assert.ok(loaded >= 0.99 * files.length, `${loaded} of ${files.length} loaded`);
  for (const f of e.failures) assert.ok(f.reason.length > 0 && f.file);
});

async function* readFile(path: string, errors: string[]): AsyncGenerator<Event[]> {
  const input = await fileInput(path);
  const chosen = chooseReader(input);
  if (!chosen) throw new Error(`no reader for ${path}`);
  yield* chosen.reader.read(input, { error: (loc, reason) => errors.push(`${loc.record ?? loc.line}: ${reason}`) });
}

function report(kind: string, results: CaseResult[]): number {
  const passed = results.filter((r) => r.pass).length;
  console.log(`SigmaHQ regression (${kind}): ${passed} of ${results.length} cases pass`);
  for (const r of results) {
    if (!r.pass) console.log(`  FAIL ${r.case.ruleId} ${r.case.title}: ${r.matches} of ${r.case.matchCount} over ${r.events} events ${r.errors.slice(0, 2).join('; ')}`);
  }
  return passed;
}

test('SigmaHQ regression cases fire from the JSON renderings (goal 96 of 96)', { skip }, async () => {
  const cases = findRegressionCases(shared('sigma-regression', 'regression_data'));
  assert.equal(cases.length, 96);
  const results: CaseResult[] = [];
  for (const c of cases) {
    assert.ok(c.json, `${c.info} has a .json`);
    const errors: string[] = [];
    results.push(await runCase(corpus(), c, readFile(c.json!, errors), errors));
  }
  const passed = report('json', results);
  assert.equal(passed, 96);
});

const cases = skip ? [] : findRegressionCases(shared('sigma-regression', 'regression_data'));
const evtxReader = cases[0]?.evtx ? chooseReader(await fileInput(cases[0].evtx)) : undefined;

test('SigmaHQ regression cases fire from the .evtx files', { skip: skip || (!evtxReader && 'no registered reader claims .evtx files yet') }, async () => {
  const results: CaseResult[] = [];
  for (const c of cases) {
    const errors: string[] = [];
    results.push(await runCase(corpus(), c, readFile(c.evtx!, errors), errors));
  }
  const passed = report('evtx', results);
  assert.equal(passed, 96);
});
