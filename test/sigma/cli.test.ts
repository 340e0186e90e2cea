/** `loupe rules lint|list|test` and `loupe attack layer|show`, run in-process with output captured. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register as registerRules, setOutput as rulesOutput } from '../../src/cli/commands/rules.js';
import { register as registerAttack, setOutput as attackOutput } from '../../src/cli/commands/attack.js';
import { needShared, shared } from '../helpers/shared.js';
import { rule } from './helpers.js';

async function loupe(...args: string[]): Promise<{ out: string; code: number }> {
  const program = new Command('loupe').exitOverride();
  registerRules(program);
  registerAttack(program);
  let out = '';
  const before = process.exitCode;
  process.exitCode = 0;
  rulesOutput((t) => (out += t));
  attackOutput((t) => (out += t));
  await program.parseAsync(['node', 'loupe', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = before;
  return { out, code };
}

test('rules lint: built-in rules all load; a broken rule is reported with file, line and reason', async () => {
  // The expected counts come from the folder itself: one rule per YAML document.
  const builtin = join(fileURLToPath(new URL('../../rules', import.meta.url)), 'windows');
  const files = readdirSync(builtin).filter((f) => f.endsWith('.yml'));
  const docs = files.reduce((n, f) => n + 1 + readFileSync(join(builtin, f), 'utf8').split(/\r?\n/).filter((l) => l === '---').length, 0);
  assert.ok(files.length >= 10, 'the built-in rules folder holds its rules');
  const ok = await loupe('rules', 'lint');
  assert.equal(ok.code, 0);
  assert.match(ok.out, new RegExp(`${files.length} files, ${docs} rules: ${docs} loaded, 0 not loaded \\(100\\.00% loaded\\)`));
  const dir = mkdtempSync(join(tmpdir(), 'loupe-lint-'));
  try {
    writeFileSync(join(dir, 'good.yml'), rule(`selection:\n    Image|endswith: '\\x.exe'\ncondition: selection`));
    writeFileSync(join(dir, 'bad.yml'), rule(`selection:\n    Image|endswith: '\\x.exe'\ncondition: selection and filter`, { title: 'Broken' }));
    const r = await loupe('rules', 'lint', dir);
    assert.equal(r.code, 1);
    assert.match(r.out, /error +.*bad\.yml:\d+: condition: condition names 'filter', which is not a search identifier +\[Broken\]/);
    assert.match(r.out, /2 files, 2 rules: 1 loaded, 1 not loaded/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('rules list shows what each rule reads', async () => {
  const r = await loupe('rules', 'list', '--json');
  const rows = JSON.parse(r.out) as { title: string; reads: string; techniques: string[] }[];
  const office = rows.find((x) => x.title === 'Office Application Starts a Shell or Script Interpreter')!;
  assert.equal(office.reads, 'sysmon 1, security 4688');
  assert.deepEqual(office.techniques, ['T1204.002', 'T1059.001', 'T1059.003', 'T1566.001']);
});

test('rules test runs a regression case', { skip: needShared('sigma-regression', 'regression_data') }, async () => {
  const dir = shared('sigma-regression', 'regression_data', 'rules', 'windows', 'builtin', 'security');
  const r = await loupe('rules', 'test', dir, '--rules', shared('sigma', 'rules', 'windows', 'builtin', 'security'));
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /1 of 1 regression cases pass \(json\)/);
});

test('attack show and attack layer --alerts', async () => {
  const show = await loupe('attack', 'show', 'T1547.001');
  assert.match(show.out, /^T1547\.001 Registry Run Keys \/ Startup Folder\n  tactics: Persistence, Privilege Escalation\n  parent: T1547 /);
  const dir = mkdtempSync(join(tmpdir(), 'loupe-layer-'));
  try {
    const f = join(dir, 'alerts.jsonl');
    writeFileSync(f, `${JSON.stringify({ alert: { techniques: ['T1547.001'], title: 'Run key', count: 1, level: 'medium' } })}\n`);
    const out = join(dir, 'layer.json');
    await loupe('attack', 'layer', '--alerts', f, '-o', out);
    const layer = JSON.parse((await import('node:fs')).readFileSync(out, 'utf8'));
    assert.deepEqual(layer.techniques.map((t: { techniqueID: string; score?: number }) => [t.techniqueID, t.score]), [['T1547.001', 1], ['T1547', undefined]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
