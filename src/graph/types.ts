/**
 * The entity graph: who did what to what. Nodes are entities with stable ids derived from their
 * identifying fields; edges are typed relations between two nodes, and every occurrence of an
 * edge (each time it happened, from which event, with which details) is kept.
 */

export const NODE_TYPES = ['Process', 'File', 'IPAddress', 'Domain', 'URI', 'RegistryKey', 'Host', 'User', 'Alert'] as const;
export type NodeType = (typeof NODE_TYPES)[number];

export const EDGE_TYPES = [
  'launched',
  'file_of',
  'wrote',
  'accessed',
  'deleted',
  'renamed',
  'copied_to',
  'loaded',
  'connected_to',
  'dns_query_for',
  'resolves_to',
  'http_request_to',
  'uri_of',
  'changed_value',
  'created_key',
  'deleted_key',
  'deleted_value',
  'read_key',
  'accessed_process',
  'created_thread_in',
  'logged_on',
  'alerted_on',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

export interface GraphNode {
  id: string;
  type: NodeType;
  /** The identifying key the id was hashed from (readable, e.g. `ws1|C:\\windows\\cmd.exe`). */
  key: string;
  /** What to show; empty when the entity is known only by reference (a parent seen by pid). */
  label: string;
  props: Record<string, unknown>;
  /** Text for full-text search (command line, path, domain, URI ...). */
  text?: string;
  firstSeen?: number;
  lastSeen?: number;
}

export interface GraphEdge {
  id: string;
  type: EdgeType;
  src: string;
  dst: string;
}

export interface EdgeOccurrence {
  edgeId: string;
  /** The event the occurrence was seen in (stable event id). */
  eventId: string;
  /** A running number when one event makes the same edge more than once (e.g. several DNS answers). */
  seq: number;
  time: number;
  details?: Record<string, unknown>;
}
