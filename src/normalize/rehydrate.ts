/**
 * Events as they are stored. Normalisation is a pure function of the raw record, so for the
 * formats whose `raw` holds the whole record (Windows events, Zeek-shaped rows) only the raw
 * record and where it came from are stored, and the event is normalised again when read: about
 * 40% less to write, and stored events pick up improvements to the normalisers. Other events
 * are stored whole.
 *
 * `rehydrate(compact(e))` must equal `e` (the evidence file name aside, which the store keeps
 * once per evidence): test/normalize/rehydrate.test.ts holds that over real data.
 */
import type { Event, EventOrigin } from './event.js';
import { normalizeWindows } from './windows.js';
import type { WindowsRecord } from './windows-record.js';
import { zeekRowToEvent } from './zeek.js';
import { toInt, toStr } from './values.js';

/** System fields that `windowsRaw` adds beside the event's own data. */
const WINDOWS_SYSTEM = new Set(['EventID', 'Channel', 'Computer', 'Provider_Name', 'Provider_Guid', 'EventRecordID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords', 'SecurityUserID', 'TimeCreated']);

type Origin = Omit<EventOrigin, 'file'>;

export type CompactEvent =
  | { k: 'win'; r: Record<string, unknown>; o: Origin; t: number; p?: number; m?: string }
  | { k: 'zeek'; l: string; r: Record<string, unknown>; o: Origin }
  | { k: 'full'; e: Omit<Event, 'origin'> & { origin: Origin } };

function originOf(e: Event): Origin {
  const { file: _file, ...rest } = e.origin;
  return rest;
}

export function compact(e: Event): CompactEvent {
  if (e.winlog?.event_id !== undefined && e.raw.EventID === e.winlog.event_id && e.raw.Channel !== undefined) {
    const c: CompactEvent = { k: 'win', r: e.raw, o: originOf(e), t: e['@timestamp'] };
    if (e.event.dataset === 'windows.powershell' && e.process?.pid !== undefined) c.p = e.process.pid;
    if (e.message !== undefined) c.m = e.message;
    return c;
  }
  if (e.zeek?.log && e.event.provider === 'zeek') return { k: 'zeek', l: e.zeek.log, r: e.raw, o: originOf(e) };
  return { k: 'full', e: { ...e, origin: originOf(e) } };
}

export function rehydrate(c: CompactEvent, file: string): Event | undefined {
  switch (c.k) {
    case 'win': {
      const data: Record<string, unknown> = {};
      for (const k in c.r) if (!WINDOWS_SYSTEM.has(k)) data[k] = c.r[k];
      const r = c.r;
      const rec: WindowsRecord = {
        system: {
          eventId: toInt(r.EventID) ?? 0,
          channel: toStr(r.Channel) ?? '',
          computer: toStr(r.Computer) ?? '',
          time: c.t,
          provider: toStr(r.Provider_Name),
          providerGuid: toStr(r.Provider_Guid),
          recordId: toInt(r.EventRecordID),
          version: toInt(r.Version),
          level: toInt(r.Level),
          task: toInt(r.Task),
          opcode: toInt(r.Opcode),
          keywords: toStr(r.Keywords),
          userId: toStr(r.SecurityUserID),
          processId: c.p,
        },
        data,
        message: c.m,
      };
      const e = normalizeWindows(rec, { file, ...c.o });
      // The stored raw is the original: keep it as it was (values the normaliser reads as
      // absent, such as '-', stay in raw for Sigma).
      e.raw = c.r;
      return e;
    }
    case 'zeek':
      return zeekRowToEvent(c.l, c.r, { file, ...c.o });
    case 'full':
      return { ...c.e, origin: { file, ...c.e.origin } } as Event;
  }
}
