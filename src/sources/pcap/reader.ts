/**
 * Readers for packet captures: `pcap` and `pcapng`. Each yields the events of the Zeek-shaped
 * records it derives (conn, dns, http, ssl, x509, files), never payloads. Damaged packets are
 * reported with their byte offset; facts (packets, capture span, live-connection peak) go to
 * `ctx.fact`.
 */
import type { Readable } from 'node:stream';
import type { Event } from '../../normalize/event.js';
import { zeekRowToEvent } from '../../normalize/zeek.js';
import type { NetworkRecord } from '../../normalize/zeek-rows.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { CaptureAnalyzer, type AnalyzerOptions } from './analyze.js';
import { captureFormat, readCaptureBatches } from './capture.js';

/** Streams the records of a capture (for `loupe pcap --zeek` and the tests). */
export async function* captureRecords(stream: Readable, ctx: Pick<ReadContext, 'error' | 'fact' | 'progress'>, opts: Omit<AnalyzerOptions, 'onError'> = {}): AsyncGenerator<NetworkRecord[]> {
  const a = new CaptureAnalyzer({ ...opts, onError: (offset, reason) => ctx.error({ offset }, reason) });
  let n = 0;
  for await (const batch of readCaptureBatches(stream, { error: (offset, reason) => ctx.error({ offset }, reason) })) {
    for (const p of batch) a.packet(p);
    n += batch.length;
    if (n >= 4096) {
      n = 0;
      const recs = a.take();
      if (recs.length > 0) yield recs;
      ctx.progress?.(batch[batch.length - 1]!.offset);
    }
  }
  const rest = a.finish();
  if (rest.length > 0) yield rest;
  ctx.fact?.('packets', a.packets);
  ctx.fact?.('non-IP packets', a.nonIp);
  if (a.firstTs !== undefined) ctx.fact?.('capture start', new Date(a.firstTs * 1000).toISOString());
  if (a.lastTs !== undefined) ctx.fact?.('capture end', new Date(a.lastTs * 1000).toISOString());
  ctx.fact?.('peak live connections', a.flows.peakLive);
  if (a.problems.size > 0) ctx.fact?.('packet problems', Object.fromEntries(a.problems));
}

function makeReader(format: 'pcap' | 'pcapng', description: string): Reader {
  return {
    format,
    description,
    sniff(input: Input): number {
      return captureFormat(input.head) === format ? 1 : 0;
    },
    async *read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
      let record = 0;
      for await (const recs of captureRecords(input.open(), ctx)) {
        const batch: Event[] = [];
        for (const r of recs) {
          record++;
          const ev = zeekRowToEvent(r.log, r.row as Record<string, unknown>, { file: input.name, format, record });
          if (ev) batch.push(ev);
        }
        if (batch.length > 0) yield batch;
      }
    },
  };
}

export const pcapReader = makeReader('pcap', 'libpcap capture files (µs and ns, either byte order), analysed into Zeek-style records');
export const pcapngReader = makeReader('pcapng', 'pcapng capture files (several interfaces and link types), analysed into Zeek-style records');
