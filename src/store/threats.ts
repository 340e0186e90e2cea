/**
 * The store's side of process chains and the live server, as the rest of Loupe sees it: threats
 * and their hits, the open chains' state (so that a restart resumes them), analyst states, agent
 * and analyst tokens, acknowledged ingest batches and per-host counters. SQLite implements it in
 * sqlite/threats.ts; nothing above this file knows SQL.
 */
import type { Level } from '../detect/types.js';
import { SqliteStore } from './sqlite/store.js';
import { SqliteAgentRegistry, SqliteThreatStore } from './sqlite/threats.js';
import type { CaseStore, Store } from './types.js';
import type { HitRecord, ProcessFacts, ThreatRecord, ThreatState, ThreatSummary } from './threat-shapes.js';

export { THREAT_STATES } from './threat-shapes.js';
export type { Attribution, HitRecord, ProcessFacts, ThreatHitSummary, ThreatNode, ThreatRecord, ThreatState, ThreatSummary, ThreatTechnique } from './threat-shapes.js';

/** A process as saved with its open chain. */
export interface ProcessRecord extends ProcessFacts {
  key: string;
  host: string;
  chainId?: string;
  parentKey?: string;
  guid?: string;
  firstSeen: number;
  lastSeen: number;
}

/** A rule's hits on a chain, folded (what scoring needs). */
export interface RuleAggregate {
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  points: number;
  techniques: string[];
  tactics: string[];
  count: number;
  first: number;
  last: number;
  /** process key → hits on it */
  processes: [string, number][];
}

export interface ChainRecord {
  id: string;
  host: string;
  headKey: string;
  open: boolean;
  firstSeen: number;
  lastSeen: number;
  lastEnd?: number;
  threatId?: string;
  hitCount: number;
  rules: RuleAggregate[];
  /** The head's parent when it is a root (explorer.exe ...), for context in trees. */
  rootKey?: string;
  rootImage?: string;
  /** Score, techniques and level at the last threat alert (to emit only on change). */
  alerted?: { score: number; techniques: number; lastSeen: number };
}

export interface StateChange {
  threatId: string;
  state: ThreatState;
  by: string;
  at: number;
  note?: string;
}

/** What changed in the chain engine since the last commit. */
export interface ChainChanges {
  processes: ProcessRecord[];
  removedProcesses: string[];
  chains: ChainRecord[];
  removedChains: string[];
  hits: HitRecord[];
  /** Hits of a chain absorbed by another. */
  hitMoves: { from: string; to: string }[];
  /** A process learnt its GUID (or was found to be another sighting). */
  processRekeys: { from: string; to: string }[];
  threats: ThreatRecord[];
  mergedThreats: { from: string; into: string }[];
  /** Event-time clock per host (idle timeouts). */
  clocks: [string, number][];
}

export interface ChainSnapshot {
  processes: ProcessRecord[];
  chains: ChainRecord[];
  clocks: [string, number][];
}

export interface ThreatQuery {
  state?: ThreatState;
  host?: string;
  open?: boolean;
  /** Threats merged into others are left out unless asked for. */
  includeMerged?: boolean;
  limit?: number;
  offset?: number;
}

export interface HostInfo {
  host: string;
  events: number;
  firstSeen: number;
  lastSeen: number;
  agent?: string;
  openChains: number;
  threats: number;
}

export interface BatchAck {
  accepted: number;
  rejected: number;
  firstSeq: number;
  at: number;
}

export interface ThreatStore {
  /** Runs `fn` in one transaction (nested writes, the case's included, commit together). */
  atomic<T>(fn: () => T): T;
  saveChanges(c: ChainChanges): void;
  loadState(): ChainSnapshot;
  /** Forgets the saved open-chain state (a hunt rebuilds from scratch). */
  clearState(): void;
  listThreats(q?: ThreatQuery): ThreatSummary[];
  countThreats(q?: ThreatQuery): number;
  threat(id: string): ThreatRecord | undefined;
  hits(chainId: string, limit?: number, offset?: number): HitRecord[];
  hitCount(chainId: string): number;
  /** Sets an analyst state; undefined when there is no such threat. */
  setState(id: string, state: ThreatState, by: string, note?: string): StateChange | undefined;
  stateHistory(id: string): StateChange[];
  /** Live ingest: per-host counters, the batch ledger, the next sequence number of an evidence. */
  noteHosts(rows: { host: string; events: number; first: number; last: number; agent?: string }[]): void;
  hosts(): HostInfo[];
  batch(agentId: number, key: string): BatchAck | undefined;
  recordBatch(agentId: number, key: string, ack: BatchAck): void;
  pruneBatches(olderThan: number): number;
  lastSeq(evidenceId: number): number;
}

export type TokenRole = 'agent' | 'analyst';

export interface AgentInfo {
  id: number;
  name: string;
  role: TokenRole;
  created: number;
  revoked?: number;
}

/** Agent and analyst tokens. Tokens are shown once and stored only as their SHA-256. */
export interface AgentRegistry {
  add(name: string, role: TokenRole): { agent: AgentInfo; token: string };
  /** A new token for an existing name (the old one stops working). */
  rotate(name: string): { agent: AgentInfo; token: string } | undefined;
  list(): AgentInfo[];
  revoke(name: string): boolean;
  verify(token: string): AgentInfo | undefined;
}

/** The threat store of a case, in the same database as the case. */
export function openThreatStore(store: Store, caseStore: CaseStore): ThreatStore {
  if (!(store instanceof SqliteStore)) throw new Error('threats need the SQLite store');
  return new SqliteThreatStore(store.db, caseStore.id);
}

export function openAgentRegistry(store: Store): AgentRegistry {
  if (!(store instanceof SqliteStore)) throw new Error('agents need the SQLite store');
  return new SqliteAgentRegistry(store.db);
}
