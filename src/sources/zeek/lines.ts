/**
 * Streams the lines of a text input without holding the file: yields each line (without the
 * line break, `\r` trimmed) with its 1-based number and byte offset. Lines longer than `maxLine`
 * bytes are reported as damaged and skipped rather than buffered without bound. gzip inputs
 * (magic 1f 8b) are decompressed on the fly.
 */
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync, constants as zc } from 'node:zlib';

export interface Line {
  text: string;
  line: number;
  offset: number;
}

export const MAX_LINE = 16 * 1024 * 1024;

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The first decompressed bytes of a gzip head (a truncated stream is fine), else the head itself. */
export function textHead(head: Buffer): Buffer {
  if (!isGzip(head)) return head;
  try {
    return gunzipSync(head, { finishFlush: zc.Z_SYNC_FLUSH });
  } catch {
    return Buffer.alloc(0);
  }
}

export function openText(open: () => Readable, head: Buffer): Readable {
  const s = open();
  return isGzip(head) ? s.pipe(createGunzip()) : s;
}

export async function* readLines(
  stream: Readable,
  onTooLong: (line: number, offset: number) => void,
  maxLine = MAX_LINE,
): AsyncGenerator<Line> {
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let skipping = false;
  let lineNo = 1;
  let lineStart = 0;
  let pos = 0;
  const emit = (buf: Buffer): Line => {
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 0x0d) end--;
    return { text: buf.toString('utf8', 0, end), line: lineNo, offset: lineStart };
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, start);
      if (nl < 0) break;
      if (skipping) {
        skipping = false;
      } else if (pendingLen + (nl - start) > maxLine) {
        onTooLong(lineNo, lineStart);
      } else {
        const part = chunk.subarray(start, nl);
        const whole = pendingLen > 0 ? Buffer.concat([...pending, part]) : part;
        yield emit(whole);
      }
      pending = [];
      pendingLen = 0;
      lineNo++;
      lineStart = pos + nl + 1;
      start = nl + 1;
    }
    if (start < chunk.length && !skipping) {
      if (pendingLen + chunk.length - start > maxLine) {
        onTooLong(lineNo, lineStart);
        skipping = true;
        pending = [];
        pendingLen = 0;
      } else {
        // Copy: the stream may reuse its chunk.
        const rest = Buffer.from(chunk.subarray(start));
        pending.push(rest);
        pendingLen += rest.length;
      }
    }
    pos += chunk.length;
  }
  if (pendingLen > 0 && !skipping) yield emit(Buffer.concat(pending));
}
