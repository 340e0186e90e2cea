/** Small shared pieces: times, levels, a data-loading hook, the hash router, badges. */
import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { get, type Params } from './api';
import type { Level, NodeSummary } from './types';

/** Times are UTC everywhere in Loupe: shown as ISO 8601 with milliseconds. */
export function fmtTime(t: number | undefined): string {
  if (t === undefined || t === null || !Number.isFinite(t)) return '';
  try {
    return new Date(t).toISOString().replace('T', ' ');
  } catch {
    return String(t);
  }
}

export function fmtNum(n: number | undefined): string {
  return n === undefined ? '' : n.toLocaleString('en-US');
}

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

/** GETs `path` whenever it or its params change; the latest answer wins. */
export function useGet<T>(path: string | undefined, params?: Params): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: !!path });
  const [n, setN] = useState(0);
  const key = `${path}|${JSON.stringify(params ?? {})}|${n}`;
  useEffect(() => {
    if (!path) return;
    let live = true;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    get<T>(path, params)
      .then((data) => live && setState({ data, loading: false }))
      .catch((e: Error) => live && setState({ error: e.message, loading: false }));
    return () => {
      live = false;
    };
  }, [key]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

export function Status({ l, what }: { l: { error?: string; loading: boolean }; what: string }) {
  if (l.error) return <p class="error" role="alert">Could not load {what}: {l.error}</p>;
  if (l.loading) return <p class="muted">Loading {what}…</p>;
  return null;
}

// ---- Routing: #/<case>/<view>?k=v ------------------------------------------------------------

export const VIEWS = ['overview', 'alerts', 'threats', 'graph', 'processes', 'timeline', 'attack'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  caseId?: number;
  view: View;
  params: Record<string, string>;
}

export function parseHash(hash: string): Route {
  const [path = '', qs = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const [c, v] = path.split('/');
  const caseId = c && /^\d{1,9}$/.test(c) ? Number(c) : undefined;
  const view = (VIEWS as readonly string[]).includes(v ?? '') ? (v as View) : 'overview';
  const params: Record<string, string> = {};
  for (const [k, val] of new URLSearchParams(qs)) params[k] = val;
  return { caseId, view, params };
}

export function href(caseId: number | undefined, view: View, params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return `#/${caseId ?? ''}/${view}${s ? `?${s}` : ''}`;
}

export function go(caseId: number | undefined, view: View, params: Params = {}): void {
  location.hash = href(caseId, view, params);
}

export function useRoute(): Route {
  const [r, setR] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const on = () => setR(parseHash(location.hash));
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return r;
}

// ---- Badges ------------------------------------------------------------------------------------

export function LevelBadge({ level, children }: { level?: Level; children?: ComponentChildren }) {
  if (!level) return null;
  return <span class={`badge level-${level}`}>{children ?? level}</span>;
}

const TYPE_ABBR: Record<string, string> = { Process: 'proc', File: 'file', IPAddress: 'ip', Domain: 'dns', URI: 'uri', RegistryKey: 'reg', Host: 'host', User: 'user', Alert: 'alert' };

/** An entity as a chip: its type and label (text only); clicking opens it in the graph. */
export function EntityChip({ n, caseId }: { n: NodeSummary; caseId: number }) {
  return (
    <a class={`chip type-${n.type}`} href={href(caseId, 'graph', { node: n.id })} title={`${n.type}: ${n.key}`}>
      <span class="chip-type">{TYPE_ABBR[n.type] ?? n.type}</span>
      <span class="chip-label">{n.label}</span>
    </a>
  );
}

/** A key/value table of a bounded object (node properties, alert details, raw fields). Values are text. */
export function Props({ obj }: { obj: Record<string, unknown> | undefined }) {
  if (!obj) return null;
  const entries = Object.entries(obj);
  if (!entries.length) return <p class="muted">No fields.</p>;
  return (
    <table class="props">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td class="mono">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Pager({ offset, limit, total, onPage }: { offset: number; limit: number; total: number; onPage(offset: number): void }) {
  if (total <= limit && offset === 0) return null;
  return (
    <div class="pager">
      <button disabled={offset === 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        ← Previous
      </button>
      <span>
        {fmtNum(Math.min(total, offset + 1))}–{fmtNum(Math.min(total, offset + limit))} of {fmtNum(total)}
      </span>
      <button disabled={offset + limit >= total} onClick={() => onPage(offset + limit)}>
        Next →
      </button>
    </div>
  );
}
