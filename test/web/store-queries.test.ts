/**
 * The store queries the web UI walks the graph with: one edge with its stats, a node's edges a page
 * at a time with counts per type, and nodes by type / key prefix / no incoming edge (process roots).
 * A hand-built graph, every expected value counted by hand in the comments.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EdgeOccurrence, GraphEdge, GraphNode } from '../../src/graph/types.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';

const node = (id: string, type: GraphNode['type'], key: string, firstSeen?: number): GraphNode => ({ id, type, key, label: id, props: {}, firstSeen });
const edge = (id: string, type: GraphEdge['type'], src: string, dst: string): GraphEdge => ({ id, type, src, dst });
const occ = (edgeId: string, n: number, time: number): EdgeOccurrence => ({ edgeId, eventId: `ev:${n}`, seq: 0, time });

function build() {
  const store = openSqliteStore(':memory:');
  const c = store.openCase('t');
  // ws1: explorer (root) launched cmd and ps; cmd launched whoami. ws2: one root, svc.
  c.write({
    nodes: [
      node('explorer', 'Process', 'ws1|{e}', 100),
      node('cmd', 'Process', 'ws1|{c}', 200),
      node('ps', 'Process', 'ws1|{p}', 300),
      node('whoami', 'Process', 'ws1|{w}', 400),
      node('svc', 'Process', 'ws2|{s}', 50),
      node('dom', 'Domain', 'evil.example.com'),
      node('file', 'File', 'ws1|c:\\x.exe'),
    ],
    edges: [
      edge('l1', 'launched', 'explorer', 'cmd'),
      edge('l2', 'launched', 'explorer', 'ps'),
      edge('l3', 'launched', 'cmd', 'whoami'),
      edge('d1', 'dns_query_for', 'cmd', 'dom'),
      edge('f1', 'file_of', 'file', 'cmd'),
    ],
    occurrences: [occ('l1', 1, 200), occ('l2', 2, 300), occ('l3', 3, 400), occ('d1', 4, 250), occ('d1', 5, 260), occ('d1', 6, 255), occ('f1', 7, 200)],
  });
  return { store, c };
}

test('edge(id): the edge with its count and first/last times from its occurrences', () => {
  const { store, c } = build();
  try {
    // d1 has three occurrences at 250, 260, 255: count 3, first 250, last 260.
    assert.deepEqual(c.edge('d1'), { id: 'd1', type: 'dns_query_for', src: 'cmd', dst: 'dom', count: 3, firstSeen: 250, lastSeen: 260 });
    assert.equal(c.edge('nope'), undefined);
  } finally {
    store.close();
  }
});

test('edgesOf: both directions by default, counts per type and direction, filtered by type and direction, paged', () => {
  const { store, c } = build();
  try {
    // cmd: in l1 (launched from explorer), f1 (file_of); out l3 (launched whoami), d1 (dns). 4 in all.
    const all = c.edgesOf('cmd');
    assert.equal(all.total, 4);
    assert.deepEqual(all.byType, { dns_query_for: { in: 0, out: 1 }, file_of: { in: 1, out: 0 }, launched: { in: 1, out: 1 } });
    // Ordered by type, then the other end's id: dns_query_for(dom), file_of(file), launched(explorer), launched(whoami).
    assert.deepEqual(all.edges.map((e) => e.id), ['d1', 'f1', 'l1', 'l3']);
    assert.equal(all.edges[0]!.count, 3);
    const launchedOut = c.edgesOf('cmd', { types: ['launched'], direction: 'out' });
    assert.equal(launchedOut.total, 1);
    assert.deepEqual(launchedOut.edges.map((e) => e.id), ['l3']);
    assert.deepEqual(launchedOut.byType, all.byType, 'counts per type whatever the filter');
    const page = c.edgesOf('cmd', { limit: 2, offset: 1 });
    assert.equal(page.total, 4);
    assert.deepEqual(page.edges.map((e) => e.id), ['f1', 'l1']);
    assert.equal(c.edgesOf('cmd', { types: [] }).total, 0, 'no types: nothing');
    assert.equal(c.edgesOf('nobody').total, 0);
  } finally {
    store.close();
  }
});

test('findNodes: by type and key prefix, process roots (no incoming launched), ordered by first seen, paged', () => {
  const { store, c } = build();
  try {
    const ws1 = c.findNodes({ type: 'Process', keyPrefix: 'ws1|' });
    assert.equal(ws1.total, 4);
    assert.deepEqual(ws1.nodes.map((n) => n.id), ['explorer', 'cmd', 'ps', 'whoami']);
    // Only explorer has no launched edge pointing to it on ws1; svc alone on ws2.
    assert.deepEqual(c.findNodes({ type: 'Process', keyPrefix: 'ws1|', withoutIncoming: 'launched' }).nodes.map((n) => n.id), ['explorer']);
    const roots = c.findNodes({ type: 'Process', withoutIncoming: 'launched' });
    assert.deepEqual(roots.nodes.map((n) => n.id), ['svc', 'explorer']);
    const p = c.findNodes({ type: 'Process', limit: 2, offset: 1 });
    // All five by first seen: svc 50, explorer 100, cmd 200, ps 300, whoami 400; page of 2 from 1.
    assert.equal(p.total, 5);
    assert.deepEqual(p.nodes.map((n) => n.id), ['explorer', 'cmd']);
    // A prefix with LIKE wildcards is text, not a pattern.
    assert.equal(c.findNodes({ keyPrefix: 'ws_|' }).total, 0);
    assert.equal(c.findNodes({ keyPrefix: '%' }).total, 0);
  } finally {
    store.close();
  }
});
