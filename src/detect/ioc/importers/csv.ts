/**
 * CSV with a header. The value column is found by name (`value`, `indicator`, `ioc`, ...), the
 * type column likewise (`type`, `ioc_type`, ...); without a type column each value's type is
 * detected. Optional `tag`, `tlp`, `source`, `first_seen`, `comment`/`app`/`description` columns.
 * Damaged rows are reported with their line and the rest is read.
 */
import { parse } from 'csv-parse/sync';
import { Collector, parseWhen, type ImportOptions } from './collector.js';
import type { ImportResult } from '../types.js';

const VALUE_COLS = ['value', 'indicator', 'ioc', 'ioc_value', 'observable', 'element', 'data', 'domain', 'ip', 'url', 'hash'];
const TYPE_COLS = ['type', 'ioc_type', 'indicator_type', 'kind', 'observable_type', 'attribute_type'];
const TAG_COLS = ['tag', 'tags', 'category', 'threat', 'threat_type', 'malware'];
const TLP_COLS = ['tlp'];
const SEEN_COLS = ['first_seen', 'firstseen', 'first seen', 'date', 'created', 'timestamp'];
const NOTE_COLS = ['comment', 'description', 'app', 'name', 'note'];

function pick(columns: string[], wanted: string[]): string | undefined {
  for (const w of wanted) {
    const hit = columns.find((c) => c.trim().toLowerCase() === w);
    if (hit !== undefined) return hit;
  }
  return undefined;
}

export function importCsv(text: string, options: ImportOptions & { name?: string } = {}): ImportResult {
  const c = new Collector('csv', options);
  let records: Array<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    records = parse(text, {
      columns: (header: string[]) => header.map((h) => h.trim()),
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
      comment: '#',
      comment_no_infix: true,
      skip_records_with_error: true,
      on_skip: (err: { message: string; lines?: number } | undefined) => {
        if (err) c.error({ line: err.lines }, `unreadable CSV row: ${err.message}`);
      },
    }) as Array<{ record: Record<string, string>; info: { lines: number } }>;
  } catch (err) {
    c.error({ line: (err as { lines?: number }).lines }, `unreadable CSV: ${(err as Error).message}`);
    return c.result();
  }
  if (records.length === 0) return c.result();
  const columns = Object.keys(records[0]!.record);
  const valueCol = pick(columns, VALUE_COLS);
  if (valueCol === undefined) {
    c.error({ line: 1 }, `no value column in the header (one of: ${VALUE_COLS.join(', ')})`, columns.join(','));
    return c.result();
  }
  const typeCol = pick(columns, TYPE_COLS);
  const tagCol = pick(columns, TAG_COLS);
  const tlpCol = pick(columns, TLP_COLS);
  const seenCol = pick(columns, SEEN_COLS);
  const noteCol = pick(columns, NOTE_COLS.filter((n) => n !== valueCol));
  for (const { record, info } of records) {
    const where = { line: info.lines };
    const value = record[valueCol];
    if (value === undefined || value.trim() === '') {
      c.error(where, 'empty value');
      continue;
    }
    const type = typeCol !== undefined && record[typeCol]?.trim() ? record[typeCol]! : options.type ?? 'auto';
    c.add(type, value, where, {
      tag: tagCol !== undefined ? record[tagCol] || undefined : undefined,
      tlp: tlpCol !== undefined ? record[tlpCol] || undefined : undefined,
      firstSeen: seenCol !== undefined ? parseWhen(record[seenCol]) : undefined,
      comment: noteCol !== undefined ? record[noteCol] || undefined : undefined,
    });
  }
  return c.result();
}
