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
      -- An edge's count and first/last times are those of its occurrences (counted when read), so
      -- writing the same occurrence twice can never count twice.
      CREATE TABLE edges (
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        type TEXT NOT NULL,
        src TEXT NOT NULL,
        dst TEXT NOT NULL,
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
      -- Substring search (trigram) over command lines, paths, domains, URIs, registry keys. The
      -- index holds no copy of the text (contentless); rowid = nodes.pk. The store keeps it in step
      -- with nodes.text as it writes nodes (far cheaper than triggers on an external-content table).
      CREATE VIRTUAL TABLE node_text USING fts5(text, content='', contentless_delete=1, tokenize='trigram');
    `,
  },
  {
    name: 'process chains, threats and their hits, analyst states, agent tokens, ingest ledger, live hosts',
    sql: `
      -- Open chains' state, so that a restarted server resumes them (closed chains are removed).
      CREATE TABLE chain_processes (
        case_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        chain_id TEXT,
        body TEXT NOT NULL,
        PRIMARY KEY (case_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE chains (
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        host TEXT NOT NULL,
        open INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        threat_id TEXT,
        body TEXT NOT NULL,
        PRIMARY KEY (case_id, id)
      ) WITHOUT ROWID;
      CREATE TABLE chain_clocks (
        case_id INTEGER NOT NULL,
        host TEXT NOT NULL,
        clock INTEGER NOT NULL,
        PRIMARY KEY (case_id, host)
      ) WITHOUT ROWID;
      -- Every detector hit on a chain's processes.
      CREATE TABLE chain_hits (
        pk INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL,
        chain_id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        process_key TEXT NOT NULL,
        alert_id TEXT NOT NULL,
        body TEXT NOT NULL
      );
      CREATE UNIQUE INDEX chain_hits_alert ON chain_hits(case_id, alert_id, process_key);
      CREATE INDEX chain_hits_chain ON chain_hits(case_id, chain_id, ts);
      CREATE TABLE threats (
        case_id INTEGER NOT NULL,
        id TEXT NOT NULL,
        chain_id TEXT NOT NULL,
        host TEXT NOT NULL,
        score REAL NOT NULL,
        level TEXT NOT NULL,
        open INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        merged_into TEXT,
        state TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'handled', 'ignored')),
        state_by TEXT,
        state_at INTEGER,
        state_note TEXT,
        body TEXT NOT NULL,
        PRIMARY KEY (case_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX threats_seen ON threats(case_id, last_seen);
      CREATE INDEX threats_chain ON threats(case_id, chain_id);
      CREATE TABLE threat_states (
        pk INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL,
        threat_id TEXT NOT NULL,
        state TEXT NOT NULL,
        by TEXT NOT NULL,
        at INTEGER NOT NULL,
        note TEXT
      );
      CREATE INDEX threat_states_threat ON threat_states(case_id, threat_id, at);
      -- Tokens are stored as their SHA-256 only.
      CREATE TABLE agents (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('agent', 'analyst')),
        token_sha256 TEXT NOT NULL UNIQUE,
        created INTEGER NOT NULL,
        revoked INTEGER
      );
      -- Batches acknowledged to agents, by the agent's idempotency key: a retried batch is
      -- answered from here instead of being stored twice.
      CREATE TABLE ingest_batches (
        case_id INTEGER NOT NULL,
        agent_id INTEGER NOT NULL,
        key TEXT NOT NULL,
        accepted INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (case_id, agent_id, key)
      ) WITHOUT ROWID;
      CREATE TABLE live_hosts (
        case_id INTEGER NOT NULL,
        host TEXT NOT NULL,
        events INTEGER NOT NULL,
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        agent TEXT,
        PRIMARY KEY (case_id, host)
      ) WITHOUT ROWID;
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
