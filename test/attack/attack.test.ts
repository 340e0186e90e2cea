/**
 * The shipped ATT&CK table against MITRE's bundle. Expected figures were counted in
 * ../shared/data/attack/enterprise-attack.json with a few lines of Python (not with our code):
 * 835 attack-pattern objects (479 sub-techniques, 132 revoked, 12 deprecated), 14 tactics in the
 * matrix, 181 groups and 785 software not revoked; T1059.001 "PowerShell" is in execution; APT28
 * (G0007) uses it; Mimikatz (S0002) uses T1003.001; the revoked T1086 was replaced by T1059.001.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { attackData, attackDataPath, tactic, tacticOrder, technique, usersOf } from '../../src/detect/attack/data.js';
import { navigatorLayer, techniqueHits } from '../../src/detect/attack/layer.js';
import { attackFromTags } from '../../src/detect/attack/tags.js';

test('the table holds every technique, tactic, group and software of ATT&CK 18.1', () => {
  const d = attackData();
  const ids = Object.keys(d.techniques);
  assert.equal(ids.length, 835);
  assert.equal(ids.filter((i) => i.includes('.')).length, 479);
  assert.equal(Object.values(d.techniques).filter((t) => (t[2] ?? '').includes('r')).length, 132);
  assert.equal(Object.values(d.techniques).filter((t) => (t[2] ?? '').includes('d')).length, 12);
  assert.equal(d.tactics.length, 14);
  assert.equal(Object.keys(d.groups).length, 181);
  assert.equal(Object.keys(d.software).length, 785);
  assert.deepEqual(tacticOrder().slice(0, 3), ['reconnaissance', 'resource-development', 'initial-access']);
  assert.deepEqual(tactic('execution'), { id: 'TA0002', shortName: 'execution', name: 'Execution' });
});

test('technique look-ups: names, tactics, parents, revocations, users', () => {
  const ps = technique('t1059.001')!;
  assert.equal(ps.name, 'PowerShell');
  assert.deepEqual(ps.tactics, ['execution']);
  assert.equal(ps.parent, 'T1059');
  assert.equal(ps.revoked, false);
  const old = technique('T1086')!;
  assert.equal(old.revoked, true);
  assert.equal(old.revokedBy, 'T1059.001');
  assert.ok(usersOf('T1059.001').groups.some((g) => g.id === 'G0007' && g.name === 'APT28'));
  assert.ok(usersOf('T1003.001').software.some((s) => s.id === 'S0002' && s.name === 'Mimikatz' && s.type === 'tool'));
  assert.equal(technique('T9999'), undefined);
});

test('the shipped file stays compact', () => {
  const bytes = readFileSync(attackDataPath()).length;
  assert.ok(bytes < 300 * 1024, `${bytes} bytes`);
});

test('Sigma tags become techniques and tactics', () => {
  const t = attackFromTags(['attack.execution', 'attack.t1059.001', 'attack.initial_access', 'attack.g0007', 'attack.s0002', 'cve.2021-44228', 'attack.ds0005']);
  assert.deepEqual(t.techniques, ['T1059.001']);
  assert.deepEqual(t.tactics, ['execution', 'initial-access']);
  assert.deepEqual(t.groups, ['G0007']);
  assert.deepEqual(t.software, ['S0002']);
  assert.deepEqual(t.unknown, []);
  // no tactic tag: tactics come from the techniques (T1547.001 is persistence and privilege-escalation)
  assert.deepEqual(attackFromTags(['attack.t1547.001']).tactics, ['persistence', 'privilege-escalation']);
  // tactics newer than the table are kept, and reported
  const v19 = attackFromTags(['attack.stealth', 'attack.t1685']);
  assert.deepEqual(v19.tactics, ['stealth']);
  assert.deepEqual(v19.techniques, ['T1685']);
  assert.deepEqual(v19.unknown, ['attack.stealth', 'attack.t1685']);
});

test('Navigator layer: scores are alert counts; parents of sub-techniques are expanded', () => {
  const alerts = [
    { techniques: ['T1059.001', 'T1105'], title: 'A', count: 1, level: 'high' as const },
    { techniques: ['T1059.001'], title: 'B', count: 2, level: 'medium' as const },
    { techniques: ['T1059.001'], title: 'B', count: 1, level: 'low' as const },
  ];
  const layer = navigatorLayer(techniqueHits(alerts), { name: 'x' });
  assert.equal(layer.domain, 'enterprise-attack');
  assert.equal(layer.versions.layer, '4.5');
  assert.equal(layer.versions.attack, '18');
  const ps = layer.techniques.find((t) => t.techniqueID === 'T1059.001')!;
  assert.equal(ps.score, 3); // three alerts name T1059.001
  assert.equal(ps.comment, 'B (2); A (1)');
  assert.deepEqual(ps.metadata[0], { name: 'highest level', value: 'high' });
  assert.deepEqual(ps.metadata[1], { name: 'events', value: '4' }); // 1 + 2 + 1 events behind them
  assert.equal(layer.techniques.find((t) => t.techniqueID === 'T1105')!.score, 1);
  const parent = layer.techniques.find((t) => t.techniqueID === 'T1059')!;
  assert.equal(parent.showSubtechniques, true);
  assert.equal(parent.score, undefined);
  assert.equal(layer.gradient.maxValue, 3);
});
