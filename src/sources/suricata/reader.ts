/**
 * The `suricata-eve` reader: Suricata's EVE JSON lines into events through the Zeek-shaped rows
 * (`event.dataset` = `suricata.<event_type>`). Stats events are counted, not turned into events.
 */
import type { Event } from '../../normalize/event.js';
import { zeekRowToEvent } from '../../normalize/zeek.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { openText, readLines, textHead } from '../zeek/lines.js';
import { eveToRecords } from './eve.js';

const BATCH = 512;

function firstLine(head: Buffer): string {
  for (const l of textHead(head).toString('utf8').split('\n')) if (l.trim()) return l.trim();
  return '';
}

export const suricataEveReader: Reader = {
  format: 'suricata-eve',
  description: 'Suricata EVE JSON (flow, dns, http, tls, fileinfo, alert, anomaly), plain or gzip',
  sniff(input: Input): number {
    const first = firstLine(input.head);
    if (!first.startsWith('{')) return 0;
    try {
      const o = JSON.parse(first) as Record<string, unknown>;
      if (typeof o.event_type === 'string' && typeof o.timestamp === 'string') return 'flow_id' in o || o.event_type === 'stats' ? 0.95 : 0.8;
    } catch {
      return /"event_type"\s*:/.test(first.slice(0, 4096)) && /"timestamp"\s*:/.test(first.slice(0, 4096)) ? 0.5 : 0;
    }
    return 0;
  },
  async *read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
    let batch: Event[] = [];
    let record = 0;
    let stats = 0;
    const stream = openText(() => input.open(), input.head);
    for await (const l of readLines(stream, (line, offset) => ctx.error({ line, offset }, 'line too long'))) {
      const t = l.text.trim();
      if (!t) continue;
      let o: unknown;
      try {
        o = JSON.parse(t);
      } catch (e) {
        ctx.error({ line: l.line, offset: l.offset }, `not JSON: ${(e as Error).message.slice(0, 80)}`);
        continue;
      }
      if (typeof o !== 'object' || o === null || Array.isArray(o)) {
        ctx.error({ line: l.line, offset: l.offset }, 'not a JSON object');
        continue;
      }
      const e = o as Record<string, unknown>;
      let recs: ReturnType<typeof eveToRecords>;
      try {
        recs = eveToRecords(e);
      } catch (err) {
        ctx.error({ line: l.line, offset: l.offset }, `EVE event not understood: ${(err as Error).message.slice(0, 120)}`);
        continue;
      }
      if (recs === undefined) {
        stats++;
        continue;
      }
      if (recs.length === 0) {
        ctx.error({ line: l.line, offset: l.offset }, 'EVE event without event_type or a readable timestamp');
        continue;
      }
      for (const r of recs) {
        record++;
        let ev: Event | undefined;
        try {
          ev = zeekRowToEvent(r.log, r.row as Record<string, unknown>, { file: input.name, format: 'suricata-eve', record, line: l.line, offset: l.offset });
        } catch (err) {
          ctx.error({ line: l.line, offset: l.offset }, `EVE ${r.log} row not understood: ${(err as Error).message.slice(0, 120)}`);
          continue;
        }
        if (!ev) {
          ctx.error({ line: l.line, offset: l.offset }, `EVE ${r.log} row without a usable time`);
          continue;
        }
        ev.event.dataset = `suricata.${String(e.event_type)}${r.log === 'x509' ? '.x509' : ''}`;
        ev.event.provider = 'suricata';
        batch.push(ev);
      }
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
    if (stats > 0) ctx.fact?.('suricata stats events', stats);
  },
};
