/**
 * One 64 KiB chunk: its header, then its records one after another, each parsed and rendered on
 * its own. A chunk never depends on another chunk, which is what lets workers take them in any
 * order. Failures are reported as issues with the file offset and the reason, and reading goes
 * on wherever the format allows: a broken record is skipped by its size; a record header that
 * cannot be trusted ends the chunk; a chunk whose header is unreadable is one issue.
 */
import * as bytes from './bytes.js';
import * as binxml from './binxml.js';
import * as chunk_header from './chunk-header.js';
import type { Element, Instance } from './ir.js';
import * as render_json from './render-json.js';
import type { JsonRenderOptions } from './render-json.js';
import * as render_xml from './render-xml.js';
import * as time from './time.js';
import * as resolver from './resolve.js';
import * as compiled from './render-json-compiled.js';
import * as jsonText from './render-json-text.js';
import * as xmlCompiled from './render-xml-compiled.js';

// Imported values copied to module constants once, so hot paths do not pay a getter per access
// when the modules run through a transpiling loader (tsx); with native ESM this costs nothing.
const { EvtxFormatError, u32, u64n } = bytes;
const { ChunkContext } = binxml;
const { CHUNK_HEADER_SIZE, chunkChecksumProblem, parseChunkHeader } = chunk_header;
const { renderJson } = render_json;
const { renderXml } = render_xml;
const { filetimeMs, filetimeText } = time;
const { budget } = resolver;
const { planCovers, renderPlanned } = compiled;
const { renderJsonText } = jsonText;
const { renderXmlPlanned } = xmlCompiled;

export const RECORD_MAGIC = 0x00002a2a;
/**
 * Elements one record, and one chunk, may render. Real records have tens of elements and real
 * chunks a few thousand; these bounds only stop input built to expand (a big template referenced
 * by hundreds of tiny records, arrays multiplied by arrays).
 */
export const MAX_RECORD_ELEMENTS = 50_000;
export const MAX_CHUNK_ELEMENTS = 250_000;
export const RECORD_HEADER_SIZE = 24;
/** Header (24) + trailing copy of the size (4): the smallest possible record. */
export const MIN_RECORD_SIZE = 28;

/** A record as Loupe hands it out. */
export interface RenderedRecord {
  recordId: number;
  /** The record header's write time as the crate prints it (UTC, microseconds). */
  timestamp: string;
  /** The same time in UTC epoch milliseconds. */
  time: number;
  /** Byte offset of the record in the file. */
  offset: number;
  /** Index of the chunk holding it (0-based). */
  chunk: number;
  /** The crate-shaped JSON object (`{"Event": {...}}`), unless only XML was asked for. */
  json?: Record<string, unknown>;
  /** The crate-shaped XML text, when asked for. */
  xml?: string;
  /**
   * With `text`: the record as the text to print (a JSON line, indented JSON, or XML) instead of
   * `json`/`xml`. Cheap to move between threads, so a dump on worker threads barely touches the
   * main thread.
   */
  text?: string;
}

export type IssueKind =
  /** A record that could not be read or rendered (counted as a record in error). */
  | 'record'
  /** A chunk that could not be read at all (bad magic, short read): counted as one error. */
  | 'chunk'
  /**
   * Damage reported but not counted as a record in error (as the evtx crate counts): a CRC
   * mismatch (the records are still read), or a record area that ends in zeros before the chunk's
   * free-space offset (wiped space; nothing after it can be located).
   */
  | 'warning';

export interface Issue {
  kind: IssueKind;
  chunk: number;
  /** Byte offset in the file where the damaged structure starts. */
  offset: number;
  recordId?: number;
  reason: string;
}

export interface RenderOptions extends JsonRenderOptions {
  /** Produce `json` (default true). */
  json?: boolean;
  /** Produce `xml` (default false). */
  xml?: boolean;
  /** Hand out `text` instead of `json`/`xml` (XML when `xml` is set, else JSON). */
  text?: boolean;
  /** With `text` and JSON: indented by two spaces. */
  pretty?: boolean;
}

export interface ChunkResult {
  records: RenderedRecord[];
  issues: Issue[];
}

/** Parses and renders every record of the chunk at `fileOffset` (chunk number `index`). */
export function readChunk(buf: Buffer, index: number, fileOffset: number, opts: RenderOptions = {}): ChunkResult {
  const records: RenderedRecord[] = [];
  const issues: Issue[] = [];
  let header;
  try {
    header = parseChunkHeader(buf);
  } catch (e) {
    issues.push({ kind: 'chunk', chunk: index, offset: fileOffset, reason: message(e) });
    return { records, issues };
  }
  const crc = chunkChecksumProblem(buf, header);
  if (crc) issues.push({ kind: 'warning', chunk: index, offset: fileOffset, reason: `chunk ${index}: ${crc}` });

  const wantJson = opts.json !== false;
  const wantXml = opts.xml === true;
  const ctx = new ChunkContext(buf);
  const end = header.freeSpaceOffset;
  let off = CHUNK_HEADER_SIZE;
  let chunkBudget = MAX_CHUNK_ELEMENTS;
  while (off < end) {
    const at = fileOffset + off;
    // The record header: if it cannot be trusted, nothing after it in the chunk can be located.
    if (off + RECORD_HEADER_SIZE > buf.length) {
      issues.push({ kind: 'record', chunk: index, offset: at, reason: 'record header runs past the end of the chunk' });
      break;
    }
    if (u32(buf, off) === 0) {
      // Zeroed space before the free-space offset: the records the header announces past this
      // point were wiped. Not an error in the crate's counts, but never silent.
      issues.push({
        kind: 'warning',
        chunk: index,
        offset: at,
        reason: `chunk ${index}: records end in zeroed space at chunk offset ${off}, before the free-space offset ${end} ` +
          `(header announces record ids ${header.firstRecordId}..${header.lastRecordId})`,
      });
      break;
    }
    if (u32(buf, off) !== RECORD_MAGIC) {
      issues.push({ kind: 'record', chunk: index, offset: at, reason: `bad record magic 0x${u32(buf, off).toString(16).padStart(8, '0')}` });
      break;
    }
    const size = u32(buf, off + 4);
    const recordId = u64n(buf, off + 8);
    if (size < MIN_RECORD_SIZE) {
      issues.push({ kind: 'record', chunk: index, offset: at, recordId, reason: `record size ${size} is below the minimum of ${MIN_RECORD_SIZE}` });
      break;
    }
    let root: Element | Instance;
    try {
      root = ctx.record(off + RECORD_HEADER_SIZE, size - MIN_RECORD_SIZE);
    } catch (e) {
      issues.push({ kind: 'record', chunk: index, offset: at, recordId, reason: message(e) });
      off += size;
      continue;
    }
    const next = off + size;
    try {
      const rec: RenderedRecord = {
        recordId,
        timestamp: filetimeText(buf, off + 16),
        time: filetimeMs(buf, off + 16),
        offset: at,
        chunk: index,
      };
      const allowed = Math.min(MAX_RECORD_ELEMENTS, chunkBudget);
      budget.left = allowed;
      try {
        if (opts.text) {
          rec.text = wantXml
            ? renderRecordXml(root)
            : opts.separateAttributes
              ? JSON.stringify(renderRecordJson(root, opts), null, opts.pretty ? 2 : undefined)
              : renderJsonText(root, opts.pretty === true);
        } else {
          if (wantJson) rec.json = renderRecordJson(root, opts);
          if (wantXml) rec.xml = renderRecordXml(root);
        }
      } finally {
        chunkBudget -= allowed - Math.max(0, budget.left);
      }
      records.push(rec);
    } catch (e) {
      issues.push({ kind: 'record', chunk: index, offset: at, recordId, reason: message(e) });
    }
    off = next;
    if (recordId === header.lastRecordId) break;
  }
  return { records, issues };
}

/** Through the template's compiled plan when it covers the record, else the general renderer. */
export function renderRecordJson(root: Element | Instance, opts: RenderOptions): Record<string, unknown> {
  if (root.k === 10 && !opts.separateAttributes && planCovers(root)) return renderPlanned(root);
  return renderJson(root, opts);
}

/** Through the template's compiled XML plan when it covers the record, else the general renderer. */
export function renderRecordXml(root: Element | Instance): string {
  return renderXmlPlanned(root) ?? renderXml(root);
}

export function message(e: unknown): string {
  if (e instanceof EvtxFormatError) return e.message;
  if (e instanceof RangeError) return `internal limit: ${e.message}`;
  return e instanceof Error ? e.message : String(e);
}
