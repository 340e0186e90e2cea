/**
 * The shapes Windows events arrive in, each read into one `WindowsRecord`:
 * - the evtx crate's JSON rendering (`Event.System`, `Event.EventData`), which our EVTX reader
 *   also produces;
 * - NXLog JSON (flat: `EventID`, `Channel`, `Hostname`, EventData fields at top level), as in
 *   the Mordor / Security-Datasets recordings;
 * - Winlogbeat 7+/ECS (`winlog.event_data`, `winlog.event_id`, ...) and Winlogbeat 6
 *   (`event_data`, `event_id`, `log_name`, `computer_name` at top level).
 */
import type { WindowsRecord, WindowsSystem } from '../windows-record.js';
import { naiveAsUtc, parseTime, toInt, toStr } from '../values.js';
import { canonicalChannel, SYSMON } from './channels.js';
import type { ShipperClock } from './clock.js';

export type WindowsJsonShape = 'evtx-json' | 'nxlog-json' | 'winlogbeat-json';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Which Windows JSON shape an object is in, or undefined when it is none of them. */
export function windowsJsonShape(o: unknown): WindowsJsonShape | undefined {
  if (!isObj(o)) return undefined;
  const ev = o.Event;
  if (isObj(ev) && isObj(ev.System)) return 'evtx-json';
  if (isObj(o.winlog) && (o.winlog.event_id !== undefined || isObj(o.winlog.event_data))) return 'winlogbeat-json';
  if (o.event_id !== undefined && (o.log_name !== undefined || o.computer_name !== undefined || isObj(o.event_data) || isObj(o.user_data)))
    return 'winlogbeat-json';
  if (o.EventID !== undefined && (o.Channel !== undefined || o.Hostname !== undefined || o.SourceName !== undefined || o.Computer !== undefined))
    return 'nxlog-json';
  return undefined;
}

/**
 * `clock` corrects shipper times per host (see clock.ts); readers keep one per input. `owned`: see
 * fromEvtxJson.
 */
export function toWindowsRecord(o: unknown, shape: WindowsJsonShape, clock?: ShipperClock, owned = false): WindowsRecord | undefined {
  switch (shape) {
    case 'evtx-json':
      return fromEvtxJson(o, owned);
    case 'nxlog-json':
      return fromNxlog(o as Obj, clock);
    case 'winlogbeat-json':
      return fromWinlogbeat(o as Obj, clock);
  }
}

/** Sysmon's UtcTime rules; otherwise the shipper's time, corrected by what Sysmon taught the clock. */
function settleTime(channel: string, host: string, shipper: number | undefined, utcText: unknown, clock?: ShipperClock): number {
  const utc = channel === SYSMON ? parseTime(utcText, true) : undefined;
  if (utc !== undefined) {
    clock?.learn(host, shipper, utc);
    return utc;
  }
  if (shipper === undefined) return Number.NaN;
  return clock ? clock.correct(host, shipper) : shipper;
}

// ---------------------------------------------------------------------------------------------
// evtx crate rendering

function attr(node: unknown, name: string): unknown {
  if (!isObj(node)) return undefined;
  const a = node['#attributes'];
  return isObj(a) ? a[name] : undefined;
}

/** `5` or `{ "#attributes": {...}, "#text": 5 }` → 5. */
function text(node: unknown): unknown {
  if (isObj(node) && '#text' in node) return node['#text'];
  return node;
}

/**
 * EventData / UserData as the crate renders them: named Data items become keys; unnamed ones
 * arrive as `Data: {"#text": [...]}` or `Data: [...]`; UserData wraps one element
 * (`UserData.EventXML.*`), which is flattened one level.
 */
function flattenData(node: unknown, isUserData: boolean, owned = false): Obj {
  // Named Data items already in their final shape: the parsed object itself will do, when the
  // caller owns it. It stays a fast-properties object (a copy built key by key becomes a slow
  // dictionary past a dozen keys, slower to read and to serialise for every stored event).
  if (owned && !isUserData && isObj(node) && isPlainData(node)) return node;
  const out: Obj = {};
  if (!isObj(node)) return out;
  let src: Obj = node;
  if (isUserData) {
    const inner = Object.entries(node).filter(([k]) => k !== '#attributes');
    if (inner.length === 1 && isObj(inner[0][1])) src = inner[0][1] as Obj;
  }
  // for...in rather than Object.entries: no pair array per field, on every record.
  for (const k in src) {
    if (k === '#attributes') continue;
    const v = src[k];
    if (k === 'Data' && (isObj(v) || Array.isArray(v))) {
      const items = Array.isArray(text(v)) ? (text(v) as unknown[]) : [text(v)];
      if (items.length === 1) out.Data = items[0];
      else items.forEach((item, i) => (out[i === 0 ? 'Data' : `Data${i}`] = item));
      continue;
    }
    out[k] = isObj(v) && '#text' in v ? v['#text'] : v;
  }
  return out;
}

/** EventData whose members are all named values: nothing for flattenData to do. */
function isPlainData(node: Obj): boolean {
  for (const k in node) {
    if (k === '#attributes' || k === 'Data') return false;
    const v = node[k];
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && '#text' in v) return false;
  }
  return true;
}

/**
 * `owned`: the caller hands `o` over (a record it just parsed and will not use again), so its
 * EventData may become the record's data as it is, and be added to (see windowsRaw).
 */
export function fromEvtxJson(o: unknown, owned = false): WindowsRecord | undefined {
  if (!isObj(o) || !isObj(o.Event) || !isObj(o.Event.System)) return undefined;
  const ev = o.Event;
  const s = ev.System as Obj;
  const eventId = toInt(text(s.EventID));
  if (eventId === undefined) return undefined;
  const provider = toStr(attr(s.Provider, 'Name'));
  const providerGuid = toStr(attr(s.Provider, 'Guid'));
  const time = parseTime(attr(s.TimeCreated, 'SystemTime'), true);
  const system: WindowsSystem = {
    eventId,
    channel: canonicalChannel(toStr(s.Channel), provider, providerGuid),
    computer: toStr(s.Computer) ?? '',
    time: time ?? Number.NaN,
    provider,
    providerGuid,
    recordId: toInt(s.EventRecordID),
    version: toInt(s.Version),
    level: toInt(s.Level),
    task: toInt(s.Task),
    opcode: toInt(s.Opcode),
    keywords: toStr(s.Keywords),
    processId: toInt(attr(s.Execution, 'ProcessID')),
    threadId: toInt(attr(s.Execution, 'ThreadID')),
    userId: toStr(attr(s.Security, 'UserID')),
    qualifiers: toInt(attr(s.EventID, 'Qualifiers')),
  };
  const data = ev.EventData !== undefined ? flattenData(ev.EventData, false, owned) : flattenData(ev.UserData, true);
  return { system, data };
}

// ---------------------------------------------------------------------------------------------
// NXLog

/** NXLog's own metadata and the header fields it lifts to the top level: not EventData. */
const NXLOG_HEADER = new Set([
  'EventID', 'Channel', 'Hostname', 'SourceName', 'ProviderGuid', 'ProviderName', 'RecordNumber', 'Version',
  'Level', 'Task', 'Opcode', 'OpcodeValue', 'Keywords', 'ExecutionProcessID', 'ThreadID', 'UserID',
  'EventTime', 'EventReceivedTime', 'TimeCreated', 'Message', 'Severity', 'SeverityValue', 'EventType',
  'SourceModuleName', 'SourceModuleType', 'Category', 'AccountName', 'AccountType', 'Domain', 'ActivityID',
  'RelatedActivityID', 'ERROR_EVT_UNRESOLVED', '@timestamp', '@version', 'host', 'port', 'tags', 'type',
  'EventTypeOrignal', 'Computer', 'Qualifiers',
]);

/** NXLog's own `EventType` values (its severity of the record). */
const NXLOG_SEVERITIES = new Set(['INFO', 'WARNING', 'ERROR', 'CRITICAL', 'VERBOSE', 'DEBUG', 'AUDIT_SUCCESS', 'AUDIT_FAILURE']);

/**
 * NXLog writes `EventTime` in the collector's local time without a zone, and `@timestamp` is the
 * shipper's UTC time of receipt. `EventReceivedTime` is the same instant as `@timestamp` in local
 * time, so their difference (rounded to a quarter hour) is the collector's UTC offset.
 */
function nxlogTime(o: Obj): number | undefined {
  // TimeCreated is the record's SystemTime, which Windows keeps in UTC even when the shipper
  // drops the zone.
  const created = parseTime(o.TimeCreated, true);
  if (created !== undefined) return created;
  const local = toStr(o.EventTime);
  const localMs = local ? naiveAsUtc(local) : undefined;
  const shipped = parseTime(o['@timestamp']);
  if (localMs !== undefined) {
    const receivedLocal = toStr(o.EventReceivedTime);
    const receivedMs = receivedLocal ? naiveAsUtc(receivedLocal) : undefined;
    if (receivedMs !== undefined && shipped !== undefined) {
      const quarter = 15 * 60 * 1000;
      const offset = Math.round((shipped - receivedMs) / quarter) * quarter;
      return localMs + offset;
    }
    const zoned = parseTime(local);
    if (zoned !== undefined) return zoned;
  }
  return shipped;
}

export function fromNxlog(o: Obj, clock?: ShipperClock): WindowsRecord | undefined {
  const eventId = toInt(o.EventID);
  if (eventId === undefined) return undefined;
  const provider = toStr(o.SourceName) ?? toStr(o.ProviderName);
  const providerGuid = toStr(o.ProviderGuid);
  const channel = canonicalChannel(toStr(o.Channel), provider, providerGuid);
  const computer = toStr(o.Hostname) ?? toStr(o.Computer) ?? '';
  const system: WindowsSystem = {
    eventId,
    channel,
    computer,
    // Sysmon's UtcTime is true UTC with milliseconds, where NXLog's EventTime has whole seconds.
    time: settleTime(channel, computer, nxlogTime(o), o.UtcTime, clock),
    provider,
    providerGuid,
    recordId: toInt(o.RecordNumber),
    version: toInt(o.Version),
    level: toInt(o.Level),
    task: toInt(o.Task),
    opcode: toInt(o.OpcodeValue) ?? toInt(o.Opcode),
    keywords: toStr(o.Keywords),
    processId: toInt(o.ExecutionProcessID),
    threadId: toInt(o.ThreadID),
    userId: toStr(o.UserID),
  };
  const data: Obj = {};
  for (const k of Object.keys(o)) if (!NXLOG_HEADER.has(k)) data[k] = o[k];
  // `EventType` is NXLog's severity word, unless the event has an EventType of its own (Sysmon
  // 12-14: CreateKey, SetValue ...): then NXLog either moves its word to `EventTypeOrignal` (sic)
  // or leaves the event's value alone.
  const et = toStr(o.EventType);
  if (et !== undefined && (o.EventTypeOrignal !== undefined || !NXLOG_SEVERITIES.has(et.toUpperCase()))) data.EventType = o.EventType;
  return { system, data, message: toStr(o.Message) };
}

// ---------------------------------------------------------------------------------------------
// Winlogbeat

export function fromWinlogbeat(o: Obj, clock?: ShipperClock): WindowsRecord | undefined {
  const w = isObj(o.winlog) ? o.winlog : o; // 7+: under winlog; 6.x: top level
  const eventId = toInt(w.event_id ?? (isObj(o.event) ? o.event.code : undefined));
  if (eventId === undefined) return undefined;
  const provider = toStr(w.provider_name) ?? toStr(w.source_name);
  const providerGuid = toStr(w.provider_guid);
  const proc = isObj(w.process) ? w.process : undefined;
  const user = isObj(w.user) ? w.user : isObj(o.user) ? o.user : undefined;
  const hostObj = isObj(o.host) ? o.host : undefined;
  const system: WindowsSystem = {
    eventId,
    channel: canonicalChannel(toStr(w.channel) ?? toStr(w.log_name), provider, providerGuid),
    computer: toStr(w.computer_name) ?? toStr(hostObj?.name) ?? '',
    time: Number.NaN,
    provider,
    providerGuid,
    recordId: toInt(w.record_id ?? w.record_number),
    version: toInt(w.version),
    level: toInt(w.level),
    task: toInt(w.task),
    opcode: toInt(w.opcode),
    keywords: Array.isArray(w.keywords) ? w.keywords.join(',') : toStr(w.keywords),
    processId: toInt(proc?.pid ?? w.process_id),
    threadId: toInt(isObj(proc?.thread) ? proc.thread.id : w.thread_id),
    userId: toStr(user?.identifier),
  };
  const ed = isObj(w.event_data) ? w.event_data : undefined;
  const shipped = parseTime(isObj(o.event) ? o.event.created : undefined) ?? parseTime(o['@timestamp']);
  system.time = settleTime(system.channel, system.computer, shipped, ed?.UtcTime, clock);
  const data: Obj = {};
  const ud = isObj(w.user_data) ? w.user_data : undefined;
  if (ed) Object.assign(data, ed);
  if (ud) for (const [k, v] of Object.entries(ud)) if (k !== 'xml_name') data[k] = v;
  const message = toStr(o.message);
  return { system, data, message };
}
