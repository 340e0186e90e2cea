/**
 * A `WindowsRecord`, whatever shape it came in, to a Loupe `Event`.
 *
 * `raw` is what Sigma matches: every EventData field under its own name, plus the System fields
 * under the names Sigma's Windows log sources use (`EventID`, `Channel`, `Computer`,
 * `Provider_Name`, ...). EventData wins over a System field of the same name except for
 * `EventID` and `Channel`, which rules rely on.
 */
import type { Event, EventOrigin } from './event.js';
import type { WindowsRecord } from './windows-record.js';
import { POWERSHELL_CLASSIC, POWERSHELL_OPERATIONAL, SECURITY, SYSMON, SYSTEM } from './windows/channels.js';
import { powershell, security, system, taskScheduler } from './windows/security.js';
import { sysmon } from './windows/sysmon.js';

export { fromEvtxJson, fromNxlog, fromWinlogbeat, toWindowsRecord, windowsJsonShape } from './windows/shapes.js';
export type { WindowsJsonShape } from './windows/shapes.js';
export { ShipperClock } from './windows/clock.js';

/**
 * Sigma's flat view of the record. Built in place on `rec.data` (readers hand over data objects
 * of their own, freshly parsed) to spare a copy of every field of every event.
 */
export function windowsRaw(rec: WindowsRecord): Record<string, unknown> {
  const s = rec.system;
  const raw = rec.data;
  if (raw.Computer === undefined) raw.Computer = s.computer;
  if (s.provider !== undefined && raw.Provider_Name === undefined) raw.Provider_Name = s.provider;
  if (s.providerGuid !== undefined && raw.Provider_Guid === undefined) raw.Provider_Guid = s.providerGuid;
  if (s.recordId !== undefined && raw.EventRecordID === undefined) raw.EventRecordID = s.recordId;
  if (s.version !== undefined && raw.Version === undefined) raw.Version = s.version;
  if (s.level !== undefined && raw.Level === undefined) raw.Level = s.level;
  if (s.task !== undefined && raw.Task === undefined) raw.Task = s.task;
  if (s.opcode !== undefined && raw.Opcode === undefined) raw.Opcode = s.opcode;
  if (s.keywords !== undefined && raw.Keywords === undefined) raw.Keywords = s.keywords;
  if (s.userId !== undefined && raw.SecurityUserID === undefined) raw.SecurityUserID = s.userId;
  if (Number.isFinite(s.time) && raw.TimeCreated === undefined) raw.TimeCreated = new Date(s.time).toISOString();
  raw.EventID = s.eventId;
  raw.Channel = s.channel;
  return raw;
}

export function normalizeWindows(rec: WindowsRecord, origin: EventOrigin): Event {
  const s = rec.system;
  const e: Event = {
    '@timestamp': s.time,
    event: { kind: 'event', category: [], type: ['info'], action: 'other', code: String(s.eventId), provider: s.provider },
    host: s.computer ? { name: s.computer } : undefined,
    winlog: {
      channel: s.channel,
      event_id: s.eventId,
      record_id: s.recordId,
      provider_name: s.provider,
      computer_name: s.computer || undefined,
    },
    raw: rec.data,
    origin,
  };
  if (!e.host) delete e.host;
  if (e.event.provider === undefined) delete e.event.provider;
  for (const k of ['record_id', 'provider_name', 'computer_name'] as const) if (e.winlog![k] === undefined) delete e.winlog![k];
  const d = rec.data;
  const hadData = Object.keys(d).length > 0;
  switch (s.channel) {
    case SYSMON:
      sysmon(e, s.eventId, d);
      break;
    case SECURITY:
      security(e, s.eventId, d);
      break;
    case SYSTEM:
      system(e, s.eventId, d, s.provider);
      break;
    case POWERSHELL_OPERATIONAL:
    case POWERSHELL_CLASSIC:
      powershell(e, s.eventId, d, s.processId);
      break;
    case 'Microsoft-Windows-TaskScheduler/Operational':
      taskScheduler(e, s.eventId, d);
      break;
    default:
      e.event.dataset = `windows.${s.channel.toLowerCase().replace(/[^a-z0-9]+/g, '_') || 'unknown'}`;
      break;
  }
  if (rec.message !== undefined && !hadData) e.message = rec.message;
  windowsRaw(rec);
  return e;
}
