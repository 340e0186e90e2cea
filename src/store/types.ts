/**
 * The store, as the rest of Loupe sees it. SQLite (sqlite/) is the embedded default; a server
 * database can implement the same interface later, so nothing above this file may know SQL.
 */
import type { Alert, Level } from '../detect/types.js';
import type { EdgeOccurrence, EdgeType, GraphEdge, GraphNode, NodeType } from '../graph/types.js';
import type { Event } from '../normalize/event.js';

export interface CaseInfo {
  id: number;
  name: string;
  created: number;
  evidence: number;
  events: number;
  alerts: number;
}

export interface EvidenceRecord {
  id: number;
  name: string;
  sha256?: string;
  format: string;
  size?: number;
  records: number;
  errors: number;
  /** The first reasons, with where they were ("line 12: invalid JSON ..."). */
  errorSamples: string[];
  facts?: Record<string, unknown>;
  added: number;
}

export interface StoredEvent {
  /** Stable id: the evidence's sha256 prefix and `seq` (`3f2a…:1234`). */
  id: string;
  evidenceId: number;
  /** The event's number within its evidence, from 1. */
  seq: number;
  event: Event;
}

/** An event already serialised for storage (see `prepareEvents`), cheap to hand to another thread. */
export interface PreparedEvent {
  pk: number;
  id: string;
  evidenceId: number;
  ts: number;
  host: string | null;
  action: string;
  body: string;
}

/** One transaction's worth of writes. */
export interface WriteBatch {
  /**
   * Evidence rows to update (records read, errors) in the same transaction as the batch: a file's
   * counts commit with its last events, and the reader goes on to the next file meanwhile.
   */
  evidence?: { id: number; record: Partial<Omit<EvidenceRecord, 'id' | 'added'>> }[];
  events?: StoredEvent[];
  prepared?: PreparedEvent[];
  nodes?: GraphNode[];
  edges?: GraphEdge[];
  occurrences?: EdgeOccurrence[];
  alerts?: Alert[];
}

export interface CaseCounts {
  events: number;
  nodesByType: Record<string, number>;
  edgesByType: Record<string, number>;
  alertsByLevel: Partial<Record<Level, number>>;
}

export interface SearchHit {
  node: GraphNode;
  snippet: string;
}

export interface StoredEdge extends GraphEdge {
  count: number;
  firstSeen?: number;
  lastSeen?: number;
}

export interface EventQuery {
  from?: number;
  to?: number;
  host?: string;
  limit?: number;
  /**
   * 'time' (default): by event time. 'stored': in the order the events were stored (evidence, then
   * record), the order the run that stored them read them in (hunting replays it).
   */
  order?: 'time' | 'stored';
  /** Only events stored after this one (for paging with order 'stored'). */
  after?: { evidenceId: number; seq: number };
}

/** A node's edges, a page at a time (for walking the graph from one node without reading it all). */
export interface NodeEdgesQuery {
  /** Only edges of these types (all types when absent). */
  types?: EdgeType[];
  /** 'out': edges from the node, 'in': edges to it, 'both' (default). */
  direction?: 'in' | 'out' | 'both';
  limit?: number;
  offset?: number;
}

export interface NodeEdges {
  /** How many edges match the query (before limit and offset). */
  total: number;
  /** All the node's edges counted by type and direction, whatever the query's types. */
  byType: Record<string, { in: number; out: number }>;
  /** The page, ordered by type then the other end's id. */
  edges: StoredEdge[];
}

export interface NodeQuery {
  type?: NodeType;
  /** Only nodes whose key starts with this text (a host's processes: `host|`). */
  keyPrefix?: string;
  /** Only nodes no edge of this type points to (process roots: 'launched'). */
  withoutIncoming?: EdgeType;
  limit?: number;
  offset?: number;
}

export interface CaseStore {
  readonly id: number;
  readonly name: string;
  /** Records an evidence file; the same file (name and sha256) added again gets its old id back. */
  addEvidence(e: Omit<EvidenceRecord, 'id' | 'added'>): number;
  updateEvidence(id: number, e: Partial<Omit<EvidenceRecord, 'id' | 'added'>>): void;
  listEvidence(): EvidenceRecord[];
  /** Writes a batch in one transaction. Writing the same events, nodes and occurrences again changes nothing. */
  write(batch: WriteBatch): void;
  counts(): CaseCounts;
  search(text: string, limit?: number): SearchHit[];
  nodes(): Iterable<GraphNode>;
  edges(): Iterable<StoredEdge>;
  node(id: string): GraphNode | undefined;
  occurrences(edgeId: string, limit?: number): EdgeOccurrence[];
  /** One edge with its count and first/last times; undefined when there is no such edge. */
  edge(id: string): StoredEdge | undefined;
  /** A node's edges, filtered and paged, with counts per type. */
  edgesOf(nodeId: string, q?: NodeEdgesQuery): NodeEdges;
  /** Nodes by type and key prefix, ordered by first seen then id, with how many match in all. */
  findNodes(q: NodeQuery): { total: number; nodes: GraphNode[] };
  /** Events in time order. */
  events(q?: EventQuery): Iterable<StoredEvent>;
  alerts(): Alert[];
}

export interface Store {
  /** Opens a case, creating it when it does not exist. */
  openCase(name: string): CaseStore;
  findCase(name: string): CaseStore | undefined;
  listCases(): CaseInfo[];
  close(): void;
}
