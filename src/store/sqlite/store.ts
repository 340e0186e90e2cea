/**
 * The embedded store: one SQLite file (WAL mode), many cases. Writes come in batches, one
 * transaction each, through prepared statements. Every write is idempotent: events, nodes and
 * edge occurrences are keyed by stable ids, so analysing the same evidence twice into a case
 * changes nothing.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Alert, Level } from '../../detect/types.js';
import type { EdgeOccurrence, GraphNode, NodeType, EdgeType } from '../../graph/types.js';
import type {
  PreparedEvent,
  CaseCounts,
  CaseInfo,
  CaseStore,
  EventQuery,
  EvidenceRecord,
  NodeEdges,
  NodeEdgesQuery,
  NodeQuery,
  SearchHit,
  Store,
  StoredEdge,
  StoredEvent,
  WriteBatch,
} from '../types.js';
import { migrate } from './migrations.js';
import { compact, rehydrate, type CompactEvent } from '../../normalize/rehydrate.js';

type Row = Record<string, unknown>;

/**
 * Events as rows: the primary key is evidence id * 2^26 + the event's number in its evidence,
 * the same when the same evidence is read again into the case; the body is the compact form.
 */
export function prepareEvents(events: StoredEvent[]): PreparedEvent[] {
  return events.map((ev) => {
    const e = ev.event;
    return { pk: ev.evidenceId * 2 ** 26 + ev.seq, id: ev.id, evidenceId: ev.evidenceId, ts: e['@timestamp'], host: e.host?.name ?? null, action: e.event.action, body: JSON.stringify(compact(e)) };
  });
}

export function openSqliteStore(path: string): SqliteStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // The analyze pipeline writes from a second connection (async-writer.ts): wait, do not fail.
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // 16 MiB per connection: over a 1.5 GB store, 64 MiB was no faster (the OS caches the file
  // anyway) and cost ~65 MB of peak memory with two connections open during analyze.
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
  migrate(db);
  return new SqliteStore(db);
}

export class SqliteStore implements Store {
  constructor(readonly db: Database.Database) {}

  openCase(name: string): CaseStore {
    const existing = this.findCase(name);
    if (existing) return existing;
    const info = this.db.prepare('INSERT INTO cases(name, created) VALUES (?, ?)').run(name, Date.now());
    return new SqliteCase(this.db, Number(info.lastInsertRowid), name);
  }

  findCase(name: string): CaseStore | undefined {
    const row = this.db.prepare('SELECT id FROM cases WHERE name = ?').get(name) as { id: number } | undefined;
    return row ? new SqliteCase(this.db, row.id, name) : undefined;
  }

  listCases(): CaseInfo[] {
    return (this.db
      .prepare(
        `SELECT c.id, c.name, c.created,
           (SELECT count(*) FROM evidence e WHERE e.case_id = c.id) AS evidence,
           (SELECT count(*) FROM events v WHERE v.case_id = c.id) AS events,
           (SELECT count(*) FROM alerts a WHERE a.case_id = c.id) AS alerts
         FROM cases c ORDER BY c.id`,
      )
      .all() as CaseInfo[]);
  }

  close(): void {
    this.db.close();
  }
}

/** An edge from its row and its occurrence statistics (`count`, `first_seen`, `last_seen`). */
function edgeFromRow(r: Row, stats: Row): StoredEdge {
  return {
    id: r.id as string,
    type: r.type as EdgeType,
    src: r.src as string,
    dst: r.dst as string,
    count: stats.count as number,
    firstSeen: (stats.first_seen as number | null) ?? undefined,
    lastSeen: (stats.last_seen as number | null) ?? undefined,
  };
}

function nodeFromRow(r: Row): GraphNode {
  return {
    id: r.id as string,
    type: r.type as NodeType,
    key: r.key as string,
    label: r.label as string,
    props: JSON.parse(r.props as string),
    text: (r.text as string | null) ?? undefined,
    firstSeen: (r.first_seen as number | null) ?? undefined,
    lastSeen: (r.last_seen as number | null) ?? undefined,
  };
}

class SqliteCase implements CaseStore {
  private readonly st;
  private readonly writeTx: (b: WriteBatch) => void;

  constructor(private readonly db: Database.Database, readonly id: number, readonly name: string) {
    this.st = {
      event: db.prepare('INSERT OR IGNORE INTO events(pk, case_id, id, evidence_id, ts, host, action, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      nodeGet: db.prepare('SELECT pk, label, props, text, first_seen, last_seen FROM nodes WHERE case_id = ? AND id = ?'),
      nodeInsert: db.prepare('INSERT INTO nodes(case_id, id, type, key, label, props, text, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      nodeUpdate: db.prepare('UPDATE nodes SET label = ?, props = ?, text = ?, first_seen = ?, last_seen = ? WHERE pk = ?'),
      textInsert: db.prepare('INSERT INTO node_text(rowid, text) VALUES (?, ?)'),
      textDelete: db.prepare('DELETE FROM node_text WHERE rowid = ?'),
      occurrence: db.prepare('INSERT OR IGNORE INTO occurrences(case_id, edge_id, event_id, seq, ts, details) VALUES (?, ?, ?, ?, ?, ?)'),
      edge: db.prepare('INSERT OR IGNORE INTO edges(case_id, id, type, src, dst) VALUES (?, ?, ?, ?, ?)'),
      alert: db.prepare(
        `INSERT INTO alerts(case_id, id, detector, rule_id, title, level, ts, last_ts, host, count, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(case_id, id) DO UPDATE SET
           ts = min(alerts.ts, excluded.ts), last_ts = max(coalesce(alerts.last_ts, excluded.last_ts), coalesce(excluded.last_ts, alerts.last_ts)),
           count = max(alerts.count, excluded.count), body = excluded.body, level = excluded.level, title = excluded.title`,
      ),
    };
    this.writeTx = db.transaction((b: WriteBatch) => this.writeNow(b));
  }

  addEvidence(e: Omit<EvidenceRecord, 'id' | 'added'>): number {
    if (e.sha256) {
      const old = this.db.prepare('SELECT id FROM evidence WHERE case_id = ? AND sha256 = ? AND name = ?').get(this.id, e.sha256, e.name) as { id: number } | undefined;
      if (old) {
        this.updateEvidence(old.id, e);
        return old.id;
      }
    }
    const info = this.db
      .prepare('INSERT INTO evidence(case_id, name, sha256, format, size, records, errors, error_samples, facts, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(this.id, e.name, e.sha256 ?? null, e.format, e.size ?? null, e.records, e.errors, JSON.stringify(e.errorSamples), e.facts ? JSON.stringify(e.facts) : null, Date.now());
    return Number(info.lastInsertRowid);
  }

  updateEvidence(id: number, e: Partial<Omit<EvidenceRecord, 'id' | 'added'>>): void {
    const sets: string[] = [];
    const vals: unknown[] = [];
    const col = (c: string, v: unknown) => {
      sets.push(`${c} = ?`);
      vals.push(v);
    };
    if (e.name !== undefined) col('name', e.name);
    if (e.sha256 !== undefined) col('sha256', e.sha256);
    if (e.format !== undefined) col('format', e.format);
    if (e.size !== undefined) col('size', e.size);
    if (e.records !== undefined) col('records', e.records);
    if (e.errors !== undefined) col('errors', e.errors);
    if (e.errorSamples !== undefined) col('error_samples', JSON.stringify(e.errorSamples));
    if (e.facts !== undefined) col('facts', JSON.stringify(e.facts));
    if (!sets.length) return;
    this.db.prepare(`UPDATE evidence SET ${sets.join(', ')} WHERE id = ? AND case_id = ?`).run(...vals, id, this.id);
  }

  listEvidence(): EvidenceRecord[] {
    return (this.db.prepare('SELECT * FROM evidence WHERE case_id = ? ORDER BY id').all(this.id) as Row[]).map((r) => ({
      id: r.id as number,
      name: r.name as string,
      sha256: (r.sha256 as string | null) ?? undefined,
      format: r.format as string,
      size: (r.size as number | null) ?? undefined,
      records: r.records as number,
      errors: r.errors as number,
      errorSamples: JSON.parse(r.error_samples as string),
      facts: r.facts ? JSON.parse(r.facts as string) : undefined,
      added: r.added as number,
    }));
  }

  write(batch: WriteBatch): void {
    this.writeTx(batch);
  }

  private writeNow(b: WriteBatch): void {
    const cid = this.id;
    for (const p of b.events ? prepareEvents(b.events) : []) this.st.event.run(p.pk, cid, p.id, p.evidenceId, p.ts, p.host, p.action, p.body);
    for (const p of b.prepared ?? []) this.st.event.run(p.pk, cid, p.id, p.evidenceId, p.ts, p.host, p.action, p.body);
    for (const n of b.nodes ?? []) this.writeNode(n);
    for (const o of b.occurrences ?? []) this.st.occurrence.run(cid, o.edgeId, o.eventId, o.seq, o.time, o.details ? JSON.stringify(o.details) : null);
    for (const e of b.edges ?? []) this.st.edge.run(cid, e.id, e.type, e.src, e.dst);
    for (const al of b.alerts ?? []) {
      this.st.alert.run(cid, al.id, al.detector, al.ruleId, al.title, al.level, al.time, al.lastTime ?? null, al.host ?? null, al.count, JSON.stringify(al));
    }
    for (const ev of b.evidence ?? []) this.updateEvidence(ev.id, ev.record);
  }

  /**
   * A node merges into what is stored: the first value of each property stays, a label and a
   * longer search text are taken when new, the seen times widen. Alert nodes are the exception:
   * an alert grows as its evidence does (a threat's score and title), so its newest label and
   * properties win. The text index follows.
   */
  private writeNode(n: GraphNode): void {
    const old = this.st.nodeGet.get(this.id, n.id) as Row | undefined;
    if (!old) {
      const r = this.st.nodeInsert.run(this.id, n.id, n.type, n.key, n.label, JSON.stringify(n.props), n.text ?? null, n.firstSeen ?? null, n.lastSeen ?? null);
      if (n.text) this.st.textInsert.run(r.lastInsertRowid, n.text);
      return;
    }
    const newestWins = n.type === 'Alert';
    const props = JSON.parse(old.props as string) as Record<string, unknown>;
    let changed = false;
    for (const k in n.props) {
      if (n.props[k] === undefined) continue;
      if (props[k] === undefined || (newestWins && JSON.stringify(props[k]) !== JSON.stringify(n.props[k]))) {
        props[k] = n.props[k];
        changed = true;
      }
    }
    const label = newestWins && n.label ? n.label : (old.label as string) || n.label;
    const oldText = (old.text as string | null) ?? undefined;
    const text = newestWins && n.text ? n.text : n.text && n.text.length > (oldText?.length ?? 0) ? n.text : oldText;
    const first = Math.min((old.first_seen as number | null) ?? Infinity, n.firstSeen ?? Infinity);
    const last = Math.max((old.last_seen as number | null) ?? -Infinity, n.lastSeen ?? -Infinity);
    if (!changed && label === old.label && text === oldText && first === old.first_seen && last === old.last_seen) return;
    this.st.nodeUpdate.run(label, changed ? JSON.stringify(props) : old.props, text ?? null, Number.isFinite(first) ? first : null, Number.isFinite(last) ? last : null, old.pk);
    if (text !== oldText) {
      if (oldText) this.st.textDelete.run(old.pk);
      if (text) this.st.textInsert.run(old.pk, text);
    }
  }

  counts(): CaseCounts {
    const events = (this.db.prepare('SELECT count(*) AS n FROM events WHERE case_id = ?').get(this.id) as { n: number }).n;
    const nodesByType: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT type, count(*) AS n FROM nodes WHERE case_id = ? GROUP BY type ORDER BY type').all(this.id) as Row[])
      nodesByType[r.type as string] = r.n as number;
    const edgesByType: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT type, count(*) AS n FROM edges WHERE case_id = ? GROUP BY type ORDER BY type').all(this.id) as Row[])
      edgesByType[r.type as string] = r.n as number;
    const alertsByLevel: Partial<Record<Level, number>> = {};
    for (const r of this.db.prepare('SELECT level, count(*) AS n FROM alerts WHERE case_id = ? GROUP BY level').all(this.id) as Row[])
      alertsByLevel[r.level as Level] = r.n as number;
    return { events, nodesByType, edgesByType, alertsByLevel };
  }

  search(text: string, limit = 50): SearchHit[] {
    const q = text.trim();
    if (!q) return [];
    let rows: Row[];
    if (q.length >= 3) {
      // A quoted FTS5 string is a phrase: with the trigram tokenizer, a substring match.
      const phrase = `"${q.replace(/"/g, '""')}"`;
      rows = this.db
        .prepare(
          `SELECT n.* FROM nodes n WHERE n.pk IN (SELECT rowid FROM node_text WHERE node_text MATCH ?)
           AND n.case_id = ? ORDER BY n.type, n.label LIMIT ?`,
        )
        .all(phrase, this.id, limit) as Row[];
    } else {
      rows = this.db
        .prepare(`SELECT * FROM nodes WHERE case_id = ? AND instr(lower(text), lower(?)) > 0 ORDER BY type, label LIMIT ?`)
        .all(this.id, q, limit) as Row[];
    }
    return rows.map((r) => {
      const node = nodeFromRow(r);
      const t = node.text ?? node.label;
      const at = t.toLowerCase().indexOf(q.toLowerCase());
      const from = Math.max(0, at - 40);
      return { node, snippet: (from > 0 ? '…' : '') + t.slice(from, at + q.length + 80) };
    });
  }

  *nodes(): Iterable<GraphNode> {
    for (const r of this.db.prepare('SELECT * FROM nodes WHERE case_id = ? ORDER BY type, id').iterate(this.id) as Iterable<Row>) yield nodeFromRow(r);
  }

  *edges(): Iterable<StoredEdge> {
    const q = `SELECT e.id, e.type, e.src, e.dst, o.count, o.first_seen, o.last_seen FROM edges e
      JOIN (SELECT edge_id, count(*) AS count, min(ts) AS first_seen, max(ts) AS last_seen FROM occurrences WHERE case_id = ? GROUP BY edge_id) o
        ON o.edge_id = e.id
      WHERE e.case_id = ? ORDER BY e.type, e.id`;
    for (const r of this.db.prepare(q).iterate(this.id, this.id) as Iterable<Row>) yield edgeFromRow(r, r);
  }

  node(id: string): GraphNode | undefined {
    const r = this.db.prepare('SELECT * FROM nodes WHERE case_id = ? AND id = ?').get(this.id, id) as Row | undefined;
    return r ? nodeFromRow(r) : undefined;
  }

  occurrences(edgeId: string, limit = 1000): EdgeOccurrence[] {
    return (this.db.prepare('SELECT * FROM occurrences WHERE case_id = ? AND edge_id = ? ORDER BY ts, event_id, seq LIMIT ?').all(this.id, edgeId, limit) as Row[]).map(
      (r) => ({
        edgeId: r.edge_id as string,
        eventId: r.event_id as string,
        seq: r.seq as number,
        time: r.ts as number,
        details: r.details ? JSON.parse(r.details as string) : undefined,
      }),
    );
  }

  /** Count and first/last times of one edge, from its occurrences (as `edges()` computes them). */
  private withStats(r: Row): StoredEdge {
    const stats = this.db
      .prepare('SELECT count(*) AS count, min(ts) AS first_seen, max(ts) AS last_seen FROM occurrences WHERE case_id = ? AND edge_id = ?')
      .get(this.id, r.id) as Row;
    return edgeFromRow(r, stats);
  }

  edge(id: string): StoredEdge | undefined {
    const r = this.db.prepare('SELECT id, type, src, dst FROM edges WHERE case_id = ? AND id = ?').get(this.id, id) as Row | undefined;
    return r ? this.withStats(r) : undefined;
  }

  edgesOf(nodeId: string, q: NodeEdgesQuery = {}): NodeEdges {
    const byType: NodeEdges['byType'] = {};
    const counts = this.db.prepare('SELECT type, sum(src = ?) AS o, sum(dst = ?) AS i FROM edges WHERE case_id = ? AND (src = ? OR dst = ?) GROUP BY type ORDER BY type');
    for (const r of counts.all(nodeId, nodeId, this.id, nodeId, nodeId) as Row[]) byType[r.type as string] = { in: r.i as number, out: r.o as number };
    const dir = q.direction ?? 'both';
    const where = [dir === 'out' ? 'src = ?' : dir === 'in' ? 'dst = ?' : '(src = ? OR dst = ?)'];
    const args: unknown[] = dir === 'both' ? [nodeId, nodeId] : [nodeId];
    if (q.types) {
      where.push(`type IN (${q.types.map(() => '?').join(', ') || 'NULL'})`);
      args.push(...q.types);
    }
    const cond = `case_id = ? AND ${where.join(' AND ')}`;
    const total = (this.db.prepare(`SELECT count(*) AS n FROM edges WHERE ${cond}`).get(this.id, ...args) as Row).n as number;
    const limit = Math.max(0, Math.floor(q.limit ?? 100));
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const rows = this.db
      .prepare(`SELECT id, type, src, dst FROM edges WHERE ${cond} ORDER BY type, CASE WHEN src = ? THEN dst ELSE src END, id LIMIT ? OFFSET ?`)
      .all(this.id, ...args, nodeId, limit, offset) as Row[];
    return { total, byType, edges: rows.map((r) => this.withStats(r)) };
  }

  findNodes(q: NodeQuery): { total: number; nodes: GraphNode[] } {
    const where = ['n.case_id = ?'];
    const args: unknown[] = [this.id];
    if (q.type !== undefined) {
      where.push('n.type = ?');
      args.push(q.type);
    }
    if (q.keyPrefix !== undefined) {
      where.push('substr(n.key, 1, ?) = ?');
      args.push(q.keyPrefix.length, q.keyPrefix);
    }
    if (q.withoutIncoming !== undefined) {
      where.push('NOT EXISTS (SELECT 1 FROM edges e WHERE e.case_id = n.case_id AND e.dst = n.id AND e.type = ?)');
      args.push(q.withoutIncoming);
    }
    const cond = where.join(' AND ');
    const total = (this.db.prepare(`SELECT count(*) AS c FROM nodes n WHERE ${cond}`).get(...args) as Row).c as number;
    const limit = Math.max(0, Math.floor(q.limit ?? 100));
    const offset = Math.max(0, Math.floor(q.offset ?? 0));
    const rows = this.db.prepare(`SELECT n.* FROM nodes n WHERE ${cond} ORDER BY n.first_seen IS NULL, n.first_seen, n.id LIMIT ? OFFSET ?`).all(...args, limit, offset) as Row[];
    return { total, nodes: rows.map(nodeFromRow) };
  }

  *events(q: EventQuery = {}): Iterable<StoredEvent> {
    const where = ['case_id = ?'];
    const args: unknown[] = [this.id];
    if (q.from !== undefined) {
      where.push('ts >= ?');
      args.push(q.from);
    }
    if (q.to !== undefined) {
      where.push('ts <= ?');
      args.push(q.to);
    }
    if (q.host !== undefined) {
      where.push('lower(host) = lower(?)');
      args.push(q.host);
    }
    if (q.after !== undefined) {
      where.push('pk > ?');
      args.push(q.after.evidenceId * 2 ** 26 + q.after.seq);
    }
    const limit = q.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(q.limit))}` : '';
    const order = q.order === 'stored' ? 'pk' : 'ts, pk';
    const stmt = this.db.prepare(`SELECT pk, id, evidence_id, body FROM events WHERE ${where.join(' AND ')} ORDER BY ${order}${limit}`);
    const names = new Map<number, string>();
    const nameOf = this.db.prepare('SELECT name FROM evidence WHERE id = ?');
    for (const r of stmt.iterate(...args) as Iterable<Row>) {
      const evidenceId = r.evidence_id as number;
      let file = names.get(evidenceId);
      if (file === undefined) {
        file = (nameOf.get(evidenceId) as { name: string } | undefined)?.name ?? '';
        names.set(evidenceId, file);
      }
      const event = rehydrate(JSON.parse(r.body as string) as CompactEvent, file);
      if (event) yield { id: r.id as string, evidenceId, seq: (r.pk as number) % 2 ** 26, event };
    }
  }

  alerts(): Alert[] {
    return (this.db.prepare('SELECT body FROM alerts WHERE case_id = ? ORDER BY ts, id').all(this.id) as Row[]).map((r) => JSON.parse(r.body as string));
  }
}
