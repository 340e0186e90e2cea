/**
 * Our capture analysis against Zeek's own answers: for each test in shared/data/zeek/index.json,
 * run the traces through `captureRecords` and match our rows to Zeek's baseline rows, per log,
 * on the fields both sides have (timestamps and uids excluded: Zeek masks or seeds them).
 */
import { readFileSync, existsSync, createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { captureRecords } from '../../src/sources/pcap/reader.js';
import { parseZeekTsv, parseZeekCut } from '../../src/sources/zeek/tsv.js';
import { SCHEMAS } from '../../src/sources/zeek/schema.js';
import type { NetworkRecord } from '../../src/normalize/zeek-rows.js';

export const LOGS = ['conn', 'dns', 'http', 'ssl', 'x509', 'files'] as const;
export type Log = (typeof LOGS)[number];
type Row = Record<string, unknown>;

const ID = ['id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p'];
/** Fields compared per log (the list, plus the IP byte counts for conn). */
export const COMPARED: Record<Log, string[]> = {
  conn: [...ID, 'proto', 'service', 'orig_bytes', 'resp_bytes', 'orig_pkts', 'resp_pkts', 'orig_ip_bytes', 'resp_ip_bytes', 'conn_state', 'history', 'missed_bytes', 'local_orig', 'local_resp'],
  dns: [...ID, 'proto', 'query', 'qtype_name', 'rcode_name', 'answers'],
  http: [...ID, 'method', 'host', 'uri', 'status_code', 'user_agent'],
  ssl: [...ID, 'version', 'server_name', 'cipher', 'established'],
  x509: ['fingerprint', 'certificate.subject', 'certificate.issuer', 'certificate.serial', 'certificate.not_valid_before', 'certificate.not_valid_after'],
  files: [...ID, 'source', 'mime_type', 'seen_bytes', 'total_bytes', 'md5', 'sha1'],
};

const TYPES: Record<string, string> = {};
for (const s of Object.values(SCHEMAS)) for (const [n, t] of s.fields) TYPES[n] = t;

export interface TestEntry {
  test: string;
  traces: string[];
  logs: string[];
  bare_mode: boolean;
  exec: string[];
}

export function loadBaseline(dir: string, log: Log): { rows: Row[]; columns: Set<string> } | undefined {
  const p = join(dir, `${log}.log`);
  if (!existsSync(p)) return undefined;
  const text = readFileSync(p, 'utf8');
  if (/^#separator /m.test(text)) {
    const fields = /^#fields\t(.*)$/m.exec(text)?.[1]?.split('\t') ?? [];
    return { rows: parseZeekTsv(text).rows, columns: new Set(fields) };
  }
  const first = text.split('\n').find((l) => l.length > 0 && !l.startsWith('#')) ?? '';
  return { rows: parseZeekCut(text, TYPES), columns: new Set(first.split('\t')) };
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-6;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  return a === b;
}

export interface LogScore {
  baseline: number;
  ours: number;
  matched: number;
  /** Field → how many baseline rows had that field as the only difference from their best candidate. */
  misses: Record<string, number>;
}

/** Greedy multiset matching: a baseline row matches one of our rows with every compared field equal. */
export function matchRows(log: Log, base: Row[], columns: Set<string>, ours: Row[], bare: boolean): LogScore {
  const fields = COMPARED[log].filter((f) => columns.has(f) || (f === 'qtype_name' && columns.has('qtype')) || (f === 'rcode_name' && columns.has('rcode')));
  const used = new Array<boolean>(ours.length).fill(false);
  const score: LogScore = { baseline: base.length, ours: ours.length, matched: 0, misses: {} };
  for (const b of base) {
    let hit = -1;
    let best: { i: number; diff: string[] } | undefined;
    for (let i = 0; i < ours.length; i++) {
      if (used[i]) continue;
      const o = ours[i]!;
      const diff: string[] = [];
      for (const f of fields) {
        const bv = b[f];
        // Bare mode (zeek -b) loads few scripts: a field Zeek left unset there is not compared.
        if (bv === undefined && bare) continue;
        // File hashes depend on Zeek's loaded policy (hash-all-files), not on the traffic.
        if (bv === undefined && (f === 'md5' || f === 'sha1')) continue;
        if (!same(bv, o[f])) diff.push(f);
        if (diff.length > 3) break;
      }
      if (diff.length === 0) {
        hit = i;
        break;
      }
      const idDiff = diff.some((d) => d.startsWith('id.') || d === 'fingerprint');
      if (!idDiff && (!best || diff.length < best.diff.length)) best = { i, diff };
    }
    if (hit >= 0) {
      used[hit] = true;
      score.matched++;
    } else {
      const key = best ? best.diff.join('+') : 'no row with this identity';
      score.misses[key] = (score.misses[key] ?? 0) + 1;
    }
  }
  return score;
}

export async function analyzeTraces(traceDir: string, traces: string[], validateChecksums: boolean): Promise<{ rows: Record<string, Row[]>; errors: number }> {
  const rows: Record<string, Row[]> = {};
  let errors = 0;
  for (const t of traces) {
    const p = join(traceDir, t);
    if (!existsSync(p)) continue;
    const stream: Readable = t.endsWith('.gz') ? createReadStream(p).pipe(createGunzip()) : createReadStream(p);
    const ctx = { error: () => { errors++; } };
    for await (const recs of captureRecords(stream, ctx, { validateChecksums })) {
      for (const r of recs as NetworkRecord[]) (rows[r.log] ??= []).push(r.row as Row);
    }
  }
  return { rows, errors };
}

export interface TestResult {
  test: string;
  bare: boolean;
  scores: Partial<Record<Log, LogScore>>;
}

export async function compareTest(root: string, t: TestEntry): Promise<TestResult> {
  const validate = !t.exec.some((e) => /\s-\w*C/.test(` ${e}`));
  const uniq = [...new Set(t.traces)];
  const { rows } = await analyzeTraces(join(root, 'traces'), uniq, validate);
  const res: TestResult = { test: t.test, bare: t.bare_mode, scores: {} };
  for (const log of LOGS) {
    if (!t.logs.includes(log)) continue;
    const b = loadBaseline(join(root, 'baselines', t.test), log);
    if (!b) continue;
    res.scores[log] = matchRows(log, b.rows, b.columns, rows[log] ?? [], t.bare_mode);
  }
  return res;
}

export interface Totals {
  baseline: number;
  matched: number;
}

export function totals(results: TestResult[], filter: (r: TestResult) => boolean): Record<Log, Totals> {
  const out = Object.fromEntries(LOGS.map((l) => [l, { baseline: 0, matched: 0 }])) as Record<Log, Totals>;
  for (const r of results) {
    if (!filter(r)) continue;
    for (const log of LOGS) {
      const s = r.scores[log];
      if (!s) continue;
      out[log].baseline += s.baseline;
      out[log].matched += s.matched;
    }
  }
  return out;
}

export function table(title: string, t: Record<Log, Totals>): string {
  const lines = [title, 'log    baseline  matched  percent'];
  for (const log of LOGS) {
    const { baseline, matched } = t[log];
    const pct = baseline > 0 ? ((100 * matched) / baseline).toFixed(1) : '-';
    lines.push(`${log.padEnd(6)} ${String(baseline).padStart(8)} ${String(matched).padStart(8)}  ${pct.padStart(6)}`);
  }
  return lines.join('\n');
}
