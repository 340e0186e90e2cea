/**
 * What the chain engine can be told: where chains start, how hits score, when a chain becomes a
 * threat and when an idle one closes. Every default is here, in one place, with its reason.
 */
import type { Level } from '../types.js';

export interface ChainOptions {
  /**
   * Processes whose children each start a chain of their own: full Windows paths (any case,
   * `%SystemRoot%` allowed) or bare file names (`explorer.exe`, matching that name in any folder).
   */
  roots: string[];
  /** Score a hit adds, by level. */
  points: Record<Level, number>;
  /** A chain whose score reaches this is a threat. */
  threshold: number;
  /** A chain with no event for this long (event time, per host) closes: lost terminations. */
  idleMs: number;
  /**
   * A chain whose every process has ended closes this long after the last end (event time): logs
   * interleave channels in shipping order, so a child's start can come after its parent's end.
   */
  endGraceMs: number;
  /** Two sightings of one process start (Sysmon 1 and Security 4688) are at most this far apart. */
  sameStartMs: number;
  /** Largest tree kept in a threat record; members beyond it are counted, not listed. */
  maxTreeNodes: number;
  /** Hits kept per threat record in memory and in the threat's body (all go to the hit table). */
  maxRecordHits: number;
}

/**
 * RmEye's four roots (services, svchost, explorer, wmiprvse) plus the session and service
 * managers above them: their children are where an activity begins, so each is a chain of its own.
 * Full paths, so that a `svchost.exe` dropped in a temp folder is not taken for one.
 */
export const DEFAULT_ROOTS = [
  'C:\\Windows\\System32\\services.exe',
  'C:\\Windows\\System32\\svchost.exe',
  'C:\\Windows\\SysWOW64\\svchost.exe',
  'C:\\Windows\\explorer.exe',
  'C:\\Windows\\SysWOW64\\explorer.exe',
  'C:\\Windows\\System32\\wbem\\WmiPrvSE.exe',
  'C:\\Windows\\SysWOW64\\wbem\\WmiPrvSE.exe',
  'C:\\Windows\\System32\\smss.exe',
  'C:\\Windows\\System32\\csrss.exe',
  'C:\\Windows\\System32\\wininit.exe',
  'C:\\Windows\\System32\\winlogon.exe',
  'C:\\Windows\\System32\\userinit.exe',
  'C:\\Windows\\System32\\lsass.exe',
  'System',
];

export const DEFAULT_CHAIN_OPTIONS: ChainOptions = {
  roots: DEFAULT_ROOTS,
  // Sigma's levels: an informational rule describes, it does not accuse; a critical one is a
  // near-certain compromise. A single high hit plus anything else crosses the threshold.
  points: { informational: 0, low: 10, medium: 25, high: 50, critical: 100 },
  threshold: 60,
  idleMs: 30 * 60 * 1000,
  endGraceMs: 2 * 60 * 1000,
  sameStartMs: 2000,
  maxTreeNodes: 2000,
  maxRecordHits: 500,
};

export function chainOptions(o: Partial<ChainOptions> = {}): ChainOptions {
  const out: ChainOptions = { ...DEFAULT_CHAIN_OPTIONS, ...o, points: { ...DEFAULT_CHAIN_OPTIONS.points, ...(o.points ?? {}) } };
  if (!(out.threshold > 0)) throw new Error(`chain threshold must be a positive number (got ${o.threshold})`);
  if (!(out.idleMs > 0)) throw new Error(`chain idle time must be positive (got ${o.idleMs})`);
  return out;
}
