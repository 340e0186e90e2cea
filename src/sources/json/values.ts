/**
 * Streams the JSON values of an input, one at a time, with the line each starts on, whatever the
 * layout: one value per line (JSON lines, NXLog, Winlogbeat, Zeek JSON, EVE), or values pretty-
 * printed over many lines and simply concatenated (the evtx crate's `--format json` output).
 *
 * Layout is decided from the first value: if it ends on the line it started, the input is read as
 * JSON lines, where a broken line costs only that line. Otherwise values are delimited by bracket
 * depth; a broken value there is reported and reading resumes at the next line that starts a
 * value at column 0 (`{` or `[`).
 *
 * Text outside values (binary garbage, stray words) is reported once per run of bad lines, never
 * silently skipped.
 */
import type { Readable } from 'node:stream';
import type { Location } from '../types.js';

export interface JsonValueText {
  text: string;
  line: number;
  offset: number;
}

export interface SplitOptions {
  /** A value longer than this is reported and skipped (default 64 MiB). */
  maxValueBytes?: number;
  onError(where: Location, reason: string): void;
  onBytes?(n: number): void;
}

const NL = 10;
const CR = 13;

function isSpace(b: number): boolean {
  return b === 32 || b === 9 || b === NL || b === CR || b === 0xef || b === 0xbb || b === 0xbf; // BOM bytes at start
}

export async function* jsonValues(stream: Readable, opts: SplitOptions): AsyncGenerator<JsonValueText[]> {
  const max = opts.maxValueBytes ?? 64 * 1024 * 1024;
  let mode: 'unknown' | 'lines' | 'depth' = 'unknown';
  let carry: Buffer[] = []; // pieces of the current, unfinished value or line
  let carryLen = 0;
  let carryLine = 1;
  let carryOffset = 0;
  let oversized = false;
  let line = 1;
  let offset = 0;
  // depth-mode state
  let depth = 0;
  let inString = false;
  let escape = false;
  let garbageFrom = -1; // line where a run of garbage began
  let batch: JsonValueText[] = [];

  const flushGarbage = (endLine: number) => {
    if (garbageFrom >= 0) {
      opts.onError({ line: garbageFrom }, endLine > garbageFrom
        ? `lines ${garbageFrom}-${endLine} are not JSON`
        : `line ${garbageFrom} is not JSON`);
      garbageFrom = -1;
    }
  };

  const take = (buf: Buffer, start: number, end: number): string | undefined => {
    if (oversized) return undefined;
    if (carryLen === 0) return buf.toString('utf8', start, end);
    carry.push(buf.subarray(start, end));
    return Buffer.concat(carry).toString('utf8');
  };

  const keep = (buf: Buffer, start: number, end: number) => {
    if (oversized) return;
    carryLen += end - start;
    if (carryLen > max) {
      oversized = true;
      carry = [];
      return;
    }
    carry.push(Buffer.from(buf.subarray(start, end)));
  };

  const resetCarry = () => {
    carry = [];
    carryLen = 0;
    oversized = false;
  };

  const emit = (text: string | undefined, startLine: number, startOffset: number) => {
    if (text === undefined) {
      opts.onError({ line: startLine, offset: startOffset }, `value longer than ${max} bytes; skipped`);
      return;
    }
    batch.push({ text, line: startLine, offset: startOffset });
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    opts.onBytes?.(buf.length);
    let i = 0;
    const n = buf.length;
    if (mode === 'unknown' || mode === 'depth') {
      // Depth scan (also used to decide the layout from the first value).
      let valueStart = carryLen > 0 ? 0 : -1;
      for (; i < n; i++) {
        const b = buf[i];
        if (inString) {
          if (escape) escape = false;
          else if (b === 92) escape = true;
          else if (b === 34) inString = false;
          else if (b === NL) line++; // not valid JSON, but keep counting lines
          continue;
        }
        if (depth === 0) {
          if (b === NL) {
            line++;
            continue;
          }
          if (isSpace(b)) continue;
          if (b === 123 || b === 91) {
            flushGarbage(line - 1);
            depth = 1;
            valueStart = i;
            carryLine = line;
            carryOffset = offset + i;
            continue;
          }
          if (garbageFrom < 0) garbageFrom = line;
          // skip the rest of the line
          const nl = buf.indexOf(NL, i);
          if (nl < 0) {
            i = n;
            break;
          }
          i = nl - 1;
          continue;
        }
        if (b === 34) inString = true;
        else if (b === 123 || b === 91) depth++;
        else if (b === 125 || b === 93) {
          depth--;
          if (depth === 0) {
            const startLine = carryLine;
            const text = take(buf, valueStart, i + 1);
            resetCarry();
            valueStart = -1;
            if (mode === 'unknown') mode = line === startLine ? 'lines' : 'depth';
            emit(text, startLine, carryOffset);
            if (mode === 'lines') {
              i++;
              break;
            }
          }
        } else if (b === NL) {
          line++;
          // A line starting a new top-level object while we are still inside one: the previous
          // value was truncated. Resynchronise here.
          if (mode === 'depth' && i + 1 < n && buf[i + 1] === 123 && depth > 0) {
            opts.onError({ line: carryLine, offset: carryOffset }, 'JSON value is truncated (a new value starts before it closes)');
            resetCarry();
            depth = 0;
            inString = false;
            valueStart = -1;
          }
        }
      }
      if (depth > 0 && valueStart >= 0 && i >= n) keep(buf, valueStart, n);
      if (mode !== 'lines') {
        offset += n;
        if (batch.length >= 256) {
          yield batch;
          batch = [];
        }
        continue;
      }
      // switched to lines mode mid-chunk: process the rest of this chunk as lines
    }
    // Lines mode: each line is one value.
    while (i < n) {
      const nl = buf.indexOf(NL, i);
      const end = nl < 0 ? n : nl;
      if (nl < 0) {
        if (carryLen === 0) {
          carryLine = line;
          carryOffset = offset + i;
        }
        keep(buf, i, n);
        break;
      }
      const startLine = carryLen > 0 ? carryLine : line;
      const startOffset = carryLen > 0 ? carryOffset : offset + i;
      const wasOversized = oversized;
      let text = wasOversized ? undefined : take(buf, i, end);
      resetCarry();
      line++;
      i = nl + 1;
      if (text !== undefined) {
        if (text.endsWith('\r')) text = text.slice(0, -1);
        if (text.trim() === '') continue;
      }
      emit(text, startLine, startOffset);
    }
    offset += n;
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  // End of input.
  if (mode === 'lines' && (carryLen > 0 || oversized)) {
    const text = oversized ? undefined : Buffer.concat(carry).toString('utf8');
    if (text === undefined || text.trim() !== '') emit(text, carryLine, carryOffset);
  } else if (mode !== 'lines' && depth > 0) {
    opts.onError({ line: carryLine, offset: carryOffset }, 'JSON value is truncated at the end of the input');
  }
  flushGarbage(line);
  if (batch.length) yield batch;
}

/** Parses one value, reporting a syntax error with its line instead of throwing. */
export function parseValue(v: JsonValueText, onError: (where: Location, reason: string) => void): unknown {
  try {
    return JSON.parse(v.text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    onError({ line: v.line, offset: v.offset }, `invalid JSON: ${msg.slice(0, 200)}`);
    return undefined;
  }
}

/** First JSON value in a head buffer, if the head holds a complete one. */
export function firstJsonValue(head: Buffer): unknown {
  let s = head.toString('utf8');
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  s = s.trimStart();
  if (s[0] !== '{' && s[0] !== '[') return undefined;
  const nl = s.indexOf('\n');
  if (nl > 0) {
    try {
      return JSON.parse(s.slice(0, nl));
    } catch {
      /* not one value per line: fall through */
    }
  }
  let depth = 0;
  let inStr = false;
  let esc = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) {
        try {
          return JSON.parse(s.slice(0, i + 1));
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}
