/**
 * Live ingest: agents' batches go through the same pipeline as `loupe analyze` (normalizer, graph,
 * every detector, the chain engine last) into the case, and are acknowledged only once committed.
 *
 * - Batches wait in one queue, worked through in order; the worker takes what is queued (up to
 *   `groupEvents`) and commits it in ONE transaction with the chain engine's changes, the batch
 *   ledger and the host counters, then answers each batch. Nothing is acknowledged before that
 *   commit, and everything committed is what a restart resumes from.
 * - A batch sent again with the same idempotency key (an agent retrying after a lost answer or a
 *   server crash) is answered from the ledger, not stored twice.
 * - When the queue holds more than `maxQueuedEvents`, new batches are refused with a delay to
 *   retry after (HTTP 429 + Retry-After), estimated from the recent commit rate; nothing is dropped.
 * - Each agent writes to its own evidence (`agent:NAME`), numbering its events from where the case
 *   left off, so event ids are stable and unique.
 */
import { performance } from 'node:perf_hooks';
import type { ChainEngine } from '../detect/chains/engine.js';
import { chainCommit, resumeChains } from '../detect/chains/persist.js';
import type { Detector } from '../detect/types.js';
import type { Event } from '../normalize/event.js';
import { Ingestor } from '../pipeline/ingest.js';
import type { BatchAck, ThreatStore } from '../store/threats.js';
import type { CaseStore } from '../store/types.js';
import { LineDecoder, ndjsonLines } from './shapes.js';

/** Events per evidence: event primary keys are evidence id * 2^26 + seq (first migration). */
const SEQ_SPACE = 2 ** 26 - 1;

export interface LiveOptions {
  caseStore: CaseStore;
  threats: ThreatStore;
  detectors: Detector[];
  /** Most events queued before new batches get 429 (default 50,000: some seconds of work). */
  maxQueuedEvents?: number;
  /** Most events committed in one transaction (default 4,000: the pipeline is synchronous, so a group holds HTTP up while it runs). */
  groupEvents?: number;
  /** Ledger entries older than this are forgotten (default 7 days). */
  ledgerMs?: number;
  /** Problems worth a log line (a detector failing on an event, a failed commit). */
  log?(msg: string): void;
}

export interface IngestReply {
  /** Events committed. */
  accepted: number;
  /** Lines not stored, with why (first 50). */
  rejected: number;
  errors: { line: number; reason: string }[];
  /** Lines stored with a note (a field cut to size). */
  notes?: { line: number; note: string }[];
  /** Sequence number of the first stored event in the agent's evidence. */
  firstSeq: number;
  /** True when this batch had been committed before (a retry) and is answered from the ledger. */
  duplicate?: boolean;
}

export class BusyError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('ingest queue is full');
  }
}

export class BrokenError extends Error {}

interface AgentLane {
  name: string;
  evidenceId: number;
  seq: number;
  decoder: LineDecoder;
}

interface Job {
  agentId: number;
  agent: string;
  key?: string;
  text: string;
  lines: number;
  receivedAt: number;
  resolve(r: IngestReply): void;
  reject(e: Error): void;
}

export class LiveIngest {
  readonly engine?: ChainEngine;
  private readonly ingest: Ingestor;
  private readonly lanes = new Map<number, AgentLane>();
  private readonly queue: Job[] = [];
  private queuedLines = 0;
  private working = false;
  private broken?: Error;
  /** Recent commit rate (events/s), for Retry-After. */
  private rate = 5000;
  readonly maxQueuedEvents: number;
  readonly groupEvents: number;
  /** Counters for /health and the bench. */
  readonly stats = { batches: 0, events: 0, rejected: 0, duplicates: 0, busy: 0, commits: 0, resumedChains: 0 };
  private readonly log: (m: string) => void;
  private lastPrune = 0;

  constructor(private readonly o: LiveOptions) {
    this.maxQueuedEvents = o.maxQueuedEvents ?? 50_000;
    this.groupEvents = o.groupEvents ?? 4_000;
    this.log = o.log ?? (() => {});
    this.engine = o.detectors.find((d) => d.name === 'chain') as ChainEngine | undefined;
    if (this.engine) this.stats.resumedChains = resumeChains(this.engine, o.threats);
    this.ingest = new Ingestor({
      store: o.caseStore,
      detectors: o.detectors,
      // Only the worker commits: a write in the middle of a batch would store events no ledger entry covers.
      batchSize: Number.POSITIVE_INFINITY,
      commit: this.engine ? chainCommit(this.engine, o.threats) : undefined,
      onDetectorError: (name, e, err) => this.log(`detector ${name} failed on ${e.origin.file} line ${e.origin.line}: ${err.message}`),
    });
  }

  get queued(): number {
    return this.queuedLines;
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  private lane(agentId: number, agent: string): AgentLane {
    let l = this.lanes.get(agentId);
    if (l) return l;
    const base = `agent:${agent}`;
    // The agent's latest evidence, continued where the case left off.
    const mine = this.o.caseStore.listEvidence().filter((e) => e.name === base || e.name.startsWith(`${base}#`));
    const ev = mine[mine.length - 1];
    const seq = ev ? this.o.threats.lastSeq(ev.id) : 0;
    l = ev && seq < SEQ_SPACE ? { name: agent, evidenceId: ev.id, seq, decoder: new LineDecoder(agent, ev.name) } : this.newEvidence(agent, mine.length);
    this.lanes.set(agentId, l);
    return l;
  }

  /** A fresh evidence for an agent (its first, or the next once one is full). */
  private newEvidence(agent: string, existing: number): AgentLane {
    const name = existing ? `agent:${agent}#${existing + 1}` : `agent:${agent}`;
    const id = this.o.caseStore.addEvidence({ name, format: 'live-ndjson', records: 0, errors: 0, errorSamples: [] });
    return { name: agent, evidenceId: id, seq: 0, decoder: new LineDecoder(agent, name) };
  }

  /** What was answered to this batch before, if it was committed already. */
  answered(agentId: number, key: string): IngestReply | undefined {
    const a = this.o.threats.batch(agentId, key);
    return a ? { accepted: a.accepted, rejected: a.rejected, errors: [], firstSeq: a.firstSeq, duplicate: true } : undefined;
  }

  /** Queues a batch; resolves once it is committed. Throws BusyError when the queue is full. */
  submit(agentId: number, agent: string, text: string, key?: string): Promise<IngestReply> {
    if (this.broken) return Promise.reject(new BrokenError(`ingest stopped after a failed commit: ${this.broken.message}`));
    if (key) {
      const before = this.answered(agentId, key);
      if (before) {
        this.stats.duplicates++;
        return Promise.resolve(before);
      }
      // The same key still waiting in the queue (the agent gave up on the answer and resent).
      const waiting = this.queue.find((j) => j.agentId === agentId && j.key === key);
      if (waiting)
        return new Promise((resolve, reject) => {
          this.stats.duplicates++;
          this.queue.push({ ...waiting, text: '', lines: 0, resolve, reject });
        });
    }
    // Count lines cheaply (newlines), for the queue bound.
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    if (this.queuedLines > 0 && this.queuedLines + lines > this.maxQueuedEvents) {
      this.stats.busy++;
      throw new BusyError(Math.min(60, Math.max(1, Math.ceil((this.queuedLines + lines) / Math.max(1, this.rate)))));
    }
    this.queuedLines += lines;
    return new Promise((resolve, reject) => {
      this.queue.push({ agentId, agent, key, text, lines, receivedAt: Date.now(), resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.working) return;
    this.working = true;
    setImmediate(() => this.work());
  }

  /** One group per turn of the event loop, so that HTTP keeps being served between commits. */
  private work(): void {
    try {
      if (this.queue.length && !this.broken) this.group();
    } finally {
      this.working = false;
      if (this.queue.length && !this.broken) this.kick();
    }
  }

  /** Takes queued batches up to groupEvents, runs them through the pipeline, commits once, answers. */
  private group(): void {
    const jobs: Job[] = [];
    let n = 0;
    while (this.queue.length && (jobs.length === 0 || n + this.queue[0]!.lines <= this.groupEvents)) {
      const j = this.queue.shift()!;
      jobs.push(j);
      n += j.lines;
    }
    const t0 = performance.now();
    const replies: (IngestReply | undefined)[] = [];
    const ledger: { agentId: number; key: string; ack: BatchAck }[] = [];
    const hosts = new Map<string, { host: string; events: number; first: number; last: number; agent?: string }>();
    const seqBefore = new Map<number, number>();
    let events = 0;
    for (const j of jobs) {
      if (j.text === '' && j.lines === 0) {
        replies.push(undefined); // a resend of a batch queued before it: answered from the ledger below
        continue;
      }
      const lane = this.lane(j.agentId, j.agent);
      if (!seqBefore.has(j.agentId)) seqBefore.set(j.agentId, lane.seq);
      const reply: IngestReply = { accepted: 0, rejected: 0, errors: [], firstSeq: lane.seq + 1 };
      const lines = [...ndjsonLines(j.text)];
      lane.decoder.prescan(lines);
      for (const { line, n: lineNo } of lines) {
        const r = lane.decoder.decode(line, lineNo, j.receivedAt);
        if (!r.event) {
          reply.rejected++;
          if (reply.errors.length < 50) reply.errors.push({ line: lineNo, reason: r.error ?? 'unreadable' });
          continue;
        }
        if (r.error) (reply.notes ??= []).length < 50 && reply.notes!.push({ line: lineNo, note: r.error });
        if (lane.seq >= SEQ_SPACE) {
          const count = this.o.caseStore.listEvidence().filter((e) => e.name === `agent:${j.agent}` || e.name.startsWith(`agent:${j.agent}#`)).length;
          const next = this.newEvidence(j.agent, count);
          lane.evidenceId = next.evidenceId;
          lane.seq = 0;
        }
        lane.seq++;
        const e: Event = r.event;
        this.ingest.add(e, `live:${lane.evidenceId}:${lane.seq}`, lane.evidenceId, lane.seq);
        reply.accepted++;
        events++;
        const h = e.host?.name ?? '';
        const t = e['@timestamp'];
        const row = hosts.get(h) ?? hosts.set(h, { host: h, events: 0, first: t, last: t, agent: j.agent }).get(h)!;
        row.events++;
        if (t < row.first) row.first = t;
        if (t > row.last) row.last = t;
      }
      if (j.key) ledger.push({ agentId: j.agentId, key: j.key, ack: { accepted: reply.accepted, rejected: reply.rejected, firstSeq: reply.firstSeq, at: Date.now() } });
      replies.push(reply);
    }
    try {
      this.o.threats.atomic(() => {
        this.ingest.flush();
        for (const l of ledger) this.o.threats.recordBatch(l.agentId, l.key, l.ack);
        this.o.threats.noteHosts([...hosts.values()].filter((h) => h.host));
      });
    } catch (err) {
      // What is in memory is now ahead of what is stored: stop taking batches (a restart resumes
      // from the last commit, and agents resend what was not acknowledged).
      this.broken = err as Error;
      this.log(`commit failed, ingest stopped: ${(err as Error).message}`);
      for (const j of jobs) j.reject(new BrokenError(`commit failed: ${(err as Error).message}`));
      for (const j of this.queue.splice(0)) j.reject(new BrokenError('ingest stopped after a failed commit'));
      this.queuedLines = 0;
      return;
    }
    const ms = performance.now() - t0;
    if (events > 0 && ms > 0) this.rate = 0.7 * this.rate + 0.3 * ((events * 1000) / ms);
    this.stats.commits++;
    this.stats.events += events;
    jobs.forEach((j, i) => {
      this.queuedLines -= j.lines;
      const r = replies[i];
      if (r) {
        this.stats.batches++;
        this.stats.rejected += r.rejected;
        j.resolve(r);
      } else {
        const before = j.key ? this.answered(j.agentId, j.key) : undefined;
        if (before) j.resolve(before);
        else j.reject(new BrokenError('the batch this one repeats was not stored'));
      }
    });
    if (Date.now() - this.lastPrune > 3600_000) {
      this.lastPrune = Date.now();
      this.o.threats.pruneBatches(Date.now() - (this.o.ledgerMs ?? 7 * 24 * 3600_000));
    }
  }

  /** Waits until everything queued is committed (shutdown). */
  async drain(): Promise<void> {
    while (this.queue.length || this.working) await new Promise((r) => setTimeout(r, 10));
  }
}
