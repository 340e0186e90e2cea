/**
 * The chain engine in a batch run (`loupe analyze`): the case's saved open chains resumed before
 * the run, and at its end the threats, their hits and the chains still open saved with the case,
 * in one transaction. (The live server commits them with every batch instead; see persist.ts.)
 */
import type { Detector } from '../types.js';
import { openThreatStore, type ThreatRecord, type ThreatStore } from '../../store/threats.js';
import type { CaseStore, Store } from '../../store/types.js';
import type { ChainEngine } from './engine.js';
import { resumeChains } from './persist.js';

export interface ChainSession {
  engine: ChainEngine;
  threats: ThreatStore;
  resumed: number;
  /** Saves what the run changed. */
  save(): void;
  /** The case's threats (latest first), with their trees. */
  records(limit?: number): ThreatRecord[];
}

export function chainSession(store: Store, caseStore: CaseStore, detectors: Detector[]): ChainSession | undefined {
  const engine = detectors.find((d) => d.name === 'chain') as ChainEngine | undefined;
  if (!engine) return undefined;
  const threats = openThreatStore(store, caseStore);
  const resumed = resumeChains(engine, threats);
  engine.tracking = true;
  return {
    engine,
    threats,
    resumed,
    save: () => threats.saveChanges(engine.drainChanges()),
    records: (limit = 100) =>
      threats
        .listThreats({ limit })
        .map((s) => threats.threat(s.id))
        .filter((t): t is ThreatRecord => t !== undefined),
  };
}
