/**
 * Process Monitor CSV exports (File > Save > CSV): one row per operation, columns named in the
 * header (`Time of Day`, `Process Name`, `PID`, `Operation`, `Path`, `Result`, `Detail`, and
 * optionally `Date & Time`, `Parent PID`, `Command Line`, `User`, `Image Path`, `TID`, ...).
 *
 * Time: Procmon writes local wall-clock time without a zone.
 * - The date comes from the `Date & Time` column when there is one; else from the reader option
 *   `procmon.date` (YYYY-MM-DD); else 1970-01-01 is assumed and an error says so (never "today").
 *   Without a date column, a time going back by more than 12 hours means midnight was crossed.
 * - Dates like 5/6/2019 read both ways: the order is learnt from any unambiguous date in the
 *   first 64 KiB, else `procmon.dateOrder` (mdy or dmy), else month/day (Procmon's US default),
 *   stated in a fact.
 * - Local time becomes UTC with `procmon.utcOffset` (`+02:00`, minutes east); without it the
 *   times are taken as UTC, stated in a fact.
 * Host: Procmon does not name the machine; `procmon.host` names it, else `procmon:<file name>`.
 *
 * Operations: Process Create (a process-start of the child, by the parent), Process Start (a
 * process-start only when no Process Create announced it), Process Exit, Load Image, CreateFile
 * (an open unless the Detail says the file was Created, Overwritten or Superseded), WriteFile,
 * ReadFile, SetDispositionInformationFile with Delete: True, SetRenameInformationFile,
 * RegSetValue, RegCreateKey (a create only with REG_CREATED_NEW_KEY), RegDeleteKey,
 * RegDeleteValue, RegOpenKey/RegQueryValue/RegQueryKey (reads), TCP/UDP Connect/Send/Receive/
 * Accept/Reconnect (`local:port -> remote:port`, names and service names allowed: the first
 * sighting of a connection is a network-connection, the traffic on it an `other` event).
 * Operations that failed (Result other than SUCCESS) and every other operation are kept as
 * `other` events with their raw fields.
 */
import { isIP } from 'node:net';
import { basename } from 'node:path';
import type { Event, EventAction, EventOrigin } from '../normalize/event.js';
import { bound, toInt } from '../normalize/values.js';
import { makeEvent, processFields, setDll, setFile, setRegistry, splitHostPort } from './sandbox/common.js';
import { csvRecords } from './procmon/csv.js';
import { type DateOrder, dayStart, parseDateTime, parseTimeOfDay, parseUtcOffset } from './procmon/time.js';
import type { Input, ReadContext, Reader } from './types.js';

const FORMAT = 'procmon-csv';
const DATASET = 'procmon';

function headerOf(head: Buffer): string[] | undefined {
  let s: string;
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) s = head.subarray(2).toString('utf16le');
  else s = head.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  const nl = s.indexOf('\n');
  const first = (nl < 0 ? s : s.slice(0, nl)).replace(/\r$/, '');
  if (!first.includes(',')) return undefined;
  return first.split(',').map((f) => f.trim().replace(/^"|"$/g, '').toLowerCase());
}

function sniff(input: Input): number {
  const h = headerOf(input.head);
  if (!h) return 0;
  const has = (n: string) => h.includes(n);
  if (has('time of day') && has('process name') && has('operation')) return 0.95;
  if (has('date & time') && has('process name') && has('operation') && has('pid')) return 0.9;
  return 0;
}

interface Columns {
  [name: string]: number;
}

function col(cols: Columns, row: string[], name: string): string | undefined {
  const i = cols[name];
  if (i === undefined || i >= row.length) return undefined;
  const v = row[i];
  return v === '' ? undefined : v;
}

/** `Key: value` out of a Detail cell, up to the next `, Key:` of the given keys. */
function detail(d: string | undefined, key: string, nextKeys: string[] = []): string | undefined {
  if (!d) return undefined;
  const at = d.indexOf(`${key}: `);
  if (at < 0 || (at > 0 && d.slice(at - 2, at) !== ', ')) return undefined;
  let v = d.slice(at + key.length + 2);
  let cut = v.length;
  for (const k of nextKeys) {
    const j = v.indexOf(`, ${k}: `);
    if (j >= 0 && j < cut) cut = j;
  }
  if (!nextKeys.length) {
    const j = v.search(/, [A-Z][A-Za-z ]*: /);
    if (j >= 0) cut = j;
  }
  v = v.slice(0, cut);
  return v;
}

/** `local:port -> remote:port` (names, IPv6 and service names allowed). */
function endpoints(path: string | undefined): { src: ReturnType<typeof splitEndpoint>; dst: ReturnType<typeof splitEndpoint> } | undefined {
  if (!path) return undefined;
  const parts = path.split(' -> ');
  if (parts.length !== 2) return undefined;
  return { src: splitEndpoint(parts[0]), dst: splitEndpoint(parts[1]) };
}

function splitEndpoint(s: string): { host: string; port?: number; service?: string } {
  const t = s.trim();
  if (isIP(t)) return { host: t };
  const i = t.lastIndexOf(':');
  if (i > 0 && t.indexOf(':') !== i && !t.startsWith('[')) {
    // unbracketed IPv6 with a port
    const host = t.slice(0, i);
    if (isIP(host)) return { ...splitHostPort(`[${host}]:${t.slice(i + 1)}`) };
    return { host: t };
  }
  return splitHostPort(t);
}

function setEndpoint(e: Event, side: 'source' | 'destination', ep: { host: string; port?: number }): void {
  const o: { ip?: string; domain?: string; port?: number } = {};
  if (isIP(ep.host.replace(/%.*$/, ''))) o.ip = ep.host;
  else o.domain = ep.host;
  if (ep.port !== undefined) o.port = ep.port;
  e[side] = o;
}

interface State {
  cols: Columns;
  /** Header names as written, by column. */
  names: string[];
  dateOrder: DateOrder;
  dateFromOption?: number;
  utcOffsetMin: number;
  host: string;
  lastDayMs?: number;
  lastTod?: number;
  dayShift: number;
  midnights: number;
  announced: Set<number>;
  flows: Map<string, number>;
  failedOps: number;
}

async function* readProcmon(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const opts = ctx.options ?? {};
  const headLines = input.head.toString('utf8');
  // Learn the day/month order from the first unambiguous date in the head.
  let learnt: DateOrder | undefined;
  for (const m of headLines.matchAll(/"(\d{1,2})[/.-](\d{1,2})[/.-]\d{4}/g)) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    if (a > 12 && b <= 12) learnt = 'dmy';
    else if (b > 12 && a <= 12) learnt = 'mdy';
    if (learnt) break;
  }
  const optOrder = typeof opts['procmon.dateOrder'] === 'string' ? (String(opts['procmon.dateOrder']).toLowerCase() as DateOrder) : undefined;
  const optDate = typeof opts['procmon.date'] === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(opts['procmon.date'])) : null;
  const offset = parseUtcOffset(opts['procmon.utcOffset']);
  const st: State = {
    cols: {},
    names: [],
    dateOrder: learnt ?? (optOrder === 'dmy' || optOrder === 'mdy' ? optOrder : 'mdy'),
    dateFromOption: optDate ? dayStart(+optDate[1], +optDate[2], +optDate[3]) : undefined,
    utcOffsetMin: offset ?? 0,
    host: typeof opts['procmon.host'] === 'string' ? String(opts['procmon.host']) : `procmon:${basename(input.name.replace(/^.*!\//, ''))}`,
    dayShift: 0,
    midnights: 0,
    announced: new Set(),
    flows: new Map(),
    failedOps: 0,
  };
  if (opts['procmon.date'] !== undefined && !optDate) ctx.error({}, `reader option procmon.date=${String(opts['procmon.date'])} is not YYYY-MM-DD; ignored`);
  ctx.fact?.('host', st.host + (opts['procmon.host'] ? '' : ' (Procmon does not name the machine; set --reader-option procmon.host=NAME)'));
  ctx.fact?.('time zone', offset !== undefined ? `local time read with UTC offset ${offset} minutes` : 'Procmon writes local time without a zone: read as UTC (set --reader-option procmon.utcOffset=+02:00 to correct)');
  let header = true;
  let record = 0;
  let warnedNoDate = false;
  let orderUsed = false;
  for await (const items of csvRecords(input.open(), ctx.progress)) {
    const out: Event[] = [];
    for (const it of items) {
      if ('error' in it) {
        ctx.error({ line: it.line }, it.error);
        continue;
      }
      if (header) {
        header = false;
        it.fields.forEach((f, i) => (st.cols[f.trim().toLowerCase()] = i));
        st.names = it.fields.map((f) => f.trim());
        if (st.cols['time of day'] === undefined && st.cols['date & time'] === undefined) {
          ctx.error({ line: it.line }, 'no "Time of Day" or "Date & Time" column: not a Procmon export');
          return;
        }
        if (st.cols['date & time'] === undefined && st.dateFromOption === undefined) {
          ctx.error({}, 'the export has no "Date & Time" column and no procmon.date option was given: times are placed on 1970-01-01 (set --reader-option procmon.date=YYYY-MM-DD)');
          warnedNoDate = true;
        }
        continue;
      }
      record++;
      const row = it.fields;
      const where = { line: it.line, record };
      if (row.length !== st.names.length) {
        ctx.error(where, `row has ${row.length} fields where the header has ${st.names.length}; skipped`);
        continue;
      }
      const ts = rowTime(st, row, (ambiguous) => (orderUsed ||= ambiguous));
      if (typeof ts === 'string') {
        ctx.error(where, ts);
        continue;
      }
      try {
        const e = toEvent(st, row, ts, { file: input.name, format: FORMAT, record, line: it.line });
        if (typeof e === 'string') ctx.error(where, e);
        else out.push(e);
      } catch (err) {
        ctx.error(where, `row could not be read: ${(err as Error).message}`);
      }
    }
    if (out.length) yield out;
  }
  if (header) ctx.error({}, 'no header row');
  if (orderUsed && !learnt) ctx.fact?.('date order', `dates that read both ways were read as ${st.dateOrder === 'mdy' ? 'month/day' : 'day/month'}${optOrder ? ' (procmon.dateOrder)' : " (Procmon's US default; set --reader-option procmon.dateOrder=dmy if wrong)"}`);
  if (st.midnights) ctx.fact?.('midnight', `the time of day went back ${st.midnights} time(s): read as the next day`);
  if (warnedNoDate) ctx.fact?.('date', 'assumed 1970-01-01 (no date in the export)');
  if (st.failedOps) ctx.fact?.('failed operations', `${st.failedOps} operations with a Result other than SUCCESS kept as "other" events`);
}

/** The row's time as UTC epoch ms, or the reason it has none. */
function rowTime(st: State, row: string[], usedOrder: (ambiguous: boolean) => void): number | string {
  const todText = col(st.cols, row, 'time of day');
  const dtText = col(st.cols, row, 'date & time');
  const tod = todText !== undefined ? parseTimeOfDay(todText) : undefined;
  if (todText !== undefined && !tod) return `unreadable Time of Day "${bound(todText, 40)}"`;
  let day: number;
  let ms: number;
  if (dtText !== undefined) {
    const dt = parseDateTime(dtText, st.dateOrder);
    if (!dt) return `unreadable Date & Time "${bound(dtText, 60)}"`;
    if (!dt.orderKnown) usedOrder(true);
    day = dayStart(dt.y, dt.m, dt.d);
    const t = tod ?? dt.time;
    if (!t) return 'no time of day';
    ms = t.ms;
    // Date & Time has whole seconds; Time of Day adds the fraction. Both are the same instant.
  } else {
    if (!tod) return 'no time of day';
    day = st.dateFromOption ?? 0;
    ms = tod.ms;
    if (st.lastTod !== undefined && ms < st.lastTod - 12 * 3600_000) {
      st.dayShift += 86_400_000;
      st.midnights++;
    }
    st.lastTod = ms;
    day += st.dayShift;
  }
  return day + ms - st.utcOffsetMin * 60_000;
}

const FILE_OPS_OTHER = new Set(['CloseFile', 'QueryOpen', 'QueryBasicInformationFile', 'QueryStandardInformationFile', 'QueryDirectory']);

function toEvent(st: State, row: string[], ts: number, origin: EventOrigin): Event | string {
  const c = st.cols;
  const raw: Record<string, unknown> = {};
  st.names.forEach((name, i) => {
    const v = row[i];
    if (v !== undefined && v !== '') raw[name] = bound(v, 64 * 1024);
  });
  const op = col(c, row, 'operation') ?? '';
  const path = col(c, row, 'path');
  const result = col(c, row, 'result');
  const det = col(c, row, 'detail');
  const pidText = col(c, row, 'pid');
  const pid = toInt(pidText);
  if (pidText !== undefined && pid === undefined) return `PID "${bound(pidText, 20)}" is not a number`;
  const actor = processFields({
    pid,
    executable: col(c, row, 'image path') ?? col(c, row, 'process name'),
    commandLine: col(c, row, 'command line'),
    user: col(c, row, 'user'),
  });
  const ppid = toInt(col(c, row, 'parent pid'));
  if (ppid !== undefined) actor.parent = { pid: ppid };
  const ev = (action: EventAction) => {
    const e = makeEvent(ts, action, raw, origin, st.host, DATASET, op);
    if (actor.pid !== undefined) e.process = { ...actor };
    if (actor.user) e.user = actor.user;
    if (result) e.event.outcome = result === 'SUCCESS' ? 'success' : 'failure';
    return e;
  };
  const ok = result === undefined || result === 'SUCCESS';

  if (op === 'Process Create') {
    const childPid = toInt(detail(det, 'PID', ['Command line']));
    if (!ok || childPid === undefined || !path) return ev('other');
    const e = ev('process-start');
    e.process = processFields({ pid: childPid, executable: path, start: ts });
    const cl = det?.match(/(?:^|, )Command line: ([\s\S]*)$/)?.[1];
    if (cl) e.process.command_line = bound(cl, 64 * 1024);
    const parent = { ...actor };
    delete parent.parent;
    e.process.parent = parent;
    st.announced.add(childPid);
    if (st.announced.size > 100_000) st.announced.clear();
    return e;
  }
  if (op === 'Process Start') {
    if (pid === undefined || st.announced.has(pid)) {
      if (pid !== undefined) st.announced.delete(pid);
      return ev('other');
    }
    const e = ev('process-start');
    e.process!.start = ts;
    const pp = toInt(detail(det, 'Parent PID', ['Command line']));
    if (pp !== undefined) e.process!.parent = { pid: pp };
    const cl = detail(det, 'Command line', ['Current directory', 'Environment']);
    if (cl && !e.process!.command_line) e.process!.command_line = bound(cl, 64 * 1024);
    const cwd = detail(det, 'Current directory', ['Environment']);
    if (cwd) e.process!.working_directory = cwd;
    return e;
  }
  if (op === 'Process Exit') {
    const e = ev('process-end');
    const code = toInt(detail(det, 'Exit Status'));
    e.process!.end = ts;
    if (code !== undefined) e.process!.exit_code = code;
    return e;
  }
  if (!ok) {
    st.failedOps++;
    return ev('other');
  }
  if (op === 'Load Image' && path) {
    const e = ev('image-load');
    setDll(e, path);
    return e;
  }
  if (op === 'CreateFile' && path) {
    const res = detail(det, 'OpenResult');
    const action: EventAction = res === 'Created' ? 'file-create' : res === 'Overwritten' || res === 'Superseded' ? 'file-modify' : 'file-access';
    const e = ev(action);
    setFile(e, path);
    return e;
  }
  if ((op === 'WriteFile' || op === 'ReadFile') && path) {
    const e = ev(op === 'WriteFile' ? 'file-modify' : 'file-access');
    setFile(e, path);
    return e;
  }
  if ((op === 'SetDispositionInformationFile' || op === 'SetDispositionInformationEx') && path) {
    const del = detail(det, 'Delete') === 'True' || /FILE_DISPOSITION_DELETE/.test(det ?? '');
    const e = ev(del ? 'file-delete' : 'other');
    if (del) setFile(e, path);
    return e;
  }
  if ((op === 'SetRenameInformationFile' || op === 'SetRenameInformationEx') && path) {
    const to = detail(det, 'FileName', []) ?? det?.match(/FileName: (.*)$/)?.[1];
    if (!to) return ev('other');
    const e = ev('file-rename');
    setFile(e, to, { originalPath: path });
    return e;
  }
  if (op.startsWith('Reg') && path) {
    const cut = path.lastIndexOf('\\');
    const keyOf = () => (cut > 0 ? path.slice(0, cut) : path);
    const valueOf = () => (cut > 0 ? path.slice(cut + 1) : '');
    switch (op) {
      case 'RegSetValue': {
        const e = ev('registry-value-set');
        setRegistry(e, keyOf(), valueOf(), detail(det, 'Data', []) ?? undefined, detail(det, 'Type', ['Length', 'Data']));
        return e;
      }
      case 'RegDeleteValue': {
        const e = ev('registry-value-delete');
        setRegistry(e, keyOf(), valueOf());
        return e;
      }
      case 'RegCreateKey': {
        const created = /REG_CREATED_NEW_KEY/.test(det ?? '');
        const e = ev(created ? 'registry-key-create' : 'registry-key-access');
        setRegistry(e, path);
        return e;
      }
      case 'RegDeleteKey': {
        const e = ev('registry-key-delete');
        setRegistry(e, path);
        return e;
      }
      case 'RegOpenKey':
      case 'RegQueryKey': {
        const e = ev('registry-key-access');
        setRegistry(e, path);
        return e;
      }
      case 'RegQueryValue': {
        const e = ev('registry-key-access');
        setRegistry(e, keyOf());
        return e;
      }
      default:
        return ev('other');
    }
  }
  const net = /^(TCP|UDP) (Connect|Send|Receive|Accept|Reconnect|Disconnect)$/.exec(op);
  if (net) {
    const ends = endpoints(path);
    if (!ends) return ev('other');
    const key = `${pid}|${path}|${net[1]}`;
    const first = net[2] !== 'Disconnect' && !st.flows.has(key);
    if (net[2] === 'Disconnect') st.flows.delete(key);
    else if (first) {
      if (st.flows.size > 50_000) st.flows.clear();
      st.flows.set(key, ts);
    }
    const e = ev(first ? 'network-connection' : 'other');
    if (first) {
      e.event.category = ['network'];
      e.event.type = ['connection', 'start'];
    }
    setEndpoint(e, 'source', ends.src);
    setEndpoint(e, 'destination', ends.dst);
    const len = toInt(detail(det, 'Length'));
    e.network = { transport: net[1].toLowerCase(), direction: net[2] === 'Receive' || net[2] === 'Accept' ? 'inbound' : 'outbound' };
    if (len !== undefined) e.network.bytes = len;
    if (ends.dst.service) e.network.protocol = ends.dst.service;
    return e;
  }
  if (FILE_OPS_OTHER.has(op)) return ev('other');
  return ev('other');
}

export const procmonCsvReader: Reader = {
  format: FORMAT,
  description: 'Process Monitor CSV exports (12- and 24-hour clocks, optional Date & Time column)',
  sniff,
  read: readProcmon,
};
