/** The per-host pid table behind process identity for sources without GUIDs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessTable } from '../../src/graph/process-table.js';

const T = 1_700_000_000_000;

test('a pid names the process that last started with it, per host; a new start replaces it', () => {
  const t = new ProcessTable();
  const a = t.started('WS1', 100, T, 'C:\\a.exe').key;
  assert.equal(t.resolve('ws1', 100), a); // host names compare case-insensitively
  assert.notEqual(t.resolve('WS2', 100), a); // another host's pid 100 is another process
  const b = t.started('WS1', 100, T + 60_000, 'C:\\b.exe').key;
  assert.notEqual(a, b);
  assert.equal(t.resolve('WS1', 100), b);
});

test('a pid seen before any start gets one placeholder per host, pid and image', () => {
  const t = new ProcessTable();
  const p1 = t.resolve('WS1', 200, 'C:\\Windows\\explorer.exe');
  assert.equal(t.resolve('WS1', 200, 'C:\\Windows\\explorer.exe'), p1);
  assert.equal(t.resolve('WS1', 200), p1);
  assert.match(p1, /^ws1\|200\|\?\|/);
});

test('Sysmon 1 and Security 4688 sightings of one start are one process under the GUID', () => {
  const t = new ProcessTable();
  const sec = t.started('WS1', 300, T, 'C:\\Windows\\System32\\cmd.exe').key;
  const sys = t.started('WS1', 300, T + 5, 'C:\\Windows\\System32\\cmd.exe', 'AAAA-BBBB');
  assert.equal(sys.replaced, sec);
  assert.equal(sys.key, 'ws1|aaaa-bbbb');
  assert.equal(t.resolve('WS1', 300), sys.key);
  // Three seconds apart is two starts.
  const later = t.started('WS1', 300, T + 3_005, 'C:\\Windows\\System32\\cmd.exe');
  assert.equal(later.replaced, undefined);
});

test('an ended process keeps its pid for late events, and leaves the table ten minutes later', () => {
  const t = new ProcessTable();
  const a = t.started('WS1', 400, T, 'C:\\a.exe').key;
  assert.equal(t.ended('WS1', 400, 'C:\\a.exe', T + 1000), a);
  assert.equal(t.resolve('WS1', 400), a); // a late event still names it
  // Time moves on (20,000 starts elsewhere, 11 minutes later): the ended entry is swept.
  for (let i = 0; i < 20_000; i++) t.started('WS9', 10_000 + i, T + 11 * 60_000, 'C:\\x.exe');
  assert.notEqual(t.resolve('WS1', 400), a);
});
