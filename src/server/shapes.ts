/**
 * What agents send, one JSON object per NDJSON line, to a Loupe Event: NXLog, Winlogbeat/ECS and
 * the evtx crate's JSON through the same shape readers `loupe analyze` uses, and RmEye's
 * `{Action, Data}` (Sysmon EventData under its own names, the event named by Action). Field names
 * and values are kept exactly as sent (RmEye lower-cased whole bodies; a rule or an analyst then
 * never sees the real base64 or path).
 */
import type { Event } from '../normalize/event.js';
import { parseTime } from '../normalize/values.js';
import { normalizeWindows, ShipperClock, toWindowsRecord, windowsJsonShape } from '../normalize/windows.js';
import type { WindowsRecord } from '../normalize/windows-record.js';
import { boundStrings } from '../sources/limits.js';

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';

/**
 * RmEye's action names (its agent renames some of Sysmon's) to Sysmon event ids. Compared without
 * case; both RmEye's and Sysmon's own spellings are here.
 */
const RMEYE_ACTIONS: Record<string, number> = {
  processcreate: 1,
  filecreatetime: 2,
  filecreatetimechange: 2,
  networkconnect: 3,
  processterminal: 5,
  processterminate: 5,
  driverload: 6,
  imageload: 7,
  createremotethread: 8,
  rawaccessread: 9,
  processaccess: 10,
  filecreate: 11,
  registryadd: 12,
  registryobjectadd: 12,
  registrydelete: 12,
  registryevent: 13,
  registryvalueset: 13,
  registryobjectset: 14,
  registryrename: 14,
  filecreatestreamhash: 15,
  pipecreate: 17,
  pipeconnected: 18,
  pipeconnect: 18,
  wmieventfilter: 19,
  wmieventconsumer: 20,
  wmieventconsumertofilter: 21,
  dnsquery: 22,
  filedelete: 23,
  filedeletedetected: 26,
  filedeletelogged: 26,
  clipboardchange: 24,
  processtampering: 25,
  fileblockexecutable: 27,
  fileblockshredding: 28,
  fileexecutabledetected: 29,
};

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isRmEye(o: unknown): o is { Action: string; Data: Obj } {
  return isObj(o) && typeof o.Action === 'string' && isObj(o.Data);
}

/** RmEye's `{Action, Data}` as a WindowsRecord, or a reason it is not one. */
export function fromRmEye(o: { Action: string; Data: Obj }, fallbackHost: string, receivedAt: number): WindowsRecord | string {
  const id = RMEYE_ACTIONS[o.Action.toLowerCase()];
  if (id === undefined) return `unknown RmEye action ${JSON.stringify(o.Action.slice(0, 64))}`;
  const d = o.Data;
  const host = [d.Computer, d.Hostname, (o as Obj).Hostname, (o as Obj).Computer].find((v) => typeof v === 'string' && v) as string | undefined;
  // RmEye's server stamped events with its own receive time; Sysmon's UtcTime is the real one.
  const time = parseTime(d.UtcTime, true) ?? receivedAt;
  return {
    system: { eventId: id, channel: SYSMON, computer: host ?? fallbackHost, time, provider: 'Microsoft-Windows-Sysmon' },
    data: { ...d },
  };
}

export interface LineResult {
  event?: Event;
  error?: string;
}

/** As much of an agent's first Sysmon records as `loupe analyze` looks at before reading a file. */
const PRESCAN_BYTES = 8 * 1024 * 1024;

/** Turns agents' lines into events; one per agent, so that its shipper clock is learnt per agent. */
export class LineDecoder {
  private readonly clock = new ShipperClock();
  private prescanned = 0;

  constructor(
    private readonly agent: string,
    private readonly origin: string,
  ) {}

  /**
   * Shippers get time zones wrong, and the Security records that come first would carry the wrong
   * time until Sysmon's UtcTime has taught the clock (see ShipperClock). As `loupe analyze` does
   * with the start of a file, the Sysmon records of a batch teach it before the batch is read, for
   * the agent's first 8 MB of them.
   */
  prescan(lines: Iterable<{ line: string }>): void {
    if (this.prescanned >= PRESCAN_BYTES) return;
    // A few records per host teach the clock: 200 per batch is plenty, and spares a second parse
    // of every Sysmon line.
    let budget = 200;
    for (const { line } of lines) {
      if (!line.includes('UtcTime') || !/sysmon/i.test(line)) continue;
      if (--budget < 0) return;
      this.prescanned += line.length;
      try {
        const obj = JSON.parse(line) as unknown;
        const shape = windowsJsonShape(obj);
        if (shape) toWindowsRecord(obj, shape, this.clock);
      } catch {
        /* decode() reports it */
      }
      if (this.prescanned >= PRESCAN_BYTES) return;
    }
  }

  decode(line: string, lineNo: number, receivedAt: number): LineResult {
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (err) {
      return { error: `invalid JSON: ${(err as Error).message.slice(0, 200)}` };
    }
    let rec: WindowsRecord | undefined;
    let format: string;
    const shape = windowsJsonShape(obj);
    if (shape) {
      rec = toWindowsRecord(obj, shape, this.clock);
      format = shape;
      if (!rec) return { error: 'not a Windows event record (no event id)' };
    } else if (isRmEye(obj)) {
      const r = fromRmEye(obj, this.agent, receivedAt);
      if (typeof r === 'string') return { error: r };
      rec = r;
      format = 'rmeye-json';
    } else {
      return { error: 'not a Windows event in a shape Loupe reads (NXLog, Winlogbeat/ECS, evtx JSON, RmEye {Action, Data})' };
    }
    if (!Number.isFinite(rec.system.time)) return { error: 'record has no readable time' };
    let cut: string | undefined;
    boundStrings(rec.data, (field, size) => (cut = `field ${field} is ${size} characters; kept the first ${boundStrings.MAX}`));
    const event = normalizeWindows(rec, { file: this.origin, format, line: lineNo });
    return cut ? { event, error: cut } : { event };
  }
}

/** Splits an NDJSON body into lines (LF or CRLF), with 1-based line numbers; blank lines skipped. */
export function* ndjsonLines(text: string): Generator<{ line: string; n: number }> {
  let n = 0;
  let from = 0;
  while (from <= text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    n++;
    let line = text.slice(from, to);
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim()) yield { line, n };
    from = to + 1;
  }
}
