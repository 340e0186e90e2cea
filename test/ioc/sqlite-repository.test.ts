import { test } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { SqliteIocRepository } from '../../src/store/sqlite/iocs.js';
import type { Indicator } from '../../src/detect/ioc/types.js';

const ind = (type: Indicator['type'], value: string, source = 'feed-a'): Indicator => ({ type, value, tag: 'suspect', tlp: 'white', source });

test('SQLite IOC repository: one row per (list, type, value), filters, removal, counts', () => {
  const db = new Database(':memory:');
  const repo = new SqliteIocRepository(db);
  // The same value as domain and freedns is two indicators (TinyCheck deduplicated across types).
  assert.deepEqual(repo.add('ioc', [ind('domain', 'x.net'), ind('freedns', 'x.net'), ind('domain', 'x.net'), ind('ip4', '1.2.3.4', 'feed-b')]), { added: 3, duplicates: 1 });
  assert.deepEqual(repo.add('whitelist', [ind('domain', 'x.net')]), { added: 1, duplicates: 0 });
  assert.equal(repo.count(), 4);
  assert.deepEqual(repo.countByType('ioc'), { domain: 1, freedns: 1, ip4: 1 });
  assert.deepEqual(repo.list({ list: 'ioc', source: 'feed-b' }).map((r) => r.value), ['1.2.3.4']);
  assert.equal([...repo.iterate({ list: 'ioc' })].length, 3);
  // Hostile values are only ever bound parameters.
  const hostile = "x.net'; DROP TABLE ioc_indicators; --";
  assert.equal(repo.count({ value: hostile }), 0);
  assert.equal(repo.remove({}), 0, 'an empty filter removes nothing');
  assert.equal(repo.removeValues('ioc', ['x.net']), 2);
  assert.equal(repo.remove({ list: 'whitelist' }), 1);
  const ids = repo.list().map((r) => r.id);
  assert.equal(repo.remove({ ids }), 1);
  assert.equal(repo.count(), 0);
  // Re-opening the same database keeps the table (CREATE TABLE IF NOT EXISTS).
  new SqliteIocRepository(db);
  db.close();
});
