/** Shared by the EVTX tests: read a whole file through the public reader, collect everything. */
import { readEvtx, type Issue, type ReadEvtxOptions, type RenderedRecord } from '../../src/sources/evtx/read.js';
import type { EvtxSourceSpec } from '../../src/sources/evtx/source.js';

export interface ReadAll {
  records: RenderedRecord[];
  /** Records and chunks in error (what the evtx crate counts as errors). */
  errors: Issue[];
  warnings: Issue[];
}

export async function readAll(spec: EvtxSourceSpec, opts: ReadEvtxOptions = {}): Promise<ReadAll> {
  const out: ReadAll = { records: [], errors: [], warnings: [] };
  for await (const batch of readEvtx(spec, {
    threads: 0,
    ...opts,
    onIssue: (i) => (i.kind === 'warning' ? out.warnings : out.errors).push(i),
  })) {
    for (const r of batch) out.records.push(r);
  }
  return out;
}

/**
 * The `.json` renderings in sigma-regression are pretty-printed JSON objects written one after
 * another (not JSON lines): split them at the top level, skipping braces inside strings.
 */
export function splitConcatenatedJson(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b) {
      if (depth++ === 0) start = i;
    } else if (c === 0x7d) {
      if (--depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
    }
  }
  return out;
}

/** Paths where two JSON values differ (for readable failures). */
export function jsonDiff(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (Object.is(a, b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
    for (const k of keys) jsonDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    return out;
  }
  out.push(`${path}: ours ${JSON.stringify(a)}, crate ${JSON.stringify(b)}`);
  return out;
}
