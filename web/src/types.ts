/** The shapes the server's /api/v1/ui replies have (see src/server/ui). */

import { LEVELS, type Level } from '../../src/detect/types';

export { LEVELS, type Level };

export interface CaseInfo {
  id: number;
  name: string;
  created: number;
  evidence: number;
  events: number;
  alerts: number;
}

export interface NodeSummary {
  id: string;
  type: string;
  label: string;
  key: string;
  host?: string;
  firstSeen?: number;
  lastSeen?: number;
  level?: Level;
}

export interface NodeDetail extends NodeSummary {
  props: Record<string, unknown>;
}

export interface StoredEdge {
  id: string;
  type: string;
  src: string;
  dst: string;
  count: number;
  firstSeen?: number;
  lastSeen?: number;
}

export type EdgeTypeCounts = Record<string, { in: number; out: number }>;

export interface Neighbours {
  node: NodeSummary;
  total: number;
  more: number;
  edgeTypes: EdgeTypeCounts;
  edges: StoredEdge[];
  nodes: NodeSummary[];
}

export interface TechniqueRef {
  id: string;
  name?: string;
}

export interface AlertRow {
  id: string;
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  time: number;
  lastTime?: number;
  host?: string;
  count: number;
  techniques: TechniqueRef[];
  tactics: string[];
  entities: NodeSummary[];
  entityCount: number;
  graphNode?: string;
}

export interface AlertDetail extends AlertRow {
  description?: string;
  details?: Record<string, unknown>;
  events: { id: string; time: number }[];
  eventTotal: number;
}

export interface AlertsPage {
  total: number;
  alerts: AlertRow[];
  facets: {
    levels: Partial<Record<Level, number>>;
    rules: { ruleId: string; title: string; level: Level; count: number }[];
    hosts: { host: string; count: number }[];
    detectors: { detector: string; count: number }[];
  };
}

export interface Overview {
  case: { id: number; name: string };
  counts: { events: number; nodesByType: Record<string, number>; edgesByType: Record<string, number>; alertsByLevel: Partial<Record<Level, number>> };
  firstEvent?: number;
  evidence: { id: number; name: string; sha256?: string; format: string; size?: number; records: number; errors: number; errorSamples: string[]; added: number }[];
  evidenceTotal: number;
  threats?: { total: number; open: number; new: number };
}

export interface ThreatHitSummary {
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  count: number;
  techniques: string[];
}

export interface ThreatNode {
  key: string;
  parentKey?: string;
  pid?: number;
  image?: string;
  commandLine?: string;
  user?: string;
  integrity?: string;
  start?: number;
  end?: number;
  placeholder: boolean;
  context?: boolean;
  allowed?: string;
  hits: ThreatHitSummary[];
}

export interface Threat {
  id: string;
  chainId: string;
  host: string;
  hosts: string[];
  score: number;
  threshold: number;
  level: Level;
  open: boolean;
  firstSeen: number;
  lastSeen: number;
  head: ThreatNode;
  members: number;
  hitCount: number;
  techniques: { id: string; name?: string; tactics: string[]; hits: number; allowedOnly: boolean }[];
  tactics: string[];
  attribution: { id: string; name: string; kind: 'group' | 'software'; score: number; shared: string[] }[];
  tree?: ThreatNode[];
  treeTruncated?: number;
  mergedInto?: string;
  state: 'new' | 'handled' | 'ignored';
  stateBy?: string;
  stateAt?: number;
  stateNote?: string;
}

export interface HitRecord {
  alertId: string;
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  techniques: string[];
  time: number;
  processKey: string;
  allowed?: string;
  points: number;
}

export interface ThreatDetail {
  threat: Threat;
  graphNode?: string;
  hits: HitRecord[];
  hitTotal: number;
  states: { state: string; by: string; at: number; note?: string }[];
}

export interface ProcNode extends NodeSummary {
  pid?: number;
  image?: string;
  commandLine?: string;
  user?: string;
  start?: number;
  end?: number;
  children: string[];
  childTotal: number;
  alerts: number;
  level?: Level;
}

export interface ProcessTree {
  host: string;
  roots: string[];
  rootTotal: number;
  rootsOffset: number;
  nodes: Record<string, ProcNode>;
}

export interface HostRow {
  name: string;
  node?: string;
  alerts: number;
  processes: number;
}

export interface EventRow {
  id: string;
  time: number;
  host?: string;
  action: string;
  category: string[];
  summary: string;
  process?: string;
  user?: string;
  origin: string;
  raw: Record<string, unknown>;
}

export interface TimelinePage {
  events: EventRow[];
  next?: string;
  alerts: AlertRow[];
  alertsMore: number;
}

export interface MatrixCell {
  id: string;
  name: string;
  alerts: number;
  level?: Level;
  subs: { id: string; name: string; alerts: number; level?: Level }[];
}

export interface Matrix {
  source: string;
  version: string;
  tactics: { id: string; shortName: string; name: string; techniques: MatrixCell[] }[];
  fired: { id: string; name?: string; alerts: number; level: Level }[];
}

export interface EdgeDetail {
  edge: StoredEdge;
  src?: NodeSummary;
  dst?: NodeSummary;
  occurrences: { eventId: string; seq: number; time: number; details?: Record<string, unknown> }[];
  total: number;
}
