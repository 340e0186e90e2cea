/**
 * The chain engine's parts on their own: attribution weights and ranking against the shipped
 * ATT&CK table, kill-chain order, allow rules, plugins (loaded from a folder, the example one, a
 * failing one disabled), and hunting back in time over stored events with new rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { attackData } from '../../src/detect/attack/data.js';
import { AllowList } from '../../src/detect/chains/allow.js';
import { attribute, techniqueWeight } from '../../src/detect/chains/attribution.js';
import { killChainOrder } from '../../src/detect/chains/chain.js';
import { ChainEngine } from '../../src/detect/chains/engine.js';
import { huntStored } from '../../src/detect/chains/hunt.js';
import { loadPlugins, type ChainPlugin } from '../../src/detect/chains/plugins.js';
import { connect, EXPLORER, guid, ruleDetector, runner, start, T0, type Proc } from './helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const E: Proc = { guid: guid(1), pid: 1000, image: EXPLORER };

test('attribution: a technique weighs ln(N / users), counted from the ATT&CK table itself', () => {
  const d = attackData();
  // Candidates: every group and software with at least one "uses" in the table.
  const candidates = new Set<string>();
  for (const list of Object.values(d.usedBy)) for (const x of list.split(' ')) if (d.groups[x] || d.software[x]) candidates.add(x);
  // Users of T1003.001 directly, plus nobody else (sub-techniques have no children).
  const users = new Set(d.usedBy['T1003.001']!.split(' ').filter((x) => d.groups[x] || d.software[x]));
  const w = techniqueWeight('T1003.001');
  assert.equal(w.n, candidates.size);
  assert.equal(w.users, users.size);
  assert.ok(Math.abs(w.weight! - Math.log(candidates.size / users.size)) < 1e-12);
  // A parent counts the users of its sub-techniques too, so it weighs less than any of them.
  assert.ok(techniqueWeight('T1003').weight! < w.weight!);
});

test("attribution: a software's own techniques rank it first, with every technique shared", () => {
  const d = attackData();
  // Software with 6+ techniques; the first whose exact set no other candidate has.
  const uses = new Map<string, Set<string>>();
  for (const [t, list] of Object.entries(d.usedBy)) for (const x of list.split(' ')) if (d.software[x]) (uses.get(x) ?? uses.set(x, new Set()).get(x)!).add(t);
  const [id, techs] = [...uses].find(([, s]) => s.size >= 6)!;
  const top = attribute(techs, 3);
  assert.equal(top[0]!.id, id);
  assert.equal(top[0]!.score, 1, 'cosine of a vector with itself');
  assert.equal(top[0]!.kind, 'software');
  for (const t of techs) assert.ok(top[0]!.shared.includes(t), t);
  assert.ok(top.length <= 3);
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.score >= top[i]!.score);
  // One technique alone names nobody among several candidates with one shared technique each.
  assert.deepEqual(attribute([]), []);
});

test('tactics come in kill-chain order (the ATT&CK matrix order)', () => {
  assert.deepEqual(killChainOrder(['impact', 'execution', 'credential-access', 'initial-access', 'execution']), ['initial-access', 'execution', 'credential-access', 'impact']);
  // Names the table does not know (ATT&CK v19's) go last.
  assert.deepEqual(killChainOrder(['stealth', 'discovery']), ['discovery', 'stealth']);
});

test('allow rules: hash, signer, path glob and command-line regex; fields ANDed, rules ORed; bad rules refused', () => {
  const allow = AllowList.parse(`
allow:
  - hash: "5D41402ABC4B2A76B9719D911017C592"
    reason: known tool
  - signer: "Microsoft Windows*"
    path: 'C:\\Windows\\System32\\*'
  - commandLine: '/^backup\\.exe --daily$/i'
`);
  assert.equal(allow.size, 3);
  assert.equal(allow.match({ hashes: { md5: '5d41402abc4b2a76b9719d911017c592' } })?.reason, 'known tool');
  assert.ok(allow.match({ signer: 'Microsoft Windows Publisher', image: 'c:\\windows\\system32\\svchost.exe' }));
  assert.equal(allow.match({ signer: 'Microsoft Windows Publisher', image: 'C:\\Users\\x\\svchost.exe' }), undefined, 'signer alone is not enough for that rule');
  assert.equal(allow.match({ image: 'C:\\Windows\\System32\\cmd.exe' }), undefined, 'path alone is not enough');
  assert.ok(allow.match({ commandLine: 'BACKUP.EXE --daily' }));
  assert.equal(allow.match({ commandLine: 'backup.exe --daily; calc' }), undefined);
  assert.throws(() => AllowList.parse('allow:\n  - reason: nothing to match\n'), /needs hash, signer, path or commandLine/);
  assert.throws(() => AllowList.parse('allow:\n  - hash: xyz\n'), /hash must be/);
  assert.throws(() => AllowList.parse('allow:\n  - commandLine: "/(/"\n'), /commandLine/);
  assert.throws(() => AllowList.parse('just: words'), /expected a list/);
});

test('plugins: loaded from a folder; the example plugin scores; a failing plugin is reported and disabled, the run goes on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-plugins-'));
  try {
    writeFileSync(join(dir, 'boom.mjs'), `export default { name: 'boom', processEvent() { throw new Error('kaput'); } };\n`);
    writeFileSync(join(dir, 'bad-export.mjs'), `export default 42;\n`);
    writeFileSync(join(dir, 'syntax.mjs'), `export default {{{;\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not a plugin');
    writeFileSync(
      join(dir, 'counter.mjs'),
      `let closed = 0; export default () => ({ name: 'counter', processEvent(p, e) { if (e.event.action === 'network-connection' && e.destination?.ip === '203.0.113.99') return { ruleId: 'bad-ip', title: 'talks to 203.0.113.99', score: 70, techniques: ['T1071'] }; }, chainClosed() { closed++; } });\n`,
    );
    const loaded = await loadPlugins(dir);
    assert.deepEqual(loaded.plugins.map((p) => p.name).sort(), ['boom', 'counter']);
    assert.deepEqual(loaded.problems.map((p) => p.plugin).sort(), ['bad-export.mjs', 'syntax.mjs']);
    const example = await loadPlugins(join(HERE, '..', '..', 'src', 'detect', 'chains', 'example-plugins'));
    assert.deepEqual(example.problems, []);
    assert.deepEqual(example.plugins.map((p) => p.name), ['integrity-rise']);

    const problems: string[] = [];
    const plugins: ChainPlugin[] = [...loaded.plugins, ...example.plugins];
    const r = runner({ engine: { plugins, onPluginProblem: (p) => problems.push(`${p.plugin}: ${p.reason}`) } });
    const P: Proc = { guid: guid(20), pid: 200, image: 'C:\\x\\tool.exe', cmd: 'tool.exe', integrity: 'Medium' };
    const C: Proc = { guid: guid(21), pid: 210, image: 'C:\\x\\child.exe', cmd: 'child.exe', integrity: 'System' };
    r.feed([start(T0, { ...P }, E), start(T0 + 1000, C, P), connect(T0 + 2000, C, '203.0.113.99'), connect(T0 + 3000, C, '203.0.113.99')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^boom: kaput \(plugin disabled\)/);
    assert.deepEqual(r.engine.plugins.names, ['counter', 'integrity-rise']);
    const threats = r.threats.listThreats();
    // integrity-rise (medium, 25: T1548.002 and T1134 -> 25 + 25) + counter (score 70, T1071) = 120.
    assert.equal(threats.length, 1);
    assert.equal(threats[0]!.score, 120);
    assert.deepEqual(threats[0]!.techniques.map((t) => t.id).sort(), ['T1071', 'T1134', 'T1548.002']);
    const alerts = r.caseStore.alerts().filter((a) => a.detector.startsWith('plugin:'));
    assert.deepEqual([...new Set(alerts.map((a) => a.detector))].sort(), ['plugin:counter', 'plugin:integrity-rise']);
    r.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("hunting back in time: stored events through today's rules find what yesterday's missed, with the same ids on a second hunt", async () => {
  const r = runner({ rules: [] }); // yesterday: no rules, nothing found
  const A: Proc = { guid: guid(30), pid: 300, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c EVIL' };
  const B: Proc = { host: 'ws2.corp', guid: guid(31), pid: 310, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c EVIL' };
  r.feed([start(T0, A, E), connect(T0 + 1000, A, '198.51.100.7'), start(T0 + 3_600_000, B, { ...E, host: 'ws2.corp' }), connect(T0 + 3_601_000, B, '198.51.100.7')]);
  assert.equal(r.threats.listThreats().length, 0);
  const today = () => [
    ruleDetector([
      { match: 'EVIL', id: 'evil', level: 'high', techniques: ['T1059.003'] },
      { match: '198.51.100.7', id: 'c2', level: 'high', techniques: ['T1071.001'] },
    ]),
    new ChainEngine(),
  ];
  // Only the first hour, only ws1.corp.
  const one = await huntStored(r.caseStore, r.threats, today(), { from: T0, to: T0 + 10_000, host: 'ws1.corp' });
  assert.equal(one.events, 2);
  assert.equal(one.threats.length, 1);
  assert.equal(one.threats[0]!.host, 'ws1.corp');
  assert.equal(one.threats[0]!.score, 100);
  const all = await huntStored(r.caseStore, r.threats, today(), {});
  assert.equal(all.events, 4);
  assert.equal(all.threats.length, 2);
  const again = await huntStored(r.caseStore, r.threats, today(), {});
  assert.deepEqual(again.threats.map((t) => t.id).sort(), all.threats.map((t) => t.id).sort());
  assert.equal(r.threats.listThreats().length, 2, 'hunting twice stores no second copy');
  assert.equal(r.threats.hitCount(all.threats[0]!.chainId), 2);
  r.store.close();
});
