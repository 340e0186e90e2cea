/**
 * IOC persistence in SQLite. One row per (list, type, value), indexed, so a bulk import is one
 * transaction of `INSERT OR IGNORE` with a prepared statement (TinyCheck ran one unindexed
 * `exists()` query and one commit per IOC). Values only ever travel as bound parameters.
 * The table is created here for now; the store's versioned migrations will take it over.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import type { IocFilter, IocRepository, StoredIndicator } from '../../detect/ioc/repository.js';
import type { Indicator, IocList, IocType, Tlp } from '../../detect/ioc/types.js';

export const IOC_SCHEMA = `
CREATE TABLE IF NOT EXISTS ioc_indicators (
  id INTEGER PRIMARY KEY,
  list TEXT NOT NULL CHECK (list IN ('ioc', 'whitelist')),
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  tag TEXT NOT NULL,
  tlp TEXT NOT NULL,
  source TEXT NOT NULL,
  first_seen INTEGER,
  comment TEXT,
  added_at INTEGER NOT NULL,
  UNIQUE (list, type, value)
);
CREATE INDEX IF NOT EXISTS ioc_indicators_value ON ioc_indicators (value);
CREATE INDEX IF NOT EXISTS ioc_indicators_source ON ioc_indicators (list, source);
`;

interface Row {
  id: number;
  list: IocList;
  type: IocType;
  value: string;
  tag: string;
  tlp: Tlp;
  source: string;
  first_seen: number | null;
  comment: string | null;
  added_at: number;
}

function toStored(r: Row): StoredIndicator {
  const s: StoredIndicator = { id: r.id, list: r.list, type: r.type, value: r.value, tag: r.tag, tlp: r.tlp, source: r.source, addedAt: r.added_at };
  if (r.first_seen !== null) s.firstSeen = r.first_seen;
  if (r.comment !== null) s.comment = r.comment;
  return s;
}

/** WHERE clause and parameters for a filter; column names are fixed here, values are bound. */
function where(filter: IocFilter = {}): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const eq = (col: string, v: unknown): void => {
    parts.push(`${col} = ?`);
    params.push(v);
  };
  if (filter.list !== undefined) eq('list', filter.list);
  if (filter.type !== undefined) eq('type', filter.type);
  if (filter.tag !== undefined) eq('tag', filter.tag);
  if (filter.source !== undefined) eq('source', filter.source);
  if (filter.value !== undefined) eq('value', filter.value);
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) parts.push('0');
    else {
      parts.push(`id IN (${filter.ids.map(() => '?').join(',')})`);
      params.push(...filter.ids);
    }
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export class SqliteIocRepository implements IocRepository {
  constructor(private readonly db: Db) {
    db.exec(IOC_SCHEMA);
  }

  add(list: IocList, indicators: Iterable<Indicator>): { added: number; duplicates: number } {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO ioc_indicators (list, type, value, tag, tlp, source, first_seen, comment, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const now = Date.now();
    let added = 0;
    let duplicates = 0;
    this.db.transaction(() => {
      for (const i of indicators) {
        const r = insert.run(list, i.type, i.value, i.tag, i.tlp, i.source, i.firstSeen ?? null, i.comment ?? null, now);
        if (r.changes > 0) added++;
        else duplicates++;
      }
    })();
    return { added, duplicates };
  }

  remove(filter: IocFilter): number {
    const w = where(filter);
    if (w.sql === '') return 0;
    return this.db.prepare(`DELETE FROM ioc_indicators ${w.sql}`).run(...w.params).changes;
  }

  removeValues(list: IocList, values: Iterable<string>): number {
    const del = this.db.prepare('DELETE FROM ioc_indicators WHERE list = ? AND value = ?');
    let n = 0;
    this.db.transaction(() => {
      for (const v of values) n += del.run(list, v).changes;
    })();
    return n;
  }

  list(filter: IocFilter & { limit?: number; offset?: number } = {}): StoredIndicator[] {
    const w = where(filter);
    const limit = Math.max(0, Math.min(filter.limit ?? 1000, 1_000_000));
    const offset = Math.max(0, filter.offset ?? 0);
    const rows = this.db.prepare(`SELECT * FROM ioc_indicators ${w.sql} ORDER BY id LIMIT ? OFFSET ?`).all(...w.params, limit, offset) as Row[];
    return rows.map(toStored);
  }

  *iterate(filter: IocFilter = {}): Iterable<StoredIndicator> {
    const w = where(filter);
    for (const r of this.db.prepare(`SELECT * FROM ioc_indicators ${w.sql} ORDER BY id`).iterate(...w.params) as Iterable<Row>) yield toStored(r);
  }

  count(filter: IocFilter = {}): number {
    const w = where(filter);
    return (this.db.prepare(`SELECT count(*) AS n FROM ioc_indicators ${w.sql}`).get(...w.params) as { n: number }).n;
  }

  countByType(list: IocList): Partial<Record<IocType, number>> {
    const out: Partial<Record<IocType, number>> = {};
    for (const r of this.db.prepare('SELECT type, count(*) AS n FROM ioc_indicators WHERE list = ? GROUP BY type').all(list) as Array<{ type: IocType; n: number }>) {
      out[r.type] = r.n;
    }
    return out;
  }
}

/** Opens (or creates) a database file for IOCs alone; the CLI uses this until the store's own opener exists. */
export function openIocRepository(path: string): { repository: SqliteIocRepository; close(): void } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  return { repository: new SqliteIocRepository(db), close: () => db.close() };
}
