/**
 * A field map: which field of a JSON record holds what Loupe needs, for JSON no reader knows.
 * Written in YAML or JSON; every value is a field path (dots go into nested objects; a key that
 * itself contains dots is found too). See docs/sources.md ("Generic JSON") for an example.
 */
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import type { EventAction } from '../../normalize/event.js';

export const FIELD_KEYS = [
  'time', 'event_type', 'host', 'user',
  'process_image', 'process_pid', 'process_guid', 'parent_pid', 'parent_image', 'command_line',
  'http_host', 'uri', 'http_method', 'user_agent', 'status_code',
  'ip', 'port', 'protocol', 'source_ip', 'source_port',
  'dns_query', 'dns_answer', 'file_path', 'registry_key', 'registry_value', 'registry_data',
] as const;
export type FieldKey = (typeof FIELD_KEYS)[number];

export type TimeFormat = 'iso' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns' | 'naive_utc';

export interface FieldMap {
  /** The format name events are stored with (default `generic-json`). */
  name: string;
  fields: Partial<Record<FieldKey, string>>;
  timeFormat: TimeFormat;
  /** Values of the event_type field → Loupe actions. Without it, the value itself when it is an action. */
  eventTypes: Record<string, EventAction>;
  /** A host name for every record, when no field has one. */
  hostDefault?: string;
}

const ACTIONS = new Set<string>([
  'process-start', 'process-end', 'network-connection', 'dns-query', 'http-request', 'file-create', 'file-modify',
  'file-delete', 'file-rename', 'file-access', 'registry-key-create', 'registry-key-delete', 'registry-value-set',
  'registry-value-delete', 'registry-key-access', 'image-load', 'logon', 'other',
]);
const FORMATS = new Set<TimeFormat>(['iso', 'epoch_s', 'epoch_ms', 'epoch_us', 'epoch_ns', 'naive_utc']);

export function isAction(s: string): s is EventAction {
  return ACTIONS.has(s);
}

/** Parses and checks a field map; throws with every problem found. */
export function parseFieldMap(text: string, source = 'field map'): FieldMap {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new Error(`${source}: not YAML or JSON: ${(err as Error).message.split('\n')[0]}`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new Error(`${source}: expected a mapping of Loupe fields to record fields`);
  const o = doc as Record<string, unknown>;
  const problems: string[] = [];
  const fields: Partial<Record<FieldKey, string>> = {};
  const nested = typeof o.fields === 'object' && o.fields !== null ? (o.fields as Record<string, unknown>) : {};
  const all = { ...o, ...nested };
  for (const [k, v] of Object.entries(all)) {
    if (k === 'fields' || k === 'name' || k === 'time_format' || k === 'event_types' || k === 'host_default') continue;
    if (!(FIELD_KEYS as readonly string[]).includes(k)) {
      problems.push(`unknown key "${k}" (known: ${FIELD_KEYS.join(', ')}, name, time_format, event_types, host_default)`);
      continue;
    }
    if (typeof v !== 'string' || !v) problems.push(`"${k}" must name a field`);
    else fields[k as FieldKey] = v;
  }
  if (!fields.time) problems.push('"time" is required: the field that holds each record\'s time');
  const tf = (o.time_format ?? 'iso') as TimeFormat;
  if (!FORMATS.has(tf)) problems.push(`time_format "${String(o.time_format)}" is not one of ${[...FORMATS].join(', ')}`);
  const eventTypes: Record<string, EventAction> = {};
  if (o.event_types !== undefined) {
    if (typeof o.event_types !== 'object' || o.event_types === null) problems.push('event_types must map values to Loupe actions');
    else
      for (const [k, v] of Object.entries(o.event_types as Record<string, unknown>)) {
        if (typeof v === 'string' && isAction(v)) eventTypes[k] = v;
        else problems.push(`event_types.${k}: "${String(v)}" is not one of ${[...ACTIONS].join(', ')}`);
      }
  }
  if (problems.length) throw new Error(`${source}: ${problems.join('; ')}`);
  return {
    name: typeof o.name === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(o.name) ? o.name : 'generic-json',
    fields,
    timeFormat: tf,
    eventTypes,
    hostDefault: typeof o.host_default === 'string' ? o.host_default : undefined,
  };
}

const cache = new Map<string, FieldMap | Error>();

/** Loads a field map file once per run. */
export function loadFieldMap(path: string): FieldMap | Error {
  let m = cache.get(path);
  if (!m) {
    try {
      m = parseFieldMap(readFileSync(path, 'utf8'), path);
    } catch (err) {
      m = err as Error;
    }
    cache.set(path, m);
  }
  return m;
}

/** A value by path: `a.b.c` into nested objects, or a key spelled with dots. */
export function getPath(o: unknown, path: string): unknown {
  if (typeof o !== 'object' || o === null) return undefined;
  const rec = o as Record<string, unknown>;
  if (path in rec) return rec[path];
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    const c = cur as Record<string, unknown>;
    cur = Array.isArray(cur) && /^\d+$/.test(part) ? (cur as unknown[])[Number(part)] : c[part];
  }
  return cur;
}
