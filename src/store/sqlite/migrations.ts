/**
 * The SQLite schema, as an ordered list of migrations. `PRAGMA user_version` records how many
 * have run; opening a database runs the missing ones in one transaction each. Never edit a
 * migration that has shipped: add a new one.
 */
import type Database from 'better-sqlite3';

export interface Migration {
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    name: 'cases, evidence, events, graph, alerts, full-text search',
    sql: `
      CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL
      );
      CREATE TABLE evidence (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id),
        name TEXT NOT NULL,
        sha256 TEXT,
        format TEXT NOT NULL,
        size INTEGER,
        records INTEGER NOT NULL DEFAULT 0,
        errors INTEGER NOT NULL DEFAULT 0,
        error_samples TEXT NOT NULL DEFAULT '[]',
        facts TEXT,
        added INTEGER NOT NULL
      );
      CREATE INDEX evidence_case ON evidence(case_id);
      -- pk = evidence id * 2^26 + the event's number in its evidence: unique, and the same when
      -- the same evidence is read again into the case (its evidence row is reused).
      CREATE TABLE events (
        pk INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        evidence_id INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        host TEXT,
        action TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE INDEX events_ts ON events(case_id, ts);
      CREATE TABLE nodes (
        pk INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        key TEXT NOT NULL,
        label TEXT NOT NULL,
        props TEXT NOT NULL,
        text TEXT,
        first_seen INTEGER,
        last_seen INTEGER
      );
      CREATE UNIQUE INDEX nodes_id ON nodes(case_id, id);
      CREATE INDEX nodes_type ON nodes(case_id, type);
      CREATE TABLE edges (
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        src TEXT NOT NULL,
        dst TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_seen INTEGER,
        last_seen INTEGER,
        PRIMARY KEY (case_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX edges_src ON edges(case_id, src);
      CREATE INDEX edges_dst ON edges(case_id, dst);
      CREATE TABLE occurrences (
        case_id INTEGER NOT NULL,
        edge_id TEXT NOT NULL,
        event_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        details TEXT,
        PRIMARY KEY (case_id, edge_id, event_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE alerts (
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        detector TEXT NOT NULL,
        rule_id TEXT NOT NULL,
        title TEXT NOT NULL,
        level TEXT NOT NULL,
        ts INTEGER NOT NULL,
        last_ts INTEGER,
        host TEXT,
        count INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (case_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX alerts_ts ON alerts(case_id, ts);
      -- Substring search (trigram) over command lines, paths, domains, URIs, registry keys.
      CREATE VIRTUAL TABLE node_text USING fts5(text, content='nodes', content_rowid='pk', tokenize='trigram');
      CREATE TRIGGER nodes_text_insert AFTER INSERT ON nodes WHEN new.text IS NOT NULL BEGIN
        INSERT INTO node_text(rowid, text) VALUES (new.pk, new.text);
      END;
      CREATE TRIGGER nodes_text_update AFTER UPDATE OF text ON nodes WHEN old.text IS NOT new.text BEGIN
        INSERT INTO node_text(node_text, rowid, text) SELECT 'delete', old.pk, old.text WHERE old.text IS NOT NULL;
        INSERT INTO node_text(rowid, text) SELECT new.pk, new.text WHERE new.text IS NOT NULL;
      END;
    `,
  },
];

export function migrate(db: Database.Database, migrations: Migration[] = MIGRATIONS): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length)
    throw new Error(`database schema version ${current} is newer than this Loupe knows (${migrations.length}); upgrade Loupe`);
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v].sql);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
