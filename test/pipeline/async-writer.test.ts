/** Writing from the writer thread stores exactly what writing in-line stores. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzePaths } from '../../src/pipeline/analyze.js';
import { openSqliteStore } from '../../src/store/sqlite/store.js';
import { openAsyncWriter } from '../../src/store/sqlite/async-writer.js';
import { writeExample } from '../../src/sources/example/generate.js';

test('the writer thread and in-line writes give the same case', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-writer-'));
  const f = join(dir, 'ex.json');
  await writeExample(f, { hosts: 3, events: 6000 });
  // A second file: each file's evidence row is updated with its last batch, on the writer thread.
  const f2 = join(dir, 'ex2.json');
  await writeExample(f2, { hosts: 2, events: 1500 });
  const dbA = join(dir, 'a.db');
  const a = openSqliteStore(dbA);
  const writer = openAsyncWriter(dbA, 'x');
  const ra = await analyzePaths([f, f2], { store: a.openCase('x'), writer, batchSize: 500 });
  await writer.close();
  const b = openSqliteStore(join(dir, 'b.db'));
  await analyzePaths([f, f2], { store: b.openCase('x'), batchSize: 500 });
  const ca = a.findCase('x')!;
  const cb = b.findCase('x')!;
  assert.deepEqual(ca.counts(), cb.counts());
  assert.ok(ca.counts().events >= 6000);
  assert.deepEqual([...ca.edges()].map((e) => `${e.id}:${e.count}`), [...cb.edges()].map((e) => `${e.id}:${e.count}`));
  assert.deepEqual([...ca.events()].map((e) => e.id), [...cb.events()].map((e) => e.id));
  const rows = (c: typeof ca) => c.listEvidence().map((e) => [e.name, e.records, e.errors, e.sha256]);
  assert.deepEqual(rows(ca), rows(cb));
  assert.deepEqual(rows(ca).map((r) => r[1]), ra.files.map((x) => x.events), 'each row holds its file\'s event count');
  assert.equal(ca.counts().events, ra.events);
  a.close();
  b.close();
});
