/**
 * A rendered record to Loupe's `Event`, through the same two functions that read the crate's JSON
 * renderings elsewhere (`fromEvtxJson`, then `normalizeWindows`), so an `.evtx` and its crate
 * rendering give the same events.
 */
import type { Event } from '../../normalize/event.js';
import { fromEvtxJson, normalizeWindows } from '../../normalize/windows.js';
import type { Issue, RenderedRecord } from './chunk.js';

export const EVTX_FORMAT = 'evtx';

/** The event, or undefined (with an issue) when the record is not a usable Windows event. */
export function recordToEvent(rec: RenderedRecord, file: string, issues: Issue[]): Event | undefined {
  // The rendered record is not used after this (batch.ts keeps only the events): handed over.
  const win = rec.json ? fromEvtxJson(rec.json, true) : undefined;
  if (!win) {
    issues.push({ kind: 'record', chunk: rec.chunk, offset: rec.offset, recordId: rec.recordId, reason: 'record has no readable System/EventID' });
    return undefined;
  }
  // The record header's write time stands in when TimeCreated is missing or unreadable.
  if (!Number.isFinite(win.system.time)) win.system.time = rec.time;
  return normalizeWindows(win, { file, format: EVTX_FORMAT, record: rec.recordId, offset: rec.offset });
}
