/** Full-text search over entities: substrings, any case, across types, kept in step with merges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import type { GraphNode } from '../../src/graph/types.js';

function node(id: string, type: GraphNode['type'], text: string, props: Record<string, unknown> = {}): GraphNode {
  return { id, type, key: id, label: text.slice(0, 20), props, text, firstSeen: 1, lastSeen: 2 };
}

test('search finds substrings in command lines, paths, domains and URIs, whatever the case', () => {
  const c = openSqliteStore(':memory:').openCase('t');
  c.write({
    nodes: [
      node('p1', 'Process', 'C:\\Windows\\System32\\cmd.exe /c whoami /all'),
      node('f1', 'File', 'C:\\Users\\Alice\\AppData\\Roaming\\OneDriveUpdater.exe'),
      node('d1', 'Domain', 'telemetry.example.net'),
      node('u1', 'URI', 'https://invoice-portal.example.com/cdn/update.bin'),
    ],
  });
  assert.deepEqual(c.search('WHOAMI').map((h) => h.node.id), ['p1']);
  assert.deepEqual(c.search('appdata\\roaming').map((h) => h.node.id), ['f1']);
  assert.deepEqual(c.search('example.').map((h) => h.node.id).sort(), ['d1', 'u1']);
  assert.deepEqual(c.search('cdn/update').map((h) => h.node.id), ['u1']);
  assert.deepEqual(c.search('"quoted"'), []);
  assert.deepEqual(c.search('ex').map((h) => h.node.id).sort(), ['d1', 'p1', 'f1', 'u1'].sort()); // two letters: a scan
  assert.deepEqual(c.search('nothing like this'), []);
});

test('a node written again with a longer text is found by the new text, and only once', () => {
  const db = openSqliteStore(':memory:');
  const c = db.openCase('t');
  c.write({ nodes: [node('p1', 'Process', 'C:\\x\\tool.exe')] });
  c.write({ nodes: [node('p1', 'Process', 'C:\\x\\tool.exe --steal-credentials', { pid: 4 })] });
  assert.equal(c.search('steal-cred').length, 1);
  assert.equal(c.search('tool.exe').length, 1);
  assert.equal(c.node('p1')?.props.pid, 4);
  // A second case in the same store does not see the first one's entities.
  const other = db.openCase('u');
  other.write({ nodes: [node('p2', 'Process', 'C:\\y\\other.exe')] });
  assert.deepEqual(other.search('tool.exe'), []);
});

test('an alert node takes its newest title and properties (a threat grows); other nodes keep their first', () => {
  const c = openSqliteStore(':memory:').openCase('t');
  c.write({ nodes: [node('a1', 'Alert', 'Chain scored 200', { level: 'high' }), node('p1', 'Process', 'C:\\a.exe', { pid: 1 })] });
  c.write({ nodes: [node('a1', 'Alert', 'Chain scored 405', { level: 'critical' }), node('p1', 'Process', 'C:\\b.exe', { pid: 2 })] });
  assert.equal(c.node('a1')?.label, 'Chain scored 405');
  assert.equal(c.node('a1')?.props.level, 'critical');
  assert.deepEqual(c.search('scored 405').map((h) => h.node.id), ['a1']);
  assert.deepEqual(c.search('scored 200'), []);
  assert.equal(c.node('p1')?.props.pid, 1);
  assert.equal(c.node('p1')?.label, 'C:\\a.exe');
});
