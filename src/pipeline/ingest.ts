/**
 * The heart of the data flow, shared by `loupe analyze` (files), the live server (agents) and
 * hunting (stored events): each event goes to the graph and to every detector in order; events,
 * graph changes and alerts go to the store in batches, one transaction each.
 *
 * Detectors run in the order given. Each sees the alerts that earlier detectors raised on the
 * same event (`raised`), which is how process-chain scoring, placed last, consumes the others.
 */
import type { Alert, Detector } from '../detect/types.js';
import { GraphBuilder } from '../graph/builder.js';
import type { Event } from '../normalize/event.js';
import type { CaseStore, EvidenceRecord, StoredEvent, WriteBatch } from '../store/types.js';
import type { BatchWriter } from '../store/sqlite/async-writer.js';
import { linkAlert } from './alerts.js';

export interface IngestOptions {
  store: CaseStore;
  detectors?: Detector[];
  /** Events per store transaction (default 5,000: as fast as larger ones, with less in memory). */
  batchSize?: number;
  /** Store the events themselves (default true; hunting over stored events sets it false). */
  storeEvents?: boolean;
  /** Also hand each event to this callback (tests, exporters). */
  onEvent?(e: Event, id: string): void;
  /** A detector threw on an event: the run goes on; the caller reports it. */
  onDetectorError?(detector: string, e: Event, err: Error): void;
  /**
   * Runs each store write: by default it is called as is. A caller with writes of its own that must
   * commit together with the events (process-chain state, acknowledged ingest batches) wraps it in
   * one transaction with them.
   */
  commit?(write: () => void): void;
  /**
   * Writes batches on another thread (see store/sqlite/async-writer.ts) instead of through
   * `store`: `flush` then returns before the batch is committed, and `settle`/`finish` wait.
   * Not together with `commit`.
   */
  writer?: BatchWriter;
}

export class Ingestor {
  readonly graph = new GraphBuilder();
  readonly store: CaseStore;
  private readonly detectors: Detector[];
  private readonly batchSize: number;
  private readonly storeEvents: boolean;
  private pendingEvents: StoredEvent[] = [];
  private pendingAlerts: Alert[] = [];
  private pendingEvidence: NonNullable<WriteBatch['evidence']> = [];
  private actors: string[] = [];
  private raised: Alert[] = [];
  /** Alerts written so far. */
  alerts = 0;
  events = 0;

  constructor(private readonly opts: IngestOptions) {
    this.store = opts.store;
    this.detectors = opts.detectors ?? [];
    this.batchSize = opts.batchSize ?? 5000;
    this.storeEvents = opts.storeEvents ?? true;
  }

  private readonly emit = (a: Alert): void => {
    if ((!a.entities || a.entities.length === 0) && this.actors.length) a.entities = this.actors.slice();
    this.raised.push(a);
    this.pendingAlerts.push(a);
  };

  /** One event, with its stable id and the evidence it belongs to. */
  add(e: Event, id: string, evidenceId: number, seq: number): void {
    this.events++;
    this.actors = this.graph.addEvent(e, id);
    this.raised = [];
    for (const d of this.detectors) {
      try {
        d.onEvent(e, { eventId: id, emit: this.emit, raised: this.raised });
      } catch (err) {
        this.opts.onDetectorError?.(d.name, e, err as Error);
      }
    }
    this.actors = [];
    this.opts.onEvent?.(e, id);
    if (this.storeEvents) this.pendingEvents.push({ id, evidenceId, seq, event: e });
    if (this.pendingEvents.length >= this.batchSize || this.graph.pending >= this.batchSize * 4) this.flush();
  }

  /**
   * Writes what is pending in one transaction: events, alerts, edges and their occurrences, and
   * with `nodes` also the nodes held in memory (see GraphBuilder; they are written at `finish`, or
   * earlier when many are held). After it returns, all of it is committed, unless a `writer` is
   * set: then it is on its way, and `settle()` waits for it.
   */
  flush(opts: { nodes?: boolean } = {}): void {
    if (!this.pendingEvents.length && !this.pendingAlerts.length && !this.pendingEvidence.length && this.graph.pending === 0 && !(opts.nodes && this.graph.heldNodes)) return;
    for (const a of this.pendingAlerts) linkAlert(this.graph, a);
    const batch: WriteBatch = { events: this.pendingEvents, alerts: this.pendingAlerts, ...this.graph.drain(opts), evidence: this.pendingEvidence };
    if (this.opts.writer) {
      const p = this.opts.writer.write(batch);
      p.catch(() => {}); // observed in settle()
      this.inflight.push(p);
    } else {
      const write = () => this.store.write(batch);
      if (this.opts.commit) this.opts.commit(write);
      else write();
    }
    this.alerts += this.pendingAlerts.length;
    this.pendingEvents = [];
    this.pendingAlerts = [];
    this.pendingEvidence = [];
  }

  /** Updates an evidence row with the next batch, in its transaction (see WriteBatch.evidence). */
  updateEvidence(id: number, record: Partial<Omit<EvidenceRecord, 'id' | 'added'>>): void {
    this.pendingEvidence.push({ id, record });
  }

  private inflight: Promise<void>[] = [];

  /** Waits until at most `max` batches are on their way to the store (back-pressure). */
  async settle(max = 0): Promise<void> {
    while (this.inflight.length > max) await this.inflight.shift();
  }

  /** Ends the run: detectors that aggregate speak now; everything is written. */
  async finish(onError?: (detector: string, err: Error) => void): Promise<void> {
    const raised: Alert[] = [];
    const emit = (a: Alert) => {
      raised.push(a);
      this.pendingAlerts.push(a);
    };
    for (const d of this.detectors) {
      try {
        await d.finish?.(emit, raised);
      } catch (err) {
        onError?.(d.name, err as Error);
      }
    }
    this.flush({ nodes: true });
    await this.settle(0);
  }
}
