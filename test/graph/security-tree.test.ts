/**
 * Process trees from the Security log alone (4688 has no GUIDs): as deep as the data, with pid
 * reuse and a parent older than the log. Beagle's trees from 4688 were one level deep because it
 * forgot every process between events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function ev4688(t: string, pid: number, image: string, ppid: number, parentImage: string, cmd: string) {
  return JSON.stringify({
    TimeCreated: t, Hostname: 'WS1', Channel: 'Security', EventID: 4688, SourceName: 'Microsoft-Windows-Security-Auditing',
    NewProcessId: `0x${pid.toString(16)}`, NewProcessName: image, ProcessId: `0x${ppid.toString(16)}`, ParentProcessName: parentImage, CommandLine: cmd,
    SubjectUserName: 'alice', SubjectDomainName: 'CORP',
  });
}
function ev4689(t: string, pid: number, image: string) {
  return JSON.stringify({ TimeCreated: t, Hostname: 'WS1', Channel: 'Security', EventID: 4689, SourceName: 'Microsoft-Windows-Security-Auditing', ProcessId: `0x${pid.toString(16)}`, ProcessName: image });
}

test('explorer → cmd → powershell → whoami from 4688 alone is a four-level tree; a reused pid is a new process', async () => {
  const E = 'C:\\Windows\\explorer.exe', C = 'C:\\Windows\\System32\\cmd.exe', P = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', W = 'C:\\Windows\\System32\\whoami.exe';
  const lines = [
    ev4688('2024-01-01T10:00:00.000Z', 0x200, C, 0x100, E, 'cmd.exe'), // explorer (pid 0x100) started before the log
    ev4688('2024-01-01T10:00:01.000Z', 0x300, P, 0x200, C, 'powershell -nop'),
    ev4688('2024-01-01T10:00:02.000Z', 0x400, W, 0x300, P, 'whoami /all'),
    ev4689('2024-01-01T10:00:03.000Z', 0x400, W),
    ev4689('2024-01-01T10:30:00.000Z', 0x300, P),
    // pid 0x300 reused an hour later by another powershell, started by the same cmd
    ev4688('2024-01-01T11:00:00.000Z', 0x300, P, 0x200, C, 'powershell -enc AAAA'),
    ev4688('2024-01-01T11:00:01.000Z', 0x500, W, 0x300, P, 'whoami'),
  ];
  const f = join(mkdtempSync(join(tmpdir(), 'loupe-4688-')), 'security.json');
  writeFileSync(f, lines.join('\n') + '\n');
  const c = openSqliteStore(':memory:').openCase('t');
  await analyzePaths([f], { store: c });
  const nodes = [...c.nodes()].filter((n) => n.type === 'Process');
  const byCmd = (cmd: string) => nodes.find((n) => n.props.command_line === cmd)!;
  const explorer = nodes.find((n) => n.props.executable === E)!;
  const launched = [...c.edges()].filter((e) => e.type === 'launched').map((e) => `${e.src}>${e.dst}`);
  const has = (a: { id: string }, b: { id: string }) => launched.includes(`${a.id}>${b.id}`);
  // by hand: explorer→cmd, cmd→ps1, ps1→whoami1, cmd→ps2, ps2→whoami2: 5 launched edges, 6 processes
  assert.equal(nodes.length, 6);
  assert.equal(launched.length, 5);
  assert.ok(has(explorer, byCmd('cmd.exe')));
  assert.ok(has(byCmd('cmd.exe'), byCmd('powershell -nop')));
  assert.ok(has(byCmd('powershell -nop'), byCmd('whoami /all')));
  assert.ok(has(byCmd('cmd.exe'), byCmd('powershell -enc AAAA')));
  assert.ok(has(byCmd('powershell -enc AAAA'), byCmd('whoami')));
  assert.notEqual(byCmd('powershell -nop').id, byCmd('powershell -enc AAAA').id);
  assert.equal(byCmd('whoami /all').props.end, Date.UTC(2024, 0, 1, 10, 0, 3));
});
