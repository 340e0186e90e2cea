/**
 * The shapes of the web UI's replies (/api/v1/ui). Kept free of imports that need Node.js, so
 * that the web UI type-checks against these very declarations (web/src/types.ts imports them).
 */
import type { Level } from '../../detect/types.js';

export interface NodeSummary {
  id: string;
  type: string;
  /** What to show: the label, else the key (processes known only by pid have no label). */
  label: string;
  key: string;
  host?: string;
  firstSeen?: number;
  lastSeen?: number;
  /** Alert nodes: their level. */
  level?: Level;
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
  /** The alert's own node in the graph, when it has one (alerts about entities do). */
  graphNode?: string;
}

export interface EventRow {
  id: string;
  time: number;
  host?: string;
  action: string;
  category: string[];
  /** One line saying what happened (the process's command line, the connection, the name asked ...). */
  summary: string;
  process?: string;
  user?: string;
  /** Where it was read: file and line/record. */
  origin: string;
  /** The event's raw fields, bounded. */
  raw: Record<string, unknown>;
}

export interface MatrixCell {
  id: string;
  name: string;
  alerts: number;
  level?: Level;
  subs: { id: string; name: string; alerts: number; level?: Level }[];
}

export interface MatrixTactic {
  id: string;
  shortName: string;
  name: string;
  techniques: MatrixCell[];
}

export interface Matrix {
  source: string;
  version: string;
  tactics: MatrixTactic[];
  /** Techniques named by alerts, with their counts (also those ATT&CK does not know). */
  fired: { id: string; name?: string; alerts: number; level: Level }[];
}
