/**
 * Hunting back in time: the events a case holds, between two times (and on one host), through the
 * detectors of today (the rules as they are now) and a fresh chain engine, in the order they were
 * stored. New alerts are stored
 * with the case's others (same ids for the same detections, so nothing doubles); the threats found
 * are stored with their hits. The live server's saved chain state is left alone.
 */
import type { Detector } from '../types.js';
import { Ingestor } from '../../pipeline/ingest.js';
import type { ThreatRecord, ThreatStore } from '../../store/threats.js';
import type { CaseStore, StoredEvent } from '../../store/types.js';
import type { ChainEngine } from './engine.js';

export interface HuntQuery {
  from?: number;
  to?: number;
  host?: string;
}

export interface HuntResult {
  events: number;
  alerts: number;
  threats: ThreatRecord[];
  ms: number;
}

const PAGE = 20_000;

/**
 * Stored events in the order they were stored (the order the run that stored them read them in, so
 * that chains, and the ids of their threats, come out as they did then), a page at a time: a page
 * is read whole before the pipeline writes, as SQLite does not let one connection write while it
 * is still reading.
 */
function* pages(caseStore: CaseStore, q: HuntQuery): Generator<StoredEvent[]> {
  let after: { evidenceId: number; seq: number } | undefined;
  for (;;) {
    const rows = [...caseStore.events({ from: q.from, to: q.to, host: q.host, limit: PAGE, order: 'stored', after })];
    if (rows.length) yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1]!;
    after = { evidenceId: last.evidenceId, seq: last.seq };
  }
}

export async function huntStored(
  caseStore: CaseStore,
  threats: ThreatStore,
  detectors: Detector[],
  q: HuntQuery,
  onProgress?: (events: number) => void,
): Promise<HuntResult> {
  const t0 = Date.now();
  const engine = detectors.find((d) => d.name === 'chain') as ChainEngine | undefined;
  if (engine) engine.tracking = true;
  const ingest = new Ingestor({ store: caseStore, detectors, storeEvents: false });
  let events = 0;
  for (const page of pages(caseStore, q)) {
    for (const s of page) ingest.add(s.event, s.id, s.evidenceId, s.seq);
    events += page.length;
    ingest.flush();
    onProgress?.(events);
  }
  await ingest.finish();
  const found: ThreatRecord[] = [];
  if (engine) {
    const changes = engine.drainChanges();
    const open = engine.openThreats();
    const byId = new Map<string, ThreatRecord>();
    for (const t of [...changes.threats, ...open]) byId.set(t.id, t);
    found.push(...byId.values());
    const chains = new Set(found.map((t) => t.chainId));
    threats.saveChanges({
      processes: [],
      removedProcesses: [],
      chains: [],
      removedChains: [],
      // Only the hits of chains that became threats: the others' alerts are in the alert table.
      hits: changes.hits.filter((h) => chains.has(h.chainId)),
      hitMoves: changes.hitMoves,
      processRekeys: [],
      threats: found,
      mergedThreats: changes.mergedThreats,
      clocks: [],
    });
  }
  return { events, alerts: ingest.alerts, threats: found.sort((a, b) => a.firstSeen - b.firstSeen), ms: Date.now() - t0 };
}
