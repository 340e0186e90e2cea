/**
 * HTTP/1.x over a reassembled TCP stream into Zeek http.log rows (and files.log rows for the
 * bodies). Requests and replies are paired in order (pipelining); bodies are framed by
 * Content-Length, chunked encoding or the end of the connection, counted and hashed as they pass
 * and never stored. gzip/deflate bodies are measured decompressed, as Zeek does.
 */
import { inflateRawSync, inflateSync, gunzipSync, constants as zc } from 'node:zlib';
import type { FilesRow, HttpRow } from '../../normalize/zeek-rows.js';
import { FileTransfer } from './files.js';
import type { App, Conn } from './flows.js';

const METHODS = new Set([
  'GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT', 'PATCH', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE',
  'LOCK', 'UNLOCK', 'SEARCH', 'REPORT', 'SUBSCRIBE', 'UNSUBSCRIBE', 'NOTIFY', 'M-SEARCH', 'BPROPFIND', 'BPROPPATCH', 'BDELETE',
  'BCOPY', 'BMOVE', 'POLL', 'RPC_IN_DATA', 'RPC_OUT_DATA', 'MKACTIVITY', 'CHECKOUT', 'MERGE', 'VERSION-CONTROL', 'ACL', 'BIND',
  'MKCALENDAR', 'LINK', 'UNLINK', 'PRI',
]);

/** Does this look like the start of an HTTP request (for protocol detection)? */
export function looksLikeHttpRequest(b: Buffer): boolean {
  const sp = b.indexOf(0x20);
  if (sp < 3 || sp > 20) return false;
  return METHODS.has(b.toString('latin1', 0, sp).toUpperCase());
}

export function looksLikeHttpReply(b: Buffer): boolean {
  return b.length >= 5 && b.toString('latin1', 0, 5) === 'HTTP/';
}

const MAX_HEADER = 64 * 1024;
const MAX_FIELD = 8192;
/** Compressed bodies are decoded whole: bounded per body so memory stays per live connection. */
const MAX_DECODE = 1024 * 1024;

interface Headers {
  list: Array<[string, string]>;
  get(name: string): string | undefined;
}

function parseHeaderBlock(lines: string[]): Headers {
  const list: Array<[string, string]> = [];
  for (const l of lines) {
    if ((l.startsWith(' ') || l.startsWith('\t')) && list.length > 0) {
      list[list.length - 1]![1] += ` ${l.trim()}`;
      continue;
    }
    const c = l.indexOf(':');
    if (c <= 0) continue;
    list.push([l.slice(0, c).trim().toLowerCase(), l.slice(c + 1).trim()]);
  }
  return {
    list,
    get(name: string) {
      for (const [k, v] of list) if (k === name) return v;
      return undefined;
    },
  };
}

interface Transaction {
  depth: number;
  ts: number;
  method?: string;
  uri?: string;
  version?: string;
  host?: string;
  userAgent?: string;
  referrer?: string;
  origin?: string;
  username?: string;
  password?: string;
  proxied?: string[];
  reqBodyLen: number;
  respBodyLen: number;
  statusCode?: number;
  statusMsg?: string;
  infoCode?: number;
  infoMsg?: string;
  origFiles: FileTransfer[];
  respFiles: FileTransfer[];
  replied: boolean;
}

type SideState = 'start' | 'headers' | 'body-len' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailer' | 'body-eof' | 'lost';

/** One direction's parser. */
class Side {
  state: SideState = 'start';
  buf: Buffer = Buffer.alloc(0);
  remaining = 0;
  startLine = '';
  headerLines: string[] = [];
  file?: FileTransfer;
  bodyLen = 0;
  encoding?: string;
  encoded: Buffer[] = [];
  encodedLen = 0;
}

export class HttpAnalyzer implements App {
  private req = new Side();
  private rep = new Side();
  private queue: Transaction[] = [];
  private depth = 0;
  private tunnel = false;
  confirmed = false;

  constructor(
    private readonly conn: Conn,
    private readonly newFuid: () => string,
    private readonly emit: (row: HttpRow) => void,
    private readonly emitFile: (row: FilesRow) => void,
    private readonly onError: (reason: string) => void,
  ) {}

  data(isOrig: boolean, buf: Buffer, ts: number): void {
    // Like Zeek, no HTTP parsing of connections picked up mid-stream (no SYN seen).
    if (this.tunnel || this.conn.isPartial) return;
    const side = isOrig ? this.req : this.rep;
    if (side.state === 'lost') return;
    this.feed(isOrig, side, buf, ts);
  }

  gap(isOrig: boolean, len: number): void {
    const side = isOrig ? this.req : this.rep;
    if (side.state === 'body-len') {
      const n = Math.min(len, side.remaining);
      side.file?.gap(n);
      side.bodyLen += n;
      side.remaining -= n;
      if (side.remaining === 0) this.endBody(isOrig, side, this.conn.last);
      if (len > n) side.state = 'lost';
      return;
    }
    if (side.state === 'body-eof') {
      side.file?.gap(len);
      side.bodyLen += len;
      return;
    }
    if (side.state !== 'start') side.state = 'lost';
    else side.state = 'lost';
  }

  private feed(isOrig: boolean, side: Side, input: Buffer, ts: number): void {
    let b = side.buf.length > 0 ? Buffer.concat([side.buf, input]) : input;
    side.buf = Buffer.alloc(0);
    let guard = 0;
    while (b.length > 0 && side.state !== 'lost' && !this.tunnel) {
      if (++guard > 100000) break;
      switch (side.state) {
        case 'start':
        case 'headers': {
          // Skip blank lines between messages.
          if (side.state === 'start') {
            let i = 0;
            while (i < b.length && (b[i] === 0x0d || b[i] === 0x0a)) i++;
            b = b.subarray(i);
            if (b.length === 0) break;
          }
          const nl = b.indexOf(0x0a);
          if (nl < 0) {
            if (b.length > MAX_HEADER) {
              this.onError('HTTP header line too long');
              side.state = 'lost';
              return;
            }
            side.buf = Buffer.from(b);
            return;
          }
          let line = b.toString('latin1', 0, nl);
          if (line.endsWith('\r')) line = line.slice(0, -1);
          b = b.subarray(nl + 1);
          if (side.state === 'start') {
            const next = this.startLine(isOrig, side, line, ts);
            if (!next) {
              side.state = 'lost';
              return;
            }
            // An HTTP/0.9 request has no headers.
            side.state = next;
            continue;
          }
          if (line.length === 0) {
            this.headersDone(isOrig, side, ts);
            continue;
          }
          if (side.headerLines.length < 256) side.headerLines.push(line.slice(0, MAX_FIELD));
          continue;
        }
        case 'body-len': {
          const n = Math.min(side.remaining, b.length);
          this.bodyData(side, b.subarray(0, n), ts);
          side.remaining -= n;
          b = b.subarray(n);
          if (side.remaining === 0) this.endBody(isOrig, side, ts);
          continue;
        }
        case 'body-eof':
          this.bodyData(side, b, ts);
          b = b.subarray(b.length);
          continue;
        case 'chunk-size': {
          const nl = b.indexOf(0x0a);
          if (nl < 0) {
            if (b.length > 1024) {
              this.onError('HTTP chunk size line too long');
              side.state = 'lost';
              return;
            }
            side.buf = Buffer.from(b);
            return;
          }
          const line = b.toString('latin1', 0, nl).trim();
          b = b.subarray(nl + 1);
          const m = /^([0-9a-fA-F]+)/.exec(line);
          if (!m) {
            this.onError('HTTP chunk size is not hexadecimal');
            side.state = 'lost';
            return;
          }
          const size = parseInt(m[1]!.slice(-12), 16);
          if (size === 0) side.state = 'trailer';
          else {
            side.remaining = size;
            side.state = 'chunk-data';
          }
          continue;
        }
        case 'chunk-data': {
          const n = Math.min(side.remaining, b.length);
          this.bodyData(side, b.subarray(0, n), ts);
          side.remaining -= n;
          b = b.subarray(n);
          if (side.remaining === 0) side.state = 'chunk-crlf';
          continue;
        }
        case 'chunk-crlf': {
          const nl = b.indexOf(0x0a);
          if (nl < 0) {
            side.buf = Buffer.from(b);
            return;
          }
          b = b.subarray(nl + 1);
          side.state = 'chunk-size';
          continue;
        }
        case 'trailer': {
          const nl = b.indexOf(0x0a);
          if (nl < 0) {
            side.buf = Buffer.from(b.subarray(0, MAX_HEADER));
            return;
          }
          const line = b.toString('latin1', 0, nl).replace(/\r$/, '');
          b = b.subarray(nl + 1);
          if (line.length === 0) this.endBody(isOrig, side, ts);
          continue;
        }
        default:
          return;
      }
    }
  }

  private startLine(isOrig: boolean, side: Side, line: string, ts: number): 'start' | 'headers' | false {
    if (isOrig) {
      const m = /^([A-Za-z_-]{1,32}) +(\S*)(?: +HTTP\/(\d+\.\d+))?\s*$/.exec(line);
      if (!m || !METHODS.has(m[1]!.toUpperCase())) {
        this.onError('not an HTTP request line');
        return false;
      }
      this.confirm();
      const t: Transaction = {
        depth: ++this.depth,
        ts,
        method: m[1]!,
        uri: unescapeUri(m[2]!.slice(0, MAX_FIELD)),
        reqBodyLen: 0,
        respBodyLen: 0,
        origFiles: [],
        respFiles: [],
        replied: false,
      };
      if (m[3]) t.version = m[3];
      else t.version = '0.9';
      this.queue.push(t);
      if (this.queue.length > 256) this.finishTx(this.queue.shift()!);
      side.startLine = line;
      side.headerLines = [];
      return m[3] ? 'headers' : 'start';
    }
    const m = /^HTTP\/(\d+\.\d+) +(\d{3})(?: (.*))?$/.exec(line) ?? /^HTTP\/(\d+\.\d+) +(\d{3})(.*)$/.exec(line);
    if (!m) {
      this.onError('not an HTTP status line');
      return false;
    }
    this.confirm();
    side.startLine = line;
    side.headerLines = [];
    return 'headers';
  }

  private confirm(): void {
    if (!this.confirmed) {
      this.confirmed = true;
      this.conn.services.add('http');
    }
  }

  /** The transaction a reply belongs to: the oldest not yet answered. */
  private currentTx(): Transaction | undefined {
    return this.queue.find((t) => !t.replied);
  }

  private headersDone(isOrig: boolean, side: Side, ts: number): void {
    const h = parseHeaderBlock(side.headerLines);
    side.headerLines = [];
    side.bodyLen = 0;
    side.encoded = [];
    side.encodedLen = 0;
    const enc = h.get('content-encoding')?.toLowerCase();
    side.encoding = enc === 'gzip' || enc === 'x-gzip' || enc === 'deflate' ? enc : undefined;
    const te = h.get('transfer-encoding')?.toLowerCase();
    const clRaw = h.get('content-length');
    const cl = clRaw !== undefined && /^\s*\d+\s*$/.test(clRaw) ? Number(clRaw.trim()) : undefined;
    if (isOrig) {
      const t = this.queue[this.queue.length - 1];
      if (!t) return;
      t.host = h.get('host')?.slice(0, MAX_FIELD);
      t.userAgent = h.get('user-agent')?.slice(0, MAX_FIELD);
      t.referrer = h.get('referer')?.slice(0, MAX_FIELD);
      t.origin = h.get('origin')?.slice(0, MAX_FIELD);
      const auth = h.get('authorization');
      if (auth && /^basic\s+/i.test(auth)) {
        const dec = Buffer.from(auth.replace(/^basic\s+/i, '').trim(), 'base64').toString('latin1');
        const c = dec.indexOf(':');
        t.username = c >= 0 ? dec.slice(0, c) : dec;
        if (c >= 0) t.password = dec.slice(c + 1);
      }
      const proxied: string[] = [];
      for (const [k, v] of h.list) if (['forwarded', 'x-forwarded-for', 'x-forwarded-from', 'client-ip', 'via', 'x-originating-ip', 'proxy-connection'].includes(k)) proxied.push(`${k.toUpperCase()} -> ${v}`);
      if (proxied.length > 0) t.proxied = proxied;
      const filename = contentDispositionName(h.get('content-disposition'));
      if (te?.includes('chunked')) {
        side.file = new FileTransfer(this.newFuid(), this.conn, true, ts, undefined, filename);
        side.state = 'chunk-size';
      } else if (cl !== undefined && cl > 0) {
        side.file = new FileTransfer(this.newFuid(), this.conn, true, ts, cl, filename);
        side.remaining = cl;
        side.state = 'body-len';
      } else {
        side.file = undefined;
        side.state = 'start';
      }
      return;
    }
    const m = /^HTTP\/(\d+\.\d+) +(\d{3}) ?(.*)$/.exec(side.startLine);
    const code = m ? Number(m[2]) : 0;
    const t = this.currentTx();
    if (code >= 100 && code < 200 && code !== 101) {
      if (t) {
        t.infoCode = code;
        t.infoMsg = m?.[3] ?? '';
      }
      side.state = 'start';
      return;
    }
    const tx = t ?? this.orphanTx(ts);
    tx.replied = true;
    tx.statusCode = code;
    tx.statusMsg = m?.[3]?.slice(0, MAX_FIELD) ?? '';
    if (m) tx.version = m[1];
    side.file = undefined;
    const noBody = tx.method?.toUpperCase() === 'HEAD' || code === 204 || code === 304 || (code >= 100 && code < 200);
    const filename = contentDispositionName(h.get('content-disposition'));
    if (code === 101 || (tx.method?.toUpperCase() === 'CONNECT' && code >= 200 && code < 300)) {
      // The stream now carries another protocol.
      this.finishTx(tx);
      this.tunnel = true;
      return;
    }
    if (noBody) {
      side.state = 'start';
      this.finishTx(tx);
      return;
    }
    if (te?.includes('chunked')) {
      side.file = new FileTransfer(this.newFuid(), this.conn, false, ts, undefined, filename);
      side.state = 'chunk-size';
    } else if (cl !== undefined) {
      if (cl === 0) {
        side.state = 'start';
        this.finishTx(tx);
        return;
      }
      side.file = new FileTransfer(this.newFuid(), this.conn, false, ts, cl, filename);
      side.remaining = cl;
      side.state = 'body-len';
    } else {
      side.file = new FileTransfer(this.newFuid(), this.conn, false, ts, undefined, filename);
      side.state = 'body-eof';
    }
  }

  private orphanTx(ts: number): Transaction {
    const t: Transaction = { depth: ++this.depth, ts, reqBodyLen: 0, respBodyLen: 0, origFiles: [], respFiles: [], replied: false };
    this.queue.push(t);
    return t;
  }

  private bodyData(side: Side, b: Buffer, ts: number): void {
    if (b.length === 0) return;
    if (side.encoding) {
      if (side.encodedLen + b.length <= MAX_DECODE) {
        side.encoded.push(Buffer.from(b));
        side.encodedLen += b.length;
        return;
      }
      // Too large to decode within our bounds: count it as it is.
      for (const e of side.encoded) this.plainBody(side, e, ts);
      side.encoded = [];
      side.encoding = undefined;
    }
    this.plainBody(side, b, ts);
  }

  private plainBody(side: Side, b: Buffer, ts: number): void {
    side.bodyLen += b.length;
    side.file?.data(b, ts);
  }

  private endBody(isOrig: boolean, side: Side, ts: number): void {
    if (side.encoding && side.encoded.length > 0) {
      const raw = Buffer.concat(side.encoded);
      let out: Buffer | undefined;
      const opts = { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: 64 * 1024 * 1024 };
      try {
        out = side.encoding === 'deflate' ? (() => { try { return inflateSync(raw, opts); } catch { return inflateRawSync(raw, opts); } })() : gunzipSync(raw, opts);
      } catch {
        out = undefined;
      }
      side.encoded = [];
      this.plainBody(side, out ?? raw, ts);
    }
    side.encoding = undefined;
    if (isOrig) {
      const t = this.queue[this.queue.length - 1];
      if (t) {
        t.reqBodyLen += side.bodyLen;
        if (side.file) t.origFiles.push(side.file);
      }
    } else {
      const t = this.queue.find((x) => x.replied && x.statusCode !== undefined && !(x as { done?: boolean }).done);
      if (t) {
        t.respBodyLen += side.bodyLen;
        if (side.file) t.respFiles.push(side.file);
        this.finishTx(t);
      }
    }
    side.file = undefined;
    side.bodyLen = 0;
    side.state = 'start';
  }

  private finishTx(t: Transaction): void {
    if ((t as { done?: boolean }).done) return;
    (t as { done?: boolean }).done = true;
    const i = this.queue.indexOf(t);
    if (i >= 0) this.queue.splice(i, 1);
    const c = this.conn;
    const row: HttpRow = {
      ts: t.ts,
      uid: c.uid,
      'id.orig_h': c.origH,
      'id.orig_p': c.origP,
      'id.resp_h': c.respH,
      'id.resp_p': c.respP,
      trans_depth: t.depth,
    };
    if (t.method) row.method = t.method;
    if (t.host !== undefined) row.host = t.host;
    if (t.uri !== undefined) row.uri = t.uri;
    if (t.referrer !== undefined) row.referrer = t.referrer;
    if (t.version) row.version = t.version;
    if (t.userAgent !== undefined) row.user_agent = t.userAgent;
    if (t.origin !== undefined) row.origin = t.origin;
    row.request_body_len = t.reqBodyLen;
    row.response_body_len = t.respBodyLen;
    if (t.statusCode !== undefined) {
      row.status_code = t.statusCode;
      row.status_msg = t.statusMsg;
    }
    if (t.infoCode !== undefined) {
      row.info_code = t.infoCode;
      row.info_msg = t.infoMsg;
    }
    row.tags = [];
    if (t.username !== undefined) row.username = t.username;
    if (t.password !== undefined) row.password = t.password;
    if (t.proxied) row.proxied = t.proxied;
    const files = (list: FileTransfer[]) => list.filter((f) => f.seen > 0 || f.missing > 0);
    const of = files(t.origFiles);
    const rf = files(t.respFiles);
    if (of.length > 0) {
      row.orig_fuids = of.map((f) => f.fuid);
      const mimes = of.map((f) => f.mimeType()).filter((x): x is string => !!x);
      if (mimes.length > 0) row.orig_mime_types = mimes;
      const names = of.map((f) => f.filename).filter((x): x is string => !!x);
      if (names.length > 0) row.orig_filenames = names;
    }
    if (rf.length > 0) {
      row.resp_fuids = rf.map((f) => f.fuid);
      const mimes = rf.map((f) => f.mimeType()).filter((x): x is string => !!x);
      if (mimes.length > 0) row.resp_mime_types = mimes;
      const names = rf.map((f) => f.filename).filter((x): x is string => !!x);
      if (names.length > 0) row.resp_filenames = names;
    }
    for (const f of [...of, ...rf]) this.emitFile(f.row());
    this.emit(row);
  }

  done(ts: number): void {
    // Bodies that run to the end of the connection end here.
    if (this.rep.state === 'body-eof' || this.rep.state === 'body-len' || this.rep.state.startsWith('chunk')) this.endBody(false, this.rep, ts);
    if (this.req.state === 'body-len' || this.req.state.startsWith('chunk')) this.endBody(true, this.req, ts);
    for (const t of [...this.queue]) {
      if (this.req.file && this.queue[this.queue.length - 1] === t) t.origFiles.push(this.req.file);
      this.finishTx(t);
    }
    this.queue = [];
  }
}

/** Zeek logs the URI with %XX escapes decoded (bytes kept as they are; invalid escapes stay). */
export function unescapeUri(u: string): string {
  if (u.indexOf('%') < 0) return u;
  return u.replace(/%([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function contentDispositionName(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(v);
  return m ? m[1]!.slice(0, 1024) : undefined;
}
