/**
 * Windows events as XML: `wevtutil qe LOG /f:xml` (a bare sequence of <Event> elements, no root,
 * often one per line) and Event Viewer's "Save as XML" / `Get-WinEvent | ConvertTo-Xml`-free
 * exports (<Events><Event>...</Event></Events>). Streamed through a SAX parser: each <Event>
 * becomes a `WindowsRecord` and goes through the same normaliser as every other Windows source.
 *
 * - System: EventID (+Qualifiers), Provider Name/Guid, TimeCreated SystemTime (UTC), EventRecordID,
 *   Channel, Computer, Execution ProcessID/ThreadID, Security UserID, Version, Level, Task,
 *   Opcode, Keywords.
 * - EventData: <Data Name="X"> under its name; unnamed <Data> as Data, Data1, ...; <Binary> as
 *   Binary. UserData: its one wrapper element's children, flattened one level.
 * - RenderingInfo (exports "with display information"): the Message is kept.
 * - Entity and character references are decoded by the parser. UTF-8 and UTF-16 (with BOM) read.
 * - A record that cannot be read (no EventID, no time, broken XML) is reported with its record
 *   number and line; a file cut short is reported where it stops, the records before it kept.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Event } from '../normalize/event.js';
import { normalizeWindows } from '../normalize/windows.js';
import { canonicalChannel } from '../normalize/windows/channels.js';
import type { WindowsRecord, WindowsSystem } from '../normalize/windows-record.js';
import { parseTime, toInt, toStr } from '../normalize/values.js';
import { boundStrings } from './limits.js';
import type { Input, ReadContext, Reader } from './types.js';

const FORMAT = 'windows-xml';
const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

function headString(head: Buffer): string {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return head.subarray(2).toString('utf16le');
  let s = head.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s;
}

function sniff(input: Input): number {
  const s = headString(input.head).slice(0, 16384);
  if (!/^\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*)*<(Events|Event)[\s>]/.test(s)) return 0;
  if (s.includes(EVENT_NS) || (/<System>/.test(s) && /<EventID[\s>]/.test(s))) return 0.95;
  return 0;
}

const MAX_TEXT = 1024 * 1024;

interface Building {
  system: Record<string, string>;
  attrs: Record<string, Record<string, string>>;
  data: Record<string, unknown>;
  unnamed: number;
  message?: string;
  line: number;
}

function localName(n: string): string {
  const i = n.indexOf(':');
  return i >= 0 ? n.slice(i + 1) : n;
}

function toRecord(b: Building): WindowsRecord | string {
  const s = b.system;
  const eventId = toInt(s.EventID);
  if (eventId === undefined) return 'record has no EventID';
  const provider = toStr(b.attrs.Provider?.Name);
  const providerGuid = toStr(b.attrs.Provider?.Guid);
  const time = parseTime(b.attrs.TimeCreated?.SystemTime, true);
  if (time === undefined) return `record has no readable TimeCreated SystemTime (${JSON.stringify(String(b.attrs.TimeCreated?.SystemTime ?? '')).slice(0, 60)})`;
  const system: WindowsSystem = {
    eventId,
    channel: canonicalChannel(toStr(s.Channel), provider, providerGuid),
    computer: toStr(s.Computer) ?? '',
    time,
    provider,
    providerGuid,
    recordId: toInt(s.EventRecordID),
    version: toInt(s.Version),
    level: toInt(s.Level),
    task: toInt(s.Task),
    opcode: toInt(s.Opcode),
    keywords: toStr(s.Keywords),
    processId: toInt(b.attrs.Execution?.ProcessID),
    threadId: toInt(b.attrs.Execution?.ThreadID),
    userId: toStr(b.attrs.Security?.UserID),
    qualifiers: toInt(b.attrs.EventID?.Qualifiers),
  };
  for (const k of Object.keys(system) as Array<keyof WindowsSystem>) if (system[k] === undefined) delete system[k];
  return { system, data: b.data, message: b.message };
}

async function* readWindowsXml(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  let out: Event[] = [];
  let record = 0;
  let cur: Building | undefined;
  // where we are inside the current Event: element local names from Event down
  const path: string[] = [];
  let text = '';
  let dataName: string | undefined;
  let userDataWrapperDepth = -1;
  let damaged = false;
  let lastErrorLine = -1;
  let ending = false;

  parser.on('error', (err) => {
    if (ending) return; // the end of input is judged below
    const line = parser.line;
    if (line !== lastErrorLine) {
      ctx.error({ line, record: cur ? record : undefined }, `XML error: ${err.message.replace(/^\d+:\d+: /, '').slice(0, 200)}`);
      lastErrorLine = line;
    }
    if (cur) damaged = true;
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (!cur) {
      if (name === 'Event') {
        record++;
        cur = { system: {}, attrs: {}, data: {}, unnamed: 0, line: parser.line };
        path.length = 0;
        path.push('Event');
        damaged = false;
        userDataWrapperDepth = -1;
      }
      return;
    }
    path.push(name);
    text = '';
    const attrs = tag.attributes as Record<string, string>;
    const depth = path.length; // Event=1, System/EventData/UserData=2, their children=3
    if (depth === 3 && path[1] === 'System' && Object.keys(attrs).length) cur.attrs[name] = { ...attrs };
    if (depth === 3 && path[1] === 'EventData' && name === 'Data') dataName = attrs.Name;
    if (depth === 3 && path[1] === 'UserData') userDataWrapperDepth = 3;
  });
  parser.on('text', (t: string) => {
    if (cur && text.length < MAX_TEXT) text += t;
  });
  parser.on('cdata', (t: string) => {
    if (cur && text.length < MAX_TEXT) text += t;
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    // at the end of input the parser closes what is still open: that record was cut short
    if (!cur || ending) return;
    const name = localName(tag.name);
    const depth = path.length;
    if (depth === 1 && name === 'Event') {
      const b = cur;
      cur = undefined;
      path.length = 0;
      if (damaged) return; // already reported
      const rec = toRecord(b);
      if (typeof rec === 'string') {
        ctx.error({ line: b.line, record }, rec);
        return;
      }
      boundStrings(rec.data, (field, size) => ctx.error({ line: b.line, record }, `field ${field} is ${size} characters; kept the first ${boundStrings.MAX}`));
      out.push(normalizeWindows(rec, { file: input.name, format: FORMAT, record, line: b.line }));
      return;
    }
    const section = path[1];
    if (depth === 3 && section === 'System') cur.system[name] = text.trim();
    else if (depth === 3 && section === 'EventData') {
      if (name === 'Data') {
        const key = dataName ?? (cur.unnamed === 0 ? 'Data' : `Data${cur.unnamed}`);
        if (dataName === undefined) cur.unnamed++;
        cur.data[key] = text;
        dataName = undefined;
      } else cur.data[name] = text;
    } else if (depth === 4 && section === 'UserData' && userDataWrapperDepth === 3) {
      cur.data[name] = text;
    } else if (depth === 3 && section === 'RenderingInfo' && name === 'Message') {
      cur.message = text;
    }
    path.pop();
    text = '';
  });

  const stream: Readable = input.open();
  let decoder: StringDecoder | undefined;
  let started = false;
  let first = true;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let b: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    ctx.progress?.(b.length);
    if (first) {
      first = false;
      if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) {
        decoder = new StringDecoder('utf16le');
        b = b.subarray(2);
      } else {
        decoder = new StringDecoder('utf8');
        if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) b = b.subarray(3);
      }
    }
    let s = decoder!.write(b);
    if (!started) {
      // wevtutil output has no root: give the parser one. The XML declaration goes first (and
      // its encoding is already dealt with), so it is dropped; comments and newlines are kept so
      // that line numbers stay right.
      s = s.replace(/^\s*<\?xml[^>]*\?>/, (m) => m.replace(/[^\n]/g, ''));
      s = `<loupe-xml-root>${s}`;
      started = true;
    }
    try {
      parser.write(s);
    } catch (err) {
      ctx.error({ line: parser.line }, `XML could not be read further: ${(err as Error).message.slice(0, 200)}`);
      return;
    }
    if (out.length) {
      yield out;
      out = [];
    }
  }
  try {
    if (decoder) parser.write(decoder.end());
    ending = true;
    parser.write('</loupe-xml-root>');
    parser.close();
  } catch {
    /* reported through the error handler */
  }
  if (cur) ctx.error({ line: cur.line, record }, 'the file ends inside this record (truncated); the records before it were read');
  if (out.length) yield out;
}

export const windowsXmlReader: Reader = {
  format: FORMAT,
  description: 'Windows events as XML (wevtutil qe /f:xml without a root, Event Viewer "Save as XML" exports)',
  sniff,
  read: readWindowsXml,
};
