/**
 * One JSON document (a sandbox report) read from a stream, keeping only the parts a reader asks
 * for. Sandbox reports are single documents that can be huge (a Cuckoo report with every API call
 * runs to gigabytes), but what Loupe turns into events is a small part of them: the bytes of the
 * parts not kept are never held, each pruned value becomes `null` in the text that is parsed.
 *
 * A document cut short (a truncated download) is closed where it stops: open strings, keys and
 * containers are closed, a half-written scalar becomes null, and `truncatedAt` says where the
 * cut was, so that the reader can report it and still give what came before.
 */
import type { Readable } from 'node:stream';

export type PathSegment = string | number;

export interface JsonDocOptions {
  /** Whether the value at `path` is kept; the root is always kept. Default: everything. */
  keep?(path: readonly PathSegment[]): boolean;
  /** Largest kept text, in bytes (default 512 MiB). */
  maxBytes?: number;
  onBytes?(n: number): void;
}

export interface JsonDoc {
  value?: unknown;
  /** Byte offset where the input ended inside the document. */
  truncatedAt?: number;
  /** Why no value could be read. */
  error?: string;
  /** Byte offset of text found after the document (ignored). */
  trailingAt?: number;
}

interface Frame {
  arr: boolean;
  seg: PathSegment;
}

type Mode = 'value' | 'after' | 'key' | 'colon' | 'scalar' | 'done';

const QUOTE = 34;
const BACKSLASH = 92;
const NULL_TEXT = Buffer.from('null');
const MAX_KEY_BYTES = 4096;

function isWs(b: number): boolean {
  return b === 32 || b === 10 || b === 13 || b === 9;
}

export async function readJsonDocument(stream: Readable, opts: JsonDocOptions = {}): Promise<JsonDoc> {
  const keep = opts.keep;
  const maxBytes = opts.maxBytes ?? 512 * 1024 * 1024;
  const out: Buffer[] = [];
  let outLen = 0;
  const stack: Frame[] = [];
  let mode: Mode = 'value';
  let lastSig = 0; // last structural byte emitted: [ { , :
  // strings being kept
  let inString = false;
  let stringIsKey = false;
  let escape = false;
  let keyBytes: number[] = [];
  // values being skipped
  let skip: 'none' | 'container' | 'string' | 'scalar' = 'none';
  let skipDepth = 0;
  let skipInString = false;
  let skipEscape = false;
  let scalarOutStart = -1;
  let offset = 0;
  let started = false;
  let trailingAt: number | undefined;
  let tooBig = false;
  let bom = true;

  const push = (b: Buffer) => {
    if (b.length === 0 || tooBig) return;
    outLen += b.length;
    if (outLen > maxBytes) {
      tooBig = true;
      return;
    }
    out.push(b);
  };

  const wanted = (): boolean => {
    if (!keep || stack.length === 0) return true;
    return keep(stack.map((f) => f.seg));
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    opts.onBytes?.(buf.length);
    const n = buf.length;
    let i = 0;
    if (bom && n >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) i = 3;
    bom = false;
    let copyFrom = skip === 'none' && mode !== 'done' ? i : -1;
    const flush = (to: number) => {
      if (copyFrom >= 0 && to > copyFrom) push(Buffer.from(buf.subarray(copyFrom, to)));
      copyFrom = -1;
    };
    while (i < n) {
      const b = buf[i];
      if (skip !== 'none') {
        if (skip === 'string') {
          if (skipEscape) skipEscape = false;
          else if (b === BACKSLASH) skipEscape = true;
          else if (b === QUOTE) {
            skip = 'none';
            mode = 'after';
            copyFrom = i + 1;
          }
          i++;
          continue;
        }
        if (skip === 'container') {
          if (skipInString) {
            if (skipEscape) skipEscape = false;
            else if (b === BACKSLASH) skipEscape = true;
            else if (b === QUOTE) skipInString = false;
          } else if (b === QUOTE) skipInString = true;
          else if (b === 123 || b === 91) skipDepth++;
          else if (b === 125 || b === 93) {
            if (--skipDepth === 0) {
              skip = 'none';
              mode = 'after';
              copyFrom = i + 1;
            }
          }
          i++;
          continue;
        }
        // a skipped scalar ends before a delimiter, which is then read normally
        if (b === 44 || b === 125 || b === 93 || isWs(b)) {
          skip = 'none';
          mode = 'after';
          copyFrom = i;
          continue;
        }
        i++;
        continue;
      }
      if (inString) {
        if (escape) escape = false;
        else if (b === BACKSLASH) escape = true;
        else if (b === QUOTE) {
          inString = false;
          if (stringIsKey) {
            const top = stack[stack.length - 1];
            const raw = Buffer.from(keyBytes).toString('utf8');
            let key = raw;
            if (raw.includes('\\')) {
              try {
                key = JSON.parse(`"${raw}"`) as string;
              } catch {
                /* keep the raw text */
              }
            }
            if (top) top.seg = key;
            mode = 'colon';
          } else mode = 'after';
          i++;
          continue;
        }
        if (stringIsKey && keyBytes.length < MAX_KEY_BYTES) keyBytes.push(b);
        i++;
        continue;
      }
      if (mode === 'scalar') {
        if (b === 44 || b === 125 || b === 93 || isWs(b)) {
          mode = 'after';
          scalarOutStart = -1;
          continue;
        }
        i++;
        continue;
      }
      if (isWs(b)) {
        i++;
        continue;
      }
      if (mode === 'done') {
        if (trailingAt === undefined) trailingAt = offset + i;
        break;
      }
      if (mode === 'value') {
        if (b === 93 && stack.length && stack[stack.length - 1].arr) {
          // empty array
          stack.pop();
          lastSig = b;
          mode = stack.length ? 'after' : 'done';
          i++;
          continue;
        }
        started = true;
        if (!wanted()) {
          flush(i);
          push(NULL_TEXT);
          if (b === 123 || b === 91) {
            skip = 'container';
            skipDepth = 1;
            skipInString = false;
          } else if (b === QUOTE) {
            skip = 'string';
            skipEscape = false;
          } else skip = 'scalar';
          i++;
          continue;
        }
        if (b === 123 || b === 91) {
          stack.push({ arr: b === 91, seg: b === 91 ? 0 : '' });
          mode = b === 91 ? 'value' : 'key';
          lastSig = b;
        } else if (b === QUOTE) {
          inString = true;
          stringIsKey = false;
          escape = false;
        } else {
          mode = 'scalar';
          scalarOutStart = outLen + (copyFrom >= 0 ? i - copyFrom : 0);
        }
        i++;
        continue;
      }
      if (mode === 'key') {
        if (b === QUOTE) {
          inString = true;
          stringIsKey = true;
          escape = false;
          keyBytes = [];
        } else if (b === 125) {
          stack.pop();
          lastSig = b;
          mode = stack.length ? 'after' : 'done';
        }
        i++;
        continue;
      }
      if (mode === 'colon') {
        if (b === 58) {
          mode = 'value';
          lastSig = b;
        }
        i++;
        continue;
      }
      // mode === 'after'
      if (b === 44) {
        const top = stack[stack.length - 1];
        if (top?.arr) {
          top.seg = (top.seg as number) + 1;
          mode = 'value';
        } else mode = 'key';
        lastSig = b;
      } else if (b === 125 || b === 93) {
        stack.pop();
        lastSig = b;
        mode = stack.length ? 'after' : 'done';
      }
      i++;
      if (mode === 'done') {
        flush(i);
      }
    }
    if (copyFrom >= 0) flush(n);
    offset += n;
    if (tooBig) {
      (stream as Readable).destroy?.();
      return { error: `the kept part of the document passed ${maxBytes} bytes; not read` };
    }
  }

  if (!started) return { error: offset === 0 ? 'the file is empty' : 'no JSON document found' };
  let text = Buffer.concat(out).toString('utf8');
  let truncatedAt: number | undefined;
  if (stack.length || inString || mode === 'scalar' || skip !== 'none') {
    truncatedAt = offset;
    let tail = '';
    if (mode === 'scalar' && !inString) {
      // a half-written number or literal may not parse: replace it
      if (scalarOutStart >= 0) text = Buffer.from(text, 'utf8').subarray(0, scalarOutStart).toString('utf8');
      tail += 'null';
      mode = 'after';
    } else if (inString) {
      if (escape) text = text.slice(0, -1);
      if (stringIsKey) {
        tail += '":null';
      } else tail += '"';
      mode = 'after';
    } else if (skip !== 'none') {
      mode = 'after';
    } else if (mode === 'colon') {
      tail += ':null';
    } else if (mode === 'value' && lastSig !== 91) {
      tail += 'null';
    } else if (mode === 'key' && lastSig === 44) {
      tail += '"":null';
    }
    for (let k = stack.length - 1; k >= 0; k--) tail += stack[k].arr ? ']' : '}';
    text += tail;
  }
  try {
    return { value: JSON.parse(text), truncatedAt, trailingAt };
  } catch (err) {
    return { error: `not valid JSON: ${(err as Error).message.slice(0, 200)}`, truncatedAt };
  }
}

/** The first bytes of a document as text, without a byte-order mark, for sniffing. */
export function headText(head: Buffer, max = 65536): string {
  let s = head.toString('utf8', 0, Math.min(head.length, max));
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return s;
}
