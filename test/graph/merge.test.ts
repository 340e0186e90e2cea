/**
 * Identity across runs and files: the same evidence twice into one case changes nothing; two
 * files from one host share their Process and File nodes; ids are the same in separate stores.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { writeExample } from '../../src/sources/example/generate.js';
import type { CaseStore } from '../../src/store/types.js';
import { needShared, shared } from '../helpers/shared.js';

const dir = mkdtempSync(join(tmpdir(), 'loupe-merge-'));

function snapshot(c: CaseStore) {
  const k = c.counts();
  return { nodes: k.nodesByType, edges: k.edgesByType, events: k.events, ids: [...c.nodes()].map((n) => n.id).sort(), edgeCounts: [...c.edges()].map((e) => `${e.id}:${e.count}`).sort() };
}

test('the same file analysed twice into one case leaves nodes, edges, occurrences and events unchanged', async () => {
  const f = join(dir, 'example.json');
  await writeExample(f, { hosts: 2, events: 3000 });
  const c = openSqliteStore(':memory:').openCase('t');
  await analyzePaths([f], { store: c });
  const once = snapshot(c);
  assert.ok(Object.keys(once.nodes).length >= 5);
  await analyzePaths([f], { store: c });
  assert.deepEqual(snapshot(c), once);
  assert.equal(c.listEvidence().length, 1, 'the evidence row is reused');
});

test('ids are stable: two separate stores give the same node ids for the same evidence', async () => {
  const f = join(dir, 'example-ids.json');
  await writeExample(f, { hosts: 1 });
  const a = openSqliteStore(':memory:').openCase('a');
  const b = openSqliteStore(':memory:').openCase('b');
  await analyzePaths([f], { store: a });
  await analyzePaths([f], { store: b });
  assert.deepEqual(snapshot(a).ids, snapshot(b).ids);
});

test('two files from one host share Process and File nodes', async () => {
  // Split the example's story in two files: process starts land in the first, most of what the
  // processes did lands in the second. Together they must give exactly the graph of the whole.
  const whole = join(dir, 'whole.json');
  await writeExample(whole, { hosts: 1 });
  const lines = readFileSync(whole, 'utf8').trim().split('\n');
  const half = Math.floor(lines.length / 2);
  const a = join(dir, 'part-a.json');
  const b = join(dir, 'part-b.json');
  writeFileSync(a, lines.slice(0, half).join('\n') + '\n');
  writeFileSync(b, lines.slice(half).join('\n') + '\n');
  const one = openSqliteStore(':memory:').openCase('one');
  await analyzePaths([whole], { store: one });
  const two = openSqliteStore(':memory:').openCase('two');
  await analyzePaths([a, b], { store: two });
  const w = snapshot(one);
  const s = snapshot(two);
  assert.deepEqual(s.nodes, w.nodes);
  assert.deepEqual(s.ids, w.ids);
  assert.deepEqual(s.edges, w.edges);
  // and the payload written in part A is the very File node that part B's process runs from
  const payload = [...two.nodes()].filter((n) => n.type === 'File' && String(n.props.path).endsWith('OneDriveUpdater.exe'));
  assert.equal(payload.length, 1);
  const e = [...two.edges()].filter((x) => x.src === payload[0].id || x.dst === payload[0].id).map((x) => x.type).sort();
  assert.deepEqual(e, ['file_of', 'wrote']);
});

test('a Mordor recording analysed twice into one case: counts unchanged', { skip: needShared('mordor') }, async () => {
  const f = shared('mordor', 'datasets', 'atomic', 'windows', 'execution', 'host', 'cmd_sharpview_pcre_net.zip');
  const c = openSqliteStore(':memory:').openCase('t');
  await analyzePaths([f], { store: c });
  const once = snapshot(c);
  await analyzePaths([f], { store: c });
  assert.deepEqual(snapshot(c), once);
});

test('with tiny write windows, every stored edge still joins two stored nodes (double sightings folded across windows)', { skip: needShared('mordor') }, async () => {
  const f = shared('mordor', 'datasets', 'atomic', 'windows', 'defense_evasion', 'host', 'cmd_bitsadmin_download_psh_script.zip');
  for (const batchSize of [7, 50, 5000]) {
    const c = openSqliteStore(':memory:').openCase('t');
    await analyzePaths([f], { store: c, batchSize });
    const ids = new Set([...c.nodes()].map((n) => n.id));
    const dangling = [...c.edges()].filter((e) => !ids.has(e.src) || !ids.has(e.dst));
    assert.deepEqual(dangling, [], `batch size ${batchSize}`);
  }
});
