/**
 * Threats, chain state, tokens and the ingest ledger in SQLite. Every value travels as a bound
 * parameter; bodies are JSON. Writes of one commit go in one transaction, nested inside the
 * case's own write when the caller wraps both (see ThreatStore.atomic).
 */
import type Database from 'better-sqlite3';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  AgentInfo,
  AgentRegistry,
  BatchAck,
  ChainChanges,
  ChainRecord,
  ChainSnapshot,
  HitRecord,
  HostInfo,
  ProcessRecord,
  StateChange,
  ThreatQuery,
  ThreatRecord,
  ThreatState,
  ThreatStore,
  ThreatSummary,
  TokenRole,
} from '../threats.js';

type Row = Record<string, unknown>;

/** Largest page a list returns, whatever is asked. */
const MAX_PAGE = 1000;

function page(limit: number | undefined, fallback: number): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.max(0, Math.min(MAX_PAGE, Math.floor(limit)));
}

function offsetOf(offset: number | undefined): number {
  return offset !== undefined && Number.isFinite(offset) ? Math.max(0, Math.floor(offset)) : 0;
}

export class SqliteThreatStore implements ThreatStore {
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    readonly caseId: number,
  ) {
    this.st = {
      proc: db.prepare('INSERT INTO chain_processes(case_id, key, chain_id, body) VALUES (?, ?, ?, ?) ON CONFLICT(case_id, key) DO UPDATE SET chain_id = excluded.chain_id, body = excluded.body'),
      procDel: db.prepare('DELETE FROM chain_processes WHERE case_id = ? AND key = ?'),
      chain: db.prepare(
        'INSERT INTO chains(case_id, id, host, open, last_seen, threat_id, body) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(case_id, id) DO UPDATE SET host = excluded.host, open = excluded.open, last_seen = excluded.last_seen, threat_id = excluded.threat_id, body = excluded.body',
      ),
      chainDel: db.prepare('DELETE FROM chains WHERE case_id = ? AND id = ?'),
      hitsOfClosed: db.prepare('DELETE FROM chain_hits WHERE case_id = ? AND chain_id = ? AND NOT EXISTS (SELECT 1 FROM threats t WHERE t.case_id = ? AND t.chain_id = ?)'),
      hit: db.prepare('INSERT OR IGNORE INTO chain_hits(case_id, chain_id, ts, process_key, alert_id, body) VALUES (?, ?, ?, ?, ?, ?)'),
      hitMove: db.prepare('UPDATE OR IGNORE chain_hits SET chain_id = ? WHERE case_id = ? AND chain_id = ?'),
      hitRekey: db.prepare('UPDATE OR IGNORE chain_hits SET process_key = ? WHERE case_id = ? AND process_key = ?'),
      threat: db.prepare(
        `INSERT INTO threats(case_id, id, chain_id, host, score, level, open, first_seen, last_seen, merged_into, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(case_id, id) DO UPDATE SET chain_id = excluded.chain_id, host = excluded.host, score = excluded.score, level = excluded.level,
           open = excluded.open, first_seen = min(threats.first_seen, excluded.first_seen), last_seen = max(threats.last_seen, excluded.last_seen),
           merged_into = coalesce(excluded.merged_into, threats.merged_into), body = excluded.body`,
      ),
      threatMerged: db.prepare('UPDATE threats SET merged_into = ?, open = 0 WHERE case_id = ? AND id = ?'),
      clock: db.prepare('INSERT INTO chain_clocks(case_id, host, clock) VALUES (?, ?, ?) ON CONFLICT(case_id, host) DO UPDATE SET clock = max(chain_clocks.clock, excluded.clock)'),
    };
  }

  atomic<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  saveChanges(c: ChainChanges): void {
    const cid = this.caseId;
    this.atomic(() => {
      for (const k of c.removedProcesses) this.st.procDel.run(cid, k);
      for (const p of c.processes) this.st.proc.run(cid, p.key, p.chainId ?? null, JSON.stringify(p));
      for (const m of c.hitMoves) this.st.hitMove.run(m.to, cid, m.from);
      for (const r of c.processRekeys) this.st.hitRekey.run(r.to, cid, r.from);
      for (const h of c.hits) this.st.hit.run(cid, h.chainId, h.time, h.processKey, h.alertId, JSON.stringify(h));
      for (const t of c.threats)
        this.st.threat.run(cid, t.id, t.chainId, t.host, t.score, t.level, t.open ? 1 : 0, t.firstSeen, t.lastSeen, t.mergedInto ?? null, JSON.stringify(t));
      for (const m of c.mergedThreats) this.st.threatMerged.run(m.into, cid, m.from);
      for (const ch of c.chains) this.st.chain.run(cid, ch.id, ch.host, ch.open ? 1 : 0, ch.lastSeen, ch.threatId ?? null, JSON.stringify(ch));
      // A chain that closed without becoming a threat leaves nothing behind (its alerts stay).
      for (const id of c.removedChains) {
        this.st.chainDel.run(cid, id);
        this.st.hitsOfClosed.run(cid, id, cid, id);
      }
      for (const [h, t] of c.clocks) this.st.clock.run(cid, h, t);
    });
  }

  loadState(): ChainSnapshot {
    const processes = (this.db.prepare('SELECT body FROM chain_processes WHERE case_id = ?').all(this.caseId) as Row[]).map((r) => JSON.parse(r.body as string) as ProcessRecord);
    const chains = (this.db.prepare('SELECT body FROM chains WHERE case_id = ? AND open = 1').all(this.caseId) as Row[]).map((r) => JSON.parse(r.body as string) as ChainRecord);
    const clocks = (this.db.prepare('SELECT host, clock FROM chain_clocks WHERE case_id = ?').all(this.caseId) as Row[]).map((r) => [r.host as string, r.clock as number] as [string, number]);
    return { processes, chains, clocks };
  }

  clearState(): void {
    this.atomic(() => {
      this.db.prepare('DELETE FROM chain_processes WHERE case_id = ?').run(this.caseId);
      this.db.prepare('DELETE FROM chains WHERE case_id = ?').run(this.caseId);
      this.db.prepare('DELETE FROM chain_clocks WHERE case_id = ?').run(this.caseId);
    });
  }

  private where(q: ThreatQuery): { sql: string; args: unknown[] } {
    const w = ['case_id = ?'];
    const args: unknown[] = [this.caseId];
    if (q.state !== undefined) {
      w.push('state = ?');
      args.push(q.state);
    }
    if (q.host !== undefined) {
      w.push('lower(host) = lower(?)');
      args.push(q.host);
    }
    if (q.open !== undefined) {
      w.push('open = ?');
      args.push(q.open ? 1 : 0);
    }
    if (!q.includeMerged) w.push('merged_into IS NULL');
    return { sql: w.join(' AND '), args };
  }

  private fromRow(r: Row): ThreatRecord {
    const t = JSON.parse(r.body as string) as ThreatRecord;
    t.state = r.state as ThreatState;
    if (r.state_by !== null) t.stateBy = r.state_by as string;
    else delete t.stateBy;
    if (r.state_at !== null) t.stateAt = r.state_at as number;
    else delete t.stateAt;
    if (r.state_note !== null) t.stateNote = r.state_note as string;
    else delete t.stateNote;
    if (r.merged_into !== null) t.mergedInto = r.merged_into as string;
    t.open = r.open === 1;
    return t;
  }

  listThreats(q: ThreatQuery = {}): ThreatSummary[] {
    const { sql, args } = this.where(q);
    const rows = this.db
      .prepare(`SELECT * FROM threats WHERE ${sql} ORDER BY last_seen DESC, id LIMIT ? OFFSET ?`)
      .all(...args, page(q.limit, 100), offsetOf(q.offset)) as Row[];
    return rows.map((r) => {
      const { tree: _tree, ...rest } = this.fromRow(r);
      return rest;
    });
  }

  countThreats(q: ThreatQuery = {}): number {
    const { sql, args } = this.where(q);
    return (this.db.prepare(`SELECT count(*) AS n FROM threats WHERE ${sql}`).get(...args) as { n: number }).n;
  }

  threat(id: string): ThreatRecord | undefined {
    const r = this.db.prepare('SELECT * FROM threats WHERE case_id = ? AND id = ?').get(this.caseId, id) as Row | undefined;
    return r ? this.fromRow(r) : undefined;
  }

  hits(chainId: string, limit?: number, offset?: number): HitRecord[] {
    return (this.db
      .prepare('SELECT body FROM chain_hits WHERE case_id = ? AND chain_id = ? ORDER BY ts, pk LIMIT ? OFFSET ?')
      .all(this.caseId, chainId, page(limit, 1000), offsetOf(offset)) as Row[]).map((r) => JSON.parse(r.body as string) as HitRecord);
  }

  hitCount(chainId: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM chain_hits WHERE case_id = ? AND chain_id = ?').get(this.caseId, chainId) as { n: number }).n;
  }

  setState(id: string, state: ThreatState, by: string, note?: string): StateChange | undefined {
    const at = Date.now();
    return this.atomic(() => {
      const r = this.db
        .prepare('UPDATE threats SET state = ?, state_by = ?, state_at = ?, state_note = ? WHERE case_id = ? AND id = ?')
        .run(state, by, at, note ?? null, this.caseId, id);
      if (r.changes === 0) return undefined;
      this.db.prepare('INSERT INTO threat_states(case_id, threat_id, state, by, at, note) VALUES (?, ?, ?, ?, ?, ?)').run(this.caseId, id, state, by, at, note ?? null);
      const change: StateChange = { threatId: id, state, by, at };
      if (note !== undefined) change.note = note;
      return change;
    });
  }

  stateHistory(id: string): StateChange[] {
    return (this.db.prepare('SELECT * FROM threat_states WHERE case_id = ? AND threat_id = ? ORDER BY at, pk').all(this.caseId, id) as Row[]).map((r) => {
      const c: StateChange = { threatId: id, state: r.state as ThreatState, by: r.by as string, at: r.at as number };
      if (r.note !== null) c.note = r.note as string;
      return c;
    });
  }

  noteHosts(rows: { host: string; events: number; first: number; last: number; agent?: string }[]): void {
    const st = this.db.prepare(
      `INSERT INTO live_hosts(case_id, host, events, first_seen, last_seen, agent) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(case_id, host) DO UPDATE SET events = live_hosts.events + excluded.events,
         first_seen = min(live_hosts.first_seen, excluded.first_seen), last_seen = max(live_hosts.last_seen, excluded.last_seen),
         agent = coalesce(excluded.agent, live_hosts.agent)`,
    );
    for (const r of rows) st.run(this.caseId, r.host, r.events, r.first, r.last, r.agent ?? null);
  }

  hosts(): HostInfo[] {
    const rows = this.db
      .prepare(
        `SELECT h.host, h.events, h.first_seen, h.last_seen, h.agent,
           (SELECT count(*) FROM chains c WHERE c.case_id = h.case_id AND lower(c.host) = lower(h.host) AND c.open = 1) AS open_chains,
           (SELECT count(*) FROM threats t WHERE t.case_id = h.case_id AND lower(t.host) = lower(h.host) AND t.merged_into IS NULL) AS threats
         FROM live_hosts h WHERE h.case_id = ? ORDER BY h.host`,
      )
      .all(this.caseId) as Row[];
    return rows.map((r) => {
      const h: HostInfo = {
        host: r.host as string,
        events: r.events as number,
        firstSeen: r.first_seen as number,
        lastSeen: r.last_seen as number,
        openChains: r.open_chains as number,
        threats: r.threats as number,
      };
      if (r.agent !== null) h.agent = r.agent as string;
      return h;
    });
  }

  batch(agentId: number, key: string): BatchAck | undefined {
    const r = this.db.prepare('SELECT * FROM ingest_batches WHERE case_id = ? AND agent_id = ? AND key = ?').get(this.caseId, agentId, key) as Row | undefined;
    return r ? { accepted: r.accepted as number, rejected: r.rejected as number, firstSeq: r.first_seq as number, at: r.at as number } : undefined;
  }

  recordBatch(agentId: number, key: string, ack: BatchAck): void {
    this.db
      .prepare('INSERT OR REPLACE INTO ingest_batches(case_id, agent_id, key, accepted, rejected, first_seq, at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(this.caseId, agentId, key, ack.accepted, ack.rejected, ack.firstSeq, ack.at);
  }

  pruneBatches(olderThan: number): number {
    return this.db.prepare('DELETE FROM ingest_batches WHERE case_id = ? AND at < ?').run(this.caseId, olderThan).changes;
  }

  lastSeq(evidenceId: number): number {
    // Event primary keys are evidence id * 2^26 + seq (see the first migration).
    const lo = evidenceId * 2 ** 26;
    const r = this.db.prepare('SELECT max(pk) AS m FROM events WHERE pk >= ? AND pk < ?').get(lo, lo + 2 ** 26) as { m: number | null };
    return r.m === null ? 0 : r.m - lo;
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class SqliteAgentRegistry implements AgentRegistry {
  constructor(private readonly db: Database.Database) {}

  private static info(r: Row): AgentInfo {
    const a: AgentInfo = { id: r.id as number, name: r.name as string, role: r.role as TokenRole, created: r.created as number };
    if (r.revoked !== null) a.revoked = r.revoked as number;
    return a;
  }

  private static newToken(role: TokenRole): string {
    // 32 random bytes: guessing is hopeless, so a fast hash is enough to keep them out of the file.
    return `${role === 'analyst' ? 'lpa' : 'lpg'}_${randomBytes(32).toString('base64url')}`;
  }

  add(name: string, role: TokenRole): { agent: AgentInfo; token: string } {
    if (!NAME.test(name)) throw new Error(`agent name must be 1-64 letters, digits, '.', '_', '@' or '-' (got ${JSON.stringify(name.slice(0, 80))})`);
    const exists = this.db.prepare('SELECT id FROM agents WHERE name = ?').get(name);
    if (exists) throw new Error(`there is already a token named ${name} (rotate it with --rotate, or revoke it)`);
    const token = SqliteAgentRegistry.newToken(role);
    const info = this.db.prepare('INSERT INTO agents(name, role, token_sha256, created) VALUES (?, ?, ?, ?)').run(name, role, sha256(token), Date.now());
    const r = this.db.prepare('SELECT * FROM agents WHERE id = ?').get(Number(info.lastInsertRowid)) as Row;
    return { agent: SqliteAgentRegistry.info(r), token };
  }

  rotate(name: string): { agent: AgentInfo; token: string } | undefined {
    const r = this.db.prepare('SELECT * FROM agents WHERE name = ?').get(name) as Row | undefined;
    if (!r) return undefined;
    const token = SqliteAgentRegistry.newToken(r.role as TokenRole);
    this.db.prepare('UPDATE agents SET token_sha256 = ?, revoked = NULL WHERE id = ?').run(sha256(token), r.id);
    return { agent: SqliteAgentRegistry.info({ ...r, revoked: null }), token };
  }

  list(): AgentInfo[] {
    return (this.db.prepare('SELECT * FROM agents ORDER BY name').all() as Row[]).map(SqliteAgentRegistry.info);
  }

  revoke(name: string): boolean {
    return this.db.prepare('UPDATE agents SET revoked = ? WHERE name = ? AND revoked IS NULL').run(Date.now(), name).changes > 0;
  }

  verify(token: string): AgentInfo | undefined {
    if (typeof token !== 'string' || token.length < 10 || token.length > 200) return undefined;
    const h = sha256(token);
    const r = this.db.prepare('SELECT * FROM agents WHERE token_sha256 = ?').get(h) as Row | undefined;
    if (!r || r.revoked !== null) return undefined;
    // The lookup is by hash; compare again in constant time all the same.
    if (!timingSafeEqual(Buffer.from(r.token_sha256 as string, 'hex'), Buffer.from(h, 'hex'))) return undefined;
    return SqliteAgentRegistry.info(r);
  }
}
