/**
 * Alert timelines in the shapes analysts load elsewhere:
 * - CSV with Hayabusa's standard columns (Timestamp, Computer, Channel, EventID, Level, RecordID,
 *   RuleTitle, Details, RuleID, MitreTactics, MitreTags), so Timeline Explorer profiles and
 *   scripts written for Hayabusa output work unchanged;
 * - JSON lines, one alert per line with the same columns plus the whole alert;
 * - Timesketch JSON lines (`message`, `datetime`, `timestamp_desc`, `timestamp` in µs, and the
 *   columns as attributes), ready for `timesketch_importer`.
 *
 * Evidence strings are hostile: every text cell is bounded, CSV cells are quoted per RFC 4180, and
 * cells that a spreadsheet would run as a formula (leading = + - @, tab, CR) get a leading `'`
 * unless `excelSafe: false`.
 */
import { tactic } from '../detect/attack/data.js';
import type { Alert, Level } from '../detect/types.js';

export const HAYABUSA_COLUMNS = [
  'Timestamp',
  'Computer',
  'Channel',
  'EventID',
  'Level',
  'RecordID',
  'RuleTitle',
  'Details',
  'RuleID',
  'MitreTactics',
  'MitreTags',
] as const;

export type TimelineRow = Record<(typeof HAYABUSA_COLUMNS)[number], string>;

/** Hayabusa's short level names. */
const LEVEL_SHORT: Record<Level, string> = { informational: 'info', low: 'low', medium: 'med', high: 'high', critical: 'crit' };

const MAX_CELL = 4096;
const SEP = ' ¦ ';

export interface TimelineOptions {
  /** Prefix formula-looking CSV cells with `'` (default true). */
  excelSafe?: boolean;
}

function bound(s: string, max = MAX_CELL): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** `2026-03-14 09:12:03.123 +00:00`: Hayabusa's layout, always UTC. */
export function hayabusaTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const iso = new Date(ms).toISOString(); // 2026-03-14T09:12:03.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return v.map(text).join(', ');
  return JSON.stringify(v);
}

/** `Field: value ¦ Field: value` from the matched fields (Sigma), or the detector's own details. */
function detailsOf(a: Alert): string {
  const d = a.details ?? {};
  const matched = d.matched;
  if (matched && typeof matched === 'object' && !Array.isArray(matched)) {
    const parts = Object.entries(matched as Record<string, unknown>).map(([k, v]) => `${k}: ${text(v)}`);
    if (parts.length) return bound(parts.join(SEP));
  }
  if (d.groupBy && typeof d.groupBy === 'object') {
    const g = Object.entries(d.groupBy as Record<string, unknown>).map(([k, v]) => `${k}: ${text(v)}`);
    return bound([`${text(d.correlation)} ${text(d.measured)}`, ...g].join(SEP));
  }
  const skip = new Set(['ruleFile', 'otherTags', 'channel', 'eventId', 'recordId', 'computer', 'logsource', 'status']);
  return bound(
    Object.entries(d)
      .filter(([k, v]) => !skip.has(k) && v !== undefined)
      .map(([k, v]) => `${k}: ${text(v)}`)
      .join(SEP),
  );
}

export function timelineRow(a: Alert): TimelineRow {
  const d = a.details ?? {};
  return {
    Timestamp: hayabusaTime(a.time),
    Computer: bound(a.host ?? text(d.computer) ?? '', 512),
    Channel: bound(text(d.channel), 512),
    EventID: text(d.eventId),
    Level: LEVEL_SHORT[a.level] ?? a.level,
    RecordID: text(d.recordId),
    RuleTitle: bound(a.title, 512),
    Details: detailsOf(a),
    RuleID: a.ruleId,
    MitreTactics: a.tactics.map((t) => tactic(t)?.name ?? t).join(SEP),
    MitreTags: a.techniques.join(SEP),
  };
}

function csvCell(v: string, excelSafe: boolean): string {
  let s = v;
  if (excelSafe && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Alerts sorted by time (then rule), the order every timeline format uses. */
export function timelineOrder(alerts: Iterable<Alert>): Alert[] {
  return [...alerts].sort((a, b) => a.time - b.time || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

export function* timelineCsvLines(alerts: Iterable<Alert>, opts: TimelineOptions = {}): Generator<string> {
  const safe = opts.excelSafe ?? true;
  yield `${HAYABUSA_COLUMNS.join(',')}\r\n`;
  for (const a of timelineOrder(alerts)) {
    const row = timelineRow(a);
    yield `${HAYABUSA_COLUMNS.map((c) => csvCell(row[c], safe)).join(',')}\r\n`;
  }
}

export function timelineCsv(alerts: Iterable<Alert>, opts: TimelineOptions = {}): string {
  return [...timelineCsvLines(alerts, opts)].join('');
}

/** One JSON object per line: the Hayabusa columns and the alert itself. */
export function* timelineJsonlLines(alerts: Iterable<Alert>): Generator<string> {
  for (const a of timelineOrder(alerts)) yield `${JSON.stringify({ ...timelineRow(a), alert: a })}\n`;
}

export function timelineJsonl(alerts: Iterable<Alert>): string {
  return [...timelineJsonlLines(alerts)].join('');
}

/** Timesketch's JSONL import format: message, datetime, timestamp_desc required; extra keys become attributes. */
export function* timesketchLines(alerts: Iterable<Alert>): Generator<string> {
  for (const a of timelineOrder(alerts)) {
    const row = timelineRow(a);
    const obj = {
      message: bound(`[${row.Level}] ${a.title}${row.Details ? ` | ${row.Details}` : ''}`),
      datetime: Number.isFinite(a.time) ? new Date(a.time).toISOString() : '',
      timestamp: Number.isFinite(a.time) ? Math.round(a.time * 1000) : undefined,
      timestamp_desc: 'Alert Time',
      data_type: `loupe:alert:${a.detector}`,
      rule_title: a.title,
      rule_id: a.ruleId,
      level: a.level,
      computer: row.Computer || undefined,
      channel: row.Channel || undefined,
      event_id: row.EventID || undefined,
      record_id: row.RecordID || undefined,
      mitre_tactics: a.tactics,
      mitre_techniques: a.techniques,
      detector: a.detector,
      alert_id: a.id,
      count: a.count,
      tag: ['loupe', a.level],
    };
    yield `${JSON.stringify(obj)}\n`;
  }
}

export function timesketchJsonl(alerts: Iterable<Alert>): string {
  return [...timesketchLines(alerts)].join('');
}
