/**
 * Threats as stored and as served: the records the chain engine writes and the API and web UI
 * read. Kept free of imports that need Node.js, so that the web UI type-checks against the very
 * same shapes (web/src/types.ts imports them).
 */
import type { Level } from '../detect/types.js';
import type { HashSet } from '../normalize/event.js';

/** A group or software of ATT&CK the chain resembles. */
export interface Attribution {
  /** G or S id. */
  id: string;
  name: string;
  kind: 'group' | 'software';
  /** Cosine similarity, 0..1, rounded to 3 decimals. */
  score: number;
  /** The chain's techniques the candidate uses (as the chain names them). */
  shared: string[];
}

export const THREAT_STATES = ['new', 'handled', 'ignored'] as const;

export type ThreatState = (typeof THREAT_STATES)[number];

/** One detector hit on one process of a chain. Every hit is kept. */
export interface HitRecord {
  chainId: string;
  /** The alert's id (a plugin hit's alert is emitted too). */
  alertId: string;
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  techniques: string[];
  tactics: string[];
  time: number;
  eventId?: string;
  processKey: string;
  /** The allow rule's reason when the process was allowed at the time of the hit. */
  allowed?: string;
  /** Score the hit may add (before the once-per-technique rule). */
  points: number;
}

export interface ThreatHitSummary {
  detector: string;
  ruleId: string;
  title: string;
  level: Level;
  count: number;
  techniques: string[];
}

/**
 * What the events told of one process: the same facts in the live tree (detect/chains/tree.ts),
 * in an open chain's saved state (ProcessRecord) and in a threat's tree (ThreatNode).
 */
export interface ProcessFacts {
  pid?: number;
  image?: string;
  commandLine?: string;
  user?: string;
  integrity?: string;
  hashes?: HashSet;
  /** Code-signing subject of the image (from an image-load of the process's own file). */
  signer?: string;
  start?: number;
  end?: number;
  /** Referenced but its start not seen (older than the log, or not yet arrived). */
  placeholder: boolean;
}

export interface ThreatNode extends ProcessFacts {
  key: string;
  parentKey?: string;
  /** A chain root shown for context (the head's parent), not a member. */
  context?: boolean;
  /** The allow rule's reason when the process is allowed. */
  allowed?: string;
  hits: ThreatHitSummary[];
}

export interface ThreatTechnique {
  id: string;
  name?: string;
  tactics: string[];
  hits: number;
  /** Every hit naming it was on an allowed process: recorded, not scored. */
  allowedOnly: boolean;
}

export interface ThreatRecord {
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
  techniques: ThreatTechnique[];
  /** Tactics in kill-chain order (ATT&CK's matrix order). */
  tactics: string[];
  attribution: Attribution[];
  tree: ThreatNode[];
  /** Members left out of `tree` (it is bounded). */
  treeTruncated: number;
  /** Set when this threat's chain was found to be part of another threat's chain. */
  mergedInto?: string;
  state: ThreatState;
  stateBy?: string;
  stateAt?: number;
  stateNote?: string;
}

export type ThreatSummary = Omit<ThreatRecord, 'tree' | 'attribution'> & { attribution: Attribution[] };
