/** The shapes the server's /api/v1/ui replies have (see src/server/ui). */

import { LEVELS, type Level } from '../../src/detect/types';
import type { HitRecord, ThreatNode, ThreatSummary } from '../../src/store/threat-shapes';
import type { AlertRow, EventRow, NodeSummary } from '../../src/server/ui/reply-types';

export { LEVELS, type Level };
export type { HitRecord, ThreatHitSummary, ThreatNode } from '../../src/store/threat-shapes';
export type { AlertRow, EventRow, Matrix, MatrixCell, NodeSummary, TechniqueRef } from '../../src/server/ui/reply-types';

/** A threat as listed (no tree) or as shown alone (with its tree). */
export type Threat = ThreatSummary & { tree?: ThreatNode[] };

export interface CaseInfo {
  id: number;
  name: string;
  created: number;
  evidence: number;
  events: number;
  alerts: number;
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

export interface TimelinePage {
  events: EventRow[];
  next?: string;
  alerts: AlertRow[];
  alertsMore: number;
}

export interface EdgeDetail {
  edge: StoredEdge;
  src?: NodeSummary;
  dst?: NodeSummary;
  occurrences: { eventId: string; seq: number; time: number; details?: Record<string, unknown> }[];
  total: number;
}
