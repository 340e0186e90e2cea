/**
 * Hand-built event sequences through the real pipeline (normalizer, Ingestor, chain engine, SQLite):
 * pid reuse, two hosts with the same pids, child before parent, missing terminations, a restart
 * mid-chain, an allowed parent with a malicious child. Scores are worked out by hand from the
 * default points (low 10, medium 25, high 50, critical 100) and threshold (60).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AllowList } from '../../src/detect/chains/allow.js';
import type { ThreatRecord } from '../../src/store/threats.js';
import { connect, end, end4689, EXPLORER, guid, runner, SERVICES, start, start4688, T0, type Proc, type Rule } from './helpers.js';

const S = 1000;
const MIN = 60 * S;

const E: Proc = { guid: guid(1), pid: 1000, image: EXPLORER };

/** What a threat is, without the ids that depend on the order events came in. */
function shape(t: ThreatRecord) {
  return {
    host: t.host,
    score: t.score,
    techniques: t.techniques.map((x) => [x.id, x.allowedOnly, x.hits]),
    tactics: t.tactics,
    members: t.members,
    hitCount: t.hitCount,
    head: t.head.image,
    tree: t.tree.map((n) => [n.key, n.parentKey ?? null, n.image ?? null, n.context ?? false, n.hits.map((h) => `${h.ruleId}x${h.count}`).join(',')]).sort(),
  };
}

test('pid reuse: a child names the process that holds the pid now, not the one that held it before', () => {
  const rules: Rule[] = [
    { match: 'whoami', id: 'whoami', level: 'medium', techniques: ['T1033'] },
    { match: 'EVIL', id: 'evil', level: 'high', techniques: ['T1059.001'] },
    { match: '203.0.113.66', id: 'c2', level: 'high', techniques: ['T1071.001'] },
  ];
  const A: Proc = { guid: guid(2), pid: 500, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c whoami' };
  const B: Proc = { guid: guid(3), pid: 500, image: 'C:\\Program Files\\Up\\updater.exe', cmd: 'updater.exe --check' };
  const C: Proc = { guid: guid(4), pid: 600, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell -enc EVIL' };
  const r = runner({ rules });
  r.feed([start(T0, A, E), end(T0 + S, A), start(T0 + 2 * S, B, E), start(T0 + 3 * S, C, B), connect(T0 + 4 * S, C, '203.0.113.66')]);
  const threats = r.threats.listThreats();
  // B's chain: EVIL (high, T1059.001) 50 + c2 (high, T1071.001) 50 = 100 >= 60. A's: whoami 25, no threat.
  assert.equal(threats.length, 1);
  const t = r.threats.threat(threats[0]!.id)!;
  assert.equal(t.score, 100);
  assert.equal(t.head.image, B.image);
  assert.deepEqual(t.techniques.map((x) => x.id).sort(), ['T1059.001', 'T1071.001']);
  const images = t.tree.filter((n) => !n.context).map((n) => n.image);
  assert.deepEqual(images.sort(), [B.image, C.image].sort());
  assert.ok(!images.includes(A.image), 'the old owner of pid 500 is not in the chain');
  r.store.close();
});

test('pid reuse without GUIDs (Security 4688): a pid resolves to its owner at the time of the event', () => {
  const rules: Rule[] = [
    { match: 'EVIL', id: 'evil', level: 'high', techniques: ['T1059.001'] },
    { match: 'net.exe user', id: 'net', level: 'high', techniques: ['T1087.001'] },
  ];
  const explorer = { pid: 1000, image: EXPLORER };
  const A: Proc = { pid: 500, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe' };
  const B: Proc = { pid: 500, image: 'C:\\Program Files\\Up\\updater.exe', cmd: 'updater.exe --check' };
  const C: Proc = { pid: 600, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell -enc EVIL' };
  const D: Proc = { pid: 700, image: 'C:\\Windows\\System32\\net.exe', cmd: 'net.exe user /domain' };
  const r = runner({ rules });
  r.feed([
    start4688(T0, A, explorer),
    end4689(T0 + 10 * S, A),
    start4688(T0 + 20 * S, B, explorer),
    start4688(T0 + 30 * S, C, { pid: 500, image: B.image }),
    // Shipped late: started at T0+5s by pid 500, which was cmd.exe then.
    start4688(T0 + 5 * S, D, { pid: 500, image: A.image }),
  ]);
  const forest = r.engine.forest;
  assert.equal(forest.resolvePid('ws1.corp', 500, T0 + 5 * S)?.image, A.image);
  assert.equal(forest.resolvePid('ws1.corp', 500, T0 + 25 * S)?.image, B.image);
  const c = forest.resolvePid('ws1.corp', 600, T0 + 31 * S)!;
  const d = forest.resolvePid('ws1.corp', 700, T0 + 6 * S)!;
  assert.equal(c.parent?.image, B.image);
  assert.equal(d.parent?.image, A.image);
  assert.notEqual(c.chainId, d.chainId);
  r.store.close();
});

test('two hosts with the same pids and images keep separate trees and threats', () => {
  const rules: Rule[] = [
    { match: 'EVIL', id: 'evil', level: 'high', techniques: ['T1059.001'] },
    { match: 'STAGE2', id: 'stage2', level: 'high', techniques: ['T1105'] },
  ];
  const h1 = (p: Proc): Proc => ({ ...p, host: 'ws1.corp' });
  const h2 = (p: Proc): Proc => ({ ...p, host: 'ws2.corp' });
  const cmd: Proc = { pid: 500, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c dir' };
  const ps: Proc = { pid: 600, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell -c Get-Date' };
  const bad: Proc = { pid: 600, image: ps.image, cmd: 'powershell -enc EVIL STAGE2' };
  const explorer = { pid: 1000, image: EXPLORER };
  const r = runner({ rules });
  r.feed([
    // With GUIDs: same pids, different GUIDs, on two hosts.
    start(T0, h1({ ...cmd, guid: guid(10) }), h1(E)),
    start(T0, h2({ ...cmd, guid: guid(20) }), h2(E)),
    start(T0 + S, h1({ ...ps, guid: guid(11) }), h1({ ...cmd, guid: guid(10) })),
    start(T0 + S, h2({ ...bad, guid: guid(21) }), h2({ ...cmd, guid: guid(20) })),
    // Without GUIDs: pid 500 on both hosts at once.
    start4688(T0 + 10 * S, h1({ ...cmd, pid: 800 }), explorer),
    start4688(T0 + 10 * S, h2({ ...cmd, pid: 800 }), explorer),
    start4688(T0 + 11 * S, h2({ ...bad, pid: 900 }), { pid: 800, image: cmd.image }),
    start4688(T0 + 11 * S, h1({ ...ps, pid: 900 }), { pid: 800, image: cmd.image }),
  ]);
  const threats = r.threats.listThreats();
  // Two chains on ws2 (GUID and pid-only), each EVIL 50 + STAGE2 50 = 100; none on ws1.
  assert.equal(threats.length, 2);
  for (const s of threats) {
    assert.equal(s.host, 'ws2.corp');
    assert.equal(s.score, 100);
    const t = r.threats.threat(s.id)!;
    for (const n of t.tree) assert.ok(n.key.startsWith('ws2.corp|'), `${n.key} belongs to ws2`);
    assert.equal(t.members, 2);
  }
  const host1 = [...r.engine.chains.values()].filter((c) => c.host === 'ws1.corp');
  assert.equal(host1.length, 2);
  for (const c of host1) assert.equal(c.hitCount, 0);
  r.store.close();
});

test('child before parent: the same threat whichever of the two arrives first', () => {
  const rules: Rule[] = [
    { match: 'evil.vbs', id: 'vbs', level: 'medium', techniques: ['T1059.005'] },
    { match: 'EVIL', id: 'evil', level: 'high', techniques: ['T1059.001'] },
  ];
  const P: Proc = { guid: guid(30), pid: 300, image: 'C:\\Windows\\System32\\wscript.exe', cmd: 'wscript.exe C:\\Users\\a\\evil.vbs' };
  const C: Proc = { guid: guid(31), pid: 310, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell -enc EVIL' };
  const inOrder = runner({ rules });
  inOrder.feed([start(T0, P, E), start(T0 + S, C, P), connect(T0 + 2 * S, C)]);
  const reversed = runner({ rules });
  reversed.feed([start(T0 + S, C, P), start(T0, P, E), connect(T0 + 2 * S, C)]);
  const a = inOrder.threats.listThreats();
  const b = reversed.threats.listThreats();
  assert.equal(a.length, 1);
  assert.equal(b.length, 1);
  const ta = inOrder.threats.threat(a[0]!.id)!;
  const tb = reversed.threats.threat(b[0]!.id)!;
  // vbs 25 + evil 50 = 75.
  assert.equal(ta.score, 75);
  assert.deepEqual(shape(tb), shape(ta));
  // The parent heads the chain under explorer (shown as context), the child is below it.
  assert.equal(tb.head.image, P.image);
  assert.equal(tb.tree[0]!.context, true);
  assert.equal(tb.tree[0]!.image, EXPLORER);
  assert.equal(tb.tree.find((n) => n.image === C.image)!.parentKey, tb.head.key);
  assert.equal(tb.head.placeholder, false, 'the parent start filled in the placeholder');
  inOrder.store.close();
  reversed.store.close();
});

test('missing terminations: an idle chain closes; a chain whose processes all ended closes after the grace', () => {
  const rules: Rule[] = [
    { match: 'EVIL', id: 'evil', level: 'critical', techniques: ['T1059.001'] },
    { match: 'whoami', id: 'whoami', level: 'low', techniques: ['T1033'] },
  ];
  const P: Proc = { guid: guid(40), pid: 400, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c EVIL' };
  const Q: Proc = { guid: guid(41), pid: 410, image: 'C:\\Windows\\System32\\whoami.exe', cmd: 'whoami' };
  const Z: Proc = { guid: guid(42), pid: 420, image: 'C:\\Windows\\System32\\notepad.exe', cmd: 'notepad.exe' };
  const r = runner({ rules, engine: { idleMs: 10 * MIN, endGraceMs: 2 * MIN } });
  r.feed([start(T0, P, E), start(T0 + S, Q, E), end(T0 + 2 * S, Q), start(T0 + 3 * S, Z, E)]);
  assert.equal(r.engine.chains.size, 3, 'P, Q and Z each head a chain (explorer, a root, has none until something happens on it)');
  // 3 minutes later (past the 2-minute grace): Q ended and closes, P never ended and stays.
  r.feed([connect(T0 + 3 * MIN + 3 * S, Z)]);
  const open = () => [...r.engine.chains.values()].map((c) => c.head.image).sort();
  assert.ok(!open().includes(Q.image), 'the ended chain closed');
  assert.ok(open().includes(P.image), 'the chain without a termination is still open');
  assert.equal(r.engine.forest.nodes.has(`ws1.corp|${Q.guid!.slice(1, -1).toLowerCase()}`), false, 'its processes left memory');
  // 11 minutes after P's last event: P's chain idles out, its threat is final and closed.
  r.feed([connect(T0 + 11 * MIN + 4 * S, Z)]);
  assert.ok(!open().includes(P.image), 'the idle chain closed');
  const threats = r.threats.listThreats();
  assert.equal(threats.length, 1);
  assert.equal(threats[0]!.open, false);
  assert.equal(threats[0]!.score, 100);
  // The closed threat keeps its hits; the closed chain with no threat (Q, whoami) left none behind.
  assert.equal(r.threats.hitCount(threats[0]!.chainId), 1);
  const saved = r.threats.loadState();
  assert.ok(!saved.chains.some((c) => c.headKey.includes(Q.guid!.slice(1, -1).toLowerCase())));
  r.store.close();
});

test('a restart mid-chain resumes it: the same threat as an uninterrupted run', () => {
  const rules: Rule[] = [
    { match: '/c powershell', id: 'cmd-ps', level: 'medium', techniques: ['T1059.003'] },
    { match: '-enc', id: 'enc', level: 'high', techniques: ['T1059.001', 'T1027'] },
    { match: '198.51.100.7', id: 'c2', level: 'high', techniques: ['T1071.001'] },
    { match: 'rundll32', id: 'rundll', level: 'high', techniques: ['T1218.011'] },
  ];
  const cmd: Proc = { guid: guid(50), pid: 500, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c powershell -enc AAA' };
  const ps: Proc = { guid: guid(51), pid: 510, image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', cmd: 'powershell -enc AAA' };
  const dll: Proc = { guid: guid(52), pid: 520, image: 'C:\\Windows\\System32\\rundll32.exe', cmd: 'rundll32.exe C:\\Users\\a\\x.dll,Start' };
  const events = () => [
    start(T0, cmd, E),
    start(T0 + S, ps, cmd),
    connect(T0 + 2 * S, ps, '198.51.100.7'),
    start(T0 + 3 * S, dll, ps),
    connect(T0 + 4 * S, dll, '198.51.100.7'),
    end(T0 + 5 * S, dll),
    end(T0 + 6 * S, ps),
  ];
  const whole = runner({ rules });
  whole.feed(events());
  const expected = whole.threats.listThreats();
  assert.equal(expected.length, 1);
  const want = whole.threats.threat(expected[0]!.id)!;
  // cmd-ps 25 (T1059.003) + enc 50 (T1059.001) + 50 (T1027) + c2 50 (T1071.001) + rundll 50 (T1218.011) = 225.
  assert.equal(want.score, 225);

  const dir = mkdtempSync(join(tmpdir(), 'loupe-restart-'));
  try {
    const db = join(dir, 'live.db');
    const evs = events();
    const first = runner({ db, rules });
    first.feed(evs.slice(0, 3));
    first.store.close(); // the server stops here; what it committed is all that is left
    const second = runner({ db, rules, resume: true });
    assert.ok(second.engine.chains.size >= 1, 'open chains came back');
    second.feed(evs.slice(3));
    const got = second.threats.listThreats();
    assert.equal(got.length, 1, 'one threat, not a second one for the events after the restart');
    const have = second.threats.threat(got[0]!.id)!;
    assert.equal(have.id, want.id);
    assert.deepEqual(shape(have), shape(want));
    assert.equal(second.threats.hitCount(have.chainId), whole.threats.hitCount(want.chainId));
    second.store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  whole.store.close();
});

test('an allowed parent with a malicious child: the parent records its technique, the child scores', () => {
  const rules: Rule[] = [
    { match: 'EVILPARENT', id: 'parent-rule', level: 'medium', techniques: ['T1005'] },
    { match: '/c EVIL', id: 'child-rule', level: 'high', techniques: ['T1059.001'] },
    { match: '192.0.2.44', id: 'c2', level: 'high', techniques: ['T1071.001'] },
  ];
  const allow = AllowList.parse(`allow:\n  - path: 'C:\\Tools\\backup\\*'\n    reason: backup agent\n`);
  const svc: Proc = { guid: guid(60), pid: 600, image: SERVICES };
  const P: Proc = { guid: guid(61), pid: 610, image: 'C:\\Tools\\backup\\bkp.exe', cmd: 'bkp.exe --run EVILPARENT' };
  const C: Proc = { guid: guid(62), pid: 620, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c EVIL' };
  const r = runner({ rules, engine: { allow } });
  r.feed([start(T0, P, svc), start(T0 + S, C, P), connect(T0 + 2 * S, C, '192.0.2.44')]);
  const threats = r.threats.listThreats();
  assert.equal(threats.length, 1);
  const t = r.threats.threat(threats[0]!.id)!;
  // parent-rule is on an allowed process: 0. child-rule 50 + c2 50 = 100 (RmEye would have let
  // the child of a white-listed parent act unscored).
  assert.equal(t.score, 100);
  const t1005 = t.techniques.find((x) => x.id === 'T1005')!;
  assert.equal(t1005.allowedOnly, true, 'recorded, not scored');
  assert.equal(t.techniques.find((x) => x.id === 'T1059.001')!.allowedOnly, false);
  const parent = t.tree.find((n) => n.image === P.image)!;
  const child = t.tree.find((n) => n.image === C.image)!;
  assert.equal(parent.allowed, 'backup agent');
  assert.equal(child.allowed, undefined);
  const hits = r.threats.hits(t.chainId);
  assert.equal(hits.length, 3);
  assert.equal(hits.filter((h) => h.allowed === 'backup agent').length, 1);

  // Only the allowed process misbehaving (even at critical) makes no threat.
  const quiet = runner({ rules: [{ match: 'EVILPARENT', id: 'p', level: 'critical', techniques: ['T1005'] }], engine: { allow } });
  quiet.feed([start(T0, P, svc), start(T0 + S, { ...P, guid: guid(63), pid: 611 }, svc)]);
  assert.equal(quiet.threats.listThreats().length, 0);
  r.store.close();
  quiet.store.close();
});

test('scoring: a technique counts once per chain, a rule once however often it fires, every hit is kept', () => {
  const rules: Rule[] = [
    { match: 'AAA', id: 'aaa', level: 'high', techniques: ['T1059.001'] },
    { match: 'BBB', id: 'bbb', level: 'medium', techniques: ['T1059.001'] },
    { match: 'CCC', id: 'ccc', level: 'low' },
  ];
  const P: Proc = { guid: guid(70), pid: 700, image: 'C:\\x\\p.exe', cmd: 'p.exe AAA BBB' };
  const C: Proc = { guid: guid(71), pid: 710, image: 'C:\\x\\c.exe', cmd: 'c.exe AAA CCC' };
  const D: Proc = { guid: guid(72), pid: 720, image: 'C:\\x\\d.exe', cmd: 'd.exe CCC' };
  const r = runner({ rules });
  r.feed([start(T0, P, E), start(T0 + S, C, P)]);
  // T1059.001: max(aaa 50, bbb 25) = 50 (aaa fired twice, bbb once); ccc untagged: 10. 60 = threshold.
  let t = r.threats.listThreats();
  assert.equal(t.length, 1);
  assert.equal(t[0]!.score, 60);
  r.feed([start(T0 + 2 * S, D, C)]);
  t = r.threats.listThreats();
  assert.equal(t[0]!.score, 60, 'ccc firing again adds nothing');
  // Every hit kept: aaa x2, bbb x1, ccc x2.
  assert.equal(r.threats.hitCount(t[0]!.chainId), 5);
  assert.equal(t[0]!.hitCount, 5);
  r.store.close();
});

test('one start seen by Sysmon and by Security 4688 is one process, even with the shipper hours off', () => {
  const rules: Rule[] = [{ match: 'vssadmin delete', id: 'vss', level: 'high', techniques: ['T1490'] }];
  const P: Proc = { guid: guid(80), pid: 800, image: 'C:\\Windows\\System32\\cmd.exe', cmd: 'cmd.exe /c vssadmin delete shadows /all' };
  const explorer = { pid: 1000, image: EXPLORER };
  const EIGHT_HOURS = 8 * 3600 * 1000;
  // The Security record first, stamped 8 h off (local time written as UTC) plus 300 ms; then Sysmon's.
  for (const order of ['4688 first', 'sysmon first']) {
    const r = runner({ rules });
    const sec = start4688(T0 + EIGHT_HOURS + 300, P, explorer);
    const sys = start(T0, P, E);
    r.feed(order === '4688 first' ? [sec, sys] : [sys, sec]);
    const nodes = [...r.engine.forest.nodes.values()].filter((n) => n.pid === 800);
    assert.equal(nodes.length, 1, `${order}: one process`);
    assert.equal(nodes[0]!.guid, P.guid!.slice(1, -1), `${order}: the GUID identity wins`);
    // Both sightings' hits land on it; the rule counts once.
    const c = r.engine.chainOf(nodes[0]!);
    assert.equal(c.hitCount, 2);
    assert.equal(c.evaluate(() => undefined).score, 50);
    r.store.close();
  }
  // A different command line 8 h apart is another process (pid reused), not a time-zone twin.
  const r = runner({ rules });
  r.feed([start(T0, P, E), start4688(T0 + EIGHT_HOURS, { ...P, cmd: 'cmd.exe /c dir' }, explorer)]);
  assert.equal([...r.engine.forest.nodes.values()].filter((n) => n.pid === 800).length, 2);
  r.store.close();
});
