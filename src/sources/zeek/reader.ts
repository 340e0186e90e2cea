/**
 * Readers for Zeek's own logs: `zeek-tsv` (the ASCII writer's format, recognised by its
 * `#separator` header) and `zeek-json` (JSON lines whose keys look like a Zeek log). Both turn
 * each row into a Zeek-shaped row, then into an event with `zeekRowToEvent`. gzip-compressed logs
 * are read as they are.
 */
import type { Event, EventOrigin } from '../../normalize/event.js';
import { zeekRowToEvent } from '../../normalize/zeek.js';
import type { Input, ReadContext, Reader } from '../types.js';
import { jsonToRow, logFromFileName, looksLikeZeekJson } from './json.js';
import { openText, readLines, textHead } from './lines.js';
import { ZeekTsvParser } from './tsv.js';

const BATCH = 512;

/** One Zeek-shaped row with the log it belongs to and where it was. */
export interface LocatedRow {
  log: string;
  row: Record<string, unknown>;
  line: number;
  offset: number;
}

function firstLine(head: Buffer): string {
  const text = head.toString('utf8');
  for (const l of text.split('\n')) {
    const t = l.trim();
    if (t.length > 0) return t;
  }
  return '';
}

/** Streams the rows of a Zeek TSV log; damaged lines go to `ctx.error`. */
export async function* readZeekTsvRows(input: Input, ctx: ReadContext): AsyncGenerator<LocatedRow> {
  const parser = new ZeekTsvParser();
  const fallback = logFromFileName(input.name);
  const stream = openText(() => input.open(), input.head);
  for await (const l of readLines(stream, (line, offset) => ctx.error({ line, offset }, 'line too long'))) {
    const r = parser.line(l.text);
    if (r.kind === 'header') continue;
    if (r.kind === 'error') {
      ctx.error({ line: l.line, offset: l.offset }, r.reason);
      continue;
    }
    if (r.problems) ctx.error({ line: l.line, offset: l.offset }, r.problems.join('; '));
    const log = r.path ?? fallback ?? 'unknown';
    yield { log, row: r.row, line: l.line, offset: l.offset };
  }
}

/** Streams the rows of a Zeek JSON-lines log; damaged lines go to `ctx.error`. */
export async function* readZeekJsonRows(input: Input, ctx: ReadContext): AsyncGenerator<LocatedRow> {
  const stream = openText(() => input.open(), input.head);
  for await (const l of readLines(stream, (line, offset) => ctx.error({ line, offset }, 'line too long'))) {
    const t = l.text.trim();
    if (t.length === 0) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      ctx.error({ line: l.line, offset: l.offset }, `not JSON: ${(e as Error).message.slice(0, 80)}`);
      continue;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
      ctx.error({ line: l.line, offset: l.offset }, 'not a JSON object');
      continue;
    }
    const { log, row } = jsonToRow(obj as Record<string, unknown>, input.name);
    if (!log) {
      ctx.error({ line: l.line, offset: l.offset }, 'cannot tell which Zeek log this row belongs to');
      continue;
    }
    yield { log, row, line: l.line, offset: l.offset };
  }
}

/**
 * Zeek logs that describe Zeek itself, not the network: their rows carry no time and no activity.
 * They are counted in the input's facts rather than reported as rows in error.
 */
const METADATA_LOGS = new Set(['loaded_scripts']);

async function* rowsToEvents(rows: AsyncGenerator<LocatedRow>, input: Input, format: string, ctx: ReadContext): AsyncGenerator<Event[]> {
  let batch: Event[] = [];
  let record = 0;
  const metadata = new Map<string, number>();
  for await (const r of rows) {
    record++;
    if (METADATA_LOGS.has(r.log)) {
      metadata.set(r.log, (metadata.get(r.log) ?? 0) + 1);
      continue;
    }
    const origin: EventOrigin = { file: input.name, format, record, line: r.line, offset: r.offset };
    let ev: Event | undefined;
    try {
      ev = zeekRowToEvent(r.log, r.row, origin);
    } catch (e) {
      ctx.error({ line: r.line, record, offset: r.offset }, `${r.log} row not understood: ${(e as Error).message.slice(0, 120)}`);
      continue;
    }
    if (!ev) {
      ctx.error({ line: r.line, record, offset: r.offset }, `${r.log} row without a usable ts`);
      continue;
    }
    batch.push(ev);
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  for (const [log, n] of metadata) ctx.fact?.(`${log} rows (Zeek's own metadata, no activity)`, n);
}

export const zeekTsvReader: Reader = {
  format: 'zeek-tsv',
  description: 'Zeek ASCII (TSV) logs with #fields/#types headers, plain or gzip',
  sniff(input: Input): number {
    // `#separator` opens the header; tools such as btest may put `#` comment lines before it.
    const lines = textHead(input.head).subarray(0, 4096).toString('latin1').split('\n');
    for (const l of lines.slice(0, 8)) {
      if (l.startsWith('#separator ')) return 0.99;
      if (!l.startsWith('#')) return 0;
    }
    return 0;
  },
  read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
    return rowsToEvents(readZeekTsvRows(input, ctx), input, 'zeek-tsv', ctx);
  },
};

export const zeekJsonReader: Reader = {
  format: 'zeek-json',
  description: 'Zeek JSON logs (one object per line, _path or inferred log type), plain or gzip',
  sniff(input: Input): number {
    const first = firstLine(textHead(input.head));
    if (!first.startsWith('{')) return 0;
    try {
      return looksLikeZeekJson(JSON.parse(first)) ? 0.9 : 0;
    } catch {
      // A first line longer than the head: judge from its opening keys.
      return /^\{\s*"(?:_path|@stream)"|^\{\s*"ts"\s*:[^,]+,\s*"uid"\s*:/.test(first) ? 0.6 : 0;
    }
  },
  read(input: Input, ctx: ReadContext): AsyncIterable<Event[]> {
    return rowsToEvents(readZeekJsonRows(input, ctx), input, 'zeek-json', ctx);
  },
};
