/**
 * CSV records from a stream, one at a time, with the line each starts on. Quoted fields may hold
 * commas, doubled quotes and line breaks. A record whose quotes never close is reported at the
 * end (or when it passes the size bound) and reading goes on from the next line.
 * UTF-8 (with or without BOM) and UTF-16 LE with BOM (what some Windows tools write) are read.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export type CsvItem = { fields: string[]; line: number } | { error: string; line: number };

const MAX_RECORD_CHARS = 4 * 1024 * 1024;

export async function* csvRecords(stream: Readable, onBytes?: (n: number) => void): AsyncGenerator<CsvItem[]> {
  let decoder: StringDecoder | undefined;
  let pending = ''; // text not yet split into lines
  let line = 0;
  // the record being built
  let fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let recLine = 0;
  let recChars = 0;
  let batch: CsvItem[] = [];
  let first = true;

  const parseLine = (text: string) => {
    line++;
    if (!inQuotes) {
      if (text.trim() === '') return;
      fields = [];
      field = '';
      recLine = line;
      recChars = 0;
    } else {
      field += '\n';
    }
    recChars += text.length;
    if (recChars > MAX_RECORD_CHARS) {
      batch.push({ error: `record longer than ${MAX_RECORD_CHARS} characters (a quote that never closes?); skipped`, line: recLine });
      inQuotes = false;
      return;
    }
    let i = 0;
    const n = text.length;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          if (i + 1 < n && text.charCodeAt(i + 1) === 34) {
            field += '"';
            i += 2;
            continue;
          }
          inQuotes = false;
          i++;
          continue;
        }
        const q = text.indexOf('"', i);
        const end = q < 0 ? n : q;
        field += text.slice(i, end);
        i = end;
        continue;
      }
      if (c === 44) {
        fields.push(field);
        field = '';
        i++;
        continue;
      }
      if (c === 34 && field.trim() === '') {
        field = '';
        inQuotes = true;
        i++;
        continue;
      }
      const next = text.indexOf(',', i);
      const q = text.indexOf('"', i);
      let end = next < 0 ? n : next;
      if (q >= 0 && q < end) end = q + 1; // a stray quote inside an unquoted field is text
      field += text.slice(i, end);
      i = end;
    }
    if (!inQuotes) {
      fields.push(field);
      batch.push({ fields, line: recLine });
    }
  };

  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const buf: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    onBytes?.(buf.length);
    let b = buf;
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
    pending += decoder!.write(b);
    let start = 0;
    for (;;) {
      const nl = pending.indexOf('\n', start);
      if (nl < 0) break;
      let text = pending.slice(start, nl);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      parseLine(text);
      start = nl + 1;
    }
    pending = pending.slice(start);
    if (pending.length > MAX_RECORD_CHARS) {
      // one enormous line: report and drop it
      batch.push({ error: `line longer than ${MAX_RECORD_CHARS} characters; skipped`, line: line + 1 });
      line++;
      pending = '';
      inQuotes = false;
    }
    if (batch.length >= 1000) {
      yield batch;
      batch = [];
    }
  }
  if (decoder) pending += decoder.end();
  if (pending.length) parseLine(pending.endsWith('\r') ? pending.slice(0, -1) : pending);
  if (inQuotes) batch.push({ error: 'record cut short: a quoted field never closes before the end of the file', line: recLine });
  if (batch.length) yield batch;
}
