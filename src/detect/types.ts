/**
 * What every detector produces and how the pipeline talks to it. Detectors are independent:
 * each sees the event stream and emits alerts, knowing nothing of the others or of the reader
 * that made the events. Process-chain scoring consumes the alerts of the others.
 */
import type { Event } from '../normalize/event.js';

/** Sigma's levels, used for every alert whatever its detector. */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}

/** A reference to the event an alert was raised on, enough to find it in the store. */
export interface EventRef {
  /** Stable event id (see `eventId` in pipeline/ids.ts): evidence sha256 prefix + record index. */
  id: string;
  time: number;
}

export interface Alert {
  /** Stable: the same detection on the same evidence gives the same id in every run. */
  id: string;
  /** `sigma`, `ioc`, `network`, `chain`, or a plugin's name. */
  detector: string;
  /** Rule identity: a Sigma rule id, a TinyCheck-style id such as `IOC-03`, ... */
  ruleId: string;
  title: string;
  description?: string;
  level: Level;
  /** First and last time the detection saw its evidence (UTC epoch ms). */
  time: number;
  lastTime?: number;
  host?: string;
  /** ATT&CK technique ids (`T1059.001`) and tactic short names (`execution`). */
  techniques: string[];
  tactics: string[];
  /** The events the alert is about (at most a bounded number; `count` says how many in all). */
  events: EventRef[];
  count: number;
  /** Graph node ids the alert is about (processes, domains, IPs ...), for the `alerted_on` edges. */
  entities?: string[];
  /** Detector-specific facts (matched fields, indicator, scores). Strings from evidence are kept as-is; renderers escape. */
  details?: Record<string, unknown>;
}

/** What a detector is given with each event. */
export interface DetectContext {
  /** The stable id of the event being looked at (for `EventRef`s). */
  eventId: string;
  emit(alert: Alert): void;
  /** Alerts raised on this same event by the detectors that ran before this one. */
  raised?: readonly Alert[];
}

export interface Detector {
  readonly name: string;
  /** Called once per event, in input order per file. Must not keep the event unless it needs it. */
  onEvent(event: Event, ctx: DetectContext): void;
  /**
   * Called once at the end of a run, for detectors that aggregate (correlations, beacons).
   * `raised` holds what earlier detectors' `finish` emitted.
   */
  finish?(emit: (alert: Alert) => void, raised: readonly Alert[]): void | Promise<void>;
}
