/**
 * JSON that no reader knows, read through a field map the user gives (`loupe analyze
 * --field-map FILE`): JSON lines, concatenated values, or arrays of records. It never claims an
 * input on its own; with a field map it claims every JSON input (the user asked for it).
 *
 * The action of each record comes from the `event_type` field (through `event_types`), else from
 * what the record holds: a DNS query → dns-query, a URI or HTTP host → http-request, a registry
 * key → registry-value-set, a file path → file-modify, an IP → network-connection, a process
 * with a parent pid → process-start, anything else → other.
 * Arrays are parsed whole (up to 64 MiB each); lines and concatenated values one at a time.
 */
import type { Event, EventAction } from '../normalize/event.js';
import { naiveAsUtc, parseTime, toInt, toStr } from '../normalize/values.js';
import { boundStrings } from './limits.js';
import { jsonValues, parseValue } from './json/values.js';
import { getPath, isAction, loadFieldMap, type FieldMap } from './generic/field-map.js';
import { makeEvent, processFields, registryPath, setFile, setRegistry, text, urlHost } from './sandbox/common.js';
import type { Input, ReadContext, Reader } from './types.js';

function sniff(input: Input, options?: Record<string, unknown>): number {
  if (typeof options?.fieldMap !== 'string') return 0;
  let s = input.head.toString('utf8', 0, Math.min(input.head.length, 1024));
  if (s.charCodeAt(0) === 0xfeff) s = s.slice(1);
  return /^\s*[{[]/.test(s) ? 0.99 : 0;
}

function timeOf(v: unknown, f: FieldMap['timeFormat']): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : undefined;
  switch (f) {
    case 'epoch_s':
      return n !== undefined ? Math.round(n * 1000) : undefined;
    case 'epoch_ms':
      return n;
    case 'epoch_us':
      return n !== undefined ? Math.floor(n / 1000) : undefined;
    case 'epoch_ns':
      return typeof v === 'string' && /^\d+$/.test(v) ? Number(BigInt(v) / 1000000n) : n !== undefined ? Math.floor(n / 1e6) : undefined;
    case 'naive_utc':
      return typeof v === 'string' ? (naiveAsUtc(v) ?? parseTime(v)) : undefined;
    default:
      return parseTime(v);
  }
}

function inferAction(has: (k: keyof FieldMap['fields']) => boolean): EventAction {
  if (has('dns_query')) return 'dns-query';
  if (has('uri') || has('http_host')) return 'http-request';
  if (has('registry_key')) return 'registry-value-set';
  if (has('file_path')) return 'file-modify';
  if (has('ip')) return 'network-connection';
  if (has('process_image') && has('parent_pid')) return 'process-start';
  return 'other';
}

function toEvent(o: Record<string, unknown>, m: FieldMap, origin: Event['origin']): Event | string {
  const get = (k: keyof FieldMap['fields']) => (m.fields[k] ? getPath(o, m.fields[k]!) : undefined);
  const str = (k: keyof FieldMap['fields'], max = 64 * 1024) => text(get(k), max);
  const has = (k: keyof FieldMap['fields']) => str(k) !== undefined;
  const tv = get('time');
  const ts = timeOf(tv, m.timeFormat);
  if (ts === undefined || !Number.isFinite(ts)) return `no readable time in ${m.fields.time} (${JSON.stringify(tv ?? null).slice(0, 60)}, format ${m.timeFormat})`;
  let action: EventAction;
  const typeVal = str('event_type', 256);
  if (typeVal !== undefined && m.eventTypes[typeVal]) action = m.eventTypes[typeVal];
  else if (typeVal !== undefined && isAction(typeVal)) action = typeVal;
  else action = inferAction(has);
  const host = str('host', 256) ?? m.hostDefault;
  const e = makeEvent(ts, action, o, origin, host, `generic.${m.name}`, typeVal);
  const p = processFields({ pid: get('process_pid'), executable: get('process_image'), commandLine: get('command_line'), user: get('user'), start: action === 'process-start' ? ts : undefined });
  const guid = str('process_guid', 128);
  if (guid) p.entity_id = guid.replace(/^\{|\}$/g, '').toUpperCase();
  if (has('parent_pid') || has('parent_image')) p.parent = processFields({ pid: get('parent_pid'), executable: get('parent_image') });
  if (Object.keys(p).length) e.process = p;
  if (p.user) e.user = p.user;
  const ip = str('ip', 64);
  const port = toInt(get('port'));
  if (ip || port !== undefined) e.destination = { ...(ip ? { ip } : {}), ...(port !== undefined ? { port } : {}) };
  const sip = str('source_ip', 64);
  const sport = toInt(get('source_port'));
  if (sip || sport !== undefined) e.source = { ...(sip ? { ip: sip } : {}), ...(sport !== undefined ? { port: sport } : {}) };
  const proto = str('protocol', 32);
  if (proto) e.network = { transport: proto.toLowerCase() };
  const q = str('dns_query', 1024);
  if (q) {
    e.dns = { question: { name: q } };
    const ans = get('dns_answer');
    const answers = (Array.isArray(ans) ? ans : ans !== undefined ? [ans] : []).map((a) => toStr(a)).filter((a): a is string => !!a);
    if (answers.length) e.dns.answers = answers.map((data) => ({ data }));
  }
  const uri = str('uri', 8192);
  const hh = str('http_host', 1024);
  if (uri || hh) {
    const full = uri && /^[a-z]+:\/\//i.test(uri) ? uri : hh && uri ? `http://${hh}${uri.startsWith('/') ? '' : '/'}${uri}` : undefined;
    e.url = {};
    if (uri) e.url.original = uri;
    if (full) e.url.full = full;
    const d = hh?.replace(/:\d+$/, '') ?? (full ? urlHost(full) : undefined);
    if (d) e.url.domain = d.toLowerCase();
    const method = str('http_method', 32);
    const status = toInt(get('status_code'));
    if (method || status !== undefined) e.http = { ...(method ? { request: { method: method.toUpperCase() } } : {}), ...(status !== undefined ? { response: { status_code: status } } : {}) };
    const ua = str('user_agent', 2048);
    if (ua) e.user_agent = { original: ua };
  }
  const fp = str('file_path', 4096);
  if (fp) {
    if (action === 'image-load') e.dll = { path: fp };
    else setFile(e, fp);
  }
  const rk = str('registry_key', 4096);
  if (rk) {
    const value = str('registry_value', 1024);
    if (value !== undefined) setRegistry(e, rk, value, str('registry_data', 4096));
    else if (action === 'registry-value-set' || action === 'registry-value-delete') {
      const n = registryPath(rk);
      const cut = n.lastIndexOf('\\');
      setRegistry(e, cut > 0 ? n.slice(0, cut) : n, cut > 0 ? n.slice(cut + 1) : undefined, str('registry_data', 4096));
    } else setRegistry(e, rk);
  }
  return e;
}

async function* readGeneric(input: Input, ctx: ReadContext): AsyncGenerator<Event[]> {
  const path = ctx.options?.fieldMap;
  if (typeof path !== 'string') {
    ctx.error({}, 'the generic JSON reader needs --field-map FILE');
    return;
  }
  const m = loadFieldMap(path);
  if (m instanceof Error) {
    ctx.error({}, m.message);
    return;
  }
  ctx.fact?.('field map', `${path} (${m.name})`);
  let record = 0;
  const onError = ctx.error.bind(ctx);
  for await (const values of jsonValues(input.open(), { onError, onBytes: ctx.progress })) {
    const out: Event[] = [];
    for (const v of values) {
      const parsed = parseValue(v, onError);
      if (parsed === undefined) {
        record++;
        continue;
      }
      const items = Array.isArray(parsed) ? parsed : [parsed];
      for (const [i, o] of items.entries()) {
        record++;
        const where = { line: v.line, record };
        if (typeof o !== 'object' || o === null || Array.isArray(o)) {
          ctx.error(where, `record${Array.isArray(parsed) ? ` [${i}]` : ''} is not a JSON object`);
          continue;
        }
        const rec = o as Record<string, unknown>;
        boundStrings(rec, (field, size) => ctx.error(where, `field ${field} is ${size} characters; kept the first ${boundStrings.MAX}`));
        const e = toEvent(rec, m, { file: input.name, format: `generic-json`, record, line: v.line });
        if (typeof e === 'string') ctx.error(where, e);
        else out.push(e);
      }
    }
    if (out.length) yield out;
  }
}

export const genericJsonReader: Reader = {
  format: 'generic-json',
  description: 'any JSON records, read through a field map (loupe analyze --field-map FILE)',
  sniff,
  read: readGeneric,
};
