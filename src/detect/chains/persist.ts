/**
 * The chain engine and the store: restore saved open chains, and save what changed with every
 * commit of the case, in the same transaction (so that what is acknowledged or written is exactly
 * what a restart resumes from).
 */
import type { ThreatStore } from '../../store/threats.js';
import type { ChainEngine } from './engine.js';

/**
 * A commit wrapper for the Ingestor (IngestOptions.commit): the case's write, the engine's changes
 * and `also` (the server's batch ledger) in one transaction.
 */
export function chainCommit(engine: ChainEngine, threats: ThreatStore, also?: () => void): (write: () => void) => void {
  engine.tracking = true;
  return (write) =>
    threats.atomic(() => {
      write();
      threats.saveChanges(engine.drainChanges());
      also?.();
    });
}

/** Puts the case's saved open chains back into the engine. Returns how many chains came back. */
export function resumeChains(engine: ChainEngine, threats: ThreatStore): number {
  const s = threats.loadState();
  engine.restore(s);
  return engine.chains.size;
}
