/**
 * What the web UI's replies hold, cut to size. Every string that came from evidence is hostile and
 * may be huge (a 100 kB command line): it is bounded here, so a reply stays small whatever the
 * evidence held. Escaping is the reply serializer's job (safeJson) and the browser's (text nodes).
 */
import type { Alert, Level } from '../../detect/types.js';
import { technique } from '../../detect/attack/data.js';
import type { Event } from '../../normalize/event.js';
import type { GraphNode } from '../../graph/types.js';
import type { StoredEvent } from '../../store/types.js';
import type { AlertRow, EventRow, NodeSummary, TechniqueRef } from './reply-types.js';

export type { AlertRow, EventRow, NodeSummary, TechniqueRef } from './reply-types.js';

/** Longest evidence string in a list row; in a detail view. */
export const ROW_TEXT = 300;
export const DETAIL_TEXT = 8192;

export function clip(s: unknown, max: number): string | undefined {
  if (s === undefined || s === null) return undefined;
  const t = typeof s === 'string' ? s : String(s);
  return t.length > max ? `${t.slice(0, max)}… [${t.length - max} more characters]` : t;
}

/**
 * A copy of a JSON-like value with every string clipped, arrays and objects cut to `items`
 * entries and nesting to `depth` levels (a note says what was left out).
 */
export function bounded(v: unknown, text = DETAIL_TEXT, items = 200, depth = 6): unknown {
  if (typeof v === 'string') return clip(v, text);
  if (v === null || typeof v !== 'object') return typeof v === 'bigint' ? String(v) : v;
  if (depth <= 0) return '[nested too deep]';
  if (Array.isArray(v)) {
    const out = v.slice(0, items).map((x) => bounded(x, text, items, depth - 1));
    if (v.length > items) out.push(`[${v.length - items} more]`);
    return out;
  }
  const out: Record<string, unknown> = {};
  let n = 0;
  const keys = Object.keys(v);
  for (const k of keys) {
    if (n++ >= items) {
      out['…'] = `[${keys.length - items} more fields]`;
      break;
    }
    out[clip(k, 200)!] = bounded((v as Record<string, unknown>)[k], text, items, depth - 1);
  }
  return out;
}

export function nodeSummary(n: GraphNode): NodeSummary {
  const p = n.props;
  const pid = typeof p.pid === 'number' ? ` (${p.pid})` : '';
  const label = n.type === 'Process' ? `${n.label || 'process'}${pid}` : n.label || n.key;
  return {
    id: n.id,
    type: n.type,
    label: clip(label, 120)!,
    key: clip(n.key, ROW_TEXT)!,
    host: clip(p.host, 255),
    firstSeen: n.firstSeen,
    lastSeen: n.lastSeen,
    level: n.type === 'Alert' && typeof p.level === 'string' ? (p.level as Level) : undefined,
  };
}

export function nodeDetail(n: GraphNode): NodeSummary & { props: unknown } {
  return { ...nodeSummary(n), key: clip(n.key, DETAIL_TEXT)!, props: bounded(n.props) };
}

export function techniqueRefs(ids: readonly string[]): TechniqueRef[] {
  return ids.slice(0, 100).map((id) => ({ id: clip(id, 40)!, name: technique(id)?.name }));
}

export function alertRow(a: Alert, lookup: (id: string) => GraphNode | undefined, alertNodeId: string | undefined, maxEntities = 5): AlertRow {
  const ids = a.entities ?? [];
  const entities: NodeSummary[] = [];
  for (const id of ids.slice(0, maxEntities)) {
    const n = lookup(id);
    if (n) entities.push(nodeSummary(n));
  }
  return {
    id: a.id,
    detector: clip(a.detector, 60)!,
    ruleId: clip(a.ruleId, 200)!,
    title: clip(a.title, 500)!,
    level: a.level,
    time: a.time,
    lastTime: a.lastTime,
    host: clip(a.host, 255),
    count: a.count,
    techniques: techniqueRefs(a.techniques ?? []),
    tactics: (a.tactics ?? []).slice(0, 20).map((t) => clip(t, 60)!),
    entities,
    entityCount: ids.length,
    graphNode: alertNodeId,
  };
}

function endpoint(e: { ip?: string; port?: number; domain?: string } | undefined): string {
  if (!e) return '?';
  const host = e.ip ?? e.domain ?? '?';
  return e.port !== undefined ? `${host}:${e.port}` : host;
}

/** One line per event, from its ECS fields, so the timeline reads like a story. */
export function eventSummary(e: Event): string {
  const p = e.process;
  switch (e.event.action) {
    case 'process-start':
      return `${p?.command_line ?? p?.executable ?? '?'}${p?.parent?.executable ? `  ⟵ ${p.parent.executable}` : ''}`;
    case 'process-end':
      return `ended ${p?.executable ?? p?.pid ?? '?'}`;
    case 'network-connection':
      return `${endpoint(e.source)} → ${endpoint(e.destination)}${e.network?.transport ? ` ${e.network.transport}` : ''}`;
    case 'dns-query': {
      const answers = e.dns?.answers?.map((a) => a.data).filter(Boolean).slice(0, 5).join(', ');
      return `${e.dns?.question?.name ?? '?'}${answers ? ` → ${answers}` : ''}`;
    }
    case 'http-request':
      return `${e.http?.request?.method ?? ''} ${e.url?.full ?? e.url?.original ?? e.url?.domain ?? '?'}`.trim();
    case 'image-load':
      return e.dll?.path ?? e.file?.path ?? '?';
    case 'process-access':
    case 'remote-thread':
      return `${p?.executable ?? '?'} → ${e.target?.process?.executable ?? e.target?.process?.pid ?? '?'}`;
    default:
      if (e.event.category.includes('registry')) return `${e.registry?.path ?? e.registry?.key ?? '?'}${e.registry?.data?.strings?.length ? ` = ${e.registry.data.strings.join(' ')}` : ''}`;
      if (e.event.category.includes('file')) return e.file?.path ?? '?';
      if (e.user?.name) return `${e.user.domain ? `${e.user.domain}\\` : ''}${e.user.name}`;
      return e.message ?? e.rule?.name ?? p?.executable ?? '';
  }
}

export function eventRow(s: StoredEvent): EventRow {
  const e = s.event;
  const o = e.origin;
  const where = o.line !== undefined ? `line ${o.line}` : o.record !== undefined ? `record ${o.record}` : o.offset !== undefined ? `offset ${o.offset}` : '';
  const user = e.user?.name ?? e.process?.user?.name;
  return {
    id: s.id,
    time: e['@timestamp'],
    host: clip(e.host?.name, 255),
    action: e.event.action,
    category: e.event.category,
    summary: clip(eventSummary(e), 1000)!,
    process: clip(e.process?.executable ?? e.process?.name, ROW_TEXT),
    user: clip(user, 200),
    origin: clip(`${o.file ?? ''}${where ? ` ${where}` : ''}`, ROW_TEXT)!,
    raw: bounded(e.raw, 2000, 100, 3) as Record<string, unknown>,
  };
}
