/**
 * One batch of whole chunks, parsed: the unit of work a worker thread (or the main thread, for
 * small inputs) does. Keeps chunk order; zeroed chunks (unused space in a log) are skipped as the
 * crate skips them, and a chunk cut short by the end of the file is read as far as it goes.
 */
import * as chunkMod from './chunk.js';
import type { Issue, RenderOptions, RenderedRecord } from './chunk.js';
import * as fileHeader from './file-header.js';
import type { Event } from '../../normalize/event.js';
import * as toEvent from './to-event.js';

// Imported values copied to module constants once (see binxml.ts).
const { readChunk } = chunkMod;
const { CHUNK_SIZE, FILE_HEADER_SIZE } = fileHeader;
const { recordToEvent } = toEvent;

export interface BatchResult {
  /** Rendered records (empty when events were asked for). */
  records: RenderedRecord[];
  /** Loupe events, when asked for (`toEvents`). */
  events?: Event[];
  issues: Issue[];
}

/** Ask for Loupe events instead of rendered records; `file` names the evidence in their origin. */
export interface EventsRequest {
  file: string;
}

const ZERO_CHUNK = Buffer.alloc(CHUNK_SIZE);

export function processBatch(
  buf: Buffer,
  first: number,
  count: number,
  lastLength: number,
  opts: RenderOptions,
  toEvents?: EventsRequest,
): BatchResult {
  const records: RenderedRecord[] = [];
  const issues: Issue[] = [];
  for (let i = 0; i < count; i++) {
    const index = first + i;
    const fileOffset = FILE_HEADER_SIZE + index * CHUNK_SIZE;
    const chunk = buf.subarray(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE);
    if (chunk.equals(ZERO_CHUNK)) continue;
    if (i === count - 1 && lastLength < CHUNK_SIZE) {
      issues.push({
        kind: 'warning',
        chunk: index,
        offset: fileOffset,
        reason: `file ends inside chunk ${index} (${lastLength} of ${CHUNK_SIZE} bytes); reading the records that fit`,
      });
    }
    const r = readChunk(chunk, index, fileOffset, opts);
    for (let j = 0; j < r.records.length; j++) records.push(r.records[j]);
    for (let j = 0; j < r.issues.length; j++) issues.push(r.issues[j]);
  }
  if (!toEvents) return { records, issues };
  const events: Event[] = [];
  for (let j = 0; j < records.length; j++) {
    const e = recordToEvent(records[j], toEvents.file, issues);
    if (e) events.push(e);
  }
  return { records: [], events, issues };
}
