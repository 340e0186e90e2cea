/** Graph exports parse in their own formats and hold exactly the store's nodes and edges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { writeExample } from '../../src/sources/example/generate.js';
import { writeGraph } from '../../src/graph/export/formats.js';

async function exampleCase() {
  const f = join(mkdtempSync(join(tmpdir(), 'loupe-export-')), 'ex.json');
  await writeExample(f);
  const c = openSqliteStore(':memory:').openCase('t');
  await analyzePaths([f], { store: c });
  return c;
}

function render(format: 'json' | 'graphml' | 'cytoscape', c: Awaited<ReturnType<typeof exampleCase>>): string {
  let s = '';
  writeGraph(format, c.nodes(), c.edges(), (x) => (s += x));
  return s;
}

test('JSON node-link and Cytoscape exports carry every node and edge, with edges between listed nodes', async () => {
  const c = await exampleCase();
  const nodes = [...c.nodes()].length;
  const edges = [...c.edges()].length;
  const j = JSON.parse(render('json', c));
  assert.equal(j.nodes.length, nodes);
  assert.equal(j.links.length, edges);
  const ids = new Set(j.nodes.map((n: { id: string }) => n.id));
  assert.ok(j.links.every((l: { source: string; target: string }) => ids.has(l.source) && ids.has(l.target)));
  const cy = JSON.parse(render('cytoscape', c));
  assert.equal(cy.elements.nodes.length, nodes);
  assert.equal(cy.elements.edges.length, edges);
});

test('GraphML is well-formed, declares its keys, and escapes hostile text', async () => {
  const c = await exampleCase();
  c.write({ nodes: [{ id: 'f00', type: 'Domain', key: 'x', label: '<script>alert("x")</script> & \u0001', props: { domain: '<b>' } }] });
  const xml = render('graphml', c);
  assert.ok(!xml.includes('<script>'));
  assert.ok(xml.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; '));
  assert.ok(!xml.includes('\u0001'));
  // Every <data key> used is declared, and element counts match the store.
  const declared = new Set([...xml.matchAll(/<key id="([^"]+)"/g)].map((m) => m[1]));
  for (const m of xml.matchAll(/<data key="([^"]+)"/g)) assert.ok(declared.has(m[1]), m[1]);
  assert.equal([...xml.matchAll(/<node id=/g)].length, [...c.nodes()].length);
  assert.equal([...xml.matchAll(/<edge id=/g)].length, [...c.edges()].length);
  assert.equal([...xml.matchAll(/<node /g)].length, [...xml.matchAll(/<\/node>/g)].length);
});
