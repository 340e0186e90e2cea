/**
 * FireEye HX triage collections (`.mans`, a zip: the archive layer hands each member over).
 *
 * - Members whose head says `generator="stateagentinspector"` are the agent's event stream:
 *   <eventItem><timestamp/><eventType/><details><detail><name/><value/></detail>...</details>
 *   </eventItem>, streamed with a SAX parser (never loaded whole). processEvent (start/running →
 *   process-start, end → process-end), fileWriteEvent, imageLoadEvent, regKeyEvent (1 value set,
 *   2 value delete, 3 key create, 4 key delete), dnsLookupEvent, urlMonitorEvent,
 *   ipv4NetworkEvent. Every event carries the pid and image of its process (the parent's own
 *   image for a parent: never the child's).
 * - Other Redline/HX audits (`generator="w32processes-..."` ...) are recognised and listed in a
 *   fact, not read. HX's JSON members (metadata.json, hits.json, threats.json) likewise.
 * Host: the agent's host name from the collection's metadata.json (read from the .mans on disk);
 * when that cannot be read, `hx:<collection file name>`, said in a fact.
 */
import { basename } from 'node:path';
import { existsSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import yauzl from 'yauzl';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Event, EventAction } from '../../normalize/event.js';
import { parseTime, toInt, toStr } from '../../normalize/values.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { makeEvent, processFields, setDll, setFile, setRegistry, text, Unmapped } from './common.js';

const FORMAT = 'fireeye-hx';
const DATASET = 'edr.fireeye_hx';

function sniff(input: Input): number {
  const s = input.head.toString('utf8', 0, Math.min(input.head.length, 4096));
  if (s.includes('generator="stateagentinspector"')) return 0.95;
  if (/<itemList[^>]*generator="[^"]+"/.test(s)) return 0.6;
  if (/\.mans!\//i.test(input.name) && /^\s*[{[]/.test(s) && /"(agent|threat_id|matched_at|uri_name|display_name|_id)"/.test(s)) return 0.5;
  return 0;
}

const hostCache = new Map<string, Promise<string | undefined>>();

/** The agent's host name from the collection's metadata.json. */
function hostFromArchive(archive: string): Promise<string | undefined> {
  let p = hostCache.get(archive);
  if (p) return p;
  p = new Promise((resolve) => {
    if (!existsSync(archive)) return resolve(undefined);
    yauzl.open(archive, { lazyEntries: true }, (err, zf) => {
      if (err || !zf) return resolve(undefined);
      let done = false;
      const finish = (v: string | undefined) => {
        if (done) return;
        done = true;
        zf.close();
        resolve(v);
      };
      zf.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'metadata.json' || entry.uncompressedSize > 16 * 1024 * 1024) return zf.readEntry();
        zf.openReadStream(entry, (e2, rs) => {
          if (e2 || !rs) return finish(undefined);
          const parts: Buffer[] = [];
          rs.on('data', (c: Buffer) => parts.push(c));
          rs.on('error', () => finish(undefined));
          rs.on('end', () => {
            try {
              const m = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, any>;
              const h = m?.agent?.sysinfo?.hostname ?? m?.agent?.hostname ?? m?.hostname;
              finish(typeof h === 'string' && h ? h : undefined);
            } catch {
              finish(undefined);
            }
          });
        });
      });
      zf.on('end', () => finish(undefined));
      zf.on('error', () => finish(undefined));
      zf.readEntry();
    });
  });
  hostCache.set(archive, p);
  if (hostCache.size > 64) hostCache.delete(hostCache.keys().next().value as string);
  return p;
}

type Details = Record<string, string>;

/** The process an HX event names: processPath is the full path in processEvent, a folder elsewhere. */
function imageOf(path: string | undefined, name: string | undefined): string | undefined {
  if (!path) return name;
  if (!name) return path;
  const p = path.replace(/\\+$/, '');
  if (p.toLowerCase().endsWith(`\\${name.toLowerCase()}`) || p.toLowerCase() === name.toLowerCase()) return p;
  return `${p}\\${name}`;
}

function filePathOf(d: Details): string | undefined {
  if (d.fullPath) return d.fullPath;
  if (!d.filePath && !d.fileName) return undefined;
  const dir = d.filePath ?? '';
  const joined = dir && d.fileName && !dir.toLowerCase().endsWith(d.fileName.toLowerCase()) ? `${dir.replace(/\\+$/, '')}\\${d.fileName}` : dir || d.fileName!;
  return d.drive && !/^[A-Za-z]:/.test(joined) ? `${d.drive}:\\${joined.replace(/^\\+/, '')}` : joined;
}

function toEvent(type: string, ts: number, d: Details, mk: (a: EventAction) => Event, unmapped: Unmapped): Event | string | undefined {
  const actor = () => processFields({ pid: d.pid, executable: imageOf(d.processPath, d.process), commandLine: d.processCmdLine, user: d.username, md5: d.md5 });
  switch (type) {
    case 'processEvent': {
      const kind = (d.eventType ?? '').toLowerCase();
      if (toInt(d.pid) === undefined) return 'processEvent without a pid';
      if (kind === 'end') {
        const e = mk('process-end');
        e.process = actor();
        e.process.end = ts;
        return e;
      }
      if (kind !== 'start' && kind !== 'running') {
        unmapped.add(`processEvent ${kind || '(no eventType)'}`);
        return undefined;
      }
      const e = mk('process-start');
      const start = parseTime(d.startTime) ?? ts;
      e.process = { ...actor(), start };
      if (toInt(d.parentPid) !== undefined) e.process.parent = processFields({ pid: d.parentPid, executable: imageOf(d.parentProcessPath, d.parentProcess) });
      if (e.process.user) e.user = e.process.user;
      return e;
    }
    case 'fileWriteEvent':
    case 'imageLoadEvent': {
      const path = filePathOf(d);
      if (!path) return `${type} without a file path`;
      const e = mk(type === 'fileWriteEvent' ? 'file-modify' : 'image-load');
      e.process = actor();
      if (type === 'fileWriteEvent') setFile(e, path, { md5: d.md5, size: d.size });
      else setDll(e, path);
      if (type === 'fileWriteEvent') delete e.process.hash; // the md5 is the file's
      return e;
    }
    case 'regKeyEvent': {
      const k = d.eventType;
      const action: EventAction | undefined = k === '1' ? 'registry-value-set' : k === '2' ? 'registry-value-delete' : k === '3' ? 'registry-key-create' : k === '4' ? 'registry-key-delete' : undefined;
      if (!action) {
        unmapped.add(`regKeyEvent eventType ${k ?? '(none)'}`);
        return undefined;
      }
      const key = d.hive && d.keyPath ? `${d.hive}\\${d.keyPath}` : d.path;
      if (!key) return 'regKeyEvent without a key';
      const e = mk(action);
      e.process = actor();
      const isValue = action === 'registry-value-set' || action === 'registry-value-delete';
      const keyOnly = isValue && d.valueName && !(d.hive && d.keyPath) && key.endsWith(`\\${d.valueName}`) ? key.slice(0, -(d.valueName.length + 1)) : key;
      setRegistry(e, keyOnly, isValue ? d.valueName ?? '' : undefined, isValue ? d.text : undefined, d.valueType);
      return e;
    }
    case 'dnsLookupEvent': {
      if (!d.hostname) return 'dnsLookupEvent without a hostname';
      const e = mk('dns-query');
      e.process = actor();
      e.dns = { question: { name: text(d.hostname, 1024)! } };
      return e;
    }
    case 'urlMonitorEvent': {
      if (!d.requestUrl) return 'urlMonitorEvent without a requestUrl';
      const e = mk('http-request');
      e.process = actor();
      const port = toInt(d.remotePort);
      const u = d.requestUrl;
      const full = /^[a-z]+:\/\//i.test(u) ? u : d.hostname ? `http://${d.hostname}${port !== undefined && port !== 80 ? `:${port}` : ''}${u.startsWith('/') ? '' : '/'}${u}` : undefined;
      e.url = { original: text(u, 8192) };
      if (full) e.url.full = text(full, 8192);
      if (d.hostname) e.url.domain = d.hostname.toLowerCase();
      if (d.urlMethod) e.http = { request: { method: d.urlMethod.toUpperCase() } };
      if (d.userAgent) e.user_agent = { original: text(d.userAgent, 2048) };
      if (d.remoteIpAddress) e.destination = { ip: d.remoteIpAddress, ...(port !== undefined ? { port } : {}) };
      return e;
    }
    case 'ipv4NetworkEvent': {
      if (!d.remoteIP) return 'ipv4NetworkEvent without a remoteIP';
      const e = mk('network-connection');
      e.process = actor();
      const rp = toInt(d.remotePort);
      const lp = toInt(d.localPort);
      e.destination = { ip: d.remoteIP, ...(rp !== undefined ? { port: rp } : {}) };
      if (d.localIP || lp !== undefined) e.source = { ...(d.localIP ? { ip: d.localIP } : {}), ...(lp !== undefined ? { port: lp } : {}) };
      if (d.protocol) e.network = { transport: d.protocol.toLowerCase() };
      return e;
    }
    default:
      unmapped.add(type || '(no eventType)');
      return undefined;
  }
}

async function* readHx(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const head = input.head.toString('utf8', 0, Math.min(input.head.length, 4096));
  if (!head.includes('generator="stateagentinspector"')) {
    const gen = /generator="([^"]+)"/.exec(head)?.[1];
    ctx.fact?.('content', gen ? `HX/Redline audit "${gen}": not read (only the stateagentinspector event stream is)` : 'HX collection metadata (JSON): not read');
    return;
  }
  const bang = input.name.indexOf('!/');
  const archive = bang > 0 ? input.name.slice(0, bang) : undefined;
  const fromMeta = archive ? await hostFromArchive(archive) : undefined;
  const host = fromMeta ?? `hx:${basename(archive ?? input.name)}`;
  ctx.fact?.('host', fromMeta ? `${host} (metadata.json)` : `${host} (no readable metadata.json: host name unknown)`);

  const unmapped = new Unmapped();
  const parser = new SaxesParser({ xmlns: false, position: true });
  let out: Event[] = [];
  let record = 0;
  let item: { line: number; ts?: string; type?: string; details: Details } | undefined;
  let detailName: string | undefined;
  let detailValue: string | undefined;
  const stack: string[] = [];
  let txt = '';
  let ending = false;
  parser.on('error', (err) => {
    if (!ending) ctx.error({ line: parser.line, record: item ? record : undefined }, `XML error: ${err.message.replace(/^\d+:\d+: /, '').slice(0, 200)}`);
  });
  parser.on('opentag', (t: SaxesTagPlain) => {
    stack.push(t.name);
    txt = '';
    if (t.name === 'eventItem') {
      record++;
      item = { line: parser.line, details: {} };
    } else if (t.name === 'detail') {
      detailName = undefined;
      detailValue = undefined;
    }
  });
  parser.on('text', (s: string) => {
    if (item && txt.length < 1024 * 1024) txt += s;
  });
  parser.on('cdata', (s: string) => {
    if (item && txt.length < 1024 * 1024) txt += s;
  });
  let closed = false;
  parser.on('closetag', (t: SaxesTagPlain) => {
    stack.pop();
    if (!ending && stack.length === 0) closed = true;
    if (!item || ending) return;
    const parent = stack[stack.length - 1];
    if (t.name === 'timestamp' && parent === 'eventItem') item.ts = txt.trim();
    else if (t.name === 'eventType' && parent === 'eventItem') item.type = txt.trim();
    else if (t.name === 'name' && parent === 'detail') detailName = txt.trim();
    else if (t.name === 'value' && parent === 'detail') detailValue = txt;
    else if (t.name === 'detail' && detailName) {
      if (Object.keys(item.details).length < 512) item.details[detailName] = detailValue ?? '';
    } else if (t.name === 'eventItem') {
      const it = item;
      item = undefined;
      const ts = parseTime(it.ts);
      const where = { line: it.line, record };
      if (ts === undefined) {
        ctx.error(where, `eventItem without a readable timestamp (${JSON.stringify(it.ts ?? '').slice(0, 40)})`);
        return;
      }
      const raw: Record<string, unknown> = { eventType: it.type, timestamp: it.ts, ...it.details };
      const mk = (a: EventAction) => makeEvent(ts, a, raw, { file: input.name, format: FORMAT, record, line: it.line }, host, DATASET, it.type);
      const e = toEvent(it.type ?? '', ts, it.details, mk, unmapped);
      if (typeof e === 'string') ctx.error(where, e);
      else if (e) out.push(e);
    }
    txt = '';
  });

  const decoder = new StringDecoder('utf8');
  for await (const chunk of input.open() as AsyncIterable<Buffer>) {
    ctx.progress?.(chunk.length);
    try {
      parser.write(decoder.write(chunk));
    } catch (err) {
      ctx.error({ line: parser.line }, `XML could not be read further: ${(err as Error).message.slice(0, 200)}`);
      return;
    }
    if (out.length >= 1000) {
      yield out;
      out = [];
    }
  }
  ending = true;
  try {
    parser.write(decoder.end());
    parser.close();
  } catch {
    /* judged below */
  }
  if (item) ctx.error({ line: item.line, record }, 'the stream ends inside this eventItem (truncated); the items before it were read');
  else if (!closed) ctx.error({ line: parser.line }, 'the stream ends before </itemList> (truncated); the items before the cut were read');
  if (out.length) yield out;
  unmapped.report(ctx.fact?.bind(ctx));
}

export const fireEyeHxReader: Reader = {
  format: FORMAT,
  description: 'FireEye HX triage (.mans) agent event streams (stateagentinspector eventItems)',
  sniff,
  read: readHx,
};
